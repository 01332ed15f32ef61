import { expect } from "chai";
import { getCreateAddress, keccak256, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import { withCheckDigit } from "@waybill/sdk";
import {
  CE_MARK,
  DOC_HASH,
  GTIN_A,
  Kind,
  ORGANIC,
  PREFIX_A,
  PREFIX_LENGTH,
  Status,
  deployPassport,
  idOf,
  newLot,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

/** A GTIN-14 (indicator 0) under a company prefix given as its digit string, e.g. "6141410". */
function gtinUnder(prefixDigits: string, itemReference = "1"): bigint {
  const body = `0${prefixDigits}${itemReference.padStart(12 - prefixDigits.length, "0")}`;
  return BigInt(withCheckDigit(body));
}

const REPORT = keccak256(toUtf8Bytes("police report 2026/118"));

describe("ProductPassport: GENUINE must mean genuine (issue 9, items 11-14)", function () {
  async function passportFixture() {
    return deployPassport(ethers);
  }

  /** The passport plus a theft desk holding THEFT_REGISTRAR_ROLE. */
  async function registrarFixture() {
    const base = await deployPassport(ethers);
    const [, , , , , , , , , desk] = await ethers.getSigners();
    await base.passport.grantRole(await base.passport.THEFT_REGISTRAR_ROLE(), desk.address);
    return { ...base, desk, THEFT: await base.passport.THEFT_REGISTRAR_ROLE() };
  }

  describe("item 11: assigned prefixes never overlap", function () {
    it("refuses a prefix that extends an assigned one (6141410 under 614141), naming both", async function () {
      const { passport, carol, stranger } = await networkHelpers.loadFixture(passportFixture);
      await passport.assignPrefix(carol.address, 614141n, 6);
      await expect(passport.assignPrefix(stranger.address, 6141410n, 7))
        .to.be.revertedWithCustomError(passport, "PrefixOverlaps")
        .withArgs(6141410n, 7, 614141n, 6);
      // Twelve digits deep still finds the six-digit owner.
      await expect(passport.assignPrefix(stranger.address, 614141999999n, 12))
        .to.be.revertedWithCustomError(passport, "PrefixOverlaps")
        .withArgs(614141999999n, 12, 614141n, 6);
    });

    it("refuses a prefix that assigned ones extend (614141 over 6141410 and 61414123)", async function () {
      const { passport, carol, stranger } = await networkHelpers.loadFixture(passportFixture);
      await passport.assignPrefix(carol.address, 6141410n, 7);
      await passport.assignPrefix(carol.address, 61414123n, 8);
      await expect(passport.assignPrefix(stranger.address, 614141n, 6))
        .to.be.revertedWithCustomError(passport, "PrefixHasAssignedExtensions")
        .withArgs(614141n, 6, 2n);
      await expect(passport.assignPrefix(stranger.address, 6141412n, 7))
        .to.be.revertedWithCustomError(passport, "PrefixHasAssignedExtensions")
        .withArgs(6141412n, 7, 1n);
    });

    it("keeps same digits at other lengths apart: 0614141 and 614141 and their siblings 6141411 coexist", async function () {
      const { passport, carol, stranger, bob } = await networkHelpers.loadFixture(passportFixture);
      await passport.assignPrefix(carol.address, 6141410n, 7);
      // "0614141" is a different digit string from "614141": no overlap.
      await expect(passport.assignPrefix(stranger.address, 614141n, 7))
        .to.emit(passport, "PrefixAssigned")
        .withArgs(614141n, 7, stranger.address);
      // A sibling of the same length shares the six-digit stem but neither extends the other.
      await passport.assignPrefix(bob.address, 6141411n, 7);
      expect(await passport.prefixOwner(6141411n, 7)).to.equal(bob.address);
    });

    it("frees the space on revocation so the overlapping prefix can then be assigned", async function () {
      const { passport, carol, stranger } = await networkHelpers.loadFixture(passportFixture);
      await passport.assignPrefix(carol.address, 6141410n, 7);
      await passport.assignPrefix(carol.address, 6141411n, 7);
      await passport.revokePrefix(6141410n, 7);
      await expect(passport.assignPrefix(stranger.address, 614141n, 6))
        .to.be.revertedWithCustomError(passport, "PrefixHasAssignedExtensions")
        .withArgs(614141n, 6, 1n);
      await passport.revokePrefix(6141411n, 7);
      await passport.assignPrefix(stranger.address, 614141n, 6);
      // And back: once the short one is revoked, its extensions are assignable again.
      await passport.revokePrefix(614141n, 6);
      await passport.assignPrefix(carol.address, 6141410n, 7);
      expect(await passport.prefixOwner(6141410n, 7)).to.equal(carol.address);
    });

    it("stops the issue's attack: the holder of 614141 cannot exist beside the owner of 6141410", async function () {
      const { passport, maker, maker2, now } = await networkHelpers.loadFixture(passportFixture);
      await passport.assignPrefix(maker2.address, 6141410n, 7);
      // The rogue cannot get the shorter prefix, so it cannot create a lot under 6141410.
      await expect(passport.assignPrefix(maker.address, 614141n, 6))
        .to.be.revertedWithCustomError(passport, "PrefixHasAssignedExtensions")
        .withArgs(614141n, 6, 1n);
      await expect(
        passport
          .connect(maker)
          .createLot(
            newLot(now, { gtin: gtinUnder("6141410"), prefixLength: 6, lotNumber: "ROGUE" }),
          ),
      )
        .to.be.revertedWithCustomError(passport, "PrefixNotAssigned")
        .withArgs(gtinUnder("6141410"), maker.address);
    });
  });

  describe("item 12: minting, metadata and recalls re-check the prefix and the role", function () {
    it("refuses to mint into a lot once its prefix was revoked", async function () {
      const { passport, maker, alice, lotId } = await networkHelpers.loadFixture(passportFixture);
      await passport.revokePrefix(PREFIX_A, PREFIX_LENGTH);
      await expect(passport.connect(maker).mint(lotId, "SN-3", alice.address))
        .to.be.revertedWithCustomError(passport, "PrefixNotAssigned")
        .withArgs(GTIN_A, maker.address);
      await expect(passport.connect(maker).mintBatch(lotId, ["SN-3"], alice.address))
        .to.be.revertedWithCustomError(passport, "PrefixNotAssigned")
        .withArgs(GTIN_A, maker.address);
    });

    it("refuses to mint into an old lot once its prefix went to another manufacturer", async function () {
      const { passport, maker, maker2, alice, lotId } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.revokePrefix(PREFIX_A, PREFIX_LENGTH);
      await passport.assignPrefix(maker2.address, PREFIX_A, PREFIX_LENGTH);
      await expect(passport.connect(maker).mint(lotId, "SN-3", alice.address))
        .to.be.revertedWithCustomError(passport, "PrefixNotAssigned")
        .withArgs(GTIN_A, maker.address);
      // Nor can the new holder mint into a lot it did not create.
      await expect(passport.connect(maker2).mint(lotId, "SN-3", alice.address))
        .to.be.revertedWithCustomError(passport, "NotLotManufacturer")
        .withArgs(lotId, maker2.address);
    });

    it("refuses to mint into a lot created under a wider prefix that was since narrowed", async function () {
      const { passport, maker, maker2, alice, now } =
        await networkHelpers.loadFixture(passportFixture);
      // maker held 614141 and made a lot whose GTIN lies under 6141410 ...
      await passport.assignPrefix(maker.address, 614141n, 6);
      const gtin = gtinUnder("6141410");
      await passport
        .connect(maker)
        .createLot(newLot(now, { gtin, prefixLength: 6, lotNumber: "OLD" }));
      const oldLot = 2n;
      // ... then 614141 was withdrawn and 6141410 given to its rightful owner.
      await passport.revokePrefix(614141n, 6);
      await passport.assignPrefix(maker2.address, 6141410n, 7);
      await expect(passport.connect(maker).mint(oldLot, "SQUAT-1", alice.address))
        .to.be.revertedWithCustomError(passport, "PrefixNotAssigned")
        .withArgs(gtin, maker.address);
      await passport
        .connect(maker2)
        .createLot(newLot(now, { gtin, prefixLength: 7, lotNumber: "NEW" }));
      await passport.connect(maker2).mint(3n, "SQUAT-1", alice.address);
      expect((await passport.verify(idOf(gtin, "SQUAT-1"))).lot.manufacturer).to.equal(
        maker2.address,
      );
    });

    it("lets a manufacturer whose role was revoked neither rewrite lot metadata nor recall", async function () {
      const { passport, maker, lotId, MANUFACTURER } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.revokeRole(MANUFACTURER, maker.address);
      await expect(passport.connect(maker).setLotMetadata(lotId, DOC_HASH, "ipfs://rewritten"))
        .to.be.revertedWithCustomError(passport, "AccessControlUnauthorizedAccount")
        .withArgs(maker.address, MANUFACTURER);
      await expect(passport.connect(maker).recallLot(lotId, DOC_HASH))
        .to.be.revertedWithCustomError(passport, "AccessControlUnauthorizedAccount")
        .withArgs(maker.address, MANUFACTURER);
    });

    it("lets the admin recall any lot, also one whose manufacturer lost its role", async function () {
      const { passport, admin, maker, lotId, unit1, MANUFACTURER } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.revokeRole(MANUFACTURER, maker.address);
      await expect(passport.connect(admin).recallLot(lotId, DOC_HASH))
        .to.emit(passport, "LotRecalled")
        .withArgs(lotId, admin.address, DOC_HASH);
      expect((await passport.verify(unit1)).lot.recalled).to.equal(true);
    });
  });

  describe("item 13: the theft registrar flags units a rogue operator moved", function () {
    it("flags a unit the thief now holds, naming the registrar, the holder and the report", async function () {
      const { passport, alice, carol, desk, unit1 } =
        await networkHelpers.loadFixture(registrarFixture);
      // A phished operator key moves alice's unit to the thief carol.
      await passport.connect(alice).transferFrom(alice.address, carol.address, unit1);
      await expect(passport.connect(desk).flagStolen(unit1, REPORT))
        .to.emit(passport, "UnitStolenFlagged")
        .withArgs(unit1, desk.address, carol.address, REPORT)
        .and.to.emit(passport, "MetadataUpdate")
        .withArgs(unit1);
      const v = await passport.verify(unit1);
      expect(v.status).to.equal(Status.Stolen);
      expect(v.genuine).to.equal(false);
      await expect(passport.connect(carol).transferFrom(carol.address, alice.address, unit1))
        .to.be.revertedWithCustomError(passport, "UnitReportedStolen")
        .withArgs(unit1);
    });

    it("does not let the holder clear a registrar's flag; the registrar and the admin can", async function () {
      const { passport, admin, carol, alice, desk, unit1, unit2, THEFT } =
        await networkHelpers.loadFixture(registrarFixture);
      await passport.connect(alice).transferFrom(alice.address, carol.address, unit1);
      await passport.connect(desk).flagStolen(unit1, REPORT);
      await expect(passport.connect(carol).clearStolen(unit1))
        .to.be.revertedWithCustomError(passport, "AccessControlUnauthorizedAccount")
        .withArgs(carol.address, THEFT);
      await expect(passport.connect(desk).clearStolen(unit1))
        .to.emit(passport, "UnitStolenCleared")
        .withArgs(unit1, desk.address);
      expect(await passport.unitStatus(unit1)).to.equal(Status.Active);
      await passport.connect(desk).flagStolen(unit2, REPORT);
      await expect(passport.connect(admin).clearStolen(unit2))
        .to.emit(passport, "UnitStolenCleared")
        .withArgs(unit2, admin.address);
    });

    it("takes over an owner's own report, which the owner's stolen key could otherwise clear", async function () {
      const { passport, alice, desk, unit1, THEFT } =
        await networkHelpers.loadFixture(registrarFixture);
      await passport.connect(alice).reportStolen(unit1);
      await expect(passport.connect(desk).flagStolen(unit1, REPORT))
        .to.emit(passport, "UnitStolenFlagged")
        .withArgs(unit1, desk.address, alice.address, REPORT);
      await expect(passport.connect(alice).clearStolen(unit1))
        .to.be.revertedWithCustomError(passport, "AccessControlUnauthorizedAccount")
        .withArgs(alice.address, THEFT);
      await expect(passport.connect(desk).flagStolen(unit1, REPORT))
        .to.be.revertedWithCustomError(passport, "UnitReportedStolen")
        .withArgs(unit1);
    });

    it("keeps the owner's own report and clear, and lets only registrars flag", async function () {
      const { passport, admin, alice, stranger, desk, unit1, THEFT } =
        await networkHelpers.loadFixture(registrarFixture);
      await passport.connect(alice).reportStolen(unit1);
      await expect(passport.connect(alice).clearStolen(unit1))
        .to.emit(passport, "UnitStolenCleared")
        .withArgs(unit1, alice.address);
      for (const caller of [stranger, alice, admin]) {
        await expect(passport.connect(caller).flagStolen(unit1, REPORT))
          .to.be.revertedWithCustomError(passport, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, THEFT);
      }
      await expect(passport.connect(stranger).clearStolen(unit1))
        .to.be.revertedWithCustomError(passport, "NotUnitOwner")
        .withArgs(unit1, stranger.address);
      await expect(passport.connect(desk).clearStolen(unit1))
        .to.be.revertedWithCustomError(passport, "UnitNotStolen")
        .withArgs(unit1);
    });

    it("refuses to flag a unit that does not exist or was burned", async function () {
      const { passport, alice, desk, unit1 } = await networkHelpers.loadFixture(registrarFixture);
      const ghost = idOf(GTIN_A, "GHOST");
      await expect(passport.connect(desk).flagStolen(ghost, REPORT))
        .to.be.revertedWithCustomError(passport, "ERC721NonexistentToken")
        .withArgs(ghost);
      await passport.connect(alice).burn(unit1, 0);
      await expect(passport.connect(desk).flagStolen(unit1, REPORT))
        .to.be.revertedWithCustomError(passport, "ERC721NonexistentToken")
        .withArgs(unit1);
    });
  });

  describe("item 14: certificates live and die with the accreditation they were issued under", function () {
    it("does not bring a de-accredited certifier's certificates back when the role is granted again", async function () {
      const { passport, certifier, unit1, lotId, now, CERTIFIER } =
        await networkHelpers.loadFixture(passportFixture);
      const expiry = now + 365 * 86_400;
      await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, "");
      await passport.connect(certifier).attestLot(lotId, CE_MARK, DOC_HASH, expiry, "");
      await passport.revokeRole(CERTIFIER, certifier.address);
      await passport.grantRole(CERTIFIER, certifier.address);
      const v = await passport.verify(unit1);
      expect(v.certificates).to.have.length(0);
      expect(v.issuedCertificateCount).to.equal(2n);
      const [issuer, , , valid] = await passport.certificateAt(Kind.Unit, unit1, 0);
      expect(issuer).to.equal(certifier.address);
      expect(valid).to.equal(false);
      // Certificates issued under the new accreditation hold.
      await passport.connect(certifier).attestUnit(unit1, CE_MARK, DOC_HASH, expiry, "");
      const after = await passport.verify(unit1);
      expect(after.certificates.map((c) => [c.certType, c.index])).to.deep.equal([[CE_MARK, 0n]]);
    });

    it("ends the accreditation on renunciation as well", async function () {
      const { passport, certifier, unit1, now, CERTIFIER } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, now + 86_400 * 30, "");
      await passport.connect(certifier).renounceRole(CERTIFIER, certifier.address);
      await passport.grantRole(CERTIFIER, certifier.address);
      expect((await passport.verify(unit1)).certificates).to.have.length(0);
    });

    it("frees the slots of a de-accredited certifier's certificates for new attestations", async function () {
      const { passport, certifier, certifier2, unit1, now, CERTIFIER } =
        await networkHelpers.loadFixture(passportFixture);
      const expiry = now + 365 * 86_400;
      const max = Number(await passport.MAX_CERTIFICATES());
      for (let i = 0; i < max; i++) {
        await passport.connect(certifier).attestUnit(unit1, CE_MARK, DOC_HASH, expiry, "junk");
      }
      await expect(passport.connect(certifier2).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, ""))
        .to.be.revertedWithCustomError(passport, "TooManyCertificates")
        .withArgs(Kind.Unit, unit1, max);
      await passport.revokeRole(CERTIFIER, certifier.address);
      await expect(passport.connect(certifier2).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, ""))
        .to.emit(passport, "CertificateAttested")
        .withArgs(Kind.Unit, unit1, certifier2.address, 0, ORGANIC, DOC_HASH, expiry, "");
      // Even after the rogue is accredited again, its old certificates stay lapsed.
      await passport.grantRole(CERTIFIER, certifier.address);
      const v = await passport.verify(unit1);
      expect(v.certificates.map((c) => [c.certifier, c.index])).to.deep.equal([
        [certifier2.address, 0n],
      ]);
    });

    it("agrees between verify and certificateAt for every slot", async function () {
      const { passport, certifier, certifier2, unit1, now, CERTIFIER } =
        await networkHelpers.loadFixture(passportFixture);
      const expiry = now + 365 * 86_400;
      await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, "");
      await passport.connect(certifier2).attestUnit(unit1, CE_MARK, DOC_HASH, expiry, "");
      await passport.revokeRole(CERTIFIER, certifier.address);
      const v = await passport.verify(unit1);
      const valid = [];
      for (let i = 0; i < 2; i++) {
        const [issuer, certType, expiresAt, ok] = await passport.certificateAt(Kind.Unit, unit1, i);
        if (ok) valid.push([issuer, certType, expiresAt, BigInt(i)]);
      }
      expect(
        v.certificates.map((c) => [c.certifier, c.certType, c.expiresAt, c.index]),
      ).to.deep.equal(valid);
      expect(valid).to.deep.equal([[certifier2.address, CE_MARK, BigInt(expiry), 1n]]);
    });
  });

  describe("the size split: PassportReader and PassportLots", function () {
    /** The passport's constructor deploys the reader (nonce 1), then the lots extension (nonce 2). */
    async function helpersOf(passportAddress: string) {
      const reader = await ethers.getContractAt(
        "PassportReader",
        getCreateAddress({ from: passportAddress, nonce: 1 }),
      );
      const lots = await ethers.getContractAt(
        "PassportLots",
        getCreateAddress({ from: passportAddress, nonce: 2 }),
      );
      return { reader, lots };
    }

    it("answers verify through the reader exactly as the reader answers it directly", async function () {
      const { passport, certifier, unit1, now } = await networkHelpers.loadFixture(passportFixture);
      await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, now + 86_400, "");
      const { reader } = await helpersOf(await passport.getAddress());
      expect(await reader.PASSPORT()).to.equal(await passport.getAddress());
      expect(await reader.verify(unit1)).to.deep.equal(await passport.verify(unit1));
      expect(await reader.tokenIdOf(GTIN_A, "SN-1")).to.equal(unit1);
    });

    it("leaves PassportLots powerless when called directly: nobody holds a role in its own storage", async function () {
      const { passport, admin, maker, now, MANUFACTURER } =
        await networkHelpers.loadFixture(passportFixture);
      const { lots } = await helpersOf(await passport.getAddress());
      await expect(lots.connect(admin).assignPrefix(admin.address, 614141n, 6))
        .to.be.revertedWithCustomError(lots, "AccessControlUnauthorizedAccount")
        .withArgs(admin.address, await lots.DEFAULT_ADMIN_ROLE());
      await expect(lots.connect(maker).createLot(newLot(now)))
        .to.be.revertedWithCustomError(lots, "AccessControlUnauthorizedAccount")
        .withArgs(maker.address, MANUFACTURER);
      // What it does through the passport lands in the passport's storage and logs.
      await expect(passport.assignPrefix(admin.address, 614141n, 6))
        .to.emit(passport, "PrefixAssigned")
        .withArgs(614141n, 6, admin.address);
      expect(await passport.prefixOwner(614141n, 6)).to.equal(admin.address);
    });
  });
});
