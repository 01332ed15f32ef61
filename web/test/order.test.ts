import { expect } from "chai";
import { id } from "ethers";

import { OrderStatus } from "@waybill/sdk";

import type { SignedShopOffer } from "../scripts/shop.js";
import { DAY } from "../scripts/shop.js";
import { type OpenedPage, type WebStack, openPage, webStack } from "./stack.js";

describe("Web order page in Chromium against Anvil", function () {
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

  const orderPath = (signed: SignedShopOffer) =>
    `/order/${stack.seeded.shop.deployment.chainId}/${signed.orderId}`;

  async function deliveredOrder(): Promise<SignedShopOffer> {
    const { shop } = stack.seeded;
    const signed = await shop.offer({ buyer: shop.addresses.buyer });
    await shop.payByApproval(signed);
    await shop.ship(signed);
    await shop.deliver(signed);
    return signed;
  }

  async function connect(page: OpenedPage["page"]): Promise<void> {
    await page.getByRole("button", { name: "Connect Waybill Test Wallet" }).click();
    await page.getByText("Your account:", { exact: false }).waitFor();
  }

  async function statusOf(page: OpenedPage["page"], status: string): Promise<void> {
    await page.locator(`[data-testid="order-status"][data-status="${status}"]`).waitFor();
  }

  it("shows an order in transit without a wallet: status, carrier events with places, deadlines", async function () {
    opened = await openPage(stack, orderPath(stack.seeded.inTransit), { wallet: false });
    const { page } = opened;
    await statusOf(page, "Shipped");
    const text = await page.locator("main").innerText();
    expect(text).to.include("Shipped, in transit");
    expect(text).to.include("Paid 240.00 USDC");
    expect(text).to.match(/Picked up · Ho Chi Minh City, Viet Nam \(VNSGN\) · by MKOL/);
    expect(text).to.match(/Arrived · Rotterdam, Netherlands \(NLRTM\) · by MKOL/);
    expect(text).to.match(/It must be delivered by /);
    expect(text).to.include("Connect the buyer's or the merchant's wallet to act on this order.");
    expect(text).not.to.match(/\b1[6-9]\d{8}\b/);
    const width = await page.evaluate<number>("document.documentElement.scrollWidth");
    expect(width).to.be.at.most(390);
    await opened.shot("order-in-transit-read-only");
  });

  it("confirms receipt (the seller is paid on-chain), then takes a 4-star review", async function () {
    const { shop } = stack.seeded;
    const signed = await deliveredOrder();
    const merchantBefore = await shop.balanceOf("merchant");
    const [countBefore, sumBefore] = await shop.escrow.ratingOf(shop.addresses.merchant);
    opened = await openPage(stack, orderPath(signed));
    const { page } = opened;
    await statusOf(page, "Delivered");
    await connect(page);
    await opened.shot("order-delivered-actions");
    await page.getByRole("button", { name: "Confirm receipt and pay the seller" }).click();
    await statusOf(page, "Released");
    expect(await shop.statusOf(signed.orderId)).to.equal(BigInt(OrderStatus.Released));
    const fee = (signed.offer.price * 100n) / 10_000n;
    expect(await shop.balanceOf("merchant")).to.equal(merchantBefore + signed.offer.price - fee);
    await opened.shot("order-released");

    const review = page.getByRole("form", { name: "Send review" });
    await review.getByRole("radio", { name: "4 star(s)" }).check();
    await review.getByRole("textbox", { name: "Your review" }).fill("Well packed, one day late.");
    await review.getByRole("button", { name: "Send review" }).click();
    await page
      .getByText("You reviewed", { exact: false })
      .or(page.getByText("Reviewed: 4 ★"))
      .first()
      .waitFor();
    const [count, sum] = await shop.escrow.ratingOf(shop.addresses.merchant);
    expect(count).to.equal(countBefore + 1n);
    expect(sum).to.equal(sumBefore + 4n);
    const [reviewed] = await shop.escrow.queryFilter(shop.escrow.filters.Reviewed(signed.orderId));
    expect(reviewed.args.text).to.equal("Well packed, one day late.");
    await opened.shot("order-reviewed");
  });

  it("opens a dispute with the buyer's words and a link, recorded as evidence on-chain", async function () {
    const { shop } = stack.seeded;
    const signed = await deliveredOrder();
    opened = await openPage(stack, orderPath(signed));
    const { page } = opened;
    await connect(page);
    const form = page.getByRole("form", { name: "Open a dispute" });
    await form
      .getByRole("textbox", { name: "What is wrong with the goods" })
      .fill("One vase arrived cracked.");
    await form
      .getByRole("textbox", { name: "Link to photos or documents (optional)" })
      .fill("https://example.org/photos/1");
    await form.getByRole("button", { name: "Open a dispute" }).click();
    await statusOf(page, "Disputed");
    expect(await shop.statusOf(signed.orderId)).to.equal(BigInt(OrderStatus.Disputed));
    const [evidence] = await shop.escrow.queryFilter(shop.escrow.filters.Evidence(signed.orderId));
    expect(evidence.args.evidenceHash).to.equal(id("One vase arrived cracked."));
    expect(evidence.args.evidenceURI).to.equal("https://example.org/photos/1");
    expect(await page.locator("main").innerText()).to.match(/The arbiter rules by /);
    await opened.shot("order-disputed");

    const more = page.getByRole("form", { name: "Submit evidence" });
    await more
      .getByRole("textbox", { name: "What is wrong with the goods" })
      .fill("Courier's damage report.");
    await more.getByRole("button", { name: "Submit evidence" }).click();
    await page.getByText("Evidence submitted").nth(1).waitFor();
    const filed = await shop.escrow.queryFilter(shop.escrow.filters.Evidence(signed.orderId));
    expect(filed).to.have.length(2);
    expect(filed[1].args.evidenceHash).to.equal(id("Courier's damage report."));
    expect(filed[1].args.party).to.equal(shop.addresses.buyer);
    await opened.shot("order-evidence");
  });

  it("lets a merchant whose payout was credited (frozen address) withdraw it", async function () {
    const { shop } = stack.seeded;
    const signed = await deliveredOrder();
    const owner = shop.usdc.connect(shop.signers.admin);
    await (await owner.blocklist(shop.addresses.merchant)).wait();
    await (await shop.escrow.connect(shop.signers.buyer).confirmReceipt(signed.offer)).wait();
    await (await owner.unblocklist(shop.addresses.merchant)).wait();
    const credit = await shop.escrow.credits(shop.deployment.usdc, shop.addresses.merchant);
    expect(credit).to.equal(signed.offer.price - (signed.offer.price * 100n) / 10_000n);
    const before = await shop.balanceOf("merchant");
    opened = await openPage(stack, orderPath(signed), { wallet: { account: 1 } });
    const { page } = opened;
    await connect(page);
    await page.getByRole("button", { name: "Withdraw 237.60 USDC credited to you" }).click();
    await page.getByText("Done.", { exact: false }).waitFor();
    expect(await shop.escrow.credits(shop.deployment.usdc, shop.addresses.merchant)).to.equal(0n);
    expect(await shop.balanceOf("merchant")).to.equal(before + credit);
    await opened.shot("order-credit-withdrawn");
  });

  it("offers a full refund once the ship-by deadline passed, and returns the price on-chain", async function () {
    const { shop } = stack.seeded;
    const signed = await shop.offer({ buyer: shop.addresses.buyer, shipWithin: 2n * DAY });
    await shop.payByApproval(signed);
    opened = await openPage(stack, orderPath(signed));
    await connect(opened.page);
    expect(await opened.page.getByRole("button", { name: "Claim a full refund" }).count()).to.equal(
      0,
    );
    await opened.close();

    await shop.travel(2n * DAY + 60n);
    const before = await shop.balanceOf("buyer");
    opened = await openPage(stack, orderPath(signed));
    const { page } = opened;
    await connect(page);
    await page.getByRole("button", { name: "Claim a full refund" }).click();
    await statusOf(page, "Refunded");
    expect(await shop.statusOf(signed.orderId)).to.equal(BigInt(OrderStatus.Refunded));
    expect(await shop.balanceOf("buyer")).to.equal(before + signed.offer.price);
    await opened.shot("order-refunded");
  });

  it("says so in one sentence when no such order was paid", async function () {
    const unknown = `0x${"ab".repeat(32)}`;
    opened = await openPage(stack, `/order/${stack.seeded.shop.deployment.chainId}/${unknown}`, {
      wallet: false,
    });
    const alert = opened.page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.innerText()).to.equal(
      "No paid order with this number exists on Local Anvil.",
    );
  });
});
