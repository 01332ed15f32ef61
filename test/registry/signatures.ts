import { expect } from "chai";
import { Signature, TypedDataEncoder, ZeroAddress, id } from "ethers";
import { network } from "hardhat";

import {
  SIGNED_SHIPMENT_EVENT_TYPES,
  registryDomain,
  signShipmentEvent,
} from "../../scripts/lib/shipment-signing.js";
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

describe("ShipmentRegistry: signed events", function () {
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

  /** Three picked-up shipments for batch tests. */
  async function batchFixture() {
    const f = await signedFixture();
    const ids = [
      f.shipmentId,
      await createShipment(f, "order-2"),
      await createShipment(f, "order-3"),
    ];
    const t = await networkHelpers.time.latest();
    for (const shipmentId of ids.slice(1)) {
      await f.registry
        .connect(f.carrier)
        .recordEvent(shipmentEvent(shipmentId, EventCode.PickedUp, t));
    }
    return { ...f, ids, t, deadline: BigInt(t) + HOUR };
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

  describe("typehash and digest", function () {
    it("exposes the SignedShipmentEvent typehash matching the EIP-712 types of the signing helper", async function () {
      const { registry } = await networkHelpers.loadFixture(signedFixture);
      const encoded = TypedDataEncoder.from(SIGNED_SHIPMENT_EVENT_TYPES).encodeType(
        "SignedShipmentEvent",
      );
      expect(await registry.SIGNED_EVENT_TYPEHASH()).to.equal(id(encoded));
    });

    it("signedEventDigest equals the EIP-712 hash of the event, nonce and deadline", async function () {
      const { registry, ev, deadline } = await networkHelpers.loadFixture(signedFixture);
      const expected = TypedDataEncoder.hash(
        await registryDomain(registry),
        SIGNED_SHIPMENT_EVENT_TYPES,
        {
          ...ev,
          nonce: 7n,
          deadline,
        },
      );
      expect(await registry.signedEventDigest(ev, 7n, deadline)).to.equal(expected);
    });
  });

  describe("recordEventsBySig", function () {
    it("records a key's 65-byte signed event submitted by a relayer, using its nonce", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signShipmentEvent(f.registry, f.key, f.ev, 5n, f.deadline);
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
      const signed = await signShipmentEvent(f.registry, f.carrier, f.ev, 0n, f.deadline, {
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

    it("records many events in order, even two for one shipment", async function () {
      const f = await networkHelpers.loadFixture(batchFixture);
      const signed = await Promise.all([
        signShipmentEvent(
          f.registry,
          f.key,
          shipmentEvent(f.ids[0], EventCode.Departed, f.t),
          1n,
          f.deadline,
        ),
        signShipmentEvent(
          f.registry,
          f.key,
          shipmentEvent(f.ids[0], EventCode.Arrived, f.t),
          2n,
          f.deadline,
        ),
        signShipmentEvent(
          f.registry,
          f.key,
          shipmentEvent(f.ids[1], EventCode.Delivered, f.t),
          300n,
          f.deadline,
        ),
      ]);
      await f.registry.connect(f.relayer).recordEventsBySig(signed);
      expect((await f.registry.getShipment(f.ids[0])).lastEventCode).to.equal(EventCode.Arrived);
      expect((await f.registry.getShipment(f.ids[0])).eventCount).to.equal(3n);
      expect((await f.registry.getShipment(f.ids[1])).status).to.equal(STATUS.Delivered);
      for (const n of [1n, 2n, 300n])
        expect(await f.registry.isNonceUsed(f.key.address, n)).to.equal(true);
    });

    it("is all-or-nothing: one bad item reverts the batch and changes no shipment or nonce", async function () {
      const f = await networkHelpers.loadFixture(batchFixture);
      const good1 = await signShipmentEvent(
        f.registry,
        f.key,
        shipmentEvent(f.ids[0], EventCode.Departed, f.t),
        1n,
        f.deadline,
      );
      const good2 = await signShipmentEvent(
        f.registry,
        f.key,
        shipmentEvent(f.ids[1], EventCode.Departed, f.t),
        2n,
        f.deadline,
      );
      // Signed by a stranger but claiming the key: the third item is forged.
      const forged = await signShipmentEvent(
        f.registry,
        f.stranger,
        shipmentEvent(f.ids[2], EventCode.Departed, f.t),
        3n,
        f.deadline,
      );
      const bad: IShipmentRegistry.SignedShipmentEventStruct = { ...forged, signer: f.key.address };
      const before = await Promise.all(f.ids.map((s) => f.registry.getShipment(s)));
      await expect(f.registry.connect(f.relayer).recordEventsBySig([good1, good2, bad]))
        .to.be.revertedWithCustomError(f.registry, "InvalidSignature")
        .withArgs(f.ids[2], f.key.address);
      const after = await Promise.all(f.ids.map((s) => f.registry.getShipment(s)));
      expect(after).to.deep.equal(before);
      for (const n of [1n, 2n, 3n])
        expect(await f.registry.isNonceUsed(f.key.address, n)).to.equal(false);
    });

    it("reverts with NonceAlreadyUsed when one batch uses a nonce twice", async function () {
      const f = await networkHelpers.loadFixture(batchFixture);
      const a = await signShipmentEvent(
        f.registry,
        f.key,
        shipmentEvent(f.ids[0], EventCode.Departed, f.t),
        9n,
        f.deadline,
      );
      const b = await signShipmentEvent(
        f.registry,
        f.key,
        shipmentEvent(f.ids[1], EventCode.Departed, f.t),
        9n,
        f.deadline,
      );
      await expect(f.registry.connect(f.relayer).recordEventsBySig([a, b]))
        .to.be.revertedWithCustomError(f.registry, "NonceAlreadyUsed")
        .withArgs(f.key.address, 9n);
    });

    it("accepts an empty batch as a no-op", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([])).to.not.emit(
        f.registry,
        "ShipmentEventRecorded",
      );
    });

    it("reverts with InvalidSignature for a malformed signature length", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signShipmentEvent(f.registry, f.key, f.ev, 1n, f.deadline);
      const truncated = { ...signed, signature: ethers.dataSlice(signed.signature, 0, 63) };
      await expect(f.registry.connect(f.relayer).recordEventsBySig([truncated]))
        .to.be.revertedWithCustomError(f.registry, "InvalidSignature")
        .withArgs(f.shipmentId, f.key.address);
    });

    it("reverts with InvalidSignature for a high-s (malleated) signature", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signShipmentEvent(f.registry, f.key, f.ev, 1n, f.deadline);
      const sig = Signature.from(ethers.hexlify(signed.signature));
      const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
      const highS = ethers.toBeHex(n - BigInt(sig.s), 32);
      const malleated = ethers.concat([sig.r, highS, ethers.toBeHex(sig.v === 27 ? 28 : 27, 1)]);
      await expect(
        f.registry.connect(f.relayer).recordEventsBySig([{ ...signed, signature: malleated }]),
      )
        .to.be.revertedWithCustomError(f.registry, "InvalidSignature")
        .withArgs(f.shipmentId, f.key.address);
    });

    it("reverts with InvalidSignature when any signed field is altered", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signShipmentEvent(f.registry, f.key, f.ev, 1n, f.deadline);
      const tampered = [
        { ...signed, ev: { ...f.ev, evidenceURI: "ipfs://other" } },
        { ...signed, ev: { ...f.ev, evidenceHash: id("other") } },
        { ...signed, nonce: 2n },
        { ...signed, deadline: f.deadline + 1n },
      ];
      for (const item of tampered) {
        await expect(f.registry.connect(f.relayer).recordEventsBySig([item]))
          .to.be.revertedWithCustomError(f.registry, "InvalidSignature")
          .withArgs(f.shipmentId, f.key.address);
      }
    });
  });

  describe("replay protection", function () {
    it("rejects a replay on the same chain with NonceAlreadyUsed", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signShipmentEvent(f.registry, f.key, f.ev, 1n, f.deadline);
      await f.registry.connect(f.relayer).recordEventsBySig([signed]);
      await expect(f.registry.connect(f.stranger).recordEventsBySig([signed]))
        .to.be.revertedWithCustomError(f.registry, "NonceAlreadyUsed")
        .withArgs(f.key.address, 1n);
    });

    it("rejects a signature made for another chain with InvalidSignature", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signShipmentEvent(f.registry, f.key, f.ev, 1n, f.deadline, {
        domain: { chainId: 10n },
      });
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.be.revertedWithCustomError(f.registry, "InvalidSignature")
        .withArgs(f.shipmentId, f.key.address);
    });

    it("rejects a signature made for another registry deployment with InvalidSignature", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const other = await ethers.deployContract("ShipmentRegistry", [
        f.admin.address,
        3600,
        ZeroAddress,
      ]);
      const signed = await signShipmentEvent(other, f.key, f.ev, 1n, f.deadline);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.be.revertedWithCustomError(f.registry, "InvalidSignature")
        .withArgs(f.shipmentId, f.key.address);
    });

    it("accepts a signature up to its deadline and rejects it after with SignatureExpired", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const late = await signShipmentEvent(f.registry, f.key, f.ev, 1n, f.deadline);
      await networkHelpers.time.setNextBlockTimestamp(f.deadline + 1n);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([late]))
        .to.be.revertedWithCustomError(f.registry, "SignatureExpired")
        .withArgs(f.deadline, f.deadline + 1n);

      const onTime = await signShipmentEvent(f.registry, f.key, f.ev, 2n, f.deadline + 10n);
      await networkHelpers.time.setNextBlockTimestamp(f.deadline + 10n);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([onTime])).to.emit(
        f.registry,
        "ShipmentEventRecorded",
      );
    });

    it("rejects a revoked key's earlier signature with NotShipmentCarrier", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signShipmentEvent(f.registry, f.key, f.ev, 1n, f.deadline);
      await f.registry.connect(f.carrier).revokeKey(f.key.address);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.be.revertedWithCustomError(f.registry, "NotShipmentCarrier")
        .withArgs(f.shipmentId, f.key.address, f.carrier.address);
    });

    it("rejects a suspended carrier's key with CarrierNotActive, and accepts it again after reinstatement", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signShipmentEvent(f.registry, f.key, f.ev, 1n, f.deadline);
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

    it("rejects a signature by a key of another carrier with NotShipmentCarrier", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      await f.registry.connect(f.carrier2).authorizeKey(f.stranger.address);
      const signed = await signShipmentEvent(f.registry, f.stranger, f.ev, 1n, f.deadline);
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.be.revertedWithCustomError(f.registry, "NotShipmentCarrier")
        .withArgs(f.shipmentId, f.stranger.address, f.carrier.address);
    });
  });

  describe("cancelNonce", function () {
    it("burns a nonce, emits NonceUsed and kills the signature using it", async function () {
      const f = await networkHelpers.loadFixture(signedFixture);
      const signed = await signShipmentEvent(f.registry, f.key, f.ev, 1000n, f.deadline);
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
    it("records an event signed by a contract-wallet carrier through its owner key", async function () {
      const f = await networkHelpers.loadFixture(walletCarrierFixture);
      const ev = shipmentEvent(f.shipmentId, EventCode.Arrived, f.t);
      const signed = await signShipmentEvent(f.registry, f.walletOwner, ev, 1n, f.deadline, {
        signerAddress: f.walletAddress,
      });
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.emit(f.registry, "ShipmentEventRecorded")
        .withArgs(
          f.shipmentId,
          f.walletAddress,
          EventCode.Arrived,
          ev.location,
          f.t,
          ev.evidenceHash,
          ZeroAddress,
          f.walletAddress,
          "",
        )
        .and.to.emit(f.registry, "NonceUsed")
        .withArgs(f.walletAddress, 1n);
    });

    it("rejects a contract-wallet signature its owner did not make with InvalidSignature", async function () {
      const f = await networkHelpers.loadFixture(walletCarrierFixture);
      const ev = shipmentEvent(f.shipmentId, EventCode.Arrived, f.t);
      const signed = await signShipmentEvent(f.registry, f.relayer, ev, 1n, f.deadline, {
        signerAddress: f.walletAddress,
      });
      await expect(f.registry.connect(f.relayer).recordEventsBySig([signed]))
        .to.be.revertedWithCustomError(f.registry, "InvalidSignature")
        .withArgs(f.shipmentId, f.walletAddress);
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
