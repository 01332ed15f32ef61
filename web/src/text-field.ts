/**
 * Texts the escrow keeps in its events (reviews, evidence) are bounded in UTF-8 bytes, not in
 * characters: an emoji or a Chinese character takes 3-4 bytes. The field counts bytes as the
 * buyer types, so a text that is too long is seen before the wallet is asked to sign.
 */
import { h } from "./dom.js";
import { t } from "./i18n.js";

/** The escrow's MAX_TEXT_BYTES: the longest review or evidence text it accepts. */
export const MAX_TEXT_BYTES = 1000;

const encoder = new TextEncoder();

/** The UTF-8 length of `text`, as the contract measures it. */
export function textBytes(text: string): number {
  return encoder.encode(text).length;
}

/** A labelled textarea with a live "123 of 1000 bytes" counter under it. */
export function byteCountedText(
  name: string,
  label: string,
  maxBytes: number,
  required = false,
): HTMLElement {
  const fieldId = `field-${name}`;
  const counterId = `${fieldId}-bytes`;
  const counter = h("p", { id: counterId, class: "hint", "aria-live": "polite" });
  const area = h("textarea", {
    id: fieldId,
    name,
    rows: "3",
    required,
    "aria-describedby": counterId,
  });
  const update = () => {
    const used = textBytes(area.value);
    counter.textContent = t("order.textBytes", { used, max: maxBytes });
    counter.classList.toggle("over", used > maxBytes);
    counter.dataset.bytes = String(used);
  };
  area.addEventListener("input", update);
  update();
  return h("div", { class: "field" }, h("label", { for: fieldId }, label), area, counter);
}
