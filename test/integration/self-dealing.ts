/**
 * Issue 9 with the real registry, escrow and passports: a party to an order cannot supply the
 * evidence that moves its money (as a registered carrier, as a real carrier's key, through a
 * hand-over or a relayed signature), and a recalled unit cannot be sold through escrow while it
 * may still travel on a plain shipment.
 */
import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";

import { signEventBatch } from "@waybill/sdk";
import {
  DELIVER_WITHIN,
  EventCode,
  HAMBURG,
  PRICE,
  RefundReason,
  SHANGHAI,
  UNIT_1,
  UNIT_3,
  deployWaybillWorld,
} from "./helpers.js";

const connection = await network.create();
const { networkHelpers } = connection;
const CODE_SELF = "0x53454c4600000000"; // "SELF"

async function waybillFixture() {
  return deployWaybillWorld(connection);
}

describe("Integration: self-dealing evidence and recalled units", function () {
  it("refuses to pay a merchant registered as a carrier on its own Delivered", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    await w.registry.registerCarrier(w.merchant.address, CODE_SELF);
    const offer = await w.makeOffer();
    const orderId = await w.payWithPermit(offer);
    await w.registry
      .connect(w.merchant)
      .createShipment({ ...w.newShipment(orderId), carrier: w.merchant.address });
    await w.escrow.connect(w.merchant).markShipped(offer);
    const shipmentId = await w.shipmentIdOf(offer);
    await w.record(shipmentId, w.merchant, [
      { code: EventCode.PickedUp, location: SHANGHAI },
      { code: EventCode.Delivered, location: HAMBURG },
    ]);
    await expect(w.escrow.connect(w.keeper).markDelivered(offer))
      .to.be.revertedWithCustomError(w.escrow, "EvidenceFromParty")
      .withArgs(orderId, w.merchant.address, w.merchant.address);
  });

  it("refuses a Delivered handed over to a carrier that is the merchant before the final event", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    await w.registry.registerCarrier(w.merchant.address, CODE_SELF);
    const offer = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShip(offer);
    await w.record(shipmentId, w.carrierA, [{ code: EventCode.PickedUp, location: SHANGHAI }]);
    const now = await w.now();
    await w.registry.connect(w.carrierA).recordEvent({
      ...w.shipmentEvent(shipmentId, EventCode.HandedOver, HAMBURG, now),
      nextCarrier: w.merchant.address,
    });
    await w.record(shipmentId, w.merchant, [{ code: EventCode.Delivered, location: HAMBURG }]);
    await expect(w.escrow.connect(w.keeper).markDelivered(offer))
      .to.be.revertedWithCustomError(w.escrow, "EvidenceFromParty")
      .withArgs(orderId, w.merchant.address, w.merchant.address);
  });

  it("refuses a Delivered signed by the payee's address as a real carrier's key and relayed by a stranger", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    await w.registry.connect(w.carrierA).authorizeKey(w.payee.address);
    const offer = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShip(offer);
    await w.record(shipmentId, w.carrierA, [{ code: EventCode.PickedUp, location: SHANGHAI }]);
    const at = await w.now();
    const batch = await signEventBatch(
      w.registry,
      w.payee,
      [w.shipmentEvent(shipmentId, EventCode.Delivered, HAMBURG, at)],
      7n,
      at + 3600n,
    );
    await w.registry.connect(w.stranger).recordEventsBySig([batch]);
    await expect(w.escrow.connect(w.keeper).markDelivered(offer))
      .to.be.revertedWithCustomError(w.escrow, "EvidenceFromParty")
      .withArgs(orderId, w.payee.address, w.carrierA.address);
  });

  it("refuses a buyer holding a real carrier's key an early refund on the Lost it recorded", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    await w.registry.connect(w.carrierA).authorizeKey(w.buyer.address);
    const offer = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShip(offer);
    await w.record(shipmentId, w.buyer, [
      { code: EventCode.PickedUp, location: SHANGHAI },
      { code: EventCode.Lost, location: SHANGHAI },
    ]);
    const paidAt = (await w.escrow.getOrder(orderId)).stamp;
    await expect(w.escrow.connect(w.buyer).claimRefund(offer))
      .to.be.revertedWithCustomError(w.escrow, "RefundNotAvailable")
      .withArgs(orderId, paidAt + DELIVER_WITHIN + 1n);
    // The merchant may still refund, and the deadline still protects the buyer.
    await networkHelpers.time.increaseTo(paidAt + DELIVER_WITHIN + 1n);
    await expect(w.escrow.connect(w.buyer).claimRefund(offer))
      .to.emit(w.escrow, "OrderRefunded")
      .withArgs(orderId, w.buyer.address, PRICE, RefundReason.NotDeliveredInTime);
  });

  it("refuses release while the delivering carrier is suspended, and pays once it is reinstated", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShip(offer);
    await w.record(shipmentId, w.carrierA, [
      { code: EventCode.PickedUp, location: SHANGHAI },
      { code: EventCode.Delivered, location: HAMBURG },
    ]);
    await w.escrow.connect(w.keeper).markDelivered(offer);
    await w.registry.suspendCarrier(w.carrierA.address);
    await networkHelpers.time.increase(offer.inspectionPeriod);
    await expect(w.escrow.connect(w.keeper).release(offer))
      .to.be.revertedWithCustomError(w.escrow, "EvidenceCarrierSuspended")
      .withArgs(orderId, w.carrierA.address);
    await w.registry.reinstateCarrier(w.carrierA.address);
    await expect(w.escrow.connect(w.keeper).release(offer)).to.emit(w.escrow, "OrderReleased");
  });

  it("refuses to take a unit of a recalled lot into escrow custody, while a plain shipment may carry it", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    await w.passports.connect(w.manufacturer).recallLot(w.lotId, id("notice 12"));
    expect(await w.passports.isRecalled(UNIT_1)).to.equal(true);
    const offer = await w.makeOffer();
    const orderId = await w.payWithPermit(offer);
    await w.registry.connect(w.merchant).createShipment(w.newShipment(orderId, [UNIT_1]));
    await w.passports.connect(w.merchant).setApprovalForAll(await w.escrow.getAddress(), true);
    await expect(w.escrow.connect(w.merchant).markShipped(offer))
      .to.be.revertedWithCustomError(w.escrow, "PassportRecalled")
      .withArgs(orderId, UNIT_1);
    // A return to the manufacturer: a plain shipment, no order.
    await w.registry
      .connect(w.merchant)
      .createShipment({ ...w.newShipment(id("return to manufacturer")), passportIds: [UNIT_3] });
    expect(await w.passports.ownerOf(UNIT_3)).to.equal(w.merchant.address);
  });
});
