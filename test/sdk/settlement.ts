import { expect } from "chai";
import { Interface, ZeroAddress, id } from "ethers";
import { network } from "hardhat";

import {
  ERROR_SENTENCES,
  MAX_TEXT_BYTES,
  type OrderEvent,
  SETTLEMENT_LINE_PREFIX,
  WAYBILL_ESCROW_ABI,
  connectEscrow,
  decodeSettlementLine,
  describeOrderEvent,
  encodeSettlementLine,
  formatOrderHistory,
  getOrderHistory,
  isWaybillError,
  partyOf,
  readEvidence,
  readOrderState,
  readReviews,
  recoverSettlementSigner,
  requireTextFits,
  revertSentence,
  settlementDigest,
  signSettlement,
  splitOf,
  textByteLength,
  textProblem,
  toWaybillError,
} from "@waybill/sdk";
import { FEE_BPS, PRICE, Status, deployEscrow } from "../escrow/helpers.js";

const { ethers, networkHelpers } = await network.create();

async function escrowFixture() {
  return deployEscrow(ethers);
}

const ORDER = id("order-7");
const SHORT = `${ORDER.slice(0, 8)}…${ORDER.slice(-4)}`;
const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const USDC = { decimals: 6, symbol: "USDC" };
const usdc = (amount: bigint) => `${amount / 1_000_000n}.00 USDC`;

function event(name: string, args: Record<string, unknown>): OrderEvent {
  return { name, args, time: 1_796_126_400n, blockNumber: 1, logIndex: 0, transactionHash: ORDER };
}

