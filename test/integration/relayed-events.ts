/**
 * Carrier events signed off-chain and relayed by a third party, then the escrow reads the delivery.
 * Kept on its own because it is the one integration test tied to the signing API of
 * `scripts/lib/shipment-signing.ts` (one EIP-712 signature per event today); when signatures move
 * to one per batch, only `signJourney` below and the replay assertion need to change.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";

import { signShipmentEvent } from "../../scripts/lib/shipment-signing.js";
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
 * Each step signed by the carrier holding the shipment at that point (A, then B after the
 * hand-over), an hour apart from `start`, with nonces 1, 2, ... per signer and a day's deadline.
 */
async function signJourney(
  w: WaybillWorld,
  shipmentId: string,
  start: bigint,
): Promise<IShipmentRegistry.SignedShipmentEventStruct[]> {
  const deadline = (await w.now()) + 24n * HOUR;
  const nonces = new Map<HardhatEthersSigner, bigint>();
  const signed: IShipmentRegistry.SignedShipmentEventStruct[] = [];
  for (const [i, step] of STEPS.entries()) {
    const carrier = step.by === "A" ? w.carrierA : w.carrierB;
    const nonce = (nonces.get(carrier) ?? 0n) + 1n;
    nonces.set(carrier, nonce);
    const ev = w.shipmentEvent(shipmentId, step.code, step.location, start + BigInt(i + 1) * HOUR);
    if (step.code === EventCode.HandedOver) ev.nextCarrier = w.carrierB.address;
    signed.push(await signShipmentEvent(w.registry, carrier, ev, nonce, deadline));
  }
  return signed;
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
      .withArgs(w.carrierB.address, 2n);
    for (const [signer, nonce] of [
      [w.carrierA, 1n],
      [w.carrierA, 3n],
      [w.carrierB, 2n],
    ] as const) {
      expect(await w.registry.isNonceUsed(signer.address, nonce)).to.equal(true);
    }
    const shipment = await w.registry.getShipment(w.shipmentId);
    expect(shipment.status).to.equal(ShipmentStatus.Delivered);
    expect(shipment.carrier).to.equal(w.carrierB.address);
    expect(shipment.eventCount).to.equal(BigInt(STEPS.length));
    expect(shipment.deliveredAt).to.equal(w.createdAt + 5n * HOUR);

    // The same relayer records the delivery on the escrow; the window began at the signed time.
    await expect(w.escrow.connect(w.keeper).markDelivered(w.offer))
      .to.emit(w.escrow, "OrderDelivered")
      .withArgs(w.orderId, shipment.deliveredAt, shipment.deliveredAt + INSPECTION);
    await networkHelpers.time.increaseTo(shipment.deliveredAt + INSPECTION);
    await expect(w.escrow.connect(w.keeper).release(w.offer))
      .to.emit(w.escrow, "OrderReleased")
      .withArgs(w.orderId, w.payee.address, PRICE - FEE, FEE)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_1, w.buyer.address)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_2, w.buyer.address);
    expect((await w.escrow.getOrder(w.orderId)).status).to.equal(OrderStatus.Released);
    expect((await w.passports.verify(UNIT_1)).lastShipmentStatus).to.equal(
      ShipmentStatus.Delivered,
    );
  });

  it("reverts a replayed batch with NonceAlreadyUsed and leaves the shipment as it was", async function () {
    const w = await networkHelpers.loadFixture(shippedOrderFixture);
    const signed = await signJourney(w, w.shipmentId, w.createdAt);
    await w.registry.connect(w.keeper).recordEventsBySig(signed.slice(0, 2));
    await expect(w.registry.connect(w.stranger).recordEventsBySig(signed))
      .to.be.revertedWithCustomError(w.registry, "NonceAlreadyUsed")
      .withArgs(w.carrierA.address, 1n);
    const shipment = await w.registry.getShipment(w.shipmentId);
    expect(shipment.eventCount).to.equal(2n);
    expect(shipment.status).to.equal(ShipmentStatus.InTransit);
    await expect(w.escrow.markDelivered(w.offer))
      .to.be.revertedWithCustomError(w.escrow, "InvalidShipmentStatus")
      .withArgs(w.orderId, w.shipmentId, ShipmentStatus.InTransit);
  });

  it("reverts the whole batch with NotShipmentCarrier when carrier B's events come before the hand-over", async function () {
    const w = await networkHelpers.loadFixture(shippedOrderFixture);
    const signed = await signJourney(w, w.shipmentId, w.createdAt);
    await expect(w.registry.connect(w.keeper).recordEventsBySig([signed[0], signed[3]]))
      .to.be.revertedWithCustomError(w.registry, "NotShipmentCarrier")
      .withArgs(w.shipmentId, w.carrierB.address, w.carrierA.address);
    expect((await w.registry.getShipment(w.shipmentId)).eventCount).to.equal(0n);
    expect(await w.registry.isNonceUsed(w.carrierA.address, 1n)).to.equal(false);
  });
});
