import { expect } from "chai";
import { network } from "hardhat";

import {
  ARBITRATION_PERIOD,
  DELIVER_WITHIN,
  INSPECTION,
  PRICE,
  Reason,
  Status,
  deployEscrow,
  feeOn,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const PART = 4_000_000n; // a missing item: 4 of the 25 USDC back
const HELD = PRICE - PART;
const FLAG_EXTRAS = 32n;

async function escrowFixture() {
  return deployEscrow(ethers);
}

/** A delivered order the merchant already refunded PART of. */
async function partlyRefundedFixture() {
  const w = await deployEscrow(ethers);
  const offer = await w.makeOffer();
  const orderId = await w.deliver(offer);
  await w.escrow.connect(w.merchant).partialRefund(offer, PART);
  return { ...w, offer, orderId };
}

describe("WaybillEscrow: partial refunds", function () {
  describe("partialRefund", function () {
    it("pays the buyer now and keeps the order's status and deadlines, emitting PartialRefund with the running total", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      const before = await w.escrow.getOrder(orderId);
      const first = w.escrow.connect(w.merchant).partialRefund(offer, PART);
      await expect(first)
        .to.emit(w.escrow, "PartialRefund")
        .withArgs(orderId, w.buyer.address, PART, PART);
      await expect(first).to.changeTokenBalances(
        ethers,
        w.usdc,
        [w.buyer, w.escrow],
        [PART, -PART],
      );
      await expect(w.escrow.connect(w.merchant).partialRefund(offer, 1n))
        .to.emit(w.escrow, "PartialRefund")
        .withArgs(orderId, w.buyer.address, 1n, PART + 1n);
      const after = await w.escrow.getOrder(orderId);
      expect(after.status).to.equal(Status.Paid);
      expect(after.stamp).to.equal(before.stamp);
      expect(after.flags).to.equal(before.flags | FLAG_EXTRAS);
      expect(await w.escrow.orderExtrasOf(orderId)).to.deep.equal([ethers.ZeroAddress, PART + 1n]);
    });

    it("works while Shipped, Delivered and Disputed", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      await w.escrow.connect(w.merchant).partialRefund(offer, 1n);
      await w.registry.setShipment(await w.shipmentIdOf(offer), 4, await w.now());
      await w.escrow.markDelivered(offer);
      await w.escrow.connect(w.merchant).partialRefund(offer, 1n);
      await w.escrow.connect(w.buyer).openDispute(offer);
      await expect(w.escrow.connect(w.merchant).partialRefund(offer, 1n))
        .to.emit(w.escrow, "PartialRefund")
        .withArgs(orderId, w.buyer.address, 1n, 3n);
      expect((await w.escrow.getOrder(orderId)).status).to.equal(Status.Disputed);
    });

    it("reverts with InvalidPartialRefund for zero, for the whole held amount and above it", async function () {
      const w = await networkHelpers.loadFixture(partlyRefundedFixture);
      for (const amount of [0n, HELD, HELD + 1n]) {
        await expect(w.escrow.connect(w.merchant).partialRefund(w.offer, amount))
          .to.be.revertedWithCustomError(w.escrow, "InvalidPartialRefund")
          .withArgs(w.orderId, amount, HELD);
      }
      await expect(w.escrow.connect(w.merchant).partialRefund(w.offer, HELD - 1n))
        .to.emit(w.escrow, "PartialRefund")
        .withArgs(w.orderId, w.buyer.address, HELD - 1n, PRICE - 1n);
    });

    it("reverts with NotSellerSide for the buyer, the payee and a stranger", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      for (const caller of [w.buyer, w.payee, w.stranger]) {
        await expect(w.escrow.connect(caller).partialRefund(offer, 1n))
          .to.be.revertedWithCustomError(w.escrow, "NotSellerSide")
          .withArgs(orderId, caller.address, w.merchant.address);
      }
    });

    it("reverts with InvalidOrderStatus for an unpaid offer and a final order", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await expect(w.escrow.connect(w.merchant).partialRefund(offer, 1n))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(await w.orderId(offer), Status.None);
      const orderId = await w.pay(offer);
      await w.escrow.connect(w.merchant).refund(offer);
      await expect(w.escrow.connect(w.merchant).partialRefund(offer, 1n))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Refunded);
    });

    it("credits a frozen buyer instead of failing, like every payout", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      const token = await w.usdc.getAddress();
      await w.usdc.blocklist(w.buyer.address);
      await expect(w.escrow.connect(w.merchant).partialRefund(offer, PART))
        .to.emit(w.escrow, "PayoutCredited")
        .withArgs(token, w.buyer.address, PART)
        .and.to.emit(w.escrow, "PartialRefund")
        .withArgs(orderId, w.buyer.address, PART, PART);
      expect(await w.escrow.credits(token, w.buyer.address)).to.equal(PART);
    });
  });

  describe("what follows a partial refund", function () {
    it("a release charges the fee only on what the seller finally receives", async function () {
      const w = await networkHelpers.loadFixture(partlyRefundedFixture);
      await networkHelpers.time.increase(INSPECTION);
      const release = w.escrow.release(w.offer);
      await expect(release)
        .to.emit(w.escrow, "OrderReleased")
        .withArgs(w.orderId, w.payee.address, HELD - feeOn(HELD), feeOn(HELD));
      await expect(release).to.changeTokenBalances(
        ethers,
        w.usdc,
        [w.payee, w.escrow],
        [HELD - feeOn(HELD), -HELD + feeOn(HELD)],
      );
      expect(await w.escrow.accruedFees(await w.usdc.getAddress())).to.equal(feeOn(HELD));
    });

    it("a confirmation pays the payee the held amount less its fee", async function () {
      const w = await networkHelpers.loadFixture(partlyRefundedFixture);
      await expect(w.escrow.connect(w.buyer).confirmReceipt(w.offer))
        .to.emit(w.escrow, "OrderReleased")
        .withArgs(w.orderId, w.payee.address, HELD - feeOn(HELD), feeOn(HELD));
    });

    it("a full refund gives the buyer what is held, so the buyer gets the whole price back in all", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      const start = await w.usdc.balanceOf(w.buyer.address);
      await w.escrow.connect(w.merchant).partialRefund(offer, PART);
      await expect(w.escrow.connect(w.merchant).refund(offer))
        .to.emit(w.escrow, "OrderRefunded")
        .withArgs(orderId, w.buyer.address, HELD, Reason.MerchantCancelled);
      expect(await w.usdc.balanceOf(w.buyer.address)).to.equal(start + PRICE);
      expect(await w.usdc.balanceOf(await w.escrow.getAddress())).to.equal(0n);
    });

    it("a deadline refund the buyer claims returns the held amount", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      await w.escrow.connect(w.merchant).partialRefund(offer, PART);
      await networkHelpers.time.increase(DELIVER_WITHIN + 1n);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.emit(w.escrow, "OrderRefunded")
        .withArgs(orderId, w.buyer.address, HELD, Reason.NotDeliveredInTime);
    });

    it("a dispute's ruling is bounded by the held amount", async function () {
      const w = await networkHelpers.loadFixture(partlyRefundedFixture);
      await w.escrow.connect(w.buyer).openDispute(w.offer);
      await expect(w.escrow.connect(w.arbiter).resolveDispute(w.offer, PRICE))
        .to.be.revertedWithCustomError(w.escrow, "BuyerAmountTooHigh")
        .withArgs(PRICE, HELD);
      const ruling = w.escrow.connect(w.arbiter).resolveDispute(w.offer, HELD);
      await expect(ruling)
        .to.emit(w.escrow, "DisputeResolved")
        .withArgs(w.orderId, w.arbiter.address, HELD, 0n, 0n);
      await expect(ruling).to.changeTokenBalances(
        ethers,
        w.usdc,
        [w.buyer, w.payee, w.escrow],
        [HELD, 0n, -HELD],
      );
    });

    it("the default ruling splits the held amount evenly", async function () {
      const w = await networkHelpers.loadFixture(partlyRefundedFixture);
      await w.escrow.connect(w.buyer).openDispute(w.offer);
      await networkHelpers.time.increase(ARBITRATION_PERIOD);
      const half = HELD / 2n;
      await expect(w.escrow.connect(w.stranger).applyDefaultRuling(w.offer))
        .to.emit(w.escrow, "DisputeResolved")
        .withArgs(
          w.orderId,
          ethers.ZeroAddress,
          half,
          HELD - half - feeOn(HELD - half),
          feeOn(HELD - half),
        );
    });
  });

  describe("re-entrancy and hostile tokens", function () {
    it("blocks a hook re-entering partialRefund: the guard's revert becomes the buyer's credit, counted once", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const evil = await ethers.deployContract("ReentrantToken");
      const evilAddress = await evil.getAddress();
      await w.escrow.setTokenAllowed(evilAddress, true);
      await evil.mint(w.buyer.address, PRICE);
      await evil.connect(w.buyer).approve(await w.escrow.getAddress(), ethers.MaxUint256);
      const offer = await w.makeOffer({ token: evilAddress });
      const orderId = await w.pay(offer);
      await evil.arm(
        await w.escrow.getAddress(),
        w.escrow.interface.encodeFunctionData("partialRefund", [offer, PART]),
        true,
      );
      await expect(w.escrow.connect(w.merchant).partialRefund(offer, PART))
        .to.emit(w.escrow, "PayoutCredited")
        .withArgs(evilAddress, w.buyer.address, PART);
      expect(await w.escrow.orderExtrasOf(orderId)).to.deep.equal([ethers.ZeroAddress, PART]);
      expect(await evil.balanceOf(await w.escrow.getAddress())).to.equal(PRICE);
      expect(await w.escrow.credits(evilAddress, w.buyer.address)).to.equal(PART);
    });
  });
});
