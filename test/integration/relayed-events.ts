/**
 * Carrier events signed off-chain and relayed by a third party, then the escrow reads the delivery.
 * Each carrier signs the steps it handles as one batch (one EIP-712 signature per batch).
 */
import { expect } from "chai";
import { network } from "hardhat";

import { readLastShipment, signEventBatch } from "@waybill/sdk";
import type { IShipmentRegistry } from "../../typechain-types/index.js";

import {
  EventCode,
  FEE,
  HAMBURG,
  HOUR,
  INSPECTION,
  OrderStatus,
  PRICE,
  ROTTERDAM,
  SHANGHAI,
  ShipmentStatus,
  UNIT_1,
  UNIT_2,
  type WaybillWorld,
  deployWaybillWorld,
} from "./helpers.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const STEPS: { code: number; location: string; by: "A" | "B" }[] = [
  { code: EventCode.PickedUp, location: SHANGHAI, by: "A" },
  { code: EventCode.Departed, location: SHANGHAI, by: "A" },
  { code: EventCode.HandedOver, location: ROTTERDAM, by: "A" },
  { code: EventCode.OutForDelivery, location: HAMBURG, by: "B" },
  { code: EventCode.Delivered, location: HAMBURG, by: "B" },
];

/** A shipped order carrying two passports, its shipment created ten hours ago and untouched since. */
async function shippedOrderFixture() {
  const w = await deployWaybillWorld(connection);
  const offer = await w.makeOffer();
  const { orderId, shipmentId } = await w.payAndShip(offer, [UNIT_1, UNIT_2]);
  const createdAt = (await w.registry.getShipment(shipmentId)).lastEventAt;
  await networkHelpers.time.increase(10n * HOUR);
  return { ...w, offer, orderId, shipmentId, createdAt };
}

/**
 * Carrier A signs its steps (up to the hand-over) as one batch with nonce 1, carrier B the rest
 * with its own nonce 1; the steps are an hour apart from `start`, with a day's deadline.
 */
async function signJourney(
  w: WaybillWorld,
  shipmentId: string,
  start: bigint,
): Promise<IShipmentRegistry.SignedEventBatchStruct[]> {
  const deadline = (await w.now()) + 24n * HOUR;
  const events = {
    A: [] as IShipmentRegistry.ShipmentEventStruct[],
    B: [] as IShipmentRegistry.ShipmentEventStruct[],
  };
  for (const [i, step] of STEPS.entries()) {
    const ev = w.shipmentEvent(shipmentId, step.code, step.location, start + BigInt(i + 1) * HOUR);
    if (step.code === EventCode.HandedOver) ev.nextCarrier = w.carrierB.address;
    events[step.by].push(ev);
  }
  return [
    await signEventBatch(w.registry, w.carrierA, events.A, 1n, deadline),
    await signEventBatch(w.registry, w.carrierB, events.B, 1n, deadline),
  ];
}

