/**
 * Issue 9 against the registry: who recorded a shipment's final event (what the escrow checks
 * against the order's parties), and a shipment listing the same passport twice.
 */
import { expect } from "chai";
import { ZeroAddress, id } from "ethers";
import { network } from "hardhat";

import { signEventBatch } from "@waybill/sdk";
import {
  EventCode,
  STATUS,
  createShipment,
  deployRegistry,
  newShipment,
  shipmentEvent,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

describe("ShipmentRegistry: final-event evidence and passport lists (issue 9)", function () {
  /** A picked-up shipment of the first carrier. */
  async function pickedUpFixture() {
    const f = await deployRegistry(ethers);
    const shipmentId = await createShipment(f);
    const t = await networkHelpers.time.latest();
    await f.registry
      .connect(f.carrier)
      .recordEvent(shipmentEvent(shipmentId, EventCode.PickedUp, t));
    return { ...f, shipmentId, t };
  }

  const evidenceOf = async (f: Awaited<ReturnType<typeof pickedUpFixture>>) =>
    f.registry.finalEventOf(f.shipper.address, id("order-1"));

  it("reports no recorder before the shipment reaches a final status", async function () {
    const f = await networkHelpers.loadFixture(pickedUpFixture);
    const [shipmentId, evidence] = await evidenceOf(f);
    expect(shipmentId).to.equal(f.shipmentId);
    expect(evidence.status).to.equal(BigInt(STATUS.InTransit));
    expect(evidence.carrier).to.equal(f.carrier.address);
    expect(evidence.recordedBy).to.equal(ZeroAddress);
    expect(evidence.carrierSuspended).to.equal(false);
  });

  it("names the carrier itself as the recorder when it recorded the delivery", async function () {
    const f = await networkHelpers.loadFixture(pickedUpFixture);
    const at = await networkHelpers.time.latest();
    await f.registry
      .connect(f.carrier)
      .recordEvent(shipmentEvent(f.shipmentId, EventCode.Delivered, at));
    const [, evidence] = await evidenceOf(f);
    expect(evidence.status).to.equal(BigInt(STATUS.Delivered));
    expect(evidence.occurredAt).to.equal(BigInt(at));
    expect(evidence.recordedBy).to.equal(f.carrier.address);
    expect(evidence.carrier).to.equal(f.carrier.address);
    // The view the tracking pages read is unchanged by the recorder bit.
    const shipment = await f.registry.getShipment(f.shipmentId);
    expect(shipment.eventCount).to.equal(2n);
    expect(shipment.carrier).to.equal(f.carrier.address);
  });

  it("remembers the key that recorded a Lost or Returned directly", async function () {
    const f = await networkHelpers.loadFixture(pickedUpFixture);
    const second = await createShipment(f, "order-2");
    const t = await networkHelpers.time.latest();
    await f.registry.connect(f.key).recordEvent(shipmentEvent(f.shipmentId, EventCode.Lost, t));
    await f.registry.connect(f.key).recordEvent(shipmentEvent(second, EventCode.PickedUp, t));
    await f.registry
      .connect(f.key)
      .recordEvent(shipmentEvent(second, EventCode.ReturnedToSender, t));
    const [, lost] = await evidenceOf(f);
    expect([lost.status, lost.recordedBy, lost.carrier]).to.deep.equal([
      BigInt(STATUS.Lost),
      f.key.address,
      f.carrier.address,
    ]);
    const [, returned] = await f.registry.finalEventOf(f.shipper.address, id("order-2"));
    expect([returned.status, returned.recordedBy]).to.deep.equal([
      BigInt(STATUS.Returned),
      f.key.address,
    ]);
  });

  it("keeps naming the carrier of a key that recorded the delivery after the key is revoked", async function () {
    const f = await networkHelpers.loadFixture(pickedUpFixture);
    const at = await networkHelpers.time.latest();
    await f.registry
      .connect(f.key)
      .recordEvent(shipmentEvent(f.shipmentId, EventCode.Delivered, at));
    await f.registry.connect(f.carrier).revokeKey(f.key.address);
    const [, evidence] = await evidenceOf(f);
    expect([evidence.recordedBy, evidence.carrier]).to.deep.equal([
      f.key.address,
      f.carrier.address,
    ]);
    expect((await f.registry.getShipment(f.shipmentId)).carrier).to.equal(f.carrier.address);
    // The final record still refuses every event as a transition, naming the real carrier.
    await expect(
      f.registry
        .connect(f.carrier)
        .recordEvent(shipmentEvent(f.shipmentId, EventCode.Departed, at)),
    )
      .to.be.revertedWithCustomError(f.registry, "InvalidTransition")
      .withArgs(f.shipmentId, STATUS.Delivered, EventCode.Departed);
  });

  it("remembers the key that signed a relayed delivery, not the relayer", async function () {
    const f = await networkHelpers.loadFixture(pickedUpFixture);
    const at = await networkHelpers.time.latest();
    const batch = await signEventBatch(
      f.registry,
      f.key,
      [shipmentEvent(f.shipmentId, EventCode.Delivered, at)],
      1n,
      BigInt(at + 3600),
    );
    await f.registry.connect(f.relayer).recordEventsBySig([batch]);
    const [, evidence] = await evidenceOf(f);
    expect(evidence.recordedBy).to.equal(f.key.address);
    expect(evidence.carrier).to.equal(f.carrier.address);
  });

  it("names the carrier that held the shipment at delivery after a hand-over", async function () {
    const f = await networkHelpers.loadFixture(pickedUpFixture);
    const at = await networkHelpers.time.latest();
    await f.registry.connect(f.carrier).recordEvent(
      shipmentEvent(f.shipmentId, EventCode.HandedOver, at, {
        nextCarrier: f.carrier2.address,
      }),
    );
    await f.registry
      .connect(f.carrier2)
      .recordEvent(shipmentEvent(f.shipmentId, EventCode.Delivered, at));
    const [, evidence] = await evidenceOf(f);
    expect(evidence.carrier).to.equal(f.carrier2.address);
    expect(evidence.recordedBy).to.equal(f.carrier2.address);
  });

  it("reports the delivering carrier's suspension as it is now", async function () {
    const f = await networkHelpers.loadFixture(pickedUpFixture);
    const at = await networkHelpers.time.latest();
    await f.registry
      .connect(f.key)
      .recordEvent(shipmentEvent(f.shipmentId, EventCode.Delivered, at));
    await f.registry.connect(f.manager).suspendCarrier(f.carrier.address);
    expect((await evidenceOf(f))[1].carrierSuspended).to.equal(true);
    await f.registry.connect(f.manager).reinstateCarrier(f.carrier.address);
    expect((await evidenceOf(f))[1].carrierSuspended).to.equal(false);
  });

  describe("passport lists", function () {
    it("refuses a shipment listing the same passport twice", async function () {
      const f = await networkHelpers.loadFixture(pickedUpFixture);
      await expect(
        f.registry
          .connect(f.shipper)
          .createShipment(newShipment(f.carrier.address, "twice", [5n, 9n, 9n])),
      )
        .to.be.revertedWithCustomError(f.registry, "PassportIdsNotAscending")
        .withArgs(2n, 9n);
    });

    it("refuses passport ids out of ascending order", async function () {
      const f = await networkHelpers.loadFixture(pickedUpFixture);
      await expect(
        f.registry
          .connect(f.shipper)
          .createShipment(newShipment(f.carrier.address, "unsorted", [9n, 5n])),
      )
        .to.be.revertedWithCustomError(f.registry, "PassportIdsNotAscending")
        .withArgs(1n, 5n);
    });
  });
});
