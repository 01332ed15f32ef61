/**
 * Texts the escrow keeps in its events (reviews, evidence) are bounded in UTF-8 bytes, not in
 * characters: an emoji or a Chinese character takes 3-4 bytes. The field counts bytes as the
 * buyer types, so a text that is too long is seen before the wallet is asked to sign.
 */
import { MAX_TEXT_BYTES, textByteLength } from "@waybill/sdk";

import { h } from "./dom.js";
import { t } from "./i18n.js";

/** Why `text` cannot go on-chain, in the page's language, or undefined when it fits. */
export function textTooLong(text: string): string | undefined {
  const used = textByteLength(text);
  return used > MAX_TEXT_BYTES ? t("order.textTooLong", { used, max: MAX_TEXT_BYTES }) : undefined;
}

/** A labelled textarea with a live "123 of 1000 bytes" counter under it. */
export function byteCountedText(name: string, label: string, required = false): HTMLElement {
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
    const used = textByteLength(area.value);
    counter.textContent = t("order.textBytes", { used, max: MAX_TEXT_BYTES });
    counter.classList.toggle("over", used > MAX_TEXT_BYTES);
    counter.dataset.bytes = String(used);
  };
  area.addEventListener("input", update);
  update();
  return h("div", { class: "field" }, h("label", { for: fieldId }, label), area, counter);
}