describe("Integration: carrier events relayed by a third party", function () {
  it("records both carriers' signed events from a relayer's batch, then releases with the passports", async function () {
    const w = await networkHelpers.loadFixture(shippedOrderFixture);
    const signed = await signJourney(w, w.shipmentId, w.createdAt);

    const relay = w.registry.connect(w.keeper).recordEventsBySig(signed);
    await expect(relay)
      .to.emit(w.registry, "ShipmentEventRecorded")
      .withArgs(
        w.shipmentId,
        w.carrierB.address,
        EventCode.HandedOver,
        ROTTERDAM,
        w.createdAt + 3n * HOUR,
        w.shipmentEvent(w.shipmentId, EventCode.HandedOver, ROTTERDAM, 0n).evidenceHash,
        w.carrierB.address,
        w.carrierA.address,
        "",
      )
      .and.to.emit(w.registry, "ShipmentEventRecorded")
      .withArgs(
        w.shipmentId,
        w.carrierB.address,
        EventCode.Delivered,
        HAMBURG,
        w.createdAt + 5n * HOUR,
        w.shipmentEvent(w.shipmentId, EventCode.Delivered, HAMBURG, 0n).evidenceHash,
        ethers.ZeroAddress,
        w.carrierB.address,
        "",
      )
      .and.to.emit(w.registry, "NonceUsed")
      .withArgs(w.carrierA.address, 1n)
      .and.to.emit(w.registry, "NonceUsed")
      .withArgs(w.carrierB.address, 1n);
    for (const signer of [w.carrierA, w.carrierB]) {
      expect(await w.registry.isNonceUsed(signer.address, 1n)).to.equal(true);
    }
    const shipment = await w.registry.getShipment(w.shipmentId);
    expect(shipment.status).to.equal(ShipmentStatus.Delivered);
    expect(shipment.carrier).to.equal(w.carrierB.address);
    expect(shipment.eventCount).to.equal(BigInt(STEPS.length));
    expect(shipment.deliveredAt).to.equal(w.createdAt + 5n * HOUR);

    // The same relayer records the delivery on the escrow: the event reports the signed delivery
    // time, but the window starts at this record, so a late relay never shortens it.
    const recordedAt = (await w.now()) + 10n;
    await networkHelpers.time.setNextBlockTimestamp(recordedAt);
    await expect(w.escrow.connect(w.keeper).markDelivered(w.offer))
      .to.emit(w.escrow, "OrderDelivered")
      .withArgs(w.orderId, shipment.deliveredAt, recordedAt + INSPECTION);
    await networkHelpers.time.increaseTo(shipment.deliveredAt + INSPECTION);
    await expect(w.escrow.connect(w.keeper).release(w.offer))
      .to.be.revertedWithCustomError(w.escrow, "InspectionWindowOpen")
      .withArgs(w.orderId, recordedAt + INSPECTION);
    await networkHelpers.time.increaseTo(recordedAt + INSPECTION);
    await expect(w.escrow.connect(w.keeper).release(w.offer))
      .to.emit(w.escrow, "OrderReleased")
      .withArgs(w.orderId, w.payee.address, PRICE - FEE, FEE)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_1, w.buyer.address)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_2, w.buyer.address);
    expect((await w.escrow.getOrder(w.orderId)).status).to.equal(OrderStatus.Released);
    expect((await readLastShipment(w.passports, w.registry, UNIT_1))?.status).to.equal(
      ShipmentStatus.Delivered,
    );
  });

  it("reverts a replayed batch with NonceAlreadyUsed and leaves the shipment as it was", async function () {
    const w = await networkHelpers.loadFixture(shippedOrderFixture);
    const signed = await signJourney(w, w.shipmentId, w.createdAt);
    await w.registry.connect(w.keeper).recordEventsBySig([signed[0]]);
    await expect(w.registry.connect(w.stranger).recordEventsBySig(signed))
      .to.be.revertedWithCustomError(w.registry, "NonceAlreadyUsed")
      .withArgs(w.carrierA.address, 1n);
    const shipment = await w.registry.getShipment(w.shipmentId);
    expect(shipment.eventCount).to.equal(3n);
    expect(shipment.status).to.equal(ShipmentStatus.InTransit);
    await expect(w.escrow.markDelivered(w.offer))
      .to.be.revertedWithCustomError(w.escrow, "InvalidShipmentStatus")
      .withArgs(w.orderId, w.shipmentId, ShipmentStatus.InTransit);
  });

  it("reverts the whole call with NotShipmentCarrier when carrier B's batch comes before the hand-over", async function () {
    const w = await networkHelpers.loadFixture(shippedOrderFixture);
    const signed = await signJourney(w, w.shipmentId, w.createdAt);
    await expect(w.registry.connect(w.keeper).recordEventsBySig([signed[1], signed[0]]))
      .to.be.revertedWithCustomError(w.registry, "NotShipmentCarrier")
      .withArgs(w.shipmentId, w.carrierB.address, w.carrierA.address);
    expect((await w.registry.getShipment(w.shipmentId)).eventCount).to.equal(0n);
    expect(await w.registry.isNonceUsed(w.carrierA.address, 1n)).to.equal(false);
  });
});
