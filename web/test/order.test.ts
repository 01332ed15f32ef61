import { expect } from "chai";
import { ZeroAddress, id } from "ethers";

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
    const box = review.getByRole("textbox", { name: "Your review" });
    // The counter counts UTF-8 bytes as the contract does: "ü" is 2 bytes, the emoji 4.
    await box.fill("ü".repeat(500) + "📦");
    await review.getByText("1004 of 1000 bytes").waitFor();
    await review.getByRole("button", { name: "Send review" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: "This text is 1004 bytes long; shorten it to at most 1000 bytes." })
      .waitFor();
    expect(opened.wallet!.requests.filter((m) => m === "eth_sendTransaction")).to.have.length(1);
    const text = "Well packed, one day late. Sehr schön verpackt 📦";
    await box.fill(text);
    await review.getByText("52 of 1000 bytes").waitFor();
    await review.getByRole("button", { name: "Send review" }).click();
    await page.getByText("Reviewed: 4 ★").waitFor();
    await page.locator("blockquote", { hasText: text }).waitFor();
    const [count, sum] = await shop.escrow.ratingOf(shop.addresses.merchant);
    expect(count).to.equal(countBefore + 1n);
    expect(sum).to.equal(sumBefore + 4n);
    // Read back from the logs: the event carries the text itself.
    const [reviewed] = await shop.escrow.queryFilter(shop.escrow.filters.Reviewed(signed.orderId));
    expect(reviewed.args.rating).to.equal(4n);
    expect(reviewed.args.text).to.equal(text);
    await opened.shot("order-reviewed");

    // Anyone reads it before paying: the checkout quotes the newest reviews from the indexer.
    await stack.indexer.waitForBlock(await shop.provider.getBlockNumber());
    const next = await shop.offer();
    const checkout = await openPage(stack, `/pay#${next.line}`, { wallet: false });
    const quoted = checkout.page.getByTestId("recent-reviews");
    await quoted.locator("blockquote", { hasText: text }).waitFor();
    expect(await quoted.innerText()).to.match(/4 ★ on /);
    await checkout.shot("checkout-recent-reviews");
    await checkout.close();
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
    expect(evidence.args.text).to.equal("One vase arrived cracked.");
    await page.locator("blockquote", { hasText: "One vase arrived cracked." }).waitFor();
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
    expect(filed[1].args.text).to.equal("Courier's damage report.");
    expect(filed[1].args.party).to.equal(shop.addresses.buyer);
    await opened.shot("order-evidence");
  });

  it("accepts the merchant's settlement proposal: the order ends Resolved and both are paid on-chain", async function () {
    const { shop } = stack.seeded;
    const signed = await deliveredOrder();
    const buyerAmount = 100_000_000n;
    await (
      await shop.escrow.connect(shop.signers.merchant).proposeSettlement(signed.offer, buyerAmount)
    ).wait();
    const buyerBefore = await shop.balanceOf("buyer");
    const merchantBefore = await shop.balanceOf("merchant");
    opened = await openPage(stack, orderPath(signed));
    const { page } = opened;
    await statusOf(page, "Delivered");
    expect(await page.getByTestId("proposal").innerText()).to.equal(
      "The seller proposes 100.00 USDC back to the buyer and 140.00 USDC to the seller.",
    );
    await connect(page);
    const accept = page.getByRole("form", {
      name: "Accept: 100.00 USDC to the buyer, 138.60 USDC to the seller",
    });
    expect(await accept.innerText()).to.include(
      "Accepting ends the order now: 100.00 USDC goes to the buyer and 138.60 USDC to the seller (after the platform fee of 1.40 USDC).",
    );
    await opened.shot("order-settlement-proposed");
    await accept.getByRole("button").click();
    await page.locator('[data-testid="order-status"][data-settled="yes"]').waitFor();
    expect(await page.getByTestId("order-status").innerText()).to.equal(
      "Settled by agreement between buyer and seller",
    );
    expect(await page.locator("main").innerText()).to.include(
      "Settled by agreement: 100.00 USDC to the buyer, 138.60 USDC to the seller",
    );
    expect(await shop.statusOf(signed.orderId)).to.equal(BigInt(OrderStatus.Resolved));
    const sellerPart = signed.offer.price - buyerAmount;
    const fee = (sellerPart * 100n) / 10_000n;
    expect(await shop.balanceOf("buyer")).to.equal(buyerBefore + buyerAmount);
    expect(await shop.balanceOf("merchant")).to.equal(merchantBefore + sellerPart - fee);
    const [settled] = await shop.escrow.queryFilter(
      shop.escrow.filters.OrderSettled(signed.orderId),
    );
    expect(settled.args.proposer).to.equal(shop.addresses.merchant);
    expect(settled.args.acceptor).to.equal(shop.addresses.buyer);
    expect(settled.args.fee).to.equal(fee);
    await opened.shot("order-settled");
  });

  it("lets the buyer propose an amount and withdraw it; shows partial refunds and an assigned payout", async function () {
    const { shop } = stack.seeded;
    const signed = await shop.offer({ buyer: shop.addresses.buyer });
    await shop.payByApproval(signed);
    const merchant = shop.escrow.connect(shop.signers.merchant);
    await (await merchant.partialRefund(signed.offer, 40_000_000n)).wait();
    const financier = shop.addresses.workshop;
    await (await merchant.assignPayout(signed.offer, financier)).wait();
    opened = await openPage(stack, orderPath(signed));
    const { page } = opened;
    await statusOf(page, "Paid");
    const text = await page.locator("main").innerText();
    expect(await page.getByTestId("order-refunded").innerText()).to.equal("40.00 USDC");
    expect(text).to.include("200.00 USDC");
    expect(await page.getByTestId("payout-holder").innerText()).to.include(financier);
    expect(text).to.include("Partial refund: 40.00 USDC back to the buyer (40.00 USDC in all)");
    await connect(page);
    const propose = page.getByRole("form", { name: "Propose an amount" });
    await propose
      .getByRole("textbox", { name: "Amount for the buyer (USDC, at most 200.00 USDC)" })
      .fill("150");
    await propose.getByRole("button", { name: "Propose an amount" }).click();
    await page
      .getByTestId("proposal")
      .filter({
        hasText: "The buyer proposes 150.00 USDC back to the buyer and 50.00 USDC to the seller.",
      })
      .waitFor();
    const [proposer, amount] = await shop.escrow.settlementOf(signed.orderId);
    expect([proposer, amount]).to.deep.equal([shop.addresses.buyer, 150_000_000n]);
    await opened.shot("order-buyer-proposed");
    await page.getByRole("button", { name: "Withdraw my proposal" }).click();
    await page.getByTestId("proposal").filter({ hasText: "No settlement is proposed." }).waitFor();
    expect((await shop.escrow.settlementOf(signed.orderId))[0]).to.equal(ZeroAddress);
    // Too much for the buyer: the contract's refusal, in the SDK's one sentence.
    await page.getByRole("form", { name: "Propose an amount" }).getByRole("textbox").fill("500");
    await page.getByRole("button", { name: "Propose an amount" }).click();
    const refusal = await page.getByRole("alert").innerText();
    expect(refusal).to.equal(
      "The buyer's share of 500.00 USDC exceeds the 200.00 USDC the escrow holds for the order.",
    );
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
