import { expect } from "chai";
import { Interface, Wallet } from "ethers";

import {
  OFFER_TYPES,
  OrderStatus,
  WAYBILL_ESCROW_ABI,
  decodeOfferLine,
  encodeOfferLine,
} from "@waybill/sdk";

import { devKey } from "../scripts/shop.js";
import { type OpenedPage, type WebStack, openPage, webStack } from "./stack.js";

const escrowInterface = new Interface(WAYBILL_ESCROW_ABI);

describe("Web checkout in Chromium against Anvil", function () {
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

  /** The function a wallet transaction called on the escrow ("payWithAuthorization", …). */
  async function escrowCallOf(hash: string): Promise<string | undefined> {
    const tx = await stack.seeded.shop.provider.getTransaction(hash);
    return escrowInterface.parseTransaction({ data: tx!.data })?.name;
  }

  async function connectWallet(page: OpenedPage["page"]): Promise<void> {
    await page.getByRole("button", { name: "Connect Waybill Test Wallet" }).click();
  }

  it("shows a verified offer within a second of load, in at most 10 JSON-RPC calls before any click", async function () {
    const { shop } = stack.seeded;
    const signed = await shop.offer();
    const startedAt = Date.now();
    opened = await openPage(stack, `/pay#${signed.line}`);
    const { page } = opened;
    await page.getByRole("heading", { name: "The offer" }).waitFor();
    const shownAfter = Date.now() - startedAt;
    await page.waitForLoadState("networkidle");
    const calls = opened.rpc.count() + opened.wallet!.requests.length;
    console.log(
      `      budget: offer shown ${shownAfter} ms after navigation; ${calls} JSON-RPC call(s) before any click (${opened.rpc.calls.join(", ")})`,
    );
    expect(calls).to.be.at.most(10);
    expect(await page.getByTestId("price").textContent()).to.equal("240.00 USDC");
    const text = await page.locator("main").innerText();
    expect(text).to.include(shop.addresses.merchant);
    expect(text).to.include("2 × Hand-painted vase, 30 cm");
    expect(text).to.include("These details match what the merchant signed.");
    expect(text).to.include("1% (2.40 USDC), paid by the seller");
    expect(text).to.include("3 days after delivery is recorded");
    expect(text).to.match(/it is not shipped by .+: you can take your whole payment back/);
    expect(text).to.match(/arrives broken or wrong: open a dispute within 3 days of delivery/);
    expect(text).not.to.match(/\b1[6-9]\d{8}\b/); // no Unix times
    await opened.shot("checkout-offer");
  });

  for (const [method, label, call, signatures, transactions] of [
    ["ERC-3009", "One signature, one transaction (ERC-3009)", "payWithAuthorization", 1, 1],
    ["permit", "Permit signature, one transaction (ERC-2612)", "payWithPermit", 1, 1],
    ["approve + pay", "Approve, then pay (two transactions)", "pay", 0, 2],
  ] as const) {
    it(`pays by ${method}: the escrow holds the price on-chain`, async function () {
      const { shop } = stack.seeded;
      const signed = await shop.offer();
      const before = await shop.balanceOf("buyer");
      opened = await openPage(stack, `/pay#${signed.line}`);
      const { page, wallet } = opened;
      await connectWallet(page);
      await page.getByText(/^You hold [\d,.]+ USDC; this order costs 240.00 USDC\.$/).waitFor();
      await page.getByRole("radio", { name: label }).check();
      await opened.shot(`checkout-${call}-ready`);
      await page.getByRole("button", { name: "Pay 240.00 USDC" }).click();
      await page.getByText("Paid 240.00 USDC.", { exact: false }).waitFor();
      await opened.shot(`checkout-${call}-paid`);

      const order = await shop.escrow.getOrder(signed.orderId);
      expect(order.status).to.equal(BigInt(OrderStatus.Paid));
      expect(order.buyer).to.equal(wallet!.address);
      expect(await shop.balanceOf("buyer")).to.equal(before - signed.offer.price);
      expect(wallet!.requests.filter((m) => m === "eth_signTypedData_v4")).to.have.length(
        signatures,
      );
      expect(wallet!.sent).to.have.length(transactions);
      expect(await escrowCallOf(wallet!.sent.at(-1)!)).to.equal(call);
      const shownHash = await page.locator("[data-tx]").last().getAttribute("data-tx");
      expect(shownHash).to.equal(wallet!.sent.at(-1));
      const steps = await page
        .getByRole("list", { name: "Payment steps" })
        .locator("li")
        .allInnerTexts();
      expect(
        steps.every((step) => / — (done|already done)/.test(step)),
        steps.join(" | "),
      ).to.equal(true);
    });
  }

  it("moves a wallet on another chain to the offer's chain, adding the chain the wallet lacks", async function () {
    const { shop } = stack.seeded;
    const signed = await shop.offer();
    opened = await openPage(stack, `/pay#${signed.line}`, {
      wallet: { startChainId: 1, knowsChain: false },
    });
    const { page, wallet } = opened;
    await connectWallet(page);
    await page
      .getByText("Your wallet is on another network (chain 1). This offer is on Local Anvil.")
      .waitFor();
    await opened.shot("checkout-wrong-chain");
    await page.getByRole("button", { name: "Switch wallet to Local Anvil" }).click();
    await page.getByRole("button", { name: "Pay 240.00 USDC" }).click();
    await page.getByText("Paid 240.00 USDC.", { exact: false }).waitFor();
    expect(wallet!.requests).to.include.members([
      "wallet_switchEthereumChain",
      "wallet_addEthereumChain",
    ]);
    expect((await shop.escrow.getOrder(signed.orderId)).status).to.equal(BigInt(OrderStatus.Paid));
  });

  it("falls back to window.ethereum for a wallet that does not announce itself (EIP-6963)", async function () {
    const { shop } = stack.seeded;
    const signed = await shop.offer();
    opened = await openPage(stack, `/pay#${signed.line}`, { wallet: { legacy: true } });
    const { page } = opened;
    await page.getByRole("button", { name: "Connect Browser wallet" }).click();
    await page.getByRole("button", { name: "Pay 240.00 USDC" }).click();
    await page.getByText("Paid 240.00 USDC.", { exact: false }).waitFor();
    expect((await shop.escrow.getOrder(signed.orderId)).buyer).to.equal(opened.wallet!.address);
  });

  it("says what is missing when the balance is short, and offers no pay button", async function () {
    const { shop } = stack.seeded;
    const signed = await shop.offer();
    opened = await openPage(stack, `/pay#${signed.line}`, { wallet: { account: 6 } });
    const { page } = opened;
    await connectWallet(page);
    await page
      .getByText(
        "You hold 12.00 USDC; this order costs 240.00 USDC. You need 228.00 USDC more before you can pay.",
      )
      .waitFor();
    await opened.shot("checkout-insufficient-balance");
    expect(await page.getByRole("button", { name: /^Pay / }).count()).to.equal(0);
    expect((await shop.escrow.getOrder(signed.orderId)).status).to.equal(BigInt(OrderStatus.None));
  });

  it("sends nothing when the buyer rejects the signature, and can pay on a second try", async function () {
    const { shop } = stack.seeded;
    const signed = await shop.offer();
    const before = await shop.balanceOf("buyer");
    const blockBefore = await stack.seeded.shop.provider.getBlockNumber();
    opened = await openPage(stack, `/pay#${signed.line}`);
    const { page, wallet } = opened;
    await connectWallet(page);
    await page.getByRole("button", { name: "Pay 240.00 USDC" }).waitFor();
    wallet!.rejectNext();
    await page.getByRole("button", { name: "Pay 240.00 USDC" }).click();
    await page
      .getByRole("alert")
      .filter({
        hasText: "You rejected the request in your wallet. Nothing was sent and nothing was paid.",
      })
      .waitFor();
    await opened.shot("checkout-signature-rejected");
    expect(wallet!.requests).not.to.include("eth_sendTransaction");
    expect(wallet!.sent).to.deep.equal([]);
    expect(await stack.seeded.shop.provider.getBlockNumber()).to.equal(blockBefore);
    expect((await shop.escrow.getOrder(signed.orderId)).status).to.equal(BigInt(OrderStatus.None));
    expect(await shop.balanceOf("buyer")).to.equal(before);

    await page.getByRole("button", { name: "Pay 240.00 USDC" }).click();
    await page.getByText("Paid 240.00 USDC.", { exact: false }).waitFor();
    expect((await shop.escrow.getOrder(signed.orderId)).status).to.equal(BigInt(OrderStatus.Paid));
  });

  it("refuses expired, tampered, other-chain, damaged and fee-capped links with one sentence each", async function () {
    const { shop } = stack.seeded;
    const expired = await shop.offer({ expiresIn: 60n });
    await shop.travel(120n);
    const shortWindow = await shop.offer({ inspectionPeriod: 3600n });
    // Signed when the merchant accepted no fee at all; the escrow charges one, so payment would revert.
    const feeCapped = await shop.offer({ maxFeeBps: 0n });
    const good = decodeOfferLine((await shop.offer()).line);
    const tampered = encodeOfferLine({ ...good, offer: { ...good.offer, price: 1_000_000n } });
    const otherChain = encodeOfferLine({ ...good, chainId: 1n });
    const foreignKeySigned = encodeOfferLine({
      ...good,
      signature: await new Wallet(devKey(9)).signTypedData(
        {
          name: "Waybill Escrow",
          version: "1",
          chainId: good.chainId,
          verifyingContract: good.escrow,
        },
        OFFER_TYPES,
        good.offer,
      ),
    });
    const cases = [
      [expired.line, /^This offer expired on .+\. Ask the merchant for a new link\.$/, "expired"],
      [tampered, /^The merchant's signature does not match these terms/, "tampered"],
      [foreignKeySigned, /^The merchant's signature does not match these terms/, "wrong-signer"],
      [
        otherChain,
        /^This offer is for a network this app does not know \(chain 1\)/,
        "other-chain",
      ],
      [
        "waybill-offer:v2:bm90IGFuIG9mZmVy",
        /^This is not a complete Waybill offer line/,
        "damaged",
      ],
      [
        shortWindow.line,
        /^This offer's terms cannot be kept \(the buyer's inspection window must be at least 1 day, not 1 hour\)/,
        "short-inspection-window",
      ],
      [
        feeCapped.line,
        /^The platform fee is now [\d.]+%, above the 0% the merchant accepted in this offer/,
        "fee-above-offer-maximum",
      ],
    ] as const;
    for (const [line, sentence, name] of cases) {
      opened = await openPage(stack, `/pay#${line}`);
      const alert = opened.page.getByRole("alert");
      await alert.waitFor();
      expect(await alert.innerText()).to.match(sentence);
      expect(await opened.page.locator("main").innerText()).not.to.match(/\bat \w+ \(|Error:/);
      expect(await opened.page.getByRole("button", { name: /^Connect / }).count()).to.equal(0);
      await opened.shot(`checkout-refused-${name}`);
      await opened.close();
      opened = undefined;
    }
  });

  it("checks a pasted line, and refuses an offer already paid or cancelled", async function () {
    const { shop } = stack.seeded;
    const signed = await shop.offer();
    opened = await openPage(stack, "/pay");
    const { page } = opened;
    await page.getByRole("textbox", { name: "Offer line from the merchant" }).fill(signed.line);
    await page.getByRole("button", { name: "Check offer" }).click();
    await page.getByRole("heading", { name: "The offer" }).waitFor();
    await opened.close();

    const cancelled = await shop.offer();
    await (await shop.escrow.connect(shop.signers.merchant).cancelOffer(cancelled.offer)).wait();
    expect(await shop.statusOf(cancelled.orderId)).to.equal(BigInt(OrderStatus.Cancelled));
    for (const [line, sentence] of [
      [
        stack.seeded.inTransit.line,
        "This offer has already been paid. Each offer can be paid only once.",
      ],
      [cancelled.line, "The merchant cancelled this offer. Ask them for a new one."],
    ] as const) {
      opened = await openPage(stack, `/pay#${line}`);
      const alert = opened.page.getByRole("alert");
      await alert.waitFor();
      expect(await alert.innerText()).to.equal(sentence);
      await opened.shot(`checkout-refused-${line === cancelled.line ? "cancelled" : "paid"}`);
      await opened.close();
      opened = undefined;
    }
  });

  it("switches between English and Simplified Chinese, and starts in Chinese for a zh-CN browser", async function () {
    const { shop } = stack.seeded;
    const signed = await shop.offer();
    opened = await openPage(stack, `/pay#${signed.line}`, { locale: "zh-CN" });
    const { page } = opened;
    await page.getByRole("heading", { name: "报价" }).waitFor();
    expect(await page.locator("main").innerText()).to.include("如果……会怎样");
    await opened.shot("checkout-offer-zh");
    await page.getByRole("combobox", { name: "语言" }).selectOption("en");
    await page.getByRole("heading", { name: "The offer" }).waitFor();
  });
});
