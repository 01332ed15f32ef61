import { expect } from "chai";
import { network } from "hardhat";

import { findLastShipment, readLastShipment } from "@waybill/sdk";
import {
  DELIVER_WITHIN,
  EventCode,
  FEE,
  HAMBURG,
  HOUR,
  INSPECTION,
  JOURNEY_A,
  JOURNEY_B,
  OrderStatus,
  PRICE,
  RefundReason,
  ShipmentStatus,
  UNIT_1,
  UNIT_2,
  UNIT_3,
  UnitStatus,
  deployWaybillWorld,
} from "./helpers.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function waybillFixture() {
  return deployWaybillWorld(connection);
}

describe("Integration: an order with passports from payment to review", function () {
  it("pays, ships with two passports, travels with two carriers, releases on receipt and hands both passports over", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const escrowAddress = await w.escrow.getAddress();
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.merchant.address);
    expect(await w.passports.ownerOf(UNIT_2)).to.equal(w.merchant.address);

    // The buyer pays with a permit: no approval transaction beforehand.
    const offer = await w.makeOffer();
    const orderId = await w.orderIdOf(offer);
    expect(await w.escrow.orderIdOf(offer)).to.equal(orderId);
    expect(await w.usdc.allowance(w.buyer.address, escrowAddress)).to.equal(0n);
    const buyerBefore = await w.usdc.balanceOf(w.buyer.address);
    await w.payWithPermit(offer);
    expect(await w.usdc.balanceOf(w.buyer.address)).to.equal(buyerBefore - PRICE);
    expect(await w.usdc.balanceOf(escrowAddress)).to.equal(PRICE);
    const paid = await w.escrow.getOrder(orderId);
    expect(paid.status).to.equal(OrderStatus.Paid);
    expect(paid.buyer).to.equal(w.buyer.address);

    // The merchant registers the shipment under the order id, carrying both passports.
    const shipmentId = await w.registry.shipmentIdOf(w.merchant.address, orderId);
    const create = w.registry
      .connect(w.merchant)
      .createShipment(w.newShipment(orderId, [UNIT_1, UNIT_2]));
    await expect(create)
      .to.emit(w.registry, "ShipmentCreated")
      .withArgs(
        shipmentId,
        w.merchant.address,
        w.carrierA.address,
        orderId,
        w.newShipment(orderId).origin,
        HAMBURG,
        w.newShipment(orderId).documentsHash,
        [UNIT_1, UNIT_2],
      );
    await expect(create)
      .to.emit(w.passports, "PassportShipped")
      .withArgs(UNIT_1, shipmentId)
      .and.to.emit(w.passports, "PassportShipped")
      .withArgs(UNIT_2, shipmentId);
    expect((await findLastShipment(w.passports, UNIT_1))?.shipmentId).to.equal(shipmentId);
    expect((await findLastShipment(w.passports, UNIT_2))?.shipmentId).to.equal(shipmentId);
    expect(await findLastShipment(w.passports, UNIT_3)).to.equal(undefined);
    expect(await w.registry.passportsOf(shipmentId)).to.deep.equal([UNIT_1, UNIT_2]);

    await w.passports.connect(w.merchant).setApprovalForAll(escrowAddress, true);
    // Linking the shipment takes both units into the escrow's custody until the order ends.
    await expect(w.escrow.connect(w.merchant).markShipped(offer))
      .to.emit(w.escrow, "OrderShipped")
      .withArgs(orderId, shipmentId, true)
      .and.to.emit(w.passports, "Transfer")
      .withArgs(w.merchant.address, escrowAddress, UNIT_1)
      .and.to.emit(w.passports, "Transfer")
      .withArgs(w.merchant.address, escrowAddress, UNIT_2);
    const shipped = await w.escrow.getOrder(orderId);
    expect(shipped.status).to.equal(OrderStatus.Shipped);
    expect(shipped.flags).to.equal(1n);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(escrowAddress);

    // Carrier A: pick-up in Shanghai to customs in Rotterdam, then hands over to carrier B.
    await w.record(shipmentId, w.carrierA, JOURNEY_A.slice(0, 4));
    expect((await w.registry.getShipment(shipmentId)).status).to.equal(ShipmentStatus.CustomsHold);
    expect((await readLastShipment(w.passports, w.registry, UNIT_1))?.status).to.equal(
      ShipmentStatus.CustomsHold,
    );
    await expect(w.escrow.markDelivered(offer))
      .to.be.revertedWithCustomError(w.escrow, "InvalidShipmentStatus")
      .withArgs(orderId, shipmentId, ShipmentStatus.CustomsHold);
    await w.record(shipmentId, w.carrierA, JOURNEY_A.slice(4));
    const handedOver = await w.registry.getShipment(shipmentId);
    expect(handedOver.carrier).to.equal(w.carrierB.address);
    expect(handedOver.status).to.equal(ShipmentStatus.InTransit);
    expect(handedOver.lastEventCode).to.equal(BigInt(EventCode.HandedOver));

    // Carrier A no longer holds the shipment: only carrier B may record now.
    await networkHelpers.time.increase(HOUR);
    await expect(
      w.registry
        .connect(w.carrierA)
        .recordEvent(w.shipmentEvent(shipmentId, EventCode.Delivered, HAMBURG, await w.now())),
    )
      .to.be.revertedWithCustomError(w.registry, "NotShipmentCarrier")
      .withArgs(shipmentId, w.carrierA.address, w.carrierB.address);

    await w.record(shipmentId, w.carrierB, JOURNEY_B);
    const delivered = await w.registry.getShipment(shipmentId);
    expect(delivered.status).to.equal(ShipmentStatus.Delivered);
    expect(delivered.eventCount).to.equal(8n);
    expect(delivered.deliveredAt).to.equal(delivered.lastEventAt);

    // Anyone records the delivery; the inspection window starts at that record, the event still
    // reporting the registry's delivery time.
    const recordedAt = (await w.now()) + 2n * HOUR;
    await networkHelpers.time.setNextBlockTimestamp(recordedAt);
    await expect(w.escrow.connect(w.stranger).markDelivered(offer))
      .to.emit(w.escrow, "OrderDelivered")
      .withArgs(orderId, delivered.deliveredAt, recordedAt + INSPECTION);
    const deliveredOrder = await w.escrow.getOrder(orderId);
    expect(deliveredOrder.status).to.equal(OrderStatus.Delivered);
    expect(deliveredOrder.stamp).to.equal(recordedAt);

    // The buyer confirms: the payee is paid, the fee accrues, both passports move in the same tx.
    const confirm = w.escrow.connect(w.buyer).confirmReceipt(offer);
    await expect(confirm)
      .to.emit(w.escrow, "OrderReleased")
      .withArgs(orderId, w.payee.address, PRICE - FEE, FEE);
    await expect(confirm).to.changeTokenBalances(
      ethers,
      w.usdc,
      [w.payee, w.escrow, w.buyer],
      [PRICE - FEE, -(PRICE - FEE), 0n],
    );
    await expect(confirm)
      .to.emit(w.escrow, "PassportHandedOver")
      .withArgs(orderId, UNIT_1, w.buyer.address)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(orderId, UNIT_2, w.buyer.address)
      .and.not.to.emit(w.escrow, "PassportHandOverFailed");
    await expect(confirm)
      .to.emit(w.passports, "Transfer")
      .withArgs(escrowAddress, w.buyer.address, UNIT_1);
    expect(await w.escrow.accruedFees(await w.usdc.getAddress())).to.equal(FEE);
    expect(await w.usdc.balanceOf(escrowAddress)).to.equal(FEE);
    expect((await w.escrow.getOrder(orderId)).status).to.equal(OrderStatus.Released);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.buyer.address);
    expect(await w.passports.ownerOf(UNIT_2)).to.equal(w.buyer.address);
    expect(await w.passports.ownerOf(UNIT_3)).to.equal(w.merchant.address);
    expect(await w.passports.balanceOf(w.buyer.address)).to.equal(2n);
    expect(await w.passports.balanceOf(w.merchant.address)).to.equal(1n);

    // What the buyer's phone shows on scanning either unit.
    for (const unit of [UNIT_1, UNIT_2]) {
      const passport = await w.passports.verify(unit);
      expect(passport.exists).to.equal(true);
      expect(passport.genuine).to.equal(true);
      expect(passport.status).to.equal(UnitStatus.Active);
      expect(passport.owner).to.equal(w.buyer.address);
      expect(passport.lotId).to.equal(w.lotId);
      expect(passport.lot.manufacturer).to.equal(w.manufacturer.address);
      const last = await readLastShipment(w.passports, w.registry, unit);
      expect(last?.shipmentId).to.equal(shipmentId);
      expect(last?.status).to.equal(ShipmentStatus.Delivered);
    }

    // The buyer, and only once, rates the merchant.
    const reviewText = "Fast, well packed; the passports matched every unit.";
    await expect(w.escrow.connect(w.buyer).review(offer, 5, reviewText))
      .to.emit(w.escrow, "Reviewed")
      .withArgs(orderId, w.merchant.address, 5, reviewText);
    expect(await w.escrow.ratingOf(w.merchant.address)).to.deep.equal([1n, 5n]);
    await expect(w.escrow.connect(w.buyer).review(offer, 4, reviewText))
      .to.be.revertedWithCustomError(w.escrow, "AlreadyReviewed")
      .withArgs(orderId);

    // The fee reaches the treasury (the deployer, as core.ts defaults it).
    await expect(w.escrow.connect(w.stranger).withdrawFees(await w.usdc.getAddress()))
      .to.emit(w.escrow, "FeesWithdrawn")
      .withArgs(await w.usdc.getAddress(), w.admin.address, FEE);
    expect(await w.usdc.balanceOf(escrowAddress)).to.equal(0n);
  });

  it("lets the new owner move a handed-over passport, which the escrow can no longer touch", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const { shipmentId } = await w.payAndShip(offer, [UNIT_1]);
    await w.recordJourney(shipmentId);
    await w.escrow.connect(w.buyer).confirmReceipt(offer);
    const escrowAddress = await w.escrow.getAddress();
    expect(await w.passports.isApprovedForAll(w.buyer.address, escrowAddress)).to.equal(false);
    await w.passports.connect(w.buyer).transferFrom(w.buyer.address, w.stranger.address, UNIT_1);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.stranger.address);
  });

  it("releases a passport-less order without touching the passports", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShip(offer);
    expect((await w.escrow.getOrder(orderId)).flags).to.equal(0n);
    await w.recordJourney(shipmentId);
    await w.escrow.markDelivered(offer);
    await expect(w.escrow.connect(w.buyer).confirmReceipt(offer))
      .to.emit(w.escrow, "OrderReleased")
      .withArgs(orderId, w.payee.address, PRICE - FEE, FEE)
      .and.not.to.emit(w.escrow, "PassportHandedOver");
    expect(await w.passports.balanceOf(w.merchant.address)).to.equal(3n);
  });
});