describe("sdk: escrow v2 (settlements, partial refunds, payouts, texts)", function () {
  describe("settlement signatures", function () {
    it("computes the digest the escrow's settlementDigest view returns", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      for (const [buyerAmount, deadline] of [
        [0n, 1n],
        [12_345_678n, 1_796_126_400n],
        [PRICE, (1n << 40n) - 1n],
      ]) {
        const settlement = { orderId: ORDER, buyerAmount, deadline };
        expect(await settlementDigest(w.escrow, w.chainId, settlement)).to.equal(
          await w.escrow.settlementDigest(ORDER, buyerAmount, deadline),
        );
      }
    });

    it("signs a settlement the escrow accepts, and recovers its signer", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      const deadline = (await w.now()) + 3600n;
      const settlement = { orderId, buyerAmount: 10_000_000n, deadline };
      const signature = await signSettlement(w.escrow, w.merchant, settlement);
      expect(await recoverSettlementSigner(w.escrow, w.chainId, settlement, signature)).to.equal(
        w.merchant.address,
      );
      const before = await w.usdc.balanceOf(w.buyer.address);
      await expect(
        w.escrow
          .connect(w.buyer)
          .settleWithSignature(offer, settlement.buyerAmount, deadline, signature),
      ).to.emit(w.escrow, "OrderSettled");
      expect(await w.usdc.balanceOf(w.buyer.address)).to.equal(before + 10_000_000n);
      expect((await w.escrow.getOrder(orderId)).status).to.equal(Status.Resolved);
    });

    it("carries a signed settlement in one line and refuses a damaged one", function () {
      const signed = {
        chainId: 31337n,
        escrow: BOB,
        orderId: ORDER,
        buyerAmount: 40_000_000n,
        deadline: 1_796_126_400n,
        signer: ALICE,
        signature: `0x${"1b".repeat(65)}`,
      };
      const line = encodeSettlementLine(signed);
      expect(line.startsWith(SETTLEMENT_LINE_PREFIX)).to.equal(true);
      expect(decodeSettlementLine(` ${line}\n`)).to.deep.equal(signed);
      expect(() => decodeSettlementLine(line.slice(0, 40))).to.throw(/settlement line is damaged/);
      expect(() => decodeSettlementLine("waybill-offer:v2:abc")).to.throw(
        /does not start with waybill-settlement:v1:/,
      );
      try {
        decodeSettlementLine(`${SETTLEMENT_LINE_PREFIX}e30=`);
        expect.fail("an empty body decoded");
      } catch (error) {
        expect(isWaybillError(error) && error.code).to.equal("SETTLEMENT_LINE_DAMAGED");
      }
    });
  });

  describe("order state", function () {
    it("reads held, refunded, the payout holder, the seller side and the open proposal", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      let state = await readOrderState(w.escrow, offer, orderId);
      expect(state).to.deep.include({
        status: "Shipped",
        assigned: false,
        payoutHolder: w.payee.address,
        sellerSide: w.merchant.address,
        refunded: 0n,
        held: PRICE,
      });
      expect(state.proposal).to.equal(undefined);

      await w.escrow.connect(w.merchant).partialRefund(offer, 5_000_000n);
      await w.escrow.connect(w.merchant).proposeSettlement(offer, 4_000_000n);
      state = await readOrderState(w.escrow, offer, orderId);
      expect(state.held).to.equal(PRICE - 5_000_000n);
      expect(state.proposal).to.deep.equal({
        proposer: w.merchant.address,
        buyerAmount: 4_000_000n,
        side: "seller",
      });
      expect(partyOf(state, w.buyer.address)).to.equal("buyer");
      expect(partyOf(state, w.merchant.address)).to.equal("seller");

      // Assigning the payout hands the seller side over, and the merchant's proposal lapses with it.
      await w.escrow.connect(w.payee).assignPayout(offer, w.relayer.address);
      state = await readOrderState(w.escrow, offer, orderId);
      expect(state).to.deep.include({
        assigned: true,
        payoutHolder: w.relayer.address,
        sellerSide: w.relayer.address,
      });
      expect(state.proposal).to.equal(undefined);
      expect(partyOf(state, w.merchant.address)).to.equal(undefined);
      expect(partyOf(state, w.relayer.address)).to.equal("seller");
    });

    it("splits what is held as the escrow does: the fee only on the seller's part", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      await w.escrow.connect(w.merchant).partialRefund(offer, 3_000_000n);
      const state = await readOrderState(w.escrow, offer, orderId);
      const split = splitOf(state, 7_000_000n);
      expect(split.fee).to.equal(((PRICE - 10_000_000n) * FEE_BPS) / 10_000n);
      await w.escrow.connect(w.buyer).proposeSettlement(offer, 7_000_000n);
      await expect(w.escrow.connect(w.merchant).acceptSettlement(offer, 7_000_000n))
        .to.emit(w.escrow, "OrderSettled")
        .withArgs(
          orderId,
          w.buyer.address,
          w.merchant.address,
          split.buyerAmount,
          split.sellerAmount,
          split.fee,
        );
    });
  });

  describe("history, reviews and evidence from the logs", function () {
    it("reads review and evidence texts back, and words every step of the order", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      const words = "Zerbrochen angekommen — la base était fêlée 😞";
      await w.escrow.connect(w.buyer).openDispute(offer);
      await w.escrow.connect(w.buyer).submitEvidence(offer, id("photos"), "ipfs://photos", words);
      await w.escrow.connect(w.merchant).submitEvidence(offer, id("video"), "", "");
      await w.escrow.connect(w.merchant).partialRefund(offer, 2_000_000n);
      await w.escrow.connect(w.payee).assignPayout(offer, w.relayer.address);
      await w.escrow.connect(w.relayer).proposeSettlement(offer, 9_000_000n);
      await w.escrow.connect(w.relayer).withdrawSettlement(offer);
      await w.escrow.connect(w.buyer).proposeSettlement(offer, 8_000_000n);
      await w.escrow.connect(w.relayer).acceptSettlement(offer, 8_000_000n);
      await w.escrow
        .connect(w.buyer)
        .review(offer, 4, "Settled fairly; the seller answered within a day.");

      const evidence = await readEvidence(w.escrow, orderId);
      expect(evidence.map((e) => [e.party, e.evidenceURI, e.text])).to.deep.equal([
        [w.buyer.address, "ipfs://photos", words],
        [w.merchant.address, "", ""],
      ]);
      const reviews = await readReviews(w.escrow, { merchant: w.merchant.address });
      expect(reviews).to.have.length(1);
      expect(reviews[0]).to.deep.include({
        orderId,
        rating: 4,
        text: "Settled fairly; the seller answered within a day.",
      });
      expect(await readReviews(w.escrow, { orderId: id("other") })).to.deep.equal([]);

      const history = await getOrderHistory(w.escrow, orderId);
      const lines = formatOrderHistory(history, {
        token: USDC,
        names: { [w.relayer.address]: "Fin" },
      });
      const text = lines.join("\n");
      expect(history.map((e) => e.name)).to.include.members([
        "OrderPaid",
        "PartialRefund",
        "PayoutAssigned",
        "SettlementProposed",
        "SettlementWithdrawn",
        "OrderSettled",
        "Reviewed",
      ]);
      expect(text).to.contain(
        `2.00 USDC refunded to the buyer ${w.buyer.address} while the order goes on`,
      );
      expect(text).to.contain(`assigned the payout to Fin (${w.relayer.address})`);
      expect(text).to.contain(`Fin (${w.relayer.address}) withdrew its settlement proposal`);
      expect(text).to.contain(`: "${words}"`);
      expect(text).to.match(
        /settled between the parties, proposed by 0x\w+ and accepted by Fin .*: 8\.00 USDC to the buyer/,
      );
      expect(lines[0]).to.match(
        /^\d{4}-\d\d-\d\d \d\d:\d\d UTC {2}0x\w+ paid 25\.00 USDC into escrow$/,
      );
    });

    it("words the events it cannot fetch in one order the same way (revoked signatures, settlements)", function () {
      expect(
        describeOrderEvent(
          event("SettlementSignatureRevoked", {
            orderId: ORDER,
            signer: ALICE,
            buyerAmount: 40_000_000n,
            deadline: 1_796_126_400n,
          }),
          { token: USDC, names: { [ALICE]: "Anna" } },
        ),
      ).to.equal(
        `Anna (${ALICE}) revoked its signed settlement (40.00 USDC to the buyer, valid until 2026-12-01 12:00 UTC)`,
      );
      expect(
        describeOrderEvent(
          event("SettlementProposed", { proposer: BOB, buyerAmount: 5_000_000n }),
          {
            token: { decimals: 6, symbol: "EURC" },
          },
        ),
      ).to.equal(`${BOB} proposed a settlement: 5.00 EURC to the buyer, the rest to the seller`);
    });
  });

  describe("texts", function () {
    it("measures UTF-8 bytes, not characters, and refuses more than 1,000 before sending", async function () {
      expect(MAX_TEXT_BYTES).to.equal(1000);
      expect(textByteLength("é😞")).to.equal(6);
      expect(textProblem("a".repeat(1000), "the review text")).to.equal(undefined);
      expect(textProblem("é".repeat(501), "the review text")).to.equal(
        "the review text is 1,002 bytes in UTF-8, more than the 1,000 the escrow accepts: shorten it by 2 bytes (accented letters take 2 bytes, most emoji 4)",
      );
      expect(() => requireTextFits("x".repeat(1001), "--text")).to.throw(
        /^--text is 1,001 bytes in UTF-8, more than the 1,000 the escrow accepts: shorten it by 1 byte$/,
      );
      // The escrow's bound is the same: a text of 1,001 bytes reverts with TextTooLong.
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await w.deliver(offer);
      await w.escrow.connect(w.buyer).confirmReceipt(offer);
      await expect(w.escrow.connect(w.buyer).review(offer, 5, "é".repeat(500) + "x"))
        .to.be.revertedWithCustomError(w.escrow, "TextTooLong")
        .withArgs(1001, MAX_TEXT_BYTES);
      await w.escrow.connect(w.buyer).review(offer, 5, "é".repeat(500));
    });
  });

  describe("error sentences", function () {
    const escrow = new Interface(WAYBILL_ESCROW_ABI);
    const sentence = (name: string, args: unknown[], amount?: (v: bigint) => string) =>
      toWaybillError(
        { message: "execution reverted", error: { data: escrow.encodeErrorResult(name, args) } },
        [escrow],
        amount === undefined ? {} : { amount },
      ).shortMessage;

    it("has a sentence for each new error, with amounts in the order's token when known", function () {
      for (const name of [
        "InvalidPartialRefund",
        "NotPayoutHolder",
        "NotSellerSide",
        "NoSettlementProposal",
        "NotProposer",
        "SettlementMismatch",
        "SettlementExpired",
        "InvalidSettlementSignature",
        "SettlementSignatureCancelled",
        "TextTooLong",
      ])
        expect(ERROR_SENTENCES, name).to.have.property(name);
      expect(sentence("InvalidPartialRefund", [ORDER, 30_000_000n, 25_000_000n], usdc)).to.equal(
        `a partial refund of 30.00 USDC on order ${SHORT} must be more than nothing and less than the 25.00 USDC the escrow still holds (to give everything back, refund in full)`,
      );
      expect(sentence("SettlementMismatch", [ORDER, 4_000_000n, 5_000_000n])).to.equal(
        `the settlement proposal on order ${SHORT} gives the buyer 4,000,000 base units, not 5,000,000 base units: it changed since you read it, so read it again before accepting`,
      );
      expect(sentence("NotSellerSide", [ORDER, ALICE, BOB])).to.equal(
        `only the seller side of order ${SHORT}, ${BOB} (the merchant until the payout is assigned, then its holder), can do this, not ${ALICE}`,
      );
      expect(sentence("SettlementExpired", [ORDER, 1_796_126_400n])).to.equal(
        `the signed settlement of order ${SHORT} expired on 2026-12-01 12:00 UTC; ask for a new one`,
      );
      expect(sentence("TextTooLong", [1204n, 1000n])).to.equal(
        "the text is 1,204 bytes in UTF-8, more than the 1,000 the escrow accepts",
      );
      expect(
        revertSentence("NotPayoutHolder", { orderId: ORDER, caller: ALICE, holder: BOB }),
      ).to.equal(
        `only ${BOB}, who holds the payout of order ${SHORT}, can assign it, not ${ALICE}`,
      );
    });

    it("refuses an assignment the escrow would refuse, with the holder named", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      const handle = connectEscrow(await w.escrow.getAddress(), w.merchant);
      const error = await handle.assignPayout(offer, w.relayer.address).then(
        () => undefined,
        (e: unknown) => toWaybillError(e, [new Interface(WAYBILL_ESCROW_ABI)]),
      );
      expect(error?.errorName).to.equal("NotPayoutHolder");
      expect(error?.shortMessage).to.contain(`only ${w.payee.address}, who holds the payout`);
      expect((await w.escrow.orderExtrasOf(orderId)).payoutHolder).to.equal(ZeroAddress);
    });
  });
});
