/**
 * The passport page: a GS1 Digital Link path (`/01/<gtin>[/10/<lot>]/21/<serial>`) opens it,
 * so a QR label pointing at the app resolves. The verdict comes first (GENUINE, NOT FOUND,
 * RECALLED, STOLEN), then the product, lot, manufacturer, origin, certificates valid now,
 * owner and last shipment. One `verify` call answers most of it; the last shipment is the
 * unit's latest `PassportShipped` log (the passport stores none), read from the deployment block.
 */
import { ZeroAddress, getAddress, id } from "ethers";

import {
  SHIPMENT_STATUSES,
  UNIT_STATUSES,
  bytesToAscii,
  connectPassports,
  connectRegistry,
  parseDigitalLink,
  readLastShipment,
  tokenIdOf,
} from "@waybill/sdk";

import { chainTime, readProvider } from "../chain.js";
import { banner, facts, h, replace } from "../dom.js";
import { explain } from "../errors.js";
import { country, day } from "../format.js";
import { type MessageKey, has, t } from "../i18n.js";
import { defaultNetwork } from "../networks.js";

/** "Certificate of origin (COO)" for the certificate types the catalogue names, else the code. */
function certificateName(code: string): string {
  const key = `certificate.${code}`;
  return has(key) ? t(key) : code;
}

type Verdict = "genuine" | "notFound" | "recalled" | "stolen" | "burned";

export async function renderPassport(root: HTMLElement, url: string): Promise<void> {
  document.title = t("passport.pageTitle");
  const heading = h("h1", {}, t("passport.heading"));
  let link: ReturnType<typeof parseDigitalLink>;
  try {
    link = parseDigitalLink(url);
  } catch {
    replace(root, heading, banner("error", t("passport.badLink")));
    return;
  }
  const network = defaultNetwork();
  if (network === undefined) {
    replace(root, heading, banner("error", t("passport.noNetwork")));
    return;
  }
  replace(root, heading, h("p", { role: "status" }, t("app.loading")));
  try {
    const reader = readProvider(network);
    const passports = connectPassports(network.passports, reader);
    const registry = connectRegistry(network.registry, reader);
    const tokenId = tokenIdOf(link.gtin, link.serial);
    const [view, now, lastShipment] = await Promise.all([
      passports.verify(tokenId),
      chainTime(reader),
      readLastShipment(passports, registry, tokenId, { fromBlock: network.fromBlock }),
    ]);
    const status = UNIT_STATUSES[Number(view.status)] ?? "None";
    const verdict: Verdict = !view.exists
      ? "notFound"
      : status === "Stolen"
        ? "stolen"
        : status === "Burned"
          ? "burned"
          : view.lot.recalled
            ? "recalled"
            : "genuine";
    const kind = verdict === "genuine" ? "ok" : verdict === "recalled" ? "warn" : "error";
    const verdictBox = h(
      "div",
      {
        class: `card verdict banner banner-${kind}`,
        role: kind === "ok" ? "status" : "alert",
        "data-verdict": verdict,
      },
      h("strong", {}, t(`passport.${verdict}` as MessageKey)),
      h("span", {}, t(`passport.${verdict}Text` as MessageKey)),
    );
    const identity = facts([
      [t("passport.product"), h("span", { class: "mono" }, link.gtin)],
      [t("passport.serial"), h("span", { class: "mono" }, link.serial)],
    ]);
    if (!view.exists) {
      replace(root, heading, verdictBox, h("section", { class: "card" }, identity));
      return;
    }
    const warnings: HTMLElement[] = [];
    let lotText = t("passport.lotUnnamed", { id: String(view.lotId) });
    if (link.lot !== undefined) {
      if (id(link.lot) === view.lot.lotNumberHash) {
        lotText = t("passport.lotMatches", { lot: link.lot });
      } else {
        warnings.push(banner("error", t("passport.lotMismatch", { lot: link.lot })));
      }
    }
    const owner = getAddress(view.owner);
    const ownerText =
      owner === ZeroAddress
        ? "—"
        : owner === getAddress(network.escrow)
          ? t("passport.heldByEscrow")
          : owner;
    const certificates = view.certificates.filter((c) => c.expiresAt > now);
    const details = facts([
      [t("passport.product"), h("span", { class: "mono" }, link.gtin)],
      [t("passport.serial"), h("span", { class: "mono" }, link.serial)],
      [t("passport.lot"), lotText],
      [t("passport.manufacturer"), h("span", { class: "mono" }, view.lot.manufacturer)],
      [t("passport.origin"), country(bytesToAscii(view.lot.originCountry))],
      [t("passport.produced"), day(view.lot.productionDate)],
      [
        t("passport.certificates"),
        certificates.length === 0
          ? t("passport.noCertificates")
          : h(
              "ul",
              {},
              certificates.map((c) =>
                h(
                  "li",
                  {},
                  t("passport.certificate", {
                    type: certificateName(bytesToAscii(c.certType)),
                    date: day(c.expiresAt),
                  }),
                ),
              ),
            ),
      ],
      [t("passport.owner"), ownerText === owner ? h("span", { class: "mono" }, owner) : ownerText],
      [
        t("passport.lastShipment"),
        lastShipment === null
          ? t("passport.noShipment")
          : t(
              `shipmentStatus.${SHIPMENT_STATUSES[Number(lastShipment.status)] ?? "None"}` as MessageKey,
            ),
      ],
      [t("passport.network"), network.name],
    ]);
    replace(root, heading, verdictBox, ...warnings, h("section", { class: "card" }, details));
  } catch (error) {
    replace(root, heading, banner("error", explain(error)));
  }
}
