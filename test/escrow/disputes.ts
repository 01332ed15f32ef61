import { expect } from "chai";
import { network } from "hardhat";

import {
  ARBITRATION_PERIOD,
  FEE_BPS,
  INSPECTION,
  PRICE,
  Shipment,
  Status,
  deployEscrow,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

async function escrowFixture() {
  return deployEscrow(ethers);
}

describe("WaybillEscrow: disputes and reviews", function () {
  describe("openDispute", function () {
    it("lets the buyer dispute within the window and emits Dispute with the ruling deadline", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      const at = (await w.now()) + 10n;
      await networkHelpers.time.setNextBlockTimestamp(at);
      await expect(w.escrow.connect(w.buyer).openDispute(offer))
        .to.emit(w.escrow, "Dispute")
        .withArgs(orderId, w.buyer.address, at + ARBITRATION_PERIOD);
      const order = await w.escrow.getOrder(orderId);
      expect(order.status).to.equal(Status.Disputed);
      expect(order.stamp).to.equal(at);
    });

    it("lets the merchant dispute too", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      await expect(w.escrow.connect(w.merchant).openDispute(offer))
        .to.emit(w.escrow, "Dispute")
        .withArgs(orderId, w.merchant.address, (await w.now()) + 1n + ARBITRATION_PERIOD);
    });

    it("reverts with NotParty when a stranger disputes", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      await expect(w.escrow.connect(w.stranger).openDispute(offer))
        .to.be.revertedWithCustomError(w.escrow, "NotParty")
        .withArgs(orderId, w.stranger.address);
    });

    it("reverts with InspectionWindowClosed once the window closed", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      const endsAt = (await w.escrow.getOrder(orderId)).stamp + INSPECTION;
      await networkHelpers.time.setNextBlockTimestamp(endsAt);
      await expect(w.escrow.connect(w.buyer).openDispute(offer))
        .to.be.revertedWithCustomError(w.escrow, "InspectionWindowClosed")
        .withArgs(orderId, endsAt);
    });

    it("records the registry's delivery and opens the dispute in one call from Shipped", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      const deliveredAt = await w.now();
      await w.registry.setShipment(await w.shipmentIdOf(offer), Shipment.Delivered, deliveredAt);
      const at = (await w.now()) + 10n;
      await networkHelpers.time.setNextBlockTimestamp(at);
      const tx = w.escrow.connect(w.buyer).openDispute(offer);
      await expect(tx)
        .to.emit(w.escrow, "OrderDelivered")
        .withArgs(orderId, deliveredAt, at + INSPECTION);
      await expect(tx)
        .to.emit(w.escrow, "Dispute")
        .withArgs(orderId, w.buyer.address, at + ARBITRATION_PERIOD);
      const order = await w.escrow.getOrder(orderId);
      expect(order.status).to.equal(Status.Disputed);
      expect(order.stamp).to.equal(at);
      expect(order.flags).to.equal(4n);
    });

    it("reverts with InvalidShipmentStatus from Shipped while the registry shows no delivery", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      const shipmentId = await w.shipmentIdOf(offer);
      await expect(w.escrow.connect(w.buyer).openDispute(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidShipmentStatus")
        .withArgs(orderId, shipmentId, Shipment.Created);
    });

    it("reverts with NotParty when a stranger disputes a Shipped order the registry shows delivered", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      await w.registry.setShipment(await w.shipmentIdOf(offer), Shipment.Delivered, await w.now());
      await expect(w.escrow.connect(w.stranger).openDispute(offer))
        .to.be.revertedWithCustomError(w.escrow, "NotParty")
        .withArgs(orderId, w.stranger.address);
    });

    it("reverts with InvalidOrderStatus before shipment", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      await expect(w.escrow.connect(w.buyer).openDispute(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Paid);
    });
  });

  describe("submitEvidence", function () {
    it("records evidence from either party while delivered or disputed", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      const hash = ethers.id("photo");
      const statement = "Der Sockel kam gesprungen an — 破损的底座, photo attached.";
      await expect(w.escrow.connect(w.buyer).submitEvidence(offer, hash, "ipfs://photo", statement))
        .to.emit(w.escrow, "Evidence")
        .withArgs(orderId, w.buyer.address, hash, "ipfs://photo", statement);
      await w.escrow.connect(w.buyer).openDispute(offer);
      await expect(w.escrow.connect(w.merchant).submitEvidence(offer, hash, "", ""))
        .to.emit(w.escrow, "Evidence")
        .withArgs(orderId, w.merchant.address, hash, "", "");
    });

    it("accepts a text of exactly MAX_TEXT_BYTES bytes and reverts with TextTooLong above it, counting UTF-8 bytes", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      expect(await w.escrow.MAX_TEXT_BYTES()).to.equal(1000n);
      const longest = "é".repeat(500); // 2 bytes each
      await expect(w.escrow.connect(w.buyer).submitEvidence(offer, ethers.ZeroHash, "", longest))
        .to.emit(w.escrow, "Evidence")
        .withArgs(orderId, w.buyer.address, ethers.ZeroHash, "", longest);
      await expect(
        w.escrow.connect(w.buyer).submitEvidence(offer, ethers.ZeroHash, "", `${longest}x`),
      )
        .to.be.revertedWithCustomError(w.escrow, "TextTooLong")
        .withArgs(1001n, 1000n);
    });

    it("reverts with NotParty for a stranger and InvalidOrderStatus before delivery", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      await expect(w.escrow.connect(w.buyer).submitEvidence(offer, ethers.ZeroHash, "", ""))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Shipped);
      await w.registry.setShipment(await w.shipmentIdOf(offer), Shipment.Delivered, await w.now());
      await w.escrow.markDelivered(offer);
      await expect(w.escrow.connect(w.stranger).submitEvidence(offer, ethers.ZeroHash, "", ""))
        .to.be.revertedWithCustomError(w.escrow, "NotParty")
        .withArgs(orderId, w.stranger.address);
    });
  });

  describe("resolveDispute", function () {
    async function disputedFixture() {
      const w = await deployEscrow(ethers);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      await w.escrow.connect(w.buyer).openDispute(offer);
      return { ...w, offer, orderId };
    }

    it("splits as ruled, charging the fee on the seller's part only", async function () {
      const w = await networkHelpers.loadFixture(disputedFixture);
      const buyerAmount = 10_000_000n;
      const sellerPart = PRICE - buyerAmount;
      const fee = (sellerPart * FEE_BPS) / 10_000n;
      const tx = w.escrow.connect(w.arbiter).resolveDispute(w.offer, buyerAmount);
      await expect(tx)
        .to.emit(w.escrow, "DisputeResolved")
        .withArgs(w.orderId, w.arbiter.address, buyerAmount, sellerPart - fee, fee);
      await expect(tx).to.changeTokenBalances(
        ethers,
        w.usdc,
        [w.buyer, w.payee, w.escrow],
        [buyerAmount, sellerPart - fee, -(PRICE - fee)],
      );
      expect((await w.escrow.getOrder(w.orderId)).status).to.equal(Status.Resolved);
    });

    it("gives the buyer everything with no fee on a full refund ruling", async function () {
      const w = await networkHelpers.loadFixture(disputedFixture);
      await expect(w.escrow.connect(w.arbiter).resolveDispute(w.offer, PRICE))
        .to.emit(w.escrow, "DisputeResolved")
        .withArgs(w.orderId, w.arbiter.address, PRICE, 0n, 0n);
      expect(await w.escrow.accruedFees(await w.usdc.getAddress())).to.equal(0n);
    });

    it("reverts with BuyerAmountTooHigh above the price", async function () {
      const w = await networkHelpers.loadFixture(disputedFixture);
      await expect(w.escrow.connect(w.arbiter).resolveDispute(w.offer, PRICE + 1n))
        .to.be.revertedWithCustomError(w.escrow, "BuyerAmountTooHigh")
        .withArgs(PRICE + 1n, PRICE);
    });

    it("reverts with AccessControlUnauthorizedAccount for a non-arbiter", async function () {
      const w = await networkHelpers.loadFixture(disputedFixture);
      await expect(w.escrow.connect(w.buyer).resolveDispute(w.offer, PRICE))
        .to.be.revertedWithCustomError(w.escrow, "AccessControlUnauthorizedAccount")
        .withArgs(w.buyer.address, await w.escrow.ARBITER_ROLE());
    });

    it("reverts with InvalidOrderStatus when the order is not disputed", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      await expect(w.escrow.connect(w.arbiter).resolveDispute(offer, 0n))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Delivered);
    });

    it("applies the even-split default after the arbitration period, for anyone", async function () {
      const w = await networkHelpers.loadFixture(disputedFixture);
      const endsAt = (await w.escrow.getOrder(w.orderId)).stamp + ARBITRATION_PERIOD;
      await networkHelpers.time.setNextBlockTimestamp(endsAt - 1n);
      await expect(w.escrow.connect(w.stranger).applyDefaultRuling(w.offer))
        .to.be.revertedWithCustomError(w.escrow, "ArbitrationPeriodRunning")
        .withArgs(w.orderId, endsAt);
      await networkHelpers.time.setNextBlockTimestamp(endsAt);
      const half = PRICE / 2n;
      const fee = ((PRICE - half) * FEE_BPS) / 10_000n;
      await expect(w.escrow.connect(w.stranger).applyDefaultRuling(w.offer))
        .to.emit(w.escrow, "DisputeResolved")
        .withArgs(w.orderId, ethers.ZeroAddress, half, PRICE - half - fee, fee);
    });

    it("gives the odd unit of an odd price to the seller under the default ruling", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer({ price: 1001n });
      const orderId = await w.deliver(offer);
      await w.escrow.connect(w.merchant).openDispute(offer);
      await networkHelpers.time.increase(ARBITRATION_PERIOD);
      await expect(w.escrow.applyDefaultRuling(offer))
        .to.emit(w.escrow, "DisputeResolved")
        .withArgs(
          orderId,
          ethers.ZeroAddress,
          500n,
          501n - (501n * FEE_BPS) / 10_000n,
          (501n * FEE_BPS) / 10_000n,
        );
    });

    it("reverts with InvalidOrderStatus for a default ruling on an undisputed order", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      await expect(w.escrow.applyDefaultRuling(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Delivered);
    });
  });

  describe("review", function () {
    it("lets the buyer of a released order rate the merchant once", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      await w.escrow.connect(w.buyer).confirmReceipt(offer);
      const text = "Great vases, well packed. 花瓶很漂亮。";
      await expect(w.escrow.connect(w.buyer).review(offer, 4, text))
        .to.emit(w.escrow, "Reviewed")
        .withArgs(orderId, w.merchant.address, 4, text);
      expect(await w.escrow.ratingOf(w.merchant.address)).to.deep.equal([1n, 4n]);
      expect((await w.escrow.getOrder(orderId)).flags).to.equal(22n); // delivered | reviewed | seller paid
      await expect(w.escrow.connect(w.buyer).review(offer, 5, text))
        .to.be.revertedWithCustomError(w.escrow, "AlreadyReviewed")
        .withArgs(orderId);
    });

    it("accepts a review of a resolved order and sums ratings per merchant", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const first = await w.makeOffer();
      await w.deliver(first);
      await w.escrow.connect(w.buyer).confirmReceipt(first);
      await w.escrow.connect(w.buyer).review(first, 5, "");
      const second = await w.makeOffer();
      await w.deliver(second);
      await w.escrow.connect(w.buyer).openDispute(second);
      await w.escrow.connect(w.arbiter).resolveDispute(second, 1n);
      await w.escrow.connect(w.buyer).review(second, 1, "");
      expect(await w.escrow.ratingOf(w.merchant.address)).to.deep.equal([2n, 6n]);
    });

    it("keeps a review of exactly MAX_TEXT_BYTES bytes readable in its event and reverts with TextTooLong at 1,001", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      await w.escrow.connect(w.buyer).confirmReceipt(offer);
      await expect(w.escrow.connect(w.buyer).review(offer, 5, "a".repeat(1001)))
        .to.be.revertedWithCustomError(w.escrow, "TextTooLong")
        .withArgs(1001n, 1000n);
      // 3-byte characters: 333 of them and one ASCII byte make exactly 1,000 bytes.
      const text = `${"好".repeat(333)}!`;
      const tx = await w.escrow.connect(w.buyer).review(offer, 5, text);
      await expect(tx).to.emit(w.escrow, "Reviewed").withArgs(orderId, w.merchant.address, 5, text);
      const [log] = await w.escrow.queryFilter(w.escrow.filters.Reviewed(orderId));
      expect(log.args.text).to.equal(text);
      expect(await w.escrow.ratingOf(w.merchant.address)).to.deep.equal([1n, 5n]);
    });

    for (const rating of [0, 6]) {
      it(`reverts with InvalidRating for ${rating}`, async function () {
        const w = await networkHelpers.loadFixture(escrowFixture);
        const offer = await w.makeOffer();
        await w.deliver(offer);
        await w.escrow.connect(w.buyer).confirmReceipt(offer);
        await expect(w.escrow.connect(w.buyer).review(offer, rating, ""))
          .to.be.revertedWithCustomError(w.escrow, "InvalidRating")
          .withArgs(rating);
      });
    }

    it("reverts with SelfReview when a merchant buys its own offer and confirms it straight from Paid", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      await w.usdc.mint(w.merchant.address, 1n);
      await w.usdc.connect(w.merchant).approve(await w.escrow.getAddress(), 1n);
      const offer = await w.makeOffer({ price: 1n });
      const orderId = await w.pay(offer, w.merchant);
      await w.escrow.connect(w.merchant).confirmReceipt(offer);
      await expect(w.escrow.connect(w.merchant).review(offer, 5, ""))
        .to.be.revertedWithCustomError(w.escrow, "SelfReview")
        .withArgs(orderId, w.merchant.address);
      expect(await w.escrow.ratingOf(w.merchant.address)).to.deep.equal([0n, 0n]);
    });

    it("reverts with ReviewNotAllowed for an order confirmed while Shipped, before its delivery was recorded", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      await w.escrow.connect(w.buyer).confirmReceipt(offer);
      await expect(w.escrow.connect(w.buyer).review(offer, 5, ""))
        .to.be.revertedWithCustomError(w.escrow, "ReviewNotAllowed")
        .withArgs(orderId);
    });

    it("accepts a review of an order disputed straight from Shipped and then resolved", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      await w.registry.setShipment(await w.shipmentIdOf(offer), Shipment.Delivered, await w.now());
      await w.escrow.connect(w.buyer).openDispute(offer);
      await w.escrow.connect(w.arbiter).resolveDispute(offer, PRICE);
      await expect(w.escrow.connect(w.buyer).review(offer, 1, ""))
        .to.emit(w.escrow, "Reviewed")
        .withArgs(orderId, w.merchant.address, 1, "");
    });

    it("reverts with NotBuyer for another reviewer and InvalidOrderStatus for a refunded order", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      await expect(w.escrow.connect(w.buyer).review(offer, 3, ""))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Paid);
      await w.escrow.connect(w.buyer).confirmReceipt(offer);
      await expect(w.escrow.connect(w.merchant).review(offer, 5, ""))
        .to.be.revertedWithCustomError(w.escrow, "NotBuyer")
        .withArgs(orderId, w.merchant.address, w.buyer.address);
      const refunded = await w.makeOffer();
      const refundedId = await w.pay(refunded);
      await w.escrow.connect(w.merchant).refund(refunded);
      await expect(w.escrow.connect(w.buyer).review(refunded, 3, ""))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(refundedId, Status.Refunded);
    });
  });
});
