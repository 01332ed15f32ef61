import { expect } from "chai";
import { network } from "hardhat";

import {
  ARBITRATION_PERIOD,
  INSPECTION,
  PRICE,
  Reason,
  SHIP_WITHIN,
  Status,
  deployEscrow,
  feeOn,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const FLAG_EXTRAS = 32n;
const SELLER_AMOUNT = PRICE - feeOn(PRICE);

async function escrowFixture() {
  return deployEscrow(ethers);
}

/** A delivered order whose payee assigned the payout to a financier (`relayer` plays it). */
async function financedFixture() {
  const w = await deployEscrow(ethers);
  const offer = await w.makeOffer();
  const orderId = await w.deliver(offer);
  await w.escrow.connect(w.payee).assignPayout(offer, w.relayer.address);
  return { ...w, offer, orderId, financier: w.relayer };
}

describe("WaybillEscrow: payout assignment (trade finance)", function () {
  describe("assignPayout", function () {
    it("lets the payee assign the payout, then the holder pass it on, each with PayoutAssigned", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      const before = await w.escrow.getOrder(orderId);
      await expect(w.escrow.connect(w.payee).assignPayout(offer, w.relayer.address))
        .to.emit(w.escrow, "PayoutAssigned")
        .withArgs(orderId, w.payee.address, w.relayer.address);
      expect(await w.escrow.orderExtrasOf(orderId)).to.deep.equal([w.relayer.address, 0n]);
      const after = await w.escrow.getOrder(orderId);
      expect(after.flags).to.equal(before.flags | FLAG_EXTRAS);
      expect(after.status).to.equal(Status.Paid);
      expect(after.stamp).to.equal(before.stamp);
      await expect(w.escrow.connect(w.relayer).assignPayout(offer, w.stranger.address))
        .to.emit(w.escrow, "PayoutAssigned")
        .withArgs(orderId, w.relayer.address, w.stranger.address);
      expect(await w.escrow.orderExtrasOf(orderId)).to.deep.equal([w.stranger.address, 0n]);
    });

    it("keeps earlier partial refunds when it rewrites the holder", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      await w.escrow.connect(w.merchant).partialRefund(offer, 3n);
      await w.escrow.connect(w.payee).assignPayout(offer, w.relayer.address);
      expect(await w.escrow.orderExtrasOf(orderId)).to.deep.equal([w.relayer.address, 3n]);
      await w.escrow.connect(w.relayer).partialRefund(offer, 2n);
      expect(await w.escrow.orderExtrasOf(orderId)).to.deep.equal([w.relayer.address, 5n]);
    });

    it("reverts with NotPayoutHolder for the merchant, and for the payee once it assigned", async function () {
      const w = await networkHelpers.loadFixture(financedFixture);
      for (const caller of [w.payee, w.merchant, w.buyer]) {
        await expect(w.escrow.connect(caller).assignPayout(w.offer, w.stranger.address))
          .to.be.revertedWithCustomError(w.escrow, "NotPayoutHolder")
          .withArgs(w.orderId, caller.address, w.financier.address);
      }
      const fresh = await w.makeOffer();
      const freshId = await w.pay(fresh);
      await expect(w.escrow.connect(w.merchant).assignPayout(fresh, w.stranger.address))
        .to.be.revertedWithCustomError(w.escrow, "NotPayoutHolder")
        .withArgs(freshId, w.merchant.address, w.payee.address);
    });

    it("reverts with InvalidRecipient for zero, the escrow and the current holder", async function () {
      const w = await networkHelpers.loadFixture(financedFixture);
      for (const to of [ethers.ZeroAddress, await w.escrow.getAddress(), w.financier.address]) {
        await expect(w.escrow.connect(w.financier).assignPayout(w.offer, to))
          .to.be.revertedWithCustomError(w.escrow, "InvalidRecipient")
          .withArgs(to);
      }
    });

    it("reverts with InvalidOrderStatus for an unpaid offer and a final order", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await expect(w.escrow.connect(w.payee).assignPayout(offer, w.relayer.address))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(await w.orderId(offer), Status.None);
      const orderId = await w.pay(offer);
      await w.escrow.connect(w.buyer).confirmReceipt(offer);
      await expect(w.escrow.connect(w.payee).assignPayout(offer, w.relayer.address))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Released);
    });
  });

  describe("who is paid and who may refund", function () {
    it("pays the holder on release; the payee gets nothing", async function () {
      const w = await networkHelpers.loadFixture(financedFixture);
      await networkHelpers.time.increase(INSPECTION);
      const release = w.escrow.connect(w.stranger).release(w.offer);
      await expect(release)
        .to.emit(w.escrow, "OrderReleased")
        .withArgs(w.orderId, w.financier.address, SELLER_AMOUNT, feeOn(PRICE));
      await expect(release).to.changeTokenBalances(
        ethers,
        w.usdc,
        [w.financier, w.payee],
        [SELLER_AMOUNT, 0n],
      );
    });

    it("pays the holder when the buyer confirms receipt", async function () {
      const w = await networkHelpers.loadFixture(financedFixture);
      await expect(w.escrow.connect(w.buyer).confirmReceipt(w.offer))
        .to.emit(w.escrow, "OrderReleased")
        .withArgs(w.orderId, w.financier.address, SELLER_AMOUNT, feeOn(PRICE));
    });

    it("pays the holder a ruling's and the default ruling's seller part", async function () {
      const w = await networkHelpers.loadFixture(financedFixture);
      await w.escrow.connect(w.buyer).openDispute(w.offer);
      const ruling = w.escrow.connect(w.arbiter).resolveDispute(w.offer, 5_000_000n);
      const sellerPart = PRICE - 5_000_000n;
      await expect(ruling)
        .to.emit(w.escrow, "DisputeResolved")
        .withArgs(
          w.orderId,
          w.arbiter.address,
          5_000_000n,
          sellerPart - feeOn(sellerPart),
          feeOn(sellerPart),
        );
      await expect(ruling).to.changeTokenBalances(
        ethers,
        w.usdc,
        [w.financier, w.payee, w.buyer],
        [sellerPart - feeOn(sellerPart), 0n, 5_000_000n],
      );

      const other = await w.makeOffer();
      await w.deliver(other);
      await w.escrow.connect(w.payee).assignPayout(other, w.financier.address);
      await w.escrow.connect(w.merchant).openDispute(other);
      await networkHelpers.time.increase(ARBITRATION_PERIOD);
      const half = PRICE / 2n;
      await expect(w.escrow.applyDefaultRuling(other)).to.changeTokenBalances(
        ethers,
        w.usdc,
        [w.financier, w.payee, w.buyer],
        [PRICE - half - feeOn(PRICE - half), 0n, half],
      );
    });

    it("refunds the buyer, not the holder, when the order fails: the financier bears that risk", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      await w.escrow.connect(w.payee).assignPayout(offer, w.relayer.address);
      await networkHelpers.time.increase(SHIP_WITHIN + 1n);
      const claim = w.escrow.connect(w.buyer).claimRefund(offer);
      await expect(claim)
        .to.emit(w.escrow, "OrderRefunded")
        .withArgs(orderId, w.buyer.address, PRICE, Reason.NotShippedInTime);
      await expect(claim).to.changeTokenBalances(
        ethers,
        w.usdc,
        [w.buyer, w.relayer, w.payee],
        [PRICE, 0n, 0n],
      );
    });

    it("moves the seller side to the holder: the merchant can no longer refund or partially refund, the holder can", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      await w.escrow.connect(w.payee).assignPayout(offer, w.relayer.address);
      await expect(w.escrow.connect(w.merchant).partialRefund(offer, 1n))
        .to.be.revertedWithCustomError(w.escrow, "NotSellerSide")
        .withArgs(orderId, w.merchant.address, w.relayer.address);
      await expect(w.escrow.connect(w.merchant).refund(offer))
        .to.be.revertedWithCustomError(w.escrow, "NotSellerSide")
        .withArgs(orderId, w.merchant.address, w.relayer.address);
      await expect(w.escrow.connect(w.relayer).partialRefund(offer, 1n))
        .to.emit(w.escrow, "PartialRefund")
        .withArgs(orderId, w.buyer.address, 1n, 1n);
      await expect(w.escrow.connect(w.relayer).refund(offer))
        .to.emit(w.escrow, "OrderRefunded")
        .withArgs(orderId, w.buyer.address, PRICE - 1n, Reason.MerchantCancelled);
    });

    it("keeps the operational actions the merchant's: it still disputes and submits evidence", async function () {
      const w = await networkHelpers.loadFixture(financedFixture);
      await expect(w.escrow.connect(w.merchant).openDispute(w.offer)).to.emit(w.escrow, "Dispute");
      await expect(w.escrow.connect(w.financier).submitEvidence(w.offer, ethers.ZeroHash, "", ""))
        .to.be.revertedWithCustomError(w.escrow, "NotParty")
        .withArgs(w.orderId, w.financier.address);
      await expect(
        w.escrow.connect(w.merchant).submitEvidence(w.offer, ethers.ZeroHash, "", "POD attached"),
      )
        .to.emit(w.escrow, "Evidence")
        .withArgs(w.orderId, w.merchant.address, ethers.ZeroHash, "", "POD attached");
    });

    it("credits a frozen holder, who then withdraws the credit to a new address", async function () {
      const w = await networkHelpers.loadFixture(financedFixture);
      const token = await w.usdc.getAddress();
      await w.usdc.blocklist(w.financier.address);
      await expect(w.escrow.connect(w.buyer).confirmReceipt(w.offer))
        .to.emit(w.escrow, "PayoutCredited")
        .withArgs(token, w.financier.address, SELLER_AMOUNT)
        .and.to.emit(w.escrow, "OrderReleased")
        .withArgs(w.orderId, w.financier.address, SELLER_AMOUNT, feeOn(PRICE));
      expect(await w.escrow.credits(token, w.financier.address)).to.equal(SELLER_AMOUNT);
      expect(await w.escrow.credits(token, w.payee.address)).to.equal(0n);
      // The issuer froze the financier's address, not its key: it withdraws to a clean one.
      await expect(
        w.escrow.connect(w.financier).withdrawCredit(token, w.stranger.address),
      ).to.changeTokenBalances(
        ethers,
        w.usdc,
        [w.stranger, w.escrow],
        [SELLER_AMOUNT, -SELLER_AMOUNT],
      );
      expect(await w.escrow.credits(token, w.financier.address)).to.equal(0n);
      await expect(w.escrow.connect(w.payee).withdrawCredit(token, w.payee.address))
        .to.be.revertedWithCustomError(w.escrow, "NothingToWithdraw")
        .withArgs(token, w.payee.address);
    });
  });
});
