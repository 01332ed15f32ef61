import { expect } from "chai";

import { UNIT_STATUSES, parseDigitalLink, tokenIdOf } from "@waybill/sdk";

import { type OpenedPage, type WebStack, openPage, webStack } from "./stack.js";

describe("Web passport page in Chromium against Anvil", function () {
  this.timeout(300_000);
  let stack: WebStack;
  let opened: OpenedPage | undefined;

  before(async function () {
    stack = await webStack();
  });

  afterEach(async function () {
    await opened?.close();
    opened = undefined;
  });

  async function onChain(link: string) {
    const { gtin, serial } = parseDigitalLink(`https://id.gs1.org${link}`);
    return stack.seeded.shop.passports.verify(tokenIdOf(gtin, serial));
  }

  async function verdictOf(page: OpenedPage["page"]): Promise<{ verdict: string; text: string }> {
    const box = page.locator("[data-verdict]");
    await box.waitFor();
    return {
      verdict: (await box.getAttribute("data-verdict")) ?? "",
      text: await page.locator("main").innerText(),
    };
  }

  it("opens a GS1 Digital Link path with a lot: GENUINE first, then origin, lot and certificates", async function () {
    const link = stack.seeded.links.genuine;
    expect(link).to.match(/^\/01\/\d{14}\/10\/BT-2026-11\/21\/VASE-0003$/);
    opened = await openPage(stack, link);
    const { verdict, text } = await verdictOf(opened.page);
    expect(verdict).to.equal("genuine");
    expect(text.indexOf("GENUINE")).to.be.lessThan(text.indexOf("Product (GTIN)"));
    expect(text).to.include("BT-2026-11 (matches the label)");
    expect(text).to.include("Vietnam");
    expect(text).to.match(/Certificate of origin \(COO\), valid until /);
    const view = await onChain(link);
    expect(view.exists && view.genuine && !view.lot.recalled).to.equal(true);
    expect(text).to.include(view.owner);
    await opened.shot("passport-genuine");
  });

  it("warns that a unit of a recalled lot is RECALLED", async function () {
    const link = stack.seeded.links.recalled;
    opened = await openPage(stack, link);
    const { verdict, text } = await verdictOf(opened.page);
    expect(verdict).to.equal("recalled");
    expect(text).to.include("the manufacturer recalled this lot");
    expect((await onChain(link)).lot.recalled).to.equal(true);
    await opened.shot("passport-recalled");
  });

  it("warns that a unit reported stolen must not be bought", async function () {
    const link = stack.seeded.links.stolen;
    opened = await openPage(stack, link);
    const { verdict, text } = await verdictOf(opened.page);
    expect(verdict).to.equal("stolen");
    expect(text).to.include("REPORTED STOLEN");
    expect(text).to.include("Do not buy this unit.");
    expect(UNIT_STATUSES[Number((await onChain(link)).status)]).to.equal("Stolen");
    await opened.shot("passport-stolen");
  });

  it("says NOT FOUND for a serial no manufacturer issued, and names the escrow holding a unit in transit", async function () {
    opened = await openPage(stack, stack.seeded.links.unknown);
    const missing = await verdictOf(opened.page);
    expect(missing.verdict).to.equal("notFound");
    expect(missing.text).to.include("NOT FOUND");
    expect((await onChain(stack.seeded.links.unknown)).exists).to.equal(false);
    await opened.shot("passport-not-found");
    await opened.close();

    opened = await openPage(stack, stack.seeded.links.inTransit);
    const travelling = await verdictOf(opened.page);
    expect(travelling.verdict).to.equal("genuine");
    expect(travelling.text).to.include("Waybill escrow (in transit to a buyer)");
    expect(travelling.text).to.include("In transit");
    expect((await onChain(stack.seeded.links.inTransit)).owner).to.equal(
      stack.seeded.shop.deployment.escrow,
    );
    await opened.shot("passport-in-transit");
  });

  it("works without a wallet and fits a 390×844 phone screen without sideways scrolling", async function () {
    opened = await openPage(stack, stack.seeded.links.genuine, {
      wallet: false,
      viewport: { width: 390, height: 844 },
    });
    await verdictOf(opened.page);
    const width = await opened.page.evaluate<number>("document.documentElement.scrollWidth");
    expect(width).to.be.at.most(390);
    await opened.shot("passport-phone");
  });
});
