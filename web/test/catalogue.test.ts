import { expect } from "chai";

import { CATALOGUE } from "../src/catalogue.js";

describe("Web app string catalogue", function () {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it("has every English message in Simplified Chinese, with the same placeholders", function () {
    const english = Object.entries(CATALOGUE.en);
    expect(Object.keys(CATALOGUE.zh).sort()).to.deep.equal(english.map(([key]) => key).sort());
    for (const [key, text] of english) {
      const chinese = CATALOGUE.zh[key as keyof typeof CATALOGUE.zh];
      expect(chinese.trim(), key).not.to.equal("");
      expect(placeholders(chinese), key).to.deep.equal(placeholders(text));
    }
  });

  it("names every escrow, shipment and event status the SDK defines", async function () {
    const { ORDER_STATUSES, SHIPMENT_STATUSES, EVENT_CODES } = await import("@waybill/sdk");
    const keys = new Set(Object.keys(CATALOGUE.en));
    for (const name of ORDER_STATUSES) expect(keys.has(`orderStatus.${name}`), name).to.equal(true);
    for (const name of SHIPMENT_STATUSES)
      expect(keys.has(`shipmentStatus.${name}`), name).to.equal(true);
    for (const name of EVENT_CODES) expect(keys.has(`shipmentEvent.${name}`), name).to.equal(true);
  });

  it("words only errors the contracts can raise", async function () {
    const { waybillInterfaces } = await import("@waybill/sdk");
    const known = new Set<string>();
    for (const contract of Object.values(waybillInterfaces()))
      contract.forEachError((error) => known.add(error.name));
    const worded = Object.keys(CATALOGUE.en)
      .filter((key) => key.startsWith("revert."))
      .map((key) => key.slice("revert.".length));
    for (const name of worded) expect(known.has(name), name).to.equal(true);
    for (const name of [
      "ShipmentRefNotOrder",
      "NoPassportsInCustody",
      "NotEscrow",
      "EscrowAlreadySet",
      "PassportsNotEnabled",
    ])
      expect(worded, name).to.include(name);
  });
});
