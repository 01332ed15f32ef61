import { expect } from "chai";
import { network } from "hardhat";

import { findLastShipment, readLastShipment } from "@waybill/sdk";
import {
  DELIVER_WITHIN,
  EventCode,
  HAMBURG,
  HOUR,
  JOURNEY_B,
  OrderStatus,
  PRICE,
  REFUND_GRACE,
  RefundReason,
  SHANGHAI,
  SHIP_WITHIN,
  ShipmentStatus,
  UNIT_1,
  UNIT_2,
  deployWaybillWorld,
} from "./helpers.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function waybillFixture() {
  return deployWaybillWorld(connection);
}

describe("Integration: refunds when the registry shows the shipment failed", function () {
  it("refunds the buyer in full on a Lost shipment and returns both passports to the merchant", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShip(offer, [UNIT_1, UNIT_2]);
    await w.record(shipmentId, w.carrierA, [
      { code: EventCode.PickedUp, location: SHANGHAI },
      { code: EventCode.Lost, location: SHANGHAI },
    ]);
    expect((await w.registry.getShipment(shipmentId)).status).to.equal(ShipmentStatus.Lost);
    await expect(w.escrow.markDelivered(offer))
      .to.be.revertedWithCustomError(w.escrow, "InvalidShipmentStatus")
      .withArgs(orderId, shipmentId, ShipmentStatus.Lost);
    await expect(w.escrow.connect(w.stranger).claimRefund(offer))
      .to.be.revertedWithCustomError(w.escrow, "NotBuyer")
      .withArgs(orderId, w.stranger.address, w.buyer.address);

    const claim = w.escrow.connect(w.buyer).claimRefund(offer);
    await expect(claim)
      .to.emit(w.escrow, "OrderRefunded")
      .withArgs(orderId, w.buyer.address, PRICE, RefundReason.ShipmentFailed)
      .and.to.emit(w.escrow, "PassportReturned")
      .withArgs(orderId, UNIT_1, w.merchant.address)
      .and.to.emit(w.escrow, "PassportReturned")
      .withArgs(orderId, UNIT_2, w.merchant.address)
      .and.not.to.emit(w.escrow, "PassportHandedOver");
    await expect(claim).to.changeTokenBalances(
      ethers,
      w.usdc,
      [w.buyer, w.escrow, w.payee],
      [PRICE, -PRICE, 0n],
    );
    expect((await w.escrow.getOrder(orderId)).status).to.equal(OrderStatus.Refunded);
    expect(await w.escrow.accruedFees(await w.usdc.getAddress())).to.equal(0n);
    for (const unit of [UNIT_1, UNIT_2]) {
      expect(await w.passports.ownerOf(unit)).to.equal(w.merchant.address);
      expect(await readLastShipment(w.passports, w.registry, unit)).to.include({
        shipmentId,
        status: ShipmentStatus.Lost,
      });
    }
    await expect(w.escrow.connect(w.buyer).confirmReceipt(offer))
      .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
      .withArgs(orderId, OrderStatus.Refunded);
  });

  it("refunds on a shipment returned to sender, after which the merchant ships the same passports on a new order", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const first = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShip(first, [UNIT_1]);
    await w.record(shipmentId, w.carrierA, [
      { code: EventCode.PickedUp, location: SHANGHAI },
      { code: EventCode.ReturnedToSender, location: SHANGHAI },
    ]);
    await expect(w.escrow.connect(w.buyer).claimRefund(first))
      .to.emit(w.escrow, "OrderRefunded")
      .withArgs(orderId, w.buyer.address, PRICE, RefundReason.ShipmentFailed);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.merchant.address);

    const second = await w.makeOffer();
    const next = await w.payAndShip(second, [UNIT_1]);
    expect((await findLastShipment(w.passports, UNIT_1))?.shipmentId).to.equal(next.shipmentId);
    await w.recordJourney(next.shipmentId);
    await expect(w.escrow.connect(w.buyer).confirmReceipt(second))
      .to.emit(w.escrow, "PassportHandedOver")
      .withArgs(next.orderId, UNIT_1, w.buyer.address);
  });

  it("refunds the buyer when the merchant cancels a shipped order, returning the passports to the merchant", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShip(offer, [UNIT_1, UNIT_2]);
    await w.record(shipmentId, w.carrierA, [{ code: EventCode.PickedUp, location: SHANGHAI }]);
    await expect(w.escrow.connect(w.buyer).refund(offer))
      .to.be.revertedWithCustomError(w.escrow, "NotSellerSide")
      .withArgs(orderId, w.buyer.address, w.merchant.address);
    const refund = w.escrow.connect(w.merchant).refund(offer);
    await expect(refund)
      .to.emit(w.escrow, "OrderRefunded")
      .withArgs(orderId, w.buyer.address, PRICE, RefundReason.MerchantCancelled)
      .and.to.emit(w.passports, "Transfer")
      .withArgs(await w.escrow.getAddress(), w.merchant.address, UNIT_1)
      .and.to.emit(w.passports, "Transfer")
      .withArgs(await w.escrow.getAddress(), w.merchant.address, UNIT_2);
    await expect(refund).to.changeTokenBalances(
      ethers,
      w.usdc,
      [w.buyer, w.escrow],
      [PRICE, -PRICE],
    );
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.merchant.address);
    expect(await w.passports.ownerOf(UNIT_2)).to.equal(w.merchant.address);

    // The carrier may still finish the journey on the registry; the escrow order stays refunded.
    await w.record(shipmentId, w.carrierA, [{ code: EventCode.Delivered, location: HAMBURG }]);
    await expect(w.escrow.markDelivered(offer))
      .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
      .withArgs(orderId, OrderStatus.Refunded);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.merchant.address);
  });

  it("refuses the merchant's refund once the registry's delivery was recorded on the escrow", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShip(offer, [UNIT_1]);
    await w.recordJourney(shipmentId);
    await w.escrow.markDelivered(offer);
    await expect(w.escrow.connect(w.merchant).refund(offer))
      .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
      .withArgs(orderId, OrderStatus.Delivered);
  });
});