describe("Integration: release by a keeper after the inspection window", function () {
  it("reverts with InspectionWindowOpen until the window that began at the on-chain record closes", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShip(offer, [UNIT_1, UNIT_2]);
    await w.recordJourney(shipmentId);
    const { deliveredAt } = await w.registry.getShipment(shipmentId);
    // The keeper notices a day late: the buyer still gets the whole window from that moment.
    const recordedAt = deliveredAt + 24n * HOUR;
    await networkHelpers.time.setNextBlockTimestamp(recordedAt);
    await expect(w.escrow.connect(w.keeper).markDelivered(offer))
      .to.emit(w.escrow, "OrderDelivered")
      .withArgs(orderId, deliveredAt, recordedAt + INSPECTION);
    await expect(w.escrow.connect(w.keeper).release(offer))
      .to.be.revertedWithCustomError(w.escrow, "InspectionWindowOpen")
      .withArgs(orderId, recordedAt + INSPECTION);
    await networkHelpers.time.increaseTo(deliveredAt + INSPECTION + 1n);
    await expect(w.escrow.connect(w.keeper).release(offer))
      .to.be.revertedWithCustomError(w.escrow, "InspectionWindowOpen")
      .withArgs(orderId, recordedAt + INSPECTION);
    await networkHelpers.time.increaseTo(recordedAt + INSPECTION - 2n);
    await expect(w.escrow.connect(w.keeper).release(offer))
      .to.be.revertedWithCustomError(w.escrow, "InspectionWindowOpen")
      .withArgs(orderId, recordedAt + INSPECTION);
  });

  it("pays the payee and hands both passports to the buyer in the keeper's release transaction", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShip(offer, [UNIT_1, UNIT_2]);
    await w.recordJourney(shipmentId);
    await w.escrow.connect(w.keeper).markDelivered(offer);
    const recordedAt = (await w.escrow.getOrder(orderId)).stamp;
    // The next block falls on the window's end: too late to dispute, just in time to release.
    await networkHelpers.time.increaseTo(recordedAt + INSPECTION - 1n);
    await expect(w.escrow.connect(w.buyer).openDispute(offer))
      .to.be.revertedWithCustomError(w.escrow, "InspectionWindowClosed")
      .withArgs(orderId, recordedAt + INSPECTION);
    const release = w.escrow.connect(w.keeper).release(offer);
    await expect(release)
      .to.emit(w.escrow, "OrderReleased")
      .withArgs(orderId, w.payee.address, PRICE - FEE, FEE)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(orderId, UNIT_1, w.buyer.address)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(orderId, UNIT_2, w.buyer.address);
    await expect(release).to.changeTokenBalances(
      ethers,
      w.usdc,
      [w.payee, w.keeper, w.escrow],
      [PRICE - FEE, 0n, -(PRICE - FEE)],
    );
    expect((await w.escrow.getOrder(orderId)).status).to.equal(OrderStatus.Released);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.buyer.address);
    expect(await w.passports.ownerOf(UNIT_2)).to.equal(w.buyer.address);
    await expect(w.escrow.connect(w.keeper).release(offer))
      .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
      .withArgs(orderId, OrderStatus.Released);
  });

  it("refuses a delivery the registry dates before the order was paid", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    // The merchant registers the shipment before the buyer pays; the carrier delivers it at once.
    const offer = await w.makeOffer();
    const orderId = await w.orderIdOf(offer);
    await w.registry.connect(w.merchant).createShipment(w.newShipment(orderId, [UNIT_1]));
    const shipmentId = await w.shipmentIdOf(offer);
    const createdAt = await w.now();
    await w.registry
      .connect(w.carrierA)
      .recordEvent(w.shipmentEvent(shipmentId, EventCode.PickedUp, HAMBURG, createdAt));
    await w.registry
      .connect(w.carrierA)
      .recordEvent(w.shipmentEvent(shipmentId, EventCode.Delivered, HAMBURG, createdAt));
    await networkHelpers.time.increase(HOUR);
    await w.payWithPermit(offer);
    const paidAt = (await w.escrow.getOrder(orderId)).stamp;
    await w.passports.connect(w.merchant).setApprovalForAll(await w.escrow.getAddress(), true);
    await w.escrow.connect(w.merchant).markShipped(offer);
    const { deliveredAt } = await w.registry.getShipment(shipmentId);
    await expect(w.escrow.markDelivered(offer))
      .to.be.revertedWithCustomError(w.escrow, "DeliveredBeforePayment")
      .withArgs(orderId, deliveredAt, paidAt);
    // Nothing is stuck: the deliver-by refund opens, and the unit goes back to the merchant.
    await networkHelpers.time.increaseTo(paidAt + DELIVER_WITHIN + 1n);
    await expect(w.escrow.connect(w.buyer).claimRefund(offer))
      .to.emit(w.escrow, "OrderRefunded")
      .withArgs(orderId, w.buyer.address, PRICE, RefundReason.NotDeliveredInTime);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.merchant.address);
  });
});
