import { expect } from "chai";
import { Signature, TypedDataEncoder, ZeroAddress, id } from "ethers";
import { network } from "hardhat";

import { EVENT_BATCH_TYPES, MAX_BATCH_EVENTS, registryDomain, signEventBatch } from "@waybill/sdk";
import type { IShipmentRegistry } from "../../typechain-types/index.js";
import {
  EventCode,
  STATUS,
  createShipment,
  deployRegistry,
  newShipment,
  shipmentEvent,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const HOUR = 3600n;

describe("ShipmentRegistry: signed event batches", function () {
  /** A picked-up shipment whose next event the depot key signs. */
  async function signedFixture() {
    const f = await deployRegistry(ethers);
    const shipmentId = await createShipment(f);
    const t = await networkHelpers.time.latest();
    await f.registry
      .connect(f.carrier)
      .recordEvent(shipmentEvent(shipmentId, EventCode.PickedUp, t));
    const deadline = BigInt(t) + HOUR;
    const ev = shipmentEvent(shipmentId, EventCode.Departed, t, { evidenceURI: "ipfs://scan" });
    return { ...f, shipmentId, t, deadline, ev };
  }

  /** Three picked-up shipments of the first carrier and one of the second, for batch tests. */
  async function batchFixture() {
    const f = await signedFixture();
    const ids = [
      f.shipmentId,
      await createShipment(f, "order-2"),
      await createShipment(f, "order-3"),
    ];
    const otherId = await createShipment(f, "order-dhl", f.carrier2.address);
    const t = await networkHelpers.time.latest();
    for (const shipmentId of ids.slice(1)) {
      await f.registry
        .connect(f.carrier)
        .recordEvent(shipmentEvent(shipmentId, EventCode.PickedUp, t));
    }
    await f.registry.connect(f.carrier2).recordEvent(shipmentEvent(otherId, EventCode.PickedUp, t));
    return { ...f, ids, otherId, t, deadline: BigInt(t) + HOUR };
  }

  /** A smart-contract-wallet carrier (ERC-1271) owned by `walletOwner`, with a picked-up shipment. */
  async function walletCarrierFixture() {
    const f = await deployRegistry(ethers);
    const walletOwner = f.stranger;
    const wallet = await ethers.deployContract("MockERC1271Wallet", [walletOwner.address]);
    const walletAddress = await wallet.getAddress();
    await f.registry.connect(f.manager).registerCarrier(walletAddress, "0x534d525400000000");
    await f.registry.connect(f.shipper).createShipment(newShipment(walletAddress, "wallet-order"));
    const shipmentId = await f.registry.shipmentIdOf(f.shipper.address, id("wallet-order"));
    const t = await networkHelpers.time.latest();
    await wallet
      .connect(walletOwner)
      .execute(
        await f.registry.getAddress(),
        f.registry.interface.encodeFunctionData("recordEvent", [
          shipmentEvent(shipmentId, EventCode.PickedUp, t),
        ]),
      );
    return { ...f, wallet, walletAddress, walletOwner, shipmentId, t, deadline: BigInt(t) + HOUR };
  }

  type Views = Awaited<ReturnType<IShipmentRegistry["getShipment"]>>[];

  async function views(f: { registry: IShipmentRegistry }, ids: string[]): Promise<Views> {
    return Promise.all(ids.map((s) => f.registry.getShipment(s)));
  }

  describe("typehashes and digest", function () {
    it("exposes the ShipmentEvent and EventBatch typehashes of the signing helper's EIP-712 types", async function () {
      const { registry } = await networkHelpers.loadFixture(signedFixture);
      const encoder = TypedDataEncoder.from(EVENT_BATCH_TYPES);
      expect(encoder.primaryType).to.equal("EventBatch");
      expect(encoder.encodeType("EventBatch")).to.equal(
        "EventBatch(address signer,ShipmentEvent[] events,uint256 nonce,uint40 deadline)ShipmentEvent(bytes32 shipmentId,uint8 code,bytes5 location,uint40 occurredAt,bytes32 evidenceHash,address nextCarrier,string evidenceURI)",
      );
      expect(await registry.EVENT_BATCH_TYPEHASH()).to.equal(id(encoder.encodeType("EventBatch")));
      expect(await registry.SHIPMENT_EVENT_TYPEHASH()).to.equal(
        id(encoder.encodeType("ShipmentEvent")),
      );
    });

    it("caps a batch at MAX_BATCH_EVENTS, the same cap the signing helper uses", async function () {
      const { registry } = await networkHelpers.loadFixture(signedFixture);
      expect(await registry.MAX_BATCH_EVENTS()).to.equal(BigInt(MAX_BATCH_EVENTS));
    });

    it("signedBatchDigest equals the standard EIP-712 hash of the signer, events (array of structs), nonce and deadline", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const events = [
        f.ev,
        shipmentEvent(f.shipmentId, EventCode.HandedOver, f.t, {
          nextCarrier: f.carrier2.address,
          evidenceURI: "x".repeat(45),
        }),
      ];
      const expected = TypedDataEncoder.hash(await registryDomain(f.registry), EVENT_BATCH_TYPES, {
        signer: f.key.address,
        events,
        nonce: 7n,
        deadline: f.deadline,
      });
      expect(await f.registry.signedBatchDigest(f.key.address, events, 7n, f.deadline)).to.equal(
        expected,
      );
      expect(
        await f.registry.signedBatchDigest(f.key.address, [...events].reverse(), 7n, f.deadline),
      ).to.not.equal(expected);
      expect(
        await f.registry.signedBatchDigest(f.carrier.address, events, 7n, f.deadline),
      ).to.not.equal(expected);
    });
  });

  describe("signEventBatch helper", function () {
    it("refuses to sign an empty batch or one above MAX_BATCH_EVENTS", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const tooMany = Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => f.ev);
      for (const [events, message] of [
        [[], "a signed batch holds 1 to 256 events, not 0"],
        [tooMany, "a signed batch holds 1 to 256 events, not 257"],
      ] as const) {
        const outcome = await signEventBatch(f.registry, f.key, [...events], 1n, f.deadline).then(
          () => "signed",
          (e: Error) => e.message,
        );
        expect(outcome).to.equal(message);
      }
    });
  });

  describe("recordEventsBySig", function () {
    it("records a key's 65-byte signed batch submitted by a relayer, using its nonce once", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signEventBatch(f.registry, f.key, [f.ev], 5n, f.deadline);
      expect(ethers.getBytes(signed.signature).length).to.equal(65);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.emit(f.registry, "ShipmentEventRecorded")
        .withArgs(
          f.shipmentId,
          f.carrier.address,
          EventCode.Departed,
          f.ev.location,
          f.t,
          f.ev.evidenceHash,
          ZeroAddress,
          f.key.address,
          "ipfs://scan",
        )
        .and.to.emit(f.registry, "NonceUsed")
        .withArgs(f.key.address, 5n);
      expect(await f.registry.isNonceUsed(f.key.address, 5n)).to.equal(true);
      expect(await f.registry.isNonceUsed(f.key.address, 4n)).to.equal(false);
      expect((await f.registry.getShipment(f.shipmentId)).eventCount).to.equal(2n);
    });

    it("accepts a 64-byte EIP-2098 compact signature from the carrier itself", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signEventBatch(f.registry, f.carrier, [f.ev], 0n, f.deadline, {
        compact: true,
      });
      expect(ethers.getBytes(signed.signature).length).to.equal(64);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.emit(f.registry, "ShipmentEventRecorded")
        .withArgs(
          f.shipmentId,
          f.carrier.address,
          EventCode.Departed,
          f.ev.location,
          f.t,
          f.ev.evidenceHash,
          ZeroAddress,
          f.carrier.address,
          "ipfs://scan",
        );
    });

    it("records every event of one signature in order, even two for one shipment, with one NonceUsed", async function () {
      const f = await networkHelpers.loadFixture(batchFixture);
      const events = [
        shipmentEvent(f.ids[0], EventCode.Departed, f.t),
        shipmentEvent(f.ids[0], EventCode.Arrived, f.t),
        shipmentEvent(f.ids[1], EventCode.Delivered, f.t),
        shipmentEvent(f.ids[2], EventCode.CustomsHeld, f.t, { evidenceURI: "ipfs://hold" }),
      ];
      const signed = await signEventBatch(f.registry, f.key, events, 300n, f.deadline);
      const receipt = await (
        await f.registry.connect(f.relayer).recordEventsBySig([signed])
      ).wait();
      const parsed = receipt!.logs.map((log) => f.registry.interface.parseLog(log)!);
      expect(parsed.map((p) => p.name)).to.deep.equal([
        "NonceUsed",
        "ShipmentEventRecorded",
        "ShipmentEventRecorded",
        "ShipmentEventRecorded",
        "ShipmentEventRecorded",
      ]);
      expect(parsed.slice(1).map((p) => [p.args.shipmentId, p.args.code])).to.deep.equal(
        events.map((ev) => [ev.shipmentId, BigInt(ev.code)]),
      );
      expect(parsed.slice(1).every((p) => p.args.recordedBy === f.key.address)).to.equal(true);
      expect(parsed[4].args.evidenceURI).to.equal("ipfs://hold");
      expect((await f.registry.getShipment(f.ids[0])).lastEventCode).to.equal(EventCode.Arrived);
      expect((await f.registry.getShipment(f.ids[0])).eventCount).to.equal(3n);
      expect((await f.registry.getShipment(f.ids[1])).status).to.equal(STATUS.Delivered);
      expect((await f.registry.getShipment(f.ids[2])).status).to.equal(STATUS.CustomsHold);
      expect(await f.registry.isNonceUsed(f.key.address, 300n)).to.equal(true);
    });

    it("records batches of different carriers in one call, each with its own nonce", async function () {
      const f = await networkHelpers.loadFixture(batchFixture);
      const fromKey = await signEventBatch(
        f.registry,
        f.key,
        [
          shipmentEvent(f.ids[0], EventCode.Departed, f.t),
          shipmentEvent(f.ids[1], EventCode.Departed, f.t),
        ],
        1n,
        f.deadline,
      );
      const fromDhl = await signEventBatch(
        f.registry,
        f.carrier2,
        [shipmentEvent(f.otherId, EventCode.Arrived, f.t)],
        1n,
        f.deadline,
        { compact: true },
      );
      await expect(f.registry.connect(f.relayer).recordEventsBySig([fromKey, fromDhl]))
        .to.emit(f.registry, "NonceUsed")
        .withArgs(f.key.address, 1n)
        .and.to.emit(f.registry, "NonceUsed")
        .withArgs(f.carrier2.address, 1n)
        .and.to.emit(f.registry, "ShipmentEventRecorded")
        .withArgs(
          f.otherId,
          f.carrier2.address,
          EventCode.Arrived,
          fromDhl.events[0].location,
          f.t,
          fromDhl.events[0].evidenceHash,
          ZeroAddress,
          f.carrier2.address,
          "",
        );
      expect((await f.registry.getShipment(f.ids[1])).lastEventCode).to.equal(EventCode.Departed);
      expect((await f.registry.getShipment(f.otherId)).eventCount).to.equal(2n);
    });

    it("lets the next carrier's batch follow a hand-over signed earlier in the same call", async function () {
      const f = await networkHelpers.loadFixture(batchFixture);
      const handOver = await signEventBatch(
        f.registry,
        f.key,
        [
          shipmentEvent(f.ids[0], EventCode.HandedOver, f.t, {
            nextCarrier: f.carrier2.address,
          }),
        ],
        1n,
        f.deadline,
      );
      const next = await signEventBatch(
        f.registry,
        f.carrier2,
        [shipmentEvent(f.ids[0], EventCode.Delivered, f.t)],
        1n,
        f.deadline,
      );
      await f.registry.connect(f.relayer).recordEventsBySig([handOver, next]);
      const view = await f.registry.getShipment(f.ids[0]);
      expect(view.carrier).to.equal(f.carrier2.address);
      expect(view.status).to.equal(STATUS.Delivered);
    });

    it("reverts with NotShipmentCarrier for an event after a hand-over inside the same batch", async function () {
      const f = await networkHelpers.loadFixture(batchFixture);
      const signed = await signEventBatch(
        f.registry,
        f.key,
        [
          shipmentEvent(f.ids[0], EventCode.HandedOver, f.t, {
            nextCarrier: f.carrier2.address,
          }),
          shipmentEvent(f.ids[0], EventCode.Arrived, f.t),
        ],
        1n,
        f.deadline,
      );
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.be.revertedWithCustomError(f.registry, "NotShipmentCarrier")
        .withArgs(f.ids[0], f.key.address, f.carrier2.address);
    });

    it("is all-or-nothing: an event for another carrier's shipment in a validly signed batch reverts the whole call", async function () {
      const f = await networkHelpers.loadFixture(batchFixture);
      const first = await signEventBatch(
        f.registry,
        f.key,
        [shipmentEvent(f.ids[2], EventCode.Departed, f.t)],
        1n,
        f.deadline,
      );
      const mixed = await signEventBatch(
        f.registry,
        f.key,
        [
          shipmentEvent(f.ids[0], EventCode.Departed, f.t),
          shipmentEvent(f.ids[1], EventCode.Departed, f.t),
          shipmentEvent(f.otherId, EventCode.Departed, f.t),
        ],
        2n,
        f.deadline,
      );
      const all = [...f.ids, f.otherId];
      const before = await views(f, all);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([first, mixed]))
        .to.be.revertedWithCustomError(f.registry, "NotShipmentCarrier")
        .withArgs(f.otherId, f.key.address, f.carrier2.address);
      expect(await views(f, all)).to.deep.equal(before);
      for (const n of [1n, 2n])
        expect(await f.registry.isNonceUsed(f.key.address, n)).to.equal(false);
    });

    it("is all-or-nothing: an invalid transition in the last event reverts the whole call", async function () {
      const f = await networkHelpers.loadFixture(batchFixture);
      const signed = await signEventBatch(
        f.registry,
        f.key,
        [
          shipmentEvent(f.ids[0], EventCode.Delivered, f.t),
          shipmentEvent(f.ids[1], EventCode.Departed, f.t),
          shipmentEvent(f.ids[0], EventCode.Arrived, f.t),
        ],
        1n,
        f.deadline,
      );
      const before = await views(f, f.ids);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.be.revertedWithCustomError(f.registry, "InvalidTransition")
        .withArgs(f.ids[0], STATUS.Delivered, EventCode.Arrived);
      expect(await views(f, f.ids)).to.deep.equal(before);
      expect(await f.registry.isNonceUsed(f.key.address, 1n)).to.equal(false);
    });

    it("is all-or-nothing: a forged second batch reverts with InvalidSignature and the first is not recorded", async function () {
      const f = await networkHelpers.loadFixture(batchFixture);
      const good = await signEventBatch(
        f.registry,
        f.key,
        [shipmentEvent(f.ids[0], EventCode.Departed, f.t)],
        1n,
        f.deadline,
      );
      // Signed by a stranger but claiming the key.
      const forged = await signEventBatch(
        f.registry,
        f.stranger,
        [shipmentEvent(f.ids[1], EventCode.Departed, f.t)],
        2n,
        f.deadline,
      );
      const bad = { ...forged, signer: f.key.address };
      const before = await views(f, f.ids);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([good, bad]))
        .to.be.revertedWithCustomError(f.registry, "InvalidSignature")
        .withArgs(f.key.address, 2n);
      expect(await views(f, f.ids)).to.deep.equal(before);
      for (const n of [1n, 2n])
        expect(await f.registry.isNonceUsed(f.key.address, n)).to.equal(false);
    });

    it("reverts with EmptyBatch for a batch without events, leaving its nonce unused", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signEventBatch(f.registry, f.key, [f.ev], 4n, f.deadline);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([{ ...signed, events: [] }]))
        .to.be.revertedWithCustomError(f.registry, "EmptyBatch")
        .withArgs(f.key.address, 4n);
      expect(await f.registry.isNonceUsed(f.key.address, 4n)).to.equal(false);
    });

    it("reverts with BatchTooLarge above MAX_BATCH_EVENTS events", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signEventBatch(f.registry, f.key, [f.ev], 4n, f.deadline);
      const events = Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => f.ev);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([{ ...signed, events }]))
        .to.be.revertedWithCustomError(f.registry, "BatchTooLarge")
        .withArgs(f.key.address, 4n, MAX_BATCH_EVENTS + 1, MAX_BATCH_EVENTS);
    });

    it("records a batch of exactly MAX_BATCH_EVENTS events", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const events = Array.from({ length: MAX_BATCH_EVENTS }, (_, i) =>
        shipmentEvent(f.shipmentId, i % 2 === 0 ? EventCode.Departed : EventCode.Arrived, f.t),
      );
      const signed = await signEventBatch(f.registry, f.key, events, 1n, f.deadline, {
        compact: true,
      });
      await f.registry.connect(f.relayer).recordEventsBySig([signed]);
      expect((await f.registry.getShipment(f.shipmentId)).eventCount).to.equal(
        BigInt(MAX_BATCH_EVENTS + 1),
      );
    });

    it("reverts with NonceAlreadyUsed when one call uses a nonce twice", async function () {
      const f = await networkHelpers.loadFixture(batchFixture);
      const a = await signEventBatch(
        f.registry,
        f.key,
        [shipmentEvent(f.ids[0], EventCode.Departed, f.t)],
        9n,
        f.deadline,
      );
      const b = await signEventBatch(
        f.registry,
        f.key,
        [shipmentEvent(f.ids[1], EventCode.Departed, f.t)],
        9n,
        f.deadline,
      );
      await expect(f.registry.connect(f.relayer).recordEventsBySig([a, b]))
        .to.be.revertedWithCustomError(f.registry, "NonceAlreadyUsed")
        .withArgs(f.key.address, 9n);
    });

    it("accepts an empty list of batches as a no-op", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([])).to.not.emit(
        f.registry,
        "ShipmentEventRecorded",
      );
    });

    it("reverts with InvalidSignature for a malformed signature length", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signEventBatch(f.registry, f.key, [f.ev], 1n, f.deadline);
      const truncated = { ...signed, signature: ethers.dataSlice(signed.signature, 0, 63) };
      await expect(f.registry.connect(f.relayer).recordEventsBySig([truncated]))
        .to.be.revertedWithCustomError(f.registry, "InvalidSignature")
        .withArgs(f.key.address, 1n);
    });

    it("reverts with InvalidSignature for a high-s (malleated) signature", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signEventBatch(f.registry, f.key, [f.ev], 1n, f.deadline);
      const sig = Signature.from(ethers.hexlify(signed.signature));
      const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
      const highS = ethers.toBeHex(n - BigInt(sig.s), 32);
      const malleated = ethers.concat([sig.r, highS, ethers.toBeHex(sig.v === 27 ? 28 : 27, 1)]);
      await expect(
        f.registry.connect(f.relayer).recordEventsBySig([{ ...signed, signature: malleated }]),
      )
        .to.be.revertedWithCustomError(f.registry, "InvalidSignature")
        .withArgs(f.key.address, 1n);
    });

    it("reverts with InvalidSignature when an event inside the batch, the nonce or the deadline is altered", async function () {
      const f = await networkHelpers.loadFixture(batchFixture);
      const events = [
        shipmentEvent(f.ids[0], EventCode.Departed, f.t, { evidenceURI: "ipfs://a" }),
        shipmentEvent(f.ids[1], EventCode.Departed, f.t),
      ];
      const signed = await signEventBatch(f.registry, f.key, events, 1n, f.deadline);
      const tampered = [
        { ...signed, events: [{ ...events[0], evidenceURI: "ipfs://b" }, events[1]] },
        { ...signed, events: [events[0], { ...events[1], evidenceHash: id("other") }] },
        { ...signed, events: [events[0], { ...events[1], occurredAt: f.t - 1 }] },
        { ...signed, events: [events[0], { ...events[1], code: EventCode.Arrived }] },
        { ...signed, nonce: 2n },
        { ...signed, deadline: f.deadline + 1n },
      ];
      for (const item of tampered) {
        await expect(f.registry.connect(f.relayer).recordEventsBySig([item]))
          .to.be.revertedWithCustomError(f.registry, "InvalidSignature")
          .withArgs(f.key.address, item.nonce);
      }
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed])).to.emit(
        f.registry,
        "ShipmentEventRecorded",
      );
    });

    it("reverts with InvalidSignature when the signed events are reordered, dropped or added to", async function () {
      const f = await networkHelpers.loadFixture(batchFixture);
      const events = f.ids.map((s) => shipmentEvent(s, EventCode.Departed, f.t));
      const signed = await signEventBatch(f.registry, f.key, events, 1n, f.deadline);
      const altered = [
        [events[1], events[0], events[2]],
        [events[0], events[1]],
        [events[0], events[1], events[2], shipmentEvent(f.ids[0], EventCode.Arrived, f.t)],
      ];
      for (const list of altered) {
        await expect(f.registry.connect(f.relayer).recordEventsBySig([{ ...signed, events: list }]))
          .to.be.revertedWithCustomError(f.registry, "InvalidSignature")
          .withArgs(f.key.address, 1n);
      }
    });
  });

  describe("replay protection", function () {
    it("rejects a replay on the same chain with NonceAlreadyUsed", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signEventBatch(f.registry, f.key, [f.ev], 1n, f.deadline);
      await f.registry.connect(f.relayer).recordEventsBySig([signed]);
      await expect(f.registry.connect(f.stranger).recordEventsBySig([signed]))
        .to.be.revertedWithCustomError(f.registry, "NonceAlreadyUsed")
        .withArgs(f.key.address, 1n);
    });

    it("rejects a batch signed for another chain with InvalidSignature", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signEventBatch(f.registry, f.key, [f.ev], 1n, f.deadline, {
        domain: { chainId: 10n },
      });
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.be.revertedWithCustomError(f.registry, "InvalidSignature")
        .withArgs(f.key.address, 1n);
    });

    it("rejects a batch signed for another registry deployment with InvalidSignature", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const other = await ethers.deployContract("ShipmentRegistry", [
        f.admin.address,
        3600,
        ZeroAddress,
      ]);
      const signed = await signEventBatch(other, f.key, [f.ev], 1n, f.deadline);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.be.revertedWithCustomError(f.registry, "InvalidSignature")
        .withArgs(f.key.address, 1n);
    });

    it("accepts a batch up to its deadline and rejects it after with SignatureExpired", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const late = await signEventBatch(f.registry, f.key, [f.ev], 1n, f.deadline);
      await networkHelpers.time.setNextBlockTimestamp(f.deadline + 1n);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([late]))
        .to.be.revertedWithCustomError(f.registry, "SignatureExpired")
        .withArgs(f.deadline, f.deadline + 1n);

      const onTime = await signEventBatch(f.registry, f.key, [f.ev], 2n, f.deadline + 10n);
      await networkHelpers.time.setNextBlockTimestamp(f.deadline + 10n);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([onTime])).to.emit(
        f.registry,
        "ShipmentEventRecorded",
      );
    });

    it("rejects a revoked key's earlier batch with NotShipmentCarrier", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signEventBatch(f.registry, f.key, [f.ev], 1n, f.deadline);
      await f.registry.connect(f.carrier).revokeKey(f.key.address);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.be.revertedWithCustomError(f.registry, "NotShipmentCarrier")
        .withArgs(f.shipmentId, f.key.address, f.carrier.address);
    });

    it("rejects a suspended carrier's key with CarrierNotActive, and accepts the batch again after reinstatement", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signEventBatch(f.registry, f.key, [f.ev], 1n, f.deadline);
      await f.registry.connect(f.manager).suspendCarrier(f.carrier.address);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.be.revertedWithCustomError(f.registry, "CarrierNotActive")
        .withArgs(f.carrier.address);
      await f.registry.connect(f.manager).reinstateCarrier(f.carrier.address);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed])).to.emit(
        f.registry,
        "ShipmentEventRecorded",
      );
    });

    it("rejects a batch by a key of another carrier with NotShipmentCarrier", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      await f.registry.connect(f.carrier2).authorizeKey(f.stranger.address);
      const signed = await signEventBatch(f.registry, f.stranger, [f.ev], 1n, f.deadline);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.be.revertedWithCustomError(f.registry, "NotShipmentCarrier")
        .withArgs(f.shipmentId, f.stranger.address, f.carrier.address);
    });
  });

  describe("cancelNonce", function () {
    it("burns a nonce, emits NonceUsed and kills the batch signed with it", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signEventBatch(f.registry, f.key, [f.ev], 1000n, f.deadline);
      await expect(f.registry.connect(f.key).cancelNonce(1000n))
        .to.emit(f.registry, "NonceUsed")
        .withArgs(f.key.address, 1000n);
      expect(await f.registry.isNonceUsed(f.key.address, 1000n)).to.equal(true);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.be.revertedWithCustomError(f.registry, "NonceAlreadyUsed")
        .withArgs(f.key.address, 1000n);
    });

    it("reverts with NonceAlreadyUsed when cancelling a used nonce; nonces are per signer", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      await f.registry.connect(f.key).cancelNonce(2n ** 255n);
      await expect(f.registry.connect(f.key).cancelNonce(2n ** 255n))
        .to.be.revertedWithCustomError(f.registry, "NonceAlreadyUsed")
        .withArgs(f.key.address, 2n ** 255n);
      expect(await f.registry.isNonceUsed(f.carrier.address, 2n ** 255n)).to.equal(false);
      await f.registry.connect(f.carrier).cancelNonce(2n ** 255n);
    });
  });

  describe("ERC-1271 carrier", function () {
    it("records a batch signed by a contract-wallet carrier through its owner key", async function () {
      const f = await networkHelpers.loadFixture(walletCarrierFixture);
      const events = [
        shipmentEvent(f.shipmentId, EventCode.Arrived, f.t),
        shipmentEvent(f.shipmentId, EventCode.OutForDelivery, f.t),
      ];
      const signed = await signEventBatch(f.registry, f.walletOwner, events, 1n, f.deadline, {
        signerAddress: f.walletAddress,
      });
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.emit(f.registry, "ShipmentEventRecorded")
        .withArgs(
          f.shipmentId,
          f.walletAddress,
          EventCode.OutForDelivery,
          events[1].location,
          f.t,
          events[1].evidenceHash,
          ZeroAddress,
          f.walletAddress,
          "",
        )
        .and.to.emit(f.registry, "NonceUsed")
        .withArgs(f.walletAddress, 1n);
      expect((await f.registry.getShipment(f.shipmentId)).eventCount).to.equal(3n);
    });

    it("rejects a contract-wallet batch its owner did not sign with InvalidSignature", async function () {
      const f = await networkHelpers.loadFixture(walletCarrierFixture);
      const ev = shipmentEvent(f.shipmentId, EventCode.Arrived, f.t);
      const signed = await signEventBatch(f.registry, f.relayer, [ev], 1n, f.deadline, {
        signerAddress: f.walletAddress,
      });
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.be.revertedWithCustomError(f.registry, "InvalidSignature")
        .withArgs(f.walletAddress, 1n);
    });

    it("reverts with InvalidSignature when an owner-key batch is resubmitted claiming the wallet carrier as signer", async function () {
      // The wallet's owner EOA is also an authorised key of the wallet carrier, and the wallet
      // accepts that EOA's raw signatures (ERC-1271), so the same bytes validate for both
      // signers. Before the signer was part of the signed EventBatch, the digest was the same
      // for both, and this resubmission recorded the events a second time under the wallet's
      // own nonce space (eventCount 3 instead of 2).
      const f = await networkHelpers.loadFixture(walletCarrierFixture);
      await f.wallet
        .connect(f.walletOwner)
        .execute(
          await f.registry.getAddress(),
          f.registry.interface.encodeFunctionData("authorizeKey", [f.walletOwner.address]),
        );
      expect(await f.registry.carrierOf(f.walletOwner.address)).to.deep.equal([
        f.walletAddress,
        true,
      ]);
      const ev = shipmentEvent(f.shipmentId, EventCode.Arrived, f.t);
      const asKey = await signEventBatch(f.registry, f.walletOwner, [ev], 1n, f.deadline);
      expect(asKey.signer).to.equal(f.walletOwner.address);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([asKey]))
        .to.emit(f.registry, "NonceUsed")
        .withArgs(f.walletOwner.address, 1n);

      const asWallet = { ...asKey, signer: f.walletAddress };
      await expect(f.registry.connect(f.relayer).recordEventsBySig([asWallet]))
        .to.be.revertedWithCustomError(f.registry, "InvalidSignature")
        .withArgs(f.walletAddress, 1n);
      expect((await f.registry.getShipment(f.shipmentId)).eventCount).to.equal(2n);
      expect(await f.registry.isNonceUsed(f.walletAddress, 1n)).to.equal(false);
    });

    it("lets the contract-wallet carrier manage keys through its own calls", async function () {
      const f = await networkHelpers.loadFixture(walletCarrierFixture);
      await expect(
        f.wallet
          .connect(f.walletOwner)
          .execute(
            await f.registry.getAddress(),
            f.registry.interface.encodeFunctionData("authorizeKey", [f.relayer.address]),
          ),
      )
        .to.emit(f.registry, "CarrierKeyAuthorized")
        .withArgs(f.walletAddress, f.relayer.address);
    });
  });
});