describe("Integration: deadlines against the real registry", function () {
  it("refunds a paid order the merchant did not ship by the ship-by deadline", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const orderId = await w.payWithPermit(offer);
    const paidAt = (await w.escrow.getOrder(orderId)).stamp;
    const shipBy = paidAt + SHIP_WITHIN;
    await networkHelpers.time.increaseTo(shipBy - 1n);
    await expect(w.escrow.connect(w.buyer).claimRefund(offer))
      .to.be.revertedWithCustomError(w.escrow, "RefundNotAvailable")
      .withArgs(orderId, shipBy + 1n);

    // A shipment registered too late cannot be linked any more.
    await networkHelpers.time.increaseTo(shipBy);
    await w.registry.connect(w.merchant).createShipment(w.newShipment(orderId, [UNIT_1]));
    await w.passports.connect(w.merchant).setApprovalForAll(await w.escrow.getAddress(), true);
    await expect(w.escrow.connect(w.merchant).markShipped(offer))
      .to.be.revertedWithCustomError(w.escrow, "ShipByDeadlinePassed")
      .withArgs(orderId, shipBy);

    const claim = w.escrow.connect(w.buyer).claimRefund(offer);
    await expect(claim)
      .to.emit(w.escrow, "OrderRefunded")
      .withArgs(orderId, w.buyer.address, PRICE, RefundReason.NotShippedInTime);
    await expect(claim).to.changeTokenBalances(
      ethers,
      w.usdc,
      [w.buyer, w.escrow],
      [PRICE, -PRICE],
    );
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.merchant.address);
  });

  it("refunds a shipped order the registry does not show delivered by the deliver-by deadline", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShip(offer, [UNIT_1, UNIT_2]);
    const paidAt = (await w.escrow.getOrder(orderId)).stamp;
    const deliverBy = paidAt + DELIVER_WITHIN;
    await w.record(shipmentId, w.carrierA, [
      { code: EventCode.PickedUp, location: SHANGHAI },
      { code: EventCode.CustomsHeld, location: HAMBURG },
    ]);
    // The next block is the deadline's own second: still too early.
    await networkHelpers.time.increaseTo(deliverBy - 1n);
    await expect(w.escrow.connect(w.buyer).claimRefund(offer))
      .to.be.revertedWithCustomError(w.escrow, "RefundNotAvailable")
      .withArgs(orderId, deliverBy + 1n);
    await networkHelpers.time.increaseTo(deliverBy);
    const claim = w.escrow.connect(w.buyer).claimRefund(offer);
    await expect(claim)
      .to.emit(w.escrow, "OrderRefunded")
      .withArgs(orderId, w.buyer.address, PRICE, RefundReason.NotDeliveredInTime);
    await expect(claim).to.changeTokenBalances(
      ethers,
      w.usdc,
      [w.buyer, w.escrow],
      [PRICE, -PRICE],
    );
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.merchant.address);
    expect(await w.passports.ownerOf(UNIT_2)).to.equal(w.merchant.address);
  });

  it("lets anyone push the refund to the buyer once the grace period after deliver-by has passed", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const { orderId } = await w.payAndShip(offer, [UNIT_1]);
    const paidAt = (await w.escrow.getOrder(orderId)).stamp;
    const graceEnd = paidAt + DELIVER_WITHIN + REFUND_GRACE;
    await networkHelpers.time.increaseTo(graceEnd - 1n);
    await expect(w.escrow.connect(w.keeper).claimRefund(offer))
      .to.be.revertedWithCustomError(w.escrow, "NotBuyer")
      .withArgs(orderId, w.keeper.address, w.buyer.address);
    await networkHelpers.time.increaseTo(graceEnd);
    const claim = w.escrow.connect(w.keeper).claimRefund(offer);
    await expect(claim)
      .to.emit(w.escrow, "OrderRefunded")
      .withArgs(orderId, w.buyer.address, PRICE, RefundReason.NotDeliveredInTime);
    await expect(claim).to.changeTokenBalances(
      ethers,
      w.usdc,
      [w.buyer, w.keeper, w.escrow],
      [PRICE, 0n, -PRICE],
    );
  });

  it("lets the buyer refund in full a delivery recorded after deliver-by, within the inspection window", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShip(offer, [UNIT_1]);
    const paidAt = (await w.escrow.getOrder(orderId)).stamp;
    await w.record(shipmentId, w.carrierA, [{ code: EventCode.PickedUp, location: SHANGHAI }]);
    await networkHelpers.time.increaseTo(paidAt + DELIVER_WITHIN + 10n * HOUR);
    await w.record(shipmentId, w.carrierA, [{ code: EventCode.Delivered, location: HAMBURG }]);
    const { deliveredAt } = await w.registry.getShipment(shipmentId);
    const recordedAt = (await w.now()) + 10n;
    await networkHelpers.time.setNextBlockTimestamp(recordedAt);
    await expect(w.escrow.markDelivered(offer))
      .to.emit(w.escrow, "OrderDelivered")
      .withArgs(orderId, deliveredAt, recordedAt + offer.inspectionPeriod);
    await expect(w.escrow.connect(w.buyer).claimRefund(offer))
      .to.emit(w.escrow, "OrderRefunded")
      .withArgs(orderId, w.buyer.address, PRICE, RefundReason.NotDeliveredInTime);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.merchant.address);
  });

  it("reverts markShipped with InvalidShipmentStatus(None) when only someone else registered a shipment for the order", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const orderId = await w.payWithPermit(offer);
    // The same shipperRef under another shipper is another shipment id.
    await w.registry.connect(w.stranger).createShipment(w.newShipment(orderId));
    const strangers = await w.registry.shipmentIdOf(w.stranger.address, orderId);
    const merchants = await w.shipmentIdOf(offer);
    expect(strangers).to.not.equal(merchants);
    expect((await w.registry.getShipment(strangers)).status).to.equal(ShipmentStatus.Created);
    await expect(w.escrow.connect(w.merchant).markShipped(offer))
      .to.be.revertedWithCustomError(w.escrow, "InvalidShipmentStatus")
      .withArgs(orderId, merchants, ShipmentStatus.None);
    await expect(w.escrow.connect(w.stranger).markShipped(offer))
      .to.be.revertedWithCustomError(w.escrow, "NotMerchant")
      .withArgs(orderId, w.stranger.address, w.merchant.address);
  });

  it("reverts markShipped with InvalidShipmentStatus(None) when the merchant's shipment is for another order", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const other = await w.makeOffer();
    const orderId = await w.payWithPermit(offer);
    const otherId = await w.payWithPermit(other);
    await w.registry.connect(w.merchant).createShipment(w.newShipment(otherId, [UNIT_1]));
    await w.passports.connect(w.merchant).setApprovalForAll(await w.escrow.getAddress(), true);
    await expect(w.escrow.connect(w.merchant).markShipped(offer))
      .to.be.revertedWithCustomError(w.escrow, "InvalidShipmentStatus")
      .withArgs(orderId, await w.shipmentIdOf(offer), ShipmentStatus.None);
    await expect(w.escrow.connect(w.merchant).markShipped(other))
      .to.emit(w.escrow, "OrderShipped")
      .withArgs(otherId, await w.shipmentIdOf(other), true);
  });

  it("reverts markShipped with InvalidShipmentStatus(Lost) for a shipment lost before pick-up", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const orderId = await w.payWithPermit(offer);
    await w.registry.connect(w.merchant).createShipment(w.newShipment(orderId));
    const shipmentId = await w.shipmentIdOf(offer);
    await w.record(shipmentId, w.carrierA, [{ code: EventCode.Lost, location: SHANGHAI }]);
    await expect(w.escrow.connect(w.merchant).markShipped(offer))
      .to.be.revertedWithCustomError(w.escrow, "InvalidShipmentStatus")
      .withArgs(orderId, shipmentId, ShipmentStatus.Lost);
  });

  it("reverts markShipped with PassportsNotApproved until the merchant approves the escrow", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const orderId = await w.payWithPermit(offer);
    await w.registry.connect(w.merchant).createShipment(w.newShipment(orderId, [UNIT_1]));
    await expect(w.escrow.connect(w.merchant).markShipped(offer))
      .to.be.revertedWithCustomError(w.escrow, "PassportsNotApproved")
      .withArgs(w.merchant.address);
    await w.passports.connect(w.merchant).setApprovalForAll(await w.escrow.getAddress(), true);
    await expect(w.escrow.connect(w.merchant).markShipped(offer))
      .to.emit(w.escrow, "OrderShipped")
      .withArgs(orderId, await w.shipmentIdOf(offer), true);
  });

  it("reverts the registry's createShipment with the passport's PassportNotOwnedByShipper for someone else's unit", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const orderId = await w.payWithPermit(offer);
    await expect(w.registry.connect(w.stranger).createShipment(w.newShipment(orderId, [UNIT_1])))
      .to.be.revertedWithCustomError(w.passports, "PassportNotOwnedByShipper")
      .withArgs(UNIT_1, w.stranger.address);
    await w.passports.connect(w.merchant).reportStolen(UNIT_2);
    await expect(
      w.registry.connect(w.merchant).createShipment(w.newShipment(orderId, [UNIT_1, UNIT_2])),
    )
      .to.be.revertedWithCustomError(w.passports, "UnitReportedStolen")
      .withArgs(UNIT_2);
    // All or nothing: UNIT_1 was not recorded as shipped either.
    expect(await findLastShipment(w.passports, UNIT_1)).to.equal(undefined);
  });

  it("does not let a late Delivered on the registry revive an order refunded for late delivery", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShip(offer, [UNIT_1]);
    const paidAt = (await w.escrow.getOrder(orderId)).stamp;
    await w.record(shipmentId, w.carrierA, [{ code: EventCode.PickedUp, location: SHANGHAI }]);
    await networkHelpers.time.increaseTo(paidAt + DELIVER_WITHIN + 1n);
    await w.escrow.connect(w.buyer).claimRefund(offer);
    await w.record(shipmentId, w.carrierA, JOURNEY_B);
    await expect(w.escrow.markDelivered(offer))
      .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
      .withArgs(orderId, OrderStatus.Refunded);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.merchant.address);
  });
});
