/**
 * The merchant console and the seller's track record in Chromium against Anvil, with the
 * indexer (PGlite) following the same chain: an offer made in the console's form (after each
 * refusal the SDK's validation gives) is paid by a buyer in another page and appears in the
 * console's book; ship, refund, evidence and withdraw are checked on-chain; the checkout shows
 * the track record (and "no history yet" for a new merchant); without an indexer the book says
 * it reads the chain directly.
 */
import { expect } from "chai";
import { Wallet, ZeroAddress, id } from "ethers";
import encodeQR from "qr";

import {
  OrderStatus,
  type TrackRecord,
  encodeOfferLine,
  hashOrderDetails,
  orderIdOf,
  signOffer,
  tokenIdOf,
} from "@waybill/sdk";

import { DAY, type SignedShopOffer, devKey } from "../scripts/shop.js";
import { type OpenedPage, type WebStack, openPage, webStack } from "./stack.js";

describe("Web merchant console and track record in Chromium against Anvil and the indexer", function () {
  this.timeout(300_000);
  let stack: WebStack;
  const opened: OpenedPage[] = [];

  before(async function () {
    stack = await webStack();
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed")
      for (const [i, page] of opened.entries()) await page.shot(`console-failed-${i}`);
    for (const page of opened.splice(0)) await page.close();
  });

  async function open(path: string, account: number | false = 1): Promise<OpenedPage> {
    const page = await openPage(
      stack,
      path,
      account === false ? { wallet: false } : { wallet: { account } },
    );
    opened.push(page);
    return page;
  }

  /** The console, connected as the shop's merchant, once the indexer has seen the latest block. */
  async function openConsole(path = "/merchant"): Promise<OpenedPage> {
    await stack.indexer.waitForBlock(await stack.seeded.shop.provider.getBlockNumber());
    const page = await open(path);
    await page.page.getByRole("button", { name: "Connect Waybill Test Wallet" }).click();
    await page.page.getByRole("heading", { name: "New offer" }).waitFor();
    return page;
  }

  const row = (page: OpenedPage, orderId: string) =>
    page.page.locator(`article[data-order-id="${orderId}"]`);

  /**
   * A paid order of the shop's merchant (paid from Node by approval). The buyer is minted the
   * price first, so the shared shop's buyer keeps the balance later test files expect.
   */
  async function paidOrder(): Promise<SignedShopOffer> {
    const { shop } = stack.seeded;
    const signed = await shop.offer();
    await (
      await shop.usdc.connect(shop.signers.admin).mint(shop.addresses.buyer, signed.offer.price)
    ).wait();
    await shop.payByApproval(signed);
    return signed;
  }

  it("refuses each invalid offer with the command line's reason, then signs one a buyer pays; it appears in the book within seconds", async function () {
    const merchant = await openConsole();
    const { page, wallet } = merchant;
    const fill = async (values: Record<string, string>) => {
      for (const [label, value] of Object.entries(values)) await page.getByLabel(label).fill(value);
    };
    const valid = {
      Price: "75.50",
      Items: "2 Celadon vase; 1 Tea bowl",
      "Shipping terms (e.g. DAP Hamburg)": "DAP Hamburg",
      "Ship within (days after payment)": "5",
      "Deliver within (days after payment)": "30",
      "Buyer's inspection window (days after delivery)": "3",
      "Offer payable for (hours)": "168",
      "Only this buyer may pay (address, optional)": "",
      "Highest platform fee you accept (%)": "1",
    };
    const refusals: [Record<string, string>, RegExp][] = [
      [{ Price: "0" }, /the price must be more than 0/],
      [{ Price: "ten" }, /"ten" is not a price/],
      [{ Items: "", "Details for the buyer (optional)": "" }, /say what is sold/],
      [{ "Offer payable for (hours)": "0.1" }, /the offer must stay payable for at least 10 min/],
      [
        { "Buyer's inspection window (days after delivery)": "0.5" },
        /the buyer's inspection window must be at least 1 day/,
      ],
      [
        { "Deliver within (days after payment)": "2" },
        /the deliver-by \(2 days after payment\) is before the ship-by \(5 days\)/,
      ],
      [
        { "Ship within (days after payment)": "0", "Deliver within (days after payment)": "1" },
        /the time to ship must be more than 0/,
      ],
      [
        { "Deliver within (days after payment)": "400" },
        /the time to deliver must be at most 365 days/,
      ],
      [
        { "Highest platform fee you accept (%)": "0.5" },
        /a fee cap of 0.5% is below the current platform fee of 1%/,
      ],
      [{ "Only this buyer may pay (address, optional)": "0x1234" }, /"0x1234" is not an address/],
    ];
    for (const [change, reason] of refusals) {
      await fill({ ...valid, ...change });
      await page.getByRole("button", { name: "Sign the offer" }).click();
      // Waits for this refusal's sentence (the previous refusal's banner is replaced).
      await page.getByRole("alert").filter({ hasText: reason }).waitFor();
    }
    await merchant.shot("console-offer-refused");
    expect(wallet!.requests.filter((m) => m === "eth_signTypedData_v4")).to.have.length(0);

    await fill({
      ...valid,
      "Only this buyer may pay (address, optional)": stack.seeded.shop.addresses.buyer,
    });
    await page.getByRole("button", { name: "Sign the offer" }).click();
    await page.getByText("Offer signed.", { exact: false }).waitFor();
    await merchant.shot("console-offer-signed");
    const linkField = page.getByRole("textbox", { name: "Payment link" });
    const link = await linkField.inputValue();
    const orderId = (await linkField.getAttribute("data-order-id"))!;
    expect(link).to.match(/\/pay\?rpc=.+#waybill-offer:v2:/);
    // The QR code encodes exactly the link.
    const drawn = await page
      .getByRole("img", { name: "QR code of the payment link" })
      .locator("path")
      .getAttribute("d");
    const expected = /d="([^"]+)"/.exec(encodeQR(link, "svg", { ecc: "low", border: 2 }))![1];
    expect(drawn).to.equal(expected);

    // The buyer opens the link in another page and pays.
    const buyer = await open(link.slice(link.indexOf("/pay")).replace(/\?rpc=[^#]+/, ""), 2);
    await buyer.page.getByText("75.50 USDC", { exact: true }).first().waitFor();
    await buyer.page.getByRole("button", { name: "Connect Waybill Test Wallet" }).click();
    await buyer.page.getByRole("button", { name: "Pay 75.50 USDC" }).click();
    await buyer.page.getByText("Paid 75.50 USDC.", { exact: false }).waitFor();
    const paidAt = Date.now();
    expect(await stack.seeded.shop.statusOf(orderId)).to.equal(BigInt(OrderStatus.Paid));

    // The console's book shows it without a reload (it refreshes from the indexer).
    await row(merchant, orderId).waitFor({ timeout: 10_000 });
    console.log(
      `      the paid order appeared in the console's book ${Date.now() - paidAt} ms after payment`,
    );
    const text = await row(merchant, orderId).innerText();
    expect(text).to.include("Paid, waiting for shipment · 75.50 USDC");
    expect(text).to.match(/Ship by .+\./);
    expect(await page.getByText("From the indexer", { exact: false }).count()).to.equal(1);
    await merchant.shot("console-book");
  });

  it("ships an order with a passport: the shipment is registered, linked and the passport held by the escrow", async function () {
    const { shop } = stack.seeded;
    await (
      await shop.passports
        .connect(shop.signers.workshop)
        .mintBatch(1n, ["VASE-0201"], shop.addresses.merchant)
    ).wait();
    const passportId = tokenIdOf(stack.seeded.gtin, "VASE-0201");
    const signed = await paidOrder();
    const merchant = await openConsole();
    const card = row(merchant, signed.orderId);
    await card.getByRole("button", { name: /^Ship ·/ }).click();
    await card
      .getByLabel("Carrier's address (the first carrier)")
      .fill(shop.addresses.oceanCarrier);
    await card.getByLabel("From (UN/LOCODE)").fill("VNSGN");
    await card.getByLabel("To (UN/LOCODE)").fill("DEHAM");
    await card.getByLabel(/^Passports travelling with it/).fill(passportId.toString());
    await card.getByRole("button", { name: "Register and link the shipment" }).click();
    await merchant.page.getByTestId("book-notice").getByText("Done for order").waitFor();
    await merchant.shot("console-shipped");
    expect(await shop.statusOf(signed.orderId)).to.equal(BigInt(OrderStatus.Shipped));
    const shipmentId = await shop.registry.shipmentIdOf(shop.addresses.merchant, signed.orderId);
    const shipment = await shop.registry.getShipment(shipmentId);
    expect(shipment.carrier).to.equal(shop.addresses.oceanCarrier);
    expect(await shop.passports.ownerOf(passportId)).to.equal(stack.seeded.shop.deployment.escrow);
    // One escrow.ship call: the registry's ShipmentCreated and the escrow's OrderShipped share
    // the transaction, which the merchant sent to the escrow.
    const [linked] = await shop.escrow.queryFilter(
      shop.escrow.filters.OrderShipped(signed.orderId),
    );
    const receipt = (await linked!.getTransactionReceipt())!;
    expect(receipt.to).to.equal(shop.deployment.escrow);
    expect(receipt.from).to.equal(shop.addresses.merchant);
    const created = receipt.logs
      .filter((log) => log.address === shop.deployment.registry)
      .map((log) => shop.registry.interface.parseLog(log)?.name);
    expect(created).to.include("ShipmentCreated");
    await merchant.page
      .locator(`article[data-order-id="${signed.orderId}"][data-status="Shipped"]`)
      .waitFor({ timeout: 10_000 });
  });

  it("refunds a paid order: the buyer gets the whole price back on-chain", async function () {
    const { shop } = stack.seeded;
    const signed = await paidOrder();
    const before = await shop.balanceOf("buyer");
    const merchant = await openConsole();
    const card = row(merchant, signed.orderId);
    await card.getByRole("button", { name: /^Refund ·/ }).click();
    await card.getByRole("button", { name: "Refund the buyer" }).click();
    await merchant.page.getByTestId("book-notice").getByText("Done for order").waitFor();
    expect(await shop.statusOf(signed.orderId)).to.equal(BigInt(OrderStatus.Refunded));
    expect(await shop.balanceOf("buyer")).to.equal(before + signed.offer.price);
  });

  it("submits the merchant's evidence on a delivered order: the Evidence event carries its hash and link", async function () {
    const { shop } = stack.seeded;
    const signed = await paidOrder();
    await shop.ship(signed);
    await shop.deliver(signed);
    const merchant = await openConsole();
    const card = row(merchant, signed.orderId);
    await card.getByRole("button", { name: /^Evidence ·/ }).click();
    await card.getByLabel("What is wrong with the goods").fill("courier POD 4471");
    await card.getByLabel(/^Link to photos or documents/).fill("ipfs://bafy/pod-4471.pdf");
    await card.getByRole("button", { name: "Submit evidence" }).click();
    await merchant.page.getByTestId("book-notice").getByText("Done for order").waitFor();
    const logs = await shop.escrow.queryFilter(shop.escrow.filters.Evidence(signed.orderId));
    expect(logs).to.have.length(1);
    expect(logs[0].args.party).to.equal(shop.addresses.merchant);
    expect(logs[0].args.evidenceHash).to.equal(id("courier POD 4471"));
    expect(logs[0].args.evidenceURI).to.equal("ipfs://bafy/pod-4471.pdf");
    expect(logs[0].args.text).to.equal("courier POD 4471");
  });

  it("refunds part of a paid order: the buyer gets that amount on-chain and the order stays open", async function () {
    const { shop } = stack.seeded;
    const signed = await paidOrder();
    const before = await shop.balanceOf("buyer");
    const merchant = await openConsole();
    const card = row(merchant, signed.orderId);
    await card.getByRole("button", { name: /^Partial refund ·/ }).click();
    const form = card.getByRole("form", { name: "Give part of the price back" });
    expect(await form.innerText()).to.include(
      "the order stays open and the escrow keeps the rest of the 240.00 USDC it holds",
    );
    await form.getByLabel("Amount to refund (USDC, less than 240.00 USDC)").fill("35.50");
    await merchant.shot("console-partial-refund");
    await form.getByRole("button", { name: "Refund this amount" }).click();
    await merchant.page.getByTestId("book-notice").getByText("Done for order").waitFor();
    const [holder, refunded] = await shop.escrow.orderExtrasOf(signed.orderId);
    expect(holder).to.equal(ZeroAddress);
    expect(refunded).to.equal(35_500_000n);
    expect(await shop.balanceOf("buyer")).to.equal(before + 35_500_000n);
    expect(await shop.statusOf(signed.orderId)).to.equal(BigInt(OrderStatus.Paid));
    const [logged] = await shop.escrow.queryFilter(
      shop.escrow.filters.PartialRefund(signed.orderId),
    );
    expect(logged.args.amount).to.equal(35_500_000n);
    expect(logged.args.totalRefunded).to.equal(35_500_000n);

    // A second one for more than is left is refused in the SDK's one sentence, nothing sent.
    await card.getByRole("button", { name: /^Partial refund ·/ }).click();
    await card.getByLabel(/^Amount to refund/).fill("300");
    await card.getByRole("button", { name: "Refund this amount" }).click();
    const alert = await card.getByRole("alert").innerText();
    expect(alert).to.match(
      /^A partial refund of 300\.00 USDC on order .+ less than the 204\.50 USDC the escrow still holds .+\.$/,
    );
    expect((await shop.escrow.orderExtrasOf(signed.orderId))[1]).to.equal(35_500_000n);
  });

  it("accepts a buyer's settlement proposal and assigns a payout from the console", async function () {
    const { shop } = stack.seeded;
    const settled = await paidOrder();
    await (
      await shop.escrow.connect(shop.signers.buyer).proposeSettlement(settled.offer, 90_000_000n)
    ).wait();
    const financed = await paidOrder();
    const buyerBefore = await shop.balanceOf("buyer");
    const merchantBefore = await shop.balanceOf("merchant");
    const merchant = await openConsole();
    const card = row(merchant, settled.orderId);
    await card.getByRole("button", { name: /^Settle ·/ }).click();
    await card
      .getByTestId("console-proposal")
      .filter({
        hasText: "The buyer proposes 90.00 USDC back to the buyer and 150.00 USDC to you.",
      })
      .waitFor();
    await card.getByRole("button", { name: "Accept the buyer's proposal" }).click();
    await merchant.page.getByTestId("book-notice").getByText("Done for order").waitFor();
    expect(await shop.statusOf(settled.orderId)).to.equal(BigInt(OrderStatus.Resolved));
    const fee = (150_000_000n * 100n) / 10_000n;
    expect(await shop.balanceOf("buyer")).to.equal(buyerBefore + 90_000_000n);
    expect(await shop.balanceOf("merchant")).to.equal(merchantBefore + 150_000_000n - fee);
    // The book (from the indexer) tells a settlement from a ruling.
    await merchant.page
      .locator(`article[data-order-id="${settled.orderId}"][data-status="Resolved"]`)
      .getByText("Settled by agreement between buyer and seller · 240.00 USDC")
      .waitFor();

    const financedCard = row(merchant, financed.orderId);
    await financedCard.getByRole("button", { name: /^Assign payout ·/ }).click();
    await financedCard.getByLabel("New payout holder (address)").fill(shop.addresses.workshop);
    await financedCard.getByRole("button", { name: "Assign the payout" }).click();
    await merchant.page
      .getByTestId("book-notice")
      .getByText(`Done for order ${financed.orderId.slice(0, 6)}…${financed.orderId.slice(-4)}`)
      .waitFor();
    expect((await shop.escrow.orderExtrasOf(financed.orderId))[0]).to.equal(
      shop.addresses.workshop,
    );
    // The merchant is no longer the seller side: the console says who is, before any wallet call.
    await financedCard.getByRole("button", { name: /^Settle ·/ }).click();
    await financedCard
      .getByText(
        `This order's payout was assigned to ${shop.addresses.workshop}: only that account can refund part of it or settle.`,
      )
      .waitFor();
  });

  it("withdraws a payout credited while the merchant's address was frozen", async function () {
    const { shop } = stack.seeded;
    const signed = await paidOrder();
    await shop.ship(signed);
    await shop.deliver(signed);
    const usdc = shop.usdc.connect(shop.signers.admin);
    await (await usdc.blocklist(shop.addresses.merchant)).wait();
    await (await shop.escrow.connect(shop.signers.buyer).confirmReceipt(signed.offer)).wait();
    await (await usdc.unblocklist(shop.addresses.merchant)).wait();
    const credit = await shop.escrow.credits(shop.deployment.usdc, shop.addresses.merchant);
    expect(credit).to.equal(237_600_000n);
    const before = await shop.balanceOf("merchant");
    const merchant = await openConsole();
    await merchant.page
      .getByRole("button", { name: "Withdraw 237.60 USDC credited to you" })
      .click();
    // The chain first: the click must have withdrawn the credit.
    const deadline = Date.now() + 45_000;
    while ((await shop.escrow.credits(shop.deployment.usdc, shop.addresses.merchant)) !== 0n) {
      if (Date.now() > deadline)
        throw new Error("the console's withdrawal never reached the chain");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Then the page, redrawn in place once the receipt is in. (The card once stayed stale on
    // fresh-clone CI runs: ethers' waitForTransaction could wait for a block the idle node never
    // mined; the SDK's waitForReceipt asks for the receipt itself.)
    await merchant.page.getByText("No payouts are waiting to be withdrawn.").waitFor();
    expect(await shop.balanceOf("merchant")).to.equal(before + credit);
  });

  it("shows buyers the seller's track record before payment, and 'no history yet' for a new merchant", async function () {
    const { shop } = stack.seeded;
    await stack.indexer.waitForBlock(await shop.provider.getBlockNumber());
    const known = await shop.offer();
    const buyer = await open(`/pay#${known.line}`, false);
    const record = buyer.page.getByTestId("track-record");
    await record.getByRole("heading", { name: "Seller's track record" }).waitFor();
    const text = await record.innerText();
    // The page shows the indexer's own figures for this merchant.
    const { body } = await stack.indexer.get<TrackRecord>(
      `/merchants/${shop.addresses.merchant}/track-record`,
    );
    expect(body.hasHistory).to.equal(true);
    expect(text).to.include(
      `${body.orders.completed} completed of ${body.orders.total} (${body.orders.open} open)`,
    );
    expect(text).to.include(
      `${Math.round(body.shipping.onTimeRate! * 100)}% (${body.shipping.onTime} of ${body.shipping.due})`,
    );
    expect(text).to.include(`${body.disputes.opened} opened`);
    expect(text).to.include("anyone can recompute it");
    await buyer.shot("checkout-track-record");

    // A merchant who never sold: an offer signed by a fresh account.
    const newcomer = new Wallet(devKey(9), shop.provider);
    const offer = {
      merchant: newcomer.address,
      payee: newcomer.address,
      buyer: ZeroAddress,
      token: shop.deployment.usdc,
      price: 10_000_000n,
      detailsHash: hashOrderDetails({ items: [{ name: "Tea towel", quantity: 1 }] }),
      shipWithin: 5n * DAY,
      deliverWithin: 30n * DAY,
      inspectionPeriod: 3n * DAY,
      maxFeeBps: (await shop.escrow.config())[0],
      expiry: (await shop.now()) + DAY,
      salt: 1n,
    };
    const signature = await signOffer(shop.escrow, newcomer, offer);
    expect(await orderIdOf(shop.escrow, offer, shop.deployment.chainId)).to.match(/^0x/);
    const line = encodeOfferLine({
      chainId: BigInt(shop.deployment.chainId),
      escrow: shop.deployment.escrow,
      offer,
      signature,
      details: { items: [{ name: "Tea towel", quantity: 1 }] },
    });
    const fresh = await open(`/pay#${line}`, false);
    await fresh.page
      .getByText("No history yet: this seller has no orders on Waybill so far.")
      .waitFor();
    await fresh.shot("checkout-no-history");
  });

  it("without an indexer, reads the book from bounded log queries and says so", async function () {
    const signed = await paidOrder();
    const merchant = await openConsole("/merchant?indexer=none");
    await merchant.page
      .getByText(
        /^No indexer is configured for this network: these are the orders paid since block \d+/,
      )
      .waitFor();
    await row(merchant, signed.orderId).waitFor();
    expect(await row(merchant, signed.orderId).innerText()).to.include(
      "Paid, waiting for shipment · 240.00 USDC",
    );
    await merchant.page.getByText("No track record on this network", { exact: false }).waitFor();
    await merchant.shot("console-no-indexer");
  });
  it("names every control, fits a phone without sideways scrolling, and speaks Simplified Chinese", async function () {
    await stack.indexer.waitForBlock(await stack.seeded.shop.provider.getBlockNumber());
    const merchant = await openPage(stack, "/merchant", {
      wallet: { account: 1 },
      locale: "zh-CN",
    });
    opened.push(merchant);
    const { page } = merchant;
    await page.getByRole("button", { name: "连接 Waybill Test Wallet" }).click();
    await page.getByRole("heading", { name: "新报价" }).waitFor();
    await page.getByRole("heading", { name: "订单" }).waitFor();
    await page.locator("article[data-order-id]").first().waitFor();
    expect(await page.getByRole("heading", { level: 1 }).innerText()).to.equal("商家控制台");
    // Every input, select, textarea and button: a label, an aria-label or (buttons) its text.
    const unnamed = await page.evaluate<string[]>(`
      [...document.querySelectorAll("main input, main select, main textarea, main button")]
        .filter((control) => (control.labels?.length ?? 0) === 0
          && (control.getAttribute("aria-label") ?? "") === ""
          && (control.tagName !== "BUTTON" || (control.textContent ?? "").trim() === ""))
        .map((control) => control.outerHTML.slice(0, 80))
    `);
    expect(unnamed).to.deep.equal([]);
    const width = await page.evaluate<number>("document.documentElement.scrollWidth");
    expect(width).to.be.at.most(390);
    await merchant.shot("console-zh");
  });
  it("pages a long order book 20 orders at a time, newest first", async function () {
    const { shop } = stack.seeded;
    const total = async () =>
      (
        await stack.indexer.get<{ total: number }>(
          `/merchants/${shop.addresses.merchant}/orders?pageSize=1`,
        )
      ).body.total;
    await stack.indexer.waitForBlock(await shop.provider.getBlockNumber());
    for (let missing = 21 - (await total()); missing > 0; missing--) await paidOrder();
    const newest = await paidOrder();
    const merchant = await openConsole();
    const { page } = merchant;
    const pages = Math.ceil((await total()) / 20);
    await page.getByText(`Page 1 of ${pages}`).waitFor();
    await row(merchant, newest.orderId).waitFor();
    expect(await page.locator("article[data-order-id]").count()).to.equal(20);
    await page.getByRole("button", { name: "Older orders" }).click();
    await page.getByText(`Page 2 of ${pages}`).waitFor();
    expect(await row(merchant, newest.orderId).count()).to.equal(0);
    await page.getByRole("button", { name: "Newer orders" }).click();
    await row(merchant, newest.orderId).waitFor();
  });
});
