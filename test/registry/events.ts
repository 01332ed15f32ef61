import { expect } from "chai";
import { ZeroAddress, id } from "ethers";
import { network } from "hardhat";

import { EVENT_CODES, SHIPMENT_STATUSES } from "@waybill/sdk";
import {
  ALLOWED,
  EventCode,
  HAMBURG,
  PATH_TO,
  ROTTERDAM,
  STATUS,
  type RegistryFixture,
  createShipment,
  deployRegistry,
  shipmentEvent,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

describe("ShipmentRegistry: recording events", function () {
  async function registryFixture() {
    return deployRegistry(ethers);
  }

  async function inTransitFixture() {
    const f = await deployRegistry(ethers);
    const shipmentId = await createShipment(f);
    const t = await networkHelpers.time.latest();
    await f.registry
      .connect(f.carrier)
      .recordEvent(shipmentEvent(shipmentId, EventCode.PickedUp, t));
    return { ...f, shipmentId };
  }

  /** Takes a fresh shipment to `status` through its carrier. */
  async function shipmentIn(f: RegistryFixture, status: number, ref: string): Promise<string> {
    const shipmentId = await createShipment(f, ref);
    for (const code of PATH_TO[status]) {
      const t = await networkHelpers.time.latest();
      await f.registry.connect(f.carrier).recordEvent(shipmentEvent(shipmentId, code, t));
    }
    expect((await f.registry.getShipment(shipmentId)).status).to.equal(status);
    return shipmentId;
  }

  describe("every allowed transition", function () {
    for (const { from, code, to } of ALLOWED) {
      it(`${EVENT_CODES[code]} moves a shipment from ${SHIPMENT_STATUSES[from]} to ${SHIPMENT_STATUSES[to]} and emits ShipmentEventRecorded`, async function () {
        const f = await networkHelpers.loadFixture(registryFixture);
        const shipmentId = await shipmentIn(f, from, "allowed");
        const before = await f.registry.getShipment(shipmentId);
        const t = (await networkHelpers.time.latest()) + 1;
        await networkHelpers.time.setNextBlockTimestamp(t);
        const next = code === EventCode.HandedOver ? f.carrier2.address : ZeroAddress;
        const ev = shipmentEvent(shipmentId, code, t, {
          location: ROTTERDAM,
          nextCarrier: next,
          evidenceURI: "ipfs://evidence",
        });
        const after = code === EventCode.HandedOver ? f.carrier2.address : f.carrier.address;
        await expect(f.registry.connect(f.carrier).recordEvent(ev))
          .to.emit(f.registry, "ShipmentEventRecorded")
          .withArgs(
            shipmentId,
            after,
            code,
            ROTTERDAM,
            t,
            ev.evidenceHash,
            next,
            f.carrier.address,
            "ipfs://evidence",
          );
        const view = await f.registry.getShipment(shipmentId);
        expect(view.status).to.equal(to);
        expect(view.carrier).to.equal(after);
        expect(view.lastEventCode).to.equal(code);
        expect(view.lastEventAt).to.equal(t);
        expect(view.eventCount).to.equal(before.eventCount + 1n);
        expect(view.deliveredAt).to.equal(to === STATUS.Delivered ? BigInt(t) : 0n);
      });
    }
  });

  describe("every forbidden transition", function () {
    const statuses = [
      STATUS.Created,
      STATUS.InTransit,
      STATUS.CustomsHold,
      STATUS.Delivered,
      STATUS.Lost,
      STATUS.Returned,
    ];
    it("reverts with InvalidTransition(shipmentId, status, code) for each (status, code) pair not allowed", async function () {
      const f = await networkHelpers.loadFixture(registryFixture);
      let checked = 0;
      for (const status of statuses) {
        const shipmentId = await shipmentIn(f, status, `forbidden-${status}`);
        for (let code = 0; code < EVENT_CODES.length; code++) {
          if (ALLOWED.some((a) => a.from === status && a.code === code)) continue;
          const t = await networkHelpers.time.latest();
          await expect(
            f.registry.connect(f.carrier).recordEvent(shipmentEvent(shipmentId, code, t)),
          )
            .to.be.revertedWithCustomError(f.registry, "InvalidTransition")
            .withArgs(shipmentId, status, code);
          checked++;
        }
      }
      // 6 statuses x 12 codes, minus the 16 allowed pairs.
      expect(checked).to.equal(6 * 12 - ALLOWED.length);
    });
  });

  it("lets an authorised key record, naming the key as recordedBy", async function () {
    const f = await networkHelpers.loadFixture(inTransitFixture);
    const t = await networkHelpers.time.latest();
    const ev = shipmentEvent(f.shipmentId, EventCode.Departed, t);
    await expect(f.registry.connect(f.key).recordEvent(ev))
      .to.emit(f.registry, "ShipmentEventRecorded")
      .withArgs(
        f.shipmentId,
        f.carrier.address,
        EventCode.Departed,
        ev.location,
        t,
        ev.evidenceHash,
        ZeroAddress,
        f.key.address,
        "",
      );
  });

  it("emits log data byte-identical to ABI encoding for evidence URIs of 0, 31, 32 and 45 bytes", async function () {
    const f = await networkHelpers.loadFixture(inTransitFixture);
    for (const uri of [
      "",
      "x".repeat(31),
      "y".repeat(32),
      "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylq",
    ]) {
      const t = await networkHelpers.time.latest();
      const ev = shipmentEvent(f.shipmentId, EventCode.Arrived, t, { evidenceURI: uri });
      const receipt = await (await f.registry.connect(f.carrier).recordEvent(ev)).wait();
      const log = receipt!.logs[0];
      const expected = f.registry.interface.encodeEventLog("ShipmentEventRecorded", [
        f.shipmentId,
        f.carrier.address,
        EventCode.Arrived,
        ev.location,
        t,
        ev.evidenceHash,
        ZeroAddress,
        f.carrier.address,
        uri,
      ]);
      expect(log.topics).to.deep.equal(expected.topics);
      expect(log.data).to.equal(expected.data);
    }
  });

  it("keeps Delivered final and its deliveredAt readable by the escrow", async function () {
    const f = await networkHelpers.loadFixture(inTransitFixture);
    const t = await networkHelpers.time.latest();
    await f.registry
      .connect(f.carrier)
      .recordEvent(shipmentEvent(f.shipmentId, EventCode.Delivered, t, { location: HAMBURG }));
    await networkHelpers.time.increase(3600);
    expect((await f.registry.getShipment(f.shipmentId)).deliveredAt).to.equal(BigInt(t));
  });

  it("reverts with ShipmentNotFound for an unknown shipment", async function () {
    const { registry, carrier } = await networkHelpers.loadFixture(registryFixture);
    const unknown = id("nothing");
    await expect(
      registry.connect(carrier).recordEvent(shipmentEvent(unknown, EventCode.PickedUp, 1)),
    )
      .to.be.revertedWithCustomError(registry, "ShipmentNotFound")
      .withArgs(unknown);
  });

  it("reverts with NotShipmentCarrier when a stranger, another carrier or another carrier's key records", async function () {
    const f = await networkHelpers.loadFixture(inTransitFixture);
    await f.registry.connect(f.carrier2).authorizeKey(f.relayer.address);
    const t = await networkHelpers.time.latest();
    for (const caller of [f.stranger, f.carrier2, f.relayer, f.shipper]) {
      await expect(
        f.registry.connect(caller).recordEvent(shipmentEvent(f.shipmentId, EventCode.Departed, t)),
      )
        .to.be.revertedWithCustomError(f.registry, "NotShipmentCarrier")
        .withArgs(f.shipmentId, caller.address, f.carrier.address);
    }
  });

  it("reverts with NotShipmentCarrier when a revoked key records", async function () {
    const f = await networkHelpers.loadFixture(inTransitFixture);
    await f.registry.connect(f.carrier).revokeKey(f.key.address);
    const t = await networkHelpers.time.latest();
    await expect(
      f.registry.connect(f.key).recordEvent(shipmentEvent(f.shipmentId, EventCode.Departed, t)),
    )
      .to.be.revertedWithCustomError(f.registry, "NotShipmentCarrier")
      .withArgs(f.shipmentId, f.key.address, f.carrier.address);
  });

  it("reverts with CarrierNotActive when the suspended carrier or its key records", async function () {
    const f = await networkHelpers.loadFixture(inTransitFixture);
    await f.registry.connect(f.manager).suspendCarrier(f.carrier.address);
    const t = await networkHelpers.time.latest();
    for (const caller of [f.carrier, f.key]) {
      await expect(
        f.registry.connect(caller).recordEvent(shipmentEvent(f.shipmentId, EventCode.Departed, t)),
      )
        .to.be.revertedWithCustomError(f.registry, "CarrierNotActive")
        .withArgs(f.carrier.address);
    }
  });

  describe("HandedOver", function () {
    it("moves custody: the old carrier and its keys can no longer record, the new one can", async function () {
      const f = await networkHelpers.loadFixture(inTransitFixture);
      const t = await networkHelpers.time.latest();
      await f.registry
        .connect(f.key)
        .recordEvent(
          shipmentEvent(f.shipmentId, EventCode.HandedOver, t, { nextCarrier: f.carrier2.address }),
        );
      for (const caller of [f.carrier, f.key]) {
        await expect(
          f.registry.connect(caller).recordEvent(shipmentEvent(f.shipmentId, EventCode.Arrived, t)),
        )
          .to.be.revertedWithCustomError(f.registry, "NotShipmentCarrier")
          .withArgs(f.shipmentId, caller.address, f.carrier2.address);
      }
      await expect(
        f.registry
          .connect(f.carrier2)
          .recordEvent(shipmentEvent(f.shipmentId, EventCode.Arrived, t)),
      ).to.emit(f.registry, "ShipmentEventRecorded");
    });

    it("reverts with InvalidNextCarrier for zero, the current carrier, a stranger, a key or a suspended carrier", async function () {
      const f = await networkHelpers.loadFixture(inTransitFixture);
      await f.registry.connect(f.manager).registerCarrier(f.relayer.address, "0x5550535300000000");
      await f.registry.connect(f.manager).suspendCarrier(f.relayer.address);
      const t = await networkHelpers.time.latest();
      for (const next of [
        ZeroAddress,
        f.carrier.address,
        f.stranger.address,
        f.key.address,
        f.relayer.address,
      ]) {
        await expect(
          f.registry
            .connect(f.carrier)
            .recordEvent(
              shipmentEvent(f.shipmentId, EventCode.HandedOver, t, { nextCarrier: next }),
            ),
        )
          .to.be.revertedWithCustomError(f.registry, "InvalidNextCarrier")
          .withArgs(next);
      }
    });

    it("reverts with InvalidNextCarrier when any other code names a next carrier", async function () {
      const f = await networkHelpers.loadFixture(inTransitFixture);
      const t = await networkHelpers.time.latest();
      await expect(
        f.registry
          .connect(f.carrier)
          .recordEvent(
            shipmentEvent(f.shipmentId, EventCode.Departed, t, { nextCarrier: f.carrier2.address }),
          ),
      )
        .to.be.revertedWithCustomError(f.registry, "InvalidNextCarrier")
        .withArgs(f.carrier2.address);
    });
  });

  describe("times and places", function () {
    it("reverts with EventInFuture when occurredAt is after the block time", async function () {
      const f = await networkHelpers.loadFixture(inTransitFixture);
      const t = (await networkHelpers.time.latest()) + 10;
      await networkHelpers.time.setNextBlockTimestamp(t);
      await expect(
        f.registry
          .connect(f.carrier)
          .recordEvent(shipmentEvent(f.shipmentId, EventCode.Departed, t + 1)),
      )
        .to.be.revertedWithCustomError(f.registry, "EventInFuture")
        .withArgs(t + 1, t);
    });

    it("reverts with EventBeforePrevious when occurredAt precedes the creation time", async function () {
      const f = await networkHelpers.loadFixture(registryFixture);
      const shipmentId = await createShipment(f);
      const created = await networkHelpers.time.latest();
      await expect(
        f.registry
          .connect(f.carrier)
          .recordEvent(shipmentEvent(shipmentId, EventCode.PickedUp, created - 1)),
      )
        .to.be.revertedWithCustomError(f.registry, "EventBeforePrevious")
        .withArgs(created - 1, created);
    });

    it("reverts with EventBeforePrevious when occurredAt precedes the last event, and accepts the same second", async function () {
      const f = await networkHelpers.loadFixture(inTransitFixture);
      const last = (await f.registry.getShipment(f.shipmentId)).lastEventAt;
      await networkHelpers.time.increase(100);
      await expect(
        f.registry
          .connect(f.carrier)
          .recordEvent(shipmentEvent(f.shipmentId, EventCode.Departed, last - 1n)),
      )
        .to.be.revertedWithCustomError(f.registry, "EventBeforePrevious")
        .withArgs(last - 1n, last);
      await expect(
        f.registry
          .connect(f.carrier)
          .recordEvent(shipmentEvent(f.shipmentId, EventCode.Departed, last)),
      ).to.emit(f.registry, "ShipmentEventRecorded");
    });

    it("reverts with InvalidLocation for a malformed event location", async function () {
      const f = await networkHelpers.loadFixture(inTransitFixture);
      const t = await networkHelpers.time.latest();
      const location = "0x434e736861"; // "CNsha"
      await expect(
        f.registry
          .connect(f.carrier)
          .recordEvent(shipmentEvent(f.shipmentId, EventCode.Departed, t, { location })),
      )
        .to.be.revertedWithCustomError(f.registry, "InvalidLocation")
        .withArgs(location);
    });
  });
});
