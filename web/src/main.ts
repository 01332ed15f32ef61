/**
 * The app's one entry point: picks the page from the address and renders it.
 *   /pay#<offer line>                 checkout
 *   /order/<chainId>/<orderId>        order tracking and actions
 *   /01/<gtin>[/10/<lot>]/21/<serial> product passport (a GS1 Digital Link, so QR labels resolve here)
 *   /merchant                         the merchant console (its own chunk, loaded only there)
 */
import "./style.css";

import { h, replace } from "./dom.js";
import { type Language, language, setLanguage, t } from "./i18n.js";
import { appLink } from "./networks.js";
import { renderCheckout } from "./pages/checkout.js";
import { renderOrder } from "./pages/order.js";
import { renderPassport } from "./pages/passport.js";

const root = document.getElementById("app")!;
const languageSelect = document.getElementById("language") as HTMLSelectElement;

function renderHome(): void {
  document.title = t("home.title");
  replace(
    root,
    h("h1", {}, t("app.name")),
    h("p", {}, t("app.tagline")),
    h("p", {}, h("a", { href: appLink("/pay") }, t("home.payIntro"))),
    h("p", {}, t("home.passportIntro")),
  );
}

async function route(): Promise<void> {
  const path = location.pathname.replace(/\/+$/, "") || "/";
  languageSelect.value = language();
  document.getElementById("language-label")!.textContent = t("app.language");
  (document.getElementById("brand") as HTMLAnchorElement).href = appLink("/");
  if (path === "/pay") {
    await renderCheckout(root, decodeURIComponent(location.hash.slice(1)).trim());
    return;
  }
  const order = /^\/order\/(\d+)\/(0x[0-9a-fA-F]{64})$/.exec(path);
  if (order !== null) {
    await renderOrder(root, Number(order[1]), order[2]);
    return;
  }
  if (path === "/merchant") {
    const { renderMerchant } = await import("./pages/merchant.js");
    await renderMerchant(root);
    return;
  }
  if (path.startsWith("/order")) {
    replace(root, h("p", { role: "alert", class: "banner banner-error" }, t("order.badLink")));
    return;
  }
  if (/\/01\//.test(`${path}/`)) {
    await renderPassport(root, `${location.origin}${location.pathname}`);
    return;
  }
  if (path === "/") {
    renderHome();
    return;
  }
  replace(root, h("p", { role: "alert", class: "banner banner-error" }, t("app.notFound")));
}

languageSelect.addEventListener("change", () => {
  setLanguage(languageSelect.value as Language);
  void route();
});
window.addEventListener("hashchange", () => void route());
setLanguage(language());
void route();
