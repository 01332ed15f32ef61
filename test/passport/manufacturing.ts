import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import {
  CONTENT_HASH,
  GTIN_A,
  GTIN_B,
  LOT_URI,
  PREFIX_A,
  PREFIX_B,
  PREFIX_LENGTH,
  Status,
  country,
  deployPassport,
  idOf,
  newLot,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

describe("ProductPassport: prefixes, lots and minting", function () {
  async function passportFixture() {
    return deployPassport(ethers);
  }

  describe("constructor", function () {
    it("sets the default admin and its transfer delay", async function () {
      const { passport, admin } = await networkHelpers.loadFixture(passportFixture);
      expect(await passport.defaultAdmin()).to.equal(admin.address);
      expect(await passport.defaultAdminDelay()).to.equal(3600n);
      expect(await passport.MAX_BATCH()).to.equal(200n);
      expect(await passport.MAX_CERTIFICATES()).to.equal(8n);
      expect(await passport.MAX_GS1_TEXT_LENGTH()).to.equal(20n);
    });
  });

  describe("assignPrefix / revokePrefix", function () {
    it("assigns a prefix and emits PrefixAssigned", async function () {
      const { passport, admin, carol } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(admin).assignPrefix(carol.address, 614141n, 7))
        .to.emit(passport, "PrefixAssigned")
        .withArgs(614141n, 7, carol.address);
      expect(await passport.prefixOwner(614141n, 7)).to.equal(carol.address);
      // The same digits at another length are a different prefix ("0614141" vs "614141").
      expect(await passport.prefixOwner(614141n, 6)).to.equal(ethers.ZeroAddress);
    });

    it("reverts with InvalidPrefix for lengths outside 6..12 and prefixes longer than their length", async function () {
      const { passport, carol } = await networkHelpers.loadFixture(passportFixture);
      for (const [prefix, length] of [
        [12345n, 5],
        [1n, 13],
        [1_000_000n, 6],
        [10n ** 12n, 12],
      ] as const) {
        await expect(passport.assignPrefix(carol.address, prefix, length))
          .to.be.revertedWithCustomError(passport, "InvalidPrefix")
          .withArgs(prefix, length);
      }
    });

    it("reverts with InvalidManufacturer when assigning a prefix to the zero address", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.assignPrefix(ethers.ZeroAddress, 123456n, 6))
        .to.be.revertedWithCustomError(passport, "InvalidManufacturer")
        .withArgs(ethers.ZeroAddress);
    });

    it("reverts with PrefixAlreadyAssigned when the prefix belongs to someone", async function () {
      const { passport, maker, carol } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.assignPrefix(carol.address, PREFIX_A, PREFIX_LENGTH))
        .to.be.revertedWithCustomError(passport, "PrefixAlreadyAssigned")
        .withArgs(PREFIX_A, PREFIX_LENGTH, maker.address);
    });

    it("reverts with AccessControlUnauthorizedAccount when a non-admin assigns or revokes", async function () {
      const { passport, stranger } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(stranger).assignPrefix(stranger.address, 123456n, 6))
        .to.be.revertedWithCustomError(passport, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, ethers.ZeroHash);
      await expect(passport.connect(stranger).revokePrefix(PREFIX_A, PREFIX_LENGTH))
        .to.be.revertedWithCustomError(passport, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, ethers.ZeroHash);
    });

    it("revokes a prefix with PrefixRevoked, after which the brand cannot create lots", async function () {
      const { passport, maker, now } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.revokePrefix(PREFIX_A, PREFIX_LENGTH))
        .to.emit(passport, "PrefixRevoked")
        .withArgs(PREFIX_A, PREFIX_LENGTH, maker.address);
      expect(await passport.prefixOwner(PREFIX_A, PREFIX_LENGTH)).to.equal(ethers.ZeroAddress);
      await expect(passport.connect(maker).createLot(newLot(now, { lotNumber: "L2" })))
        .to.be.revertedWithCustomError(passport, "PrefixNotAssigned")
        .withArgs(GTIN_A, maker.address);
    });

    it("reverts with PrefixNotFound when revoking an unassigned prefix", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.revokePrefix(111111n, 6))
        .to.be.revertedWithCustomError(passport, "PrefixNotFound")
        .withArgs(111111n, 6);
    });
  });

  describe("createLot", function () {
    it("creates sequential lots and emits LotCreated with every field", async function () {
      const { passport, maker, now } = await networkHelpers.loadFixture(passportFixture);
      const lot = newLot(now, { lotNumber: "B/2026-02", originCountry: country("VN") });
      expect(await passport.connect(maker).createLot.staticCall(lot)).to.equal(2n);
      await expect(passport.connect(maker).createLot(lot))
        .to.emit(passport, "LotCreated")
        .withArgs(
          2n,
          GTIN_A,
          maker.address,
          "B/2026-02",
          country("VN"),
          lot.productionDate,
          CONTENT_HASH,
          LOT_URI,
        );
      await passport.connect(maker).mint(2n, "X1", maker.address);
      const v = await passport.verify(idOf(GTIN_A, "X1"));
      expect(v.lotId).to.equal(2n);
      expect(v.lot.manufacturer).to.equal(maker.address);
      expect(v.lot.gtin).to.equal(GTIN_A);
      expect(v.lot.originCountry).to.equal(country("VN"));
      expect(v.lot.productionDate).to.equal(BigInt(lot.productionDate));
      expect(v.lot.lotNumberHash).to.equal(keccak256(toUtf8Bytes("B/2026-02")));
      expect(v.lot.contentHash).to.equal(CONTENT_HASH);
      expect(v.lot.uri).to.equal(LOT_URI);
      expect(v.lot.recalled).to.equal(false);
    });

    it("accepts a production date equal to the block time", async function () {
      const { passport, maker } = await networkHelpers.loadFixture(passportFixture);
      const next = (await networkHelpers.time.latest()) + 10;
      await networkHelpers.time.setNextBlockTimestamp(next);
      await expect(
        passport.connect(maker).createLot(newLot(next, { lotNumber: "NOW", productionDate: next })),
      ).to.emit(passport, "LotCreated");
    });

    it("reverts with AccessControlUnauthorizedAccount when the caller is not a manufacturer", async function () {
      const { passport, stranger, MANUFACTURER, now } =
        await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(stranger).createLot(newLot(now)))
        .to.be.revertedWithCustomError(passport, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, MANUFACTURER);
    });

    it("reverts with InvalidGtin naming the GTIN when the check digit is wrong", async function () {
      const { passport, maker, now } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(maker).createLot(newLot(now, { gtin: GTIN_A + 1n })))
        .to.be.revertedWithCustomError(passport, "InvalidGtin")
        .withArgs(GTIN_A + 1n);
    });

    it("reverts with InvalidLotNumber for empty, 21-character and non-CSET-82 lot numbers", async function () {
      const { passport, maker, now } = await networkHelpers.loadFixture(passportFixture);
      for (const lotNumber of ["", "A".repeat(21), "LOT 1", "LOT#1"]) {
        await expect(passport.connect(maker).createLot(newLot(now, { lotNumber })))
          .to.be.revertedWithCustomError(passport, "InvalidLotNumber")
          .withArgs(lotNumber);
      }
    });

    it("reverts with InvalidCountry unless the origin is two upper-case letters", async function () {
      const { passport, maker, now } = await networkHelpers.loadFixture(passportFixture);
      for (const code of ["de", "D1", "@Z", "Z[", "\u0000\u0000"]) {
        await expect(
          passport.connect(maker).createLot(newLot(now, { originCountry: country(code) })),
        )
          .to.be.revertedWithCustomError(passport, "InvalidCountry")
          .withArgs(country(code));
      }
    });

    it("reverts with ProductionDateInFuture for a date after the block", async function () {
      const { passport, maker } = await networkHelpers.loadFixture(passportFixture);
      const next = (await networkHelpers.time.latest()) + 10;
      await networkHelpers.time.setNextBlockTimestamp(next);
      await expect(passport.connect(maker).createLot(newLot(next, { productionDate: next + 1 })))
        .to.be.revertedWithCustomError(passport, "ProductionDateInFuture")
        .withArgs(next + 1, next);
    });

    it("reverts with PrefixNotAssigned for another brand's GTIN", async function () {
      const { passport, maker, now } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(maker).createLot(newLot(now, { gtin: GTIN_B })))
        .to.be.revertedWithCustomError(passport, "PrefixNotAssigned")
        .withArgs(GTIN_B, maker.address);
    });

    it("reverts with PrefixNotAssigned when the stated prefix length does not match the assignment", async function () {
      const { passport, maker, now } = await networkHelpers.loadFixture(passportFixture);
      for (const prefixLength of [5, 6, 8, 13]) {
        await expect(passport.connect(maker).createLot(newLot(now, { prefixLength })))
          .to.be.revertedWithCustomError(passport, "PrefixNotAssigned")
          .withArgs(GTIN_A, maker.address);
      }
    });

    it("lets the second brand create lots under its own prefix only", async function () {
      const { passport, maker2, now } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(maker2).createLot(newLot(now, { gtin: GTIN_B })))
        .to.emit(passport, "LotCreated")
        .withArgs(
          2n,
          GTIN_B,
          maker2.address,
          "LOT-2026-001",
          country("DE"),
          newLot(now).productionDate,
          CONTENT_HASH,
          LOT_URI,
        );
      expect(await passport.prefixOwner(PREFIX_B, PREFIX_LENGTH)).to.equal(maker2.address);
    });

    it("reverts with LotAlreadyExists when the GTIN and lot number were used before", async function () {
      const { passport, maker, now } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(maker).createLot(newLot(now)))
        .to.be.revertedWithCustomError(passport, "LotAlreadyExists")
        .withArgs(GTIN_A, "LOT-2026-001", 1n);
    });
  });

  describe("lotOf", function () {
    it("returns a lot's data before any unit of it is minted", async function () {
      const { passport, maker, now } = await networkHelpers.loadFixture(passportFixture);
      await passport.connect(maker).createLot(newLot(now, { lotNumber: "EMPTY" }));
      const lot = await passport.lotOf(2n);
      expect(lot.manufacturer).to.equal(maker.address);
      expect(lot.gtin).to.equal(GTIN_A);
      expect(lot.lotNumberHash).to.equal(keccak256(toUtf8Bytes("EMPTY")));
      expect(lot.uri).to.equal(LOT_URI);
    });

    it("reverts with LotNotFound for lot 0 and unknown lots", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      for (const id of [0n, 2n]) {
        await expect(passport.lotOf(id))
          .to.be.revertedWithCustomError(passport, "LotNotFound")
          .withArgs(id);
      }
    });
  });

  describe("setLotMetadata", function () {
    it("replaces the document, emitting LotMetadataUpdated and BatchMetadataUpdate over the GTIN range", async function () {
      const { passport, maker, lotId, unit1 } = await networkHelpers.loadFixture(passportFixture);
      const hash = keccak256(toUtf8Bytes("rev 2"));
      const first = GTIN_A << 160n;
      await expect(passport.connect(maker).setLotMetadata(lotId, hash, "ipfs://rev2"))
        .to.emit(passport, "LotMetadataUpdated")
        .withArgs(lotId, hash, "ipfs://rev2")
        .and.to.emit(passport, "BatchMetadataUpdate")
        .withArgs(first, first + (1n << 160n) - 1n);
      expect(await passport.tokenURI(unit1)).to.equal("ipfs://rev2");
      expect((await passport.verify(unit1)).lot.contentHash).to.equal(hash);
    });

    it("reverts with NotLotManufacturer for anyone else, the admin included", async function () {
      const { passport, admin, maker2, lotId } = await networkHelpers.loadFixture(passportFixture);
      for (const caller of [admin, maker2]) {
        await expect(passport.connect(caller).setLotMetadata(lotId, ethers.ZeroHash, ""))
          .to.be.revertedWithCustomError(passport, "NotLotManufacturer")
          .withArgs(lotId, caller.address);
      }
    });

    it("reverts with LotNotFound for an unknown lot", async function () {
      const { passport, maker } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(maker).setLotMetadata(9n, ethers.ZeroHash, ""))
        .to.be.revertedWithCustomError(passport, "LotNotFound")
        .withArgs(9n);
    });
  });

  describe("mint", function () {
    it("mints the unit whose id is tokenIdOf(gtin, serial), emitting Transfer and UnitMinted", async function () {
      const { passport, maker, bob, lotId } = await networkHelpers.loadFixture(passportFixture);
      const id = idOf(GTIN_A, "abc-01");
      expect(await passport.tokenIdOf(GTIN_A, "abc-01")).to.equal(id);
      expect(await passport.connect(maker).mint.staticCall(lotId, "abc-01", bob.address)).to.equal(
        id,
      );
      await expect(passport.connect(maker).mint(lotId, "abc-01", bob.address))
        .to.emit(passport, "Transfer")
        .withArgs(ethers.ZeroAddress, bob.address, id)
        .and.to.emit(passport, "UnitMinted")
        .withArgs(id, lotId, bob.address);
      expect(await passport.ownerOf(id)).to.equal(bob.address);
      expect(await passport.unitStatus(id)).to.equal(Status.Active);
    });

    it("reverts with InvalidSerial for empty, 21-character, spaced and non-ASCII serials", async function () {
      const { passport, maker, lotId } = await networkHelpers.loadFixture(passportFixture);
      for (const serial of ["", "1".repeat(21), "A B", "caf\u00e9", "x#y"]) {
        await expect(passport.connect(maker).mint(lotId, serial, maker.address))
          .to.be.revertedWithCustomError(passport, "InvalidSerial")
          .withArgs(serial);
      }
    });

    it("reverts with UnitAlreadyMinted for a cloned serial", async function () {
      const { passport, maker, lotId, unit1 } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(maker).mint(lotId, "SN-1", maker.address))
        .to.be.revertedWithCustomError(passport, "UnitAlreadyMinted")
        .withArgs(unit1);
    });

    it("reverts with UnitAlreadyMinted for the same GTIN and serial in another lot", async function () {
      const { passport, maker, unit1, now } = await networkHelpers.loadFixture(passportFixture);
      await passport.connect(maker).createLot(newLot(now, { lotNumber: "OTHER" }));
      await expect(passport.connect(maker).mint(2n, "SN-1", maker.address))
        .to.be.revertedWithCustomError(passport, "UnitAlreadyMinted")
        .withArgs(unit1);
    });

    it("reverts with NotLotManufacturer when another manufacturer mints into the lot", async function () {
      const { passport, maker2, lotId } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(maker2).mint(lotId, "X", maker2.address))
        .to.be.revertedWithCustomError(passport, "NotLotManufacturer")
        .withArgs(lotId, maker2.address);
    });

    it("reverts with LotNotFound for an unknown lot", async function () {
      const { passport, maker } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(maker).mint(7n, "X", maker.address))
        .to.be.revertedWithCustomError(passport, "LotNotFound")
        .withArgs(7n);
    });

    it("reverts with AccessControlUnauthorizedAccount once the manufacturer's role is revoked", async function () {
      const { passport, maker, lotId, MANUFACTURER } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.revokeRole(MANUFACTURER, maker.address);
      await expect(passport.connect(maker).mint(lotId, "X", maker.address))
        .to.be.revertedWithCustomError(passport, "AccessControlUnauthorizedAccount")
        .withArgs(maker.address, MANUFACTURER);
    });

    it("reverts with ERC721InvalidReceiver when minting to the zero address", async function () {
      const { passport, maker, lotId } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(maker).mint(lotId, "X", ethers.ZeroAddress))
        .to.be.revertedWithCustomError(passport, "ERC721InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("mintBatch", function () {
    it("mints every serial to the recipient with one UnitMinted each", async function () {
      const { passport, maker, bob, lotId } = await networkHelpers.loadFixture(passportFixture);
      const serials = ["B1", "B2", "b3", "0004"];
      const tx = passport.connect(maker).mintBatch(lotId, serials, bob.address);
      for (const s of serials) {
        await expect(tx)
          .to.emit(passport, "UnitMinted")
          .withArgs(idOf(GTIN_A, s), lotId, bob.address);
      }
      expect(await passport.balanceOf(bob.address)).to.equal(4n);
    });

    it("mints the cap of 200 units in one call", async function () {
      const { passport, maker, bob, lotId } = await networkHelpers.loadFixture(passportFixture);
      const serials = Array.from({ length: 200 }, (_, i) => `C${i}`);
      await passport.connect(maker).mintBatch(lotId, serials, bob.address);
      expect(await passport.balanceOf(bob.address)).to.equal(200n);
    });

    it("reverts with InvalidBatchSize for an empty batch and for 201 serials", async function () {
      const { passport, maker, lotId } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(maker).mintBatch(lotId, [], maker.address))
        .to.be.revertedWithCustomError(passport, "InvalidBatchSize")
        .withArgs(0n, 200n);
      const serials = Array.from({ length: 201 }, (_, i) => `D${i}`);
      await expect(passport.connect(maker).mintBatch(lotId, serials, maker.address))
        .to.be.revertedWithCustomError(passport, "InvalidBatchSize")
        .withArgs(201n, 200n);
    });

    it("reverts the whole batch with UnitAlreadyMinted when a serial repeats inside it", async function () {
      const { passport, maker, bob, lotId } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(maker).mintBatch(lotId, ["E1", "E2", "E1"], bob.address))
        .to.be.revertedWithCustomError(passport, "UnitAlreadyMinted")
        .withArgs(idOf(GTIN_A, "E1"));
      expect(await passport.balanceOf(bob.address)).to.equal(0n);
    });

    it("reverts the whole batch with InvalidSerial naming the bad serial", async function () {
      const { passport, maker, lotId } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(maker).mintBatch(lotId, ["F1", "F 2"], maker.address))
        .to.be.revertedWithCustomError(passport, "InvalidSerial")
        .withArgs("F 2");
    });

    it("reverts with NotLotManufacturer and LotNotFound like mint", async function () {
      const { passport, maker, maker2, lotId } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(maker2).mintBatch(lotId, ["G1"], maker2.address))
        .to.be.revertedWithCustomError(passport, "NotLotManufacturer")
        .withArgs(lotId, maker2.address);
      await expect(passport.connect(maker).mintBatch(5n, ["G1"], maker.address))
        .to.be.revertedWithCustomError(passport, "LotNotFound")
        .withArgs(5n);
    });
  });
});
