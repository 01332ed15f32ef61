import { expect } from "chai";
import { encodeBytes32String } from "ethers";
import { network } from "hardhat";

import { findLastShipment, getPassportShipments, readLastShipment } from "@waybill/sdk";
import {
  CONTENT_HASH,
  GTIN_A,
  LOT_URI,
  ORGANIC,
  DOC_HASH,
  SHIPMENT_1,
  Shipment,
  Status,
  country,
  deployPassport,
  idOf,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

describe("ProductPassport: custody and verify", function () {
  async function passportFixture() {
    const base = await deployPassport(ethers);
    const registry = await ethers.deployContract("PassportTestRegistry");
    return { ...base, registry };
  }

  async function withRegistryFixture() {
    const base = await passportFixture();
    await base.passport.setShipmentRegistry(await base.registry.getAddress());
    return base;
  }

  describe("setShipmentRegistry", function () {
    it("sets the registry once and emits ShipmentRegistrySet", async function () {
      const { passport, registry } = await networkHelpers.loadFixture(passportFixture);
      const address = await registry.getAddress();
      expect(await passport.shipmentRegistry()).to.equal(ethers.ZeroAddress);
      await expect(passport.setShipmentRegistry(address))
        .to.emit(passport, "ShipmentRegistrySet")
        .withArgs(address);
      expect(await passport.shipmentRegistry()).to.equal(address);
    });

    it("reverts with ShipmentRegistryAlreadySet on a second call", async function () {
      const { passport, registry, stranger } =
        await networkHelpers.loadFixture(withRegistryFixture);
      await expect(passport.setShipmentRegistry(stranger.address))
        .to.be.revertedWithCustomError(passport, "ShipmentRegistryAlreadySet")
        .withArgs(await registry.getAddress());
    });

    it("reverts with InvalidShipmentRegistry for the zero address", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.setShipmentRegistry(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        passport,
        "InvalidShipmentRegistry",
      );
    });

    it("reverts with AccessControlUnauthorizedAccount for a non-admin", async function () {
      const { passport, stranger } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(stranger).setShipmentRegistry(stranger.address))
        .to.be.revertedWithCustomError(passport, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, ethers.ZeroHash);
    });
  });

  describe("recordShipment", function () {
    it("records the shipment for every unit in a PassportShipped each, the SDK finding it by token id", async function () {
      const { passport, registry, alice, unit1, unit2 } =
        await networkHelpers.loadFixture(withRegistryFixture);
      const tx = registry.ship(await passport.getAddress(), SHIPMENT_1, alice.address, [
        unit1,
        unit2,
      ]);
      await expect(tx).to.emit(passport, "PassportShipped").withArgs(unit1, SHIPMENT_1);
      await expect(tx).to.emit(passport, "PassportShipped").withArgs(unit2, SHIPMENT_1);
      const { blockNumber } = (await (await tx).wait())!;
      expect(await getPassportShipments(passport, unit1)).to.deep.equal([
        { shipmentId: SHIPMENT_1, blockNumber, logIndex: 0 },
      ]);
      expect(await getPassportShipments(passport, unit2)).to.deep.equal([
        { shipmentId: SHIPMENT_1, blockNumber, logIndex: 1 },
      ]);
    });

    it("keeps every shipment of a unit that travels again in its log, the last one latest", async function () {
      const { passport, registry, maker, alice, lotId, unit1, unit2 } =
        await networkHelpers.loadFixture(withRegistryFixture);
      const second = encodeBytes32String("shipment-2");
      await registry.ship(await passport.getAddress(), SHIPMENT_1, alice.address, [unit1, unit2]);
      const again = await (
        await registry.ship(await passport.getAddress(), second, alice.address, [unit1])
      ).wait();
      expect(
        (await getPassportShipments(passport, unit1)).map((shipment) => shipment.shipmentId),
      ).to.deep.equal([SHIPMENT_1, second]);
      expect((await findLastShipment(passport, unit1))?.shipmentId).to.equal(second);
      expect((await findLastShipment(passport, unit2))?.shipmentId).to.equal(SHIPMENT_1);
      // From a later block the earlier shipment is out of range: the caller's start block bounds it.
      expect(
        await getPassportShipments(passport, unit2, { fromBlock: again!.blockNumber }),
      ).to.deep.equal([]);
      await passport.connect(maker).mint(lotId, "NEVER-SHIPPED", alice.address);
      expect(await findLastShipment(passport, idOf(GTIN_A, "NEVER-SHIPPED"))).to.equal(undefined);
    });

    it("reverts with NotShipmentRegistry when anyone else calls, the admin included", async function () {
      const { passport, admin, alice, unit1 } =
        await networkHelpers.loadFixture(withRegistryFixture);
      for (const caller of [admin, alice]) {
        await expect(passport.connect(caller).recordShipment(SHIPMENT_1, alice.address, [unit1]))
          .to.be.revertedWithCustomError(passport, "NotShipmentRegistry")
          .withArgs(caller.address);
      }
    });

    it("reverts with NotShipmentRegistry while no registry is set", async function () {
      const { passport, registry, alice, unit1 } =
        await networkHelpers.loadFixture(passportFixture);
      await expect(registry.ship(await passport.getAddress(), SHIPMENT_1, alice.address, [unit1]))
        .to.be.revertedWithCustomError(passport, "NotShipmentRegistry")
        .withArgs(await registry.getAddress());
    });

    it("reverts with PassportNotOwnedByShipper for a unit the shipper does not own, recording nothing", async function () {
      const { passport, registry, maker, alice, bob, unit1, unit2, lotId } =
        await networkHelpers.loadFixture(withRegistryFixture);
      await passport.connect(maker).mint(lotId, "BOB-1", bob.address);
      const bobs = idOf(GTIN_A, "BOB-1");
      await expect(
        registry.ship(await passport.getAddress(), SHIPMENT_1, alice.address, [unit1, bobs, unit2]),
      )
        .to.be.revertedWithCustomError(passport, "PassportNotOwnedByShipper")
        .withArgs(bobs, alice.address);
      expect(await getPassportShipments(passport, unit1)).to.deep.equal([]);
      const ghost = idOf(GTIN_A, "GHOST");
      await expect(registry.ship(await passport.getAddress(), SHIPMENT_1, alice.address, [ghost]))
        .to.be.revertedWithCustomError(passport, "PassportNotOwnedByShipper")
        .withArgs(ghost, alice.address);
    });

    it("reverts with PassportNotOwnedByShipper for the zero shipper, even on a burned id", async function () {
      const { passport, registry, alice, unit1 } =
        await networkHelpers.loadFixture(withRegistryFixture);
      await passport.connect(alice).burn(unit1, 0);
      await expect(
        registry.ship(await passport.getAddress(), SHIPMENT_1, ethers.ZeroAddress, [unit1]),
      )
        .to.be.revertedWithCustomError(passport, "PassportNotOwnedByShipper")
        .withArgs(unit1, ethers.ZeroAddress);
    });

    it("reverts with UnitReportedStolen for a unit reported stolen", async function () {
      const { passport, registry, alice, unit1 } =
        await networkHelpers.loadFixture(withRegistryFixture);
      await passport.connect(alice).reportStolen(unit1);
      await expect(registry.ship(await passport.getAddress(), SHIPMENT_1, alice.address, [unit1]))
        .to.be.revertedWithCustomError(passport, "UnitReportedStolen")
        .withArgs(unit1);
    });
  });

  describe("escrow hand-over with standard approvals", function () {
    it("lets an operator (the escrow) move a merchant's passport to the buyer with transferFrom", async function () {
      const {
        passport,
        alice: merchant,
        bob: buyer,
        carol: escrow,
        unit1,
      } = await networkHelpers.loadFixture(withRegistryFixture);
      await passport.connect(merchant).setApprovalForAll(escrow.address, true);
      await expect(passport.connect(escrow).transferFrom(merchant.address, buyer.address, unit1))
        .to.emit(passport, "Transfer")
        .withArgs(merchant.address, buyer.address, unit1);
    });

    it("still blocks the escrow's transfer of a unit reported stolen", async function () {
      const {
        passport,
        alice: merchant,
        bob: buyer,
        carol: escrow,
        unit1,
      } = await networkHelpers.loadFixture(withRegistryFixture);
      await passport.connect(merchant).setApprovalForAll(escrow.address, true);
      await passport.connect(merchant).reportStolen(unit1);
      await expect(passport.connect(escrow).transferFrom(merchant.address, buyer.address, unit1))
        .to.be.revertedWithCustomError(passport, "UnitReportedStolen")
        .withArgs(unit1);
    });
  });

  describe("verify", function () {
    it("returns the full passport of a genuine unit", async function () {
      const { passport, certifier, maker, alice, lotId, unit1, now } =
        await networkHelpers.loadFixture(withRegistryFixture);
      const expiry = now + 1_000_000;
      await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, "");
      const v = await passport.verify(unit1);
      expect(v.exists).to.equal(true);
      expect(v.genuine).to.equal(true);
      expect(v.gtin).to.equal(GTIN_A);
      expect(v.serial).to.equal("SN-1");
      expect(v.status).to.equal(Status.Active);
      expect(v.owner).to.equal(alice.address);
      expect(v.lotId).to.equal(lotId);
      expect(v.lot.manufacturer).to.equal(maker.address);
      expect(v.lot.originCountry).to.equal(country("DE"));
      expect(v.lot.productionDate).to.equal(BigInt(now - 86_400));
      expect(v.lot.contentHash).to.equal(CONTENT_HASH);
      expect(v.lot.uri).to.equal(LOT_URI);
      expect(v.lot.recalled).to.equal(false);
      expect(v.certificates.length).to.equal(1);
    });

    it("reports a well-formed but unminted id as not existing, with its decoded GTIN and serial", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      const v = await passport.verify(idOf(GTIN_A, "FAKE-001"));
      expect(v.exists).to.equal(false);
      expect(v.genuine).to.equal(false);
      expect(v.status).to.equal(Status.None);
      expect(v.gtin).to.equal(GTIN_A);
      expect(v.serial).to.equal("FAKE-001");
      expect(v.owner).to.equal(ethers.ZeroAddress);
      expect(v.lotId).to.equal(0n);
      expect(v.certificates.length).to.equal(0);
    });

    it("reports a malformed id as not existing, with no GTIN and no serial, without reverting", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      for (const id of [0n, 1n, (GTIN_A + 1n) << 160n, ethers.MaxUint256]) {
        const v = await passport.verify(id);
        expect(v.exists).to.equal(false);
        expect(v.gtin).to.equal(0n);
        expect(v.serial).to.equal("");
      }
    });
  });

  describe("the SDK's last shipment of a unit (readLastShipment)", function () {
    it("reads the registry's status and state of the unit's latest shipment", async function () {
      const { passport, registry, alice, unit1 } =
        await networkHelpers.loadFixture(withRegistryFixture);
      const second = encodeBytes32String("shipment-2");
      await registry.ship(await passport.getAddress(), SHIPMENT_1, alice.address, [unit1]);
      await registry.ship(await passport.getAddress(), second, alice.address, [unit1]);
      await registry.setStatus(SHIPMENT_1, Shipment.Delivered);
      await registry.setStatus(second, Shipment.InTransit);
      const last = await readLastShipment(passport, registry, unit1);
      expect(last?.shipmentId).to.equal(second);
      expect(last?.status).to.equal(Shipment.InTransit);
      expect(last?.shipment?.status).to.equal(Shipment.InTransit);
    });

    it("reports status None, without the registry's state, for a shipment the registry does not know", async function () {
      const { passport, registry, alice, unit1 } =
        await networkHelpers.loadFixture(withRegistryFixture);
      await registry.ship(await passport.getAddress(), SHIPMENT_1, alice.address, [unit1]);
      expect(await readLastShipment(passport, registry, unit1)).to.deep.equal({
        shipmentId: SHIPMENT_1,
        status: Shipment.None,
      });
    });

    it("reports no shipment (null) for a unit never shipped", async function () {
      const { passport, registry, unit1 } = await networkHelpers.loadFixture(withRegistryFixture);
      expect(await readLastShipment(passport, registry, unit1)).to.equal(null);
    });
  });
});
