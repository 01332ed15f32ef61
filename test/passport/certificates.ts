import { expect } from "chai";
import { network } from "hardhat";

import {
  CE_MARK,
  DOC_HASH,
  GTIN_A,
  Kind,
  ORGANIC,
  Reason,
  deployPassport,
  idOf,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const YEAR = 365 * 24 * 3600;

describe("ProductPassport: certificates", function () {
  async function passportFixture() {
    const base = await deployPassport(ethers);
    const expiry = base.now + YEAR;
    return { ...base, expiry };
  }

  describe("attestUnit", function () {
    it("stores the certificate in slot 0 and emits CertificateAttested with every field", async function () {
      const { passport, certifier, unit1, expiry } =
        await networkHelpers.loadFixture(passportFixture);
      expect(
        await passport
          .connect(certifier)
          .attestUnit.staticCall(unit1, ORGANIC, DOC_HASH, expiry, "ipfs://cert"),
      ).to.equal(0n);
      await expect(
        passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, "ipfs://cert"),
      )
        .to.emit(passport, "CertificateAttested")
        .withArgs(Kind.Unit, unit1, certifier.address, 0, ORGANIC, DOC_HASH, expiry, "ipfs://cert");
      const v = await passport.verify(unit1);
      expect(v.issuedCertificateCount).to.equal(1n);
      expect(v.certificates.length).to.equal(1);
      const [c] = v.certificates;
      expect([c.kind, c.index, c.certifier, c.certType, c.expiresAt]).to.deep.equal([
        0n,
        0n,
        certifier.address,
        ORGANIC,
        BigInt(expiry),
      ]);
    });

    it("reverts with AccessControlUnauthorizedAccount when the caller is not a certifier", async function () {
      const { passport, maker, unit1, expiry, CERTIFIER } =
        await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(maker).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, ""))
        .to.be.revertedWithCustomError(passport, "AccessControlUnauthorizedAccount")
        .withArgs(maker.address, CERTIFIER);
    });

    it("reverts with UnitNotFound for an unminted and for a burned unit", async function () {
      const { passport, certifier, alice, unit1, expiry } =
        await networkHelpers.loadFixture(passportFixture);
      const ghost = idOf(GTIN_A, "GHOST");
      await expect(passport.connect(certifier).attestUnit(ghost, ORGANIC, DOC_HASH, expiry, ""))
        .to.be.revertedWithCustomError(passport, "UnitNotFound")
        .withArgs(ghost);
      await passport.connect(alice).burn(unit1, Reason.Consumed);
      await expect(passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, ""))
        .to.be.revertedWithCustomError(passport, "UnitNotFound")
        .withArgs(unit1);
    });

    it("reverts with InvalidExpiry for an expiry at or before the block time", async function () {
      const { passport, certifier, unit1 } = await networkHelpers.loadFixture(passportFixture);
      const next = (await networkHelpers.time.latest()) + 5;
      await networkHelpers.time.setNextBlockTimestamp(next);
      await expect(passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, next, ""))
        .to.be.revertedWithCustomError(passport, "InvalidExpiry")
        .withArgs(next, next);
    });

    it("reverts with TooManyCertificates when all 8 slots hold live certificates", async function () {
      const { passport, certifier, certifier2, unit1, expiry } =
        await networkHelpers.loadFixture(passportFixture);
      for (let i = 0; i < 8; i++) {
        await passport.connect(certifier).attestUnit(unit1, CE_MARK, DOC_HASH, expiry, "");
      }
      await expect(passport.connect(certifier2).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, ""))
        .to.be.revertedWithCustomError(passport, "TooManyCertificates")
        .withArgs(Kind.Unit, unit1, 8n);
      const v = await passport.verify(unit1);
      expect(v.certificates.map((c) => c.certifier)).to.deep.equal(
        Array(8).fill(certifier.address),
      );
      expect(v.issuedCertificateCount).to.equal(8n);
    });
  });

  describe("attestLot", function () {
    it("attests to a whole lot: every unit's verify lists it after the unit's own", async function () {
      const { passport, certifier, certifier2, lotId, unit1, unit2, expiry } =
        await networkHelpers.loadFixture(passportFixture);
      await expect(
        passport.connect(certifier).attestLot(lotId, CE_MARK, DOC_HASH, expiry, "ipfs://ce"),
      )
        .to.emit(passport, "CertificateAttested")
        .withArgs(Kind.Lot, lotId, certifier.address, 0, CE_MARK, DOC_HASH, expiry, "ipfs://ce");
      await passport.connect(certifier2).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, "");
      const v1 = await passport.verify(unit1);
      expect(v1.certificates.map((c) => [c.kind, c.certType, c.certifier])).to.deep.equal([
        [0n, ORGANIC, certifier2.address],
        [1n, CE_MARK, certifier.address],
      ]);
      const v2 = await passport.verify(unit2);
      expect(v2.certificates.map((c) => c.certType)).to.deep.equal([CE_MARK]);
      expect(v2.issuedCertificateCount).to.equal(1n);
      expect(v1.issuedCertificateCount).to.equal(2n);
    });

    it("reverts with LotNotFound, InvalidExpiry and TooManyCertificates", async function () {
      const { passport, certifier, lotId, expiry, now } =
        await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(certifier).attestLot(4n, CE_MARK, DOC_HASH, expiry, ""))
        .to.be.revertedWithCustomError(passport, "LotNotFound")
        .withArgs(4n);
      const latest = await networkHelpers.time.latest();
      await networkHelpers.time.setNextBlockTimestamp(latest + 1);
      await expect(passport.connect(certifier).attestLot(lotId, CE_MARK, DOC_HASH, now, ""))
        .to.be.revertedWithCustomError(passport, "InvalidExpiry")
        .withArgs(now, latest + 1);
      for (let i = 0; i < 8; i++)
        await passport.connect(certifier).attestLot(lotId, CE_MARK, DOC_HASH, expiry, "");
      await expect(passport.connect(certifier).attestLot(lotId, CE_MARK, DOC_HASH, expiry, ""))
        .to.be.revertedWithCustomError(passport, "TooManyCertificates")
        .withArgs(Kind.Lot, lotId, 8n);
    });

    it("reverts with AccessControlUnauthorizedAccount when the caller is not a certifier", async function () {
      const { passport, stranger, lotId, expiry, CERTIFIER } =
        await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(stranger).attestLot(lotId, CE_MARK, DOC_HASH, expiry, ""))
        .to.be.revertedWithCustomError(passport, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, CERTIFIER);
    });
  });

  describe("validity over time and accreditation", function () {
    it("drops a certificate from verify once it expires", async function () {
      const { passport, certifier, unit1, now } = await networkHelpers.loadFixture(passportFixture);
      const soon = now + 1000;
      await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, soon, "");
      expect((await passport.verify(unit1)).certificates.length).to.equal(1);
      await networkHelpers.time.increaseTo(soon);
      const v = await passport.verify(unit1);
      expect(v.certificates.length).to.equal(0);
      expect(v.issuedCertificateCount).to.equal(1n);
    });

    it("drops a certifier's certificates from verify when its role is revoked", async function () {
      const { passport, certifier, lotId, unit1, expiry, CERTIFIER } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, "");
      await passport.connect(certifier).attestLot(lotId, CE_MARK, DOC_HASH, expiry, "");
      await passport.revokeRole(CERTIFIER, certifier.address);
      expect((await passport.verify(unit1)).certificates.length).to.equal(0);
    });
  });

  describe("slot reuse against a rogue certifier", function () {
    it("lets an honest certifier attest into the slots the admin revoked, never into live ones", async function () {
      const { passport, admin, certifier, certifier2, unit1, expiry, CERTIFIER } =
        await networkHelpers.loadFixture(passportFixture);
      const rogue = certifier2;
      for (let i = 0; i < 8; i++) {
        await passport.connect(rogue).attestUnit(unit1, CE_MARK, DOC_HASH, expiry, "junk");
      }
      await expect(passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, ""))
        .to.be.revertedWithCustomError(passport, "TooManyCertificates")
        .withArgs(Kind.Unit, unit1, 8n);
      await passport.connect(admin).revokeCertificate(Kind.Unit, unit1, 5);
      await passport.connect(admin).revokeCertificate(Kind.Unit, unit1, 2);
      for (const index of [2, 5]) {
        await expect(passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, "ok"))
          .to.emit(passport, "CertificateAttested")
          .withArgs(Kind.Unit, unit1, certifier.address, index, ORGANIC, DOC_HASH, expiry, "ok");
      }
      await expect(passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, ""))
        .to.be.revertedWithCustomError(passport, "TooManyCertificates")
        .withArgs(Kind.Unit, unit1, 8n);
      const live = await passport.verify(unit1);
      expect(live.certificates.map((c) => [c.index, c.certifier])).to.deep.equal(
        [0, 1, 2, 3, 4, 5, 6, 7].map((i) => [
          BigInt(i),
          i === 2 || i === 5 ? certifier.address : rogue.address,
        ]),
      );
      await passport.connect(admin).revokeRole(CERTIFIER, rogue.address);
      const v = await passport.verify(unit1);
      expect(v.certificates.map((c) => [c.index, c.certifier])).to.deep.equal([
        [2n, certifier.address],
        [5n, certifier.address],
      ]);
      expect(v.issuedCertificateCount).to.equal(8n);
    });

    it("reuses expired lot slots at their expiry, skipping a live one, then reverts when all are live", async function () {
      const { passport, certifier, certifier2, lotId, unit1, now, expiry } =
        await networkHelpers.loadFixture(passportFixture);
      const soon = now + 1000;
      for (let i = 0; i < 8; i++) {
        await passport
          .connect(certifier2)
          .attestLot(lotId, CE_MARK, DOC_HASH, i === 3 ? expiry : soon, "");
      }
      await networkHelpers.time.setNextBlockTimestamp(soon);
      await expect(passport.connect(certifier).attestLot(lotId, ORGANIC, DOC_HASH, expiry, ""))
        .to.emit(passport, "CertificateAttested")
        .withArgs(Kind.Lot, lotId, certifier.address, 0, ORGANIC, DOC_HASH, expiry, "");
      for (const index of [1, 2, 4, 5, 6, 7]) {
        await expect(passport.connect(certifier).attestLot(lotId, ORGANIC, DOC_HASH, expiry, ""))
          .to.emit(passport, "CertificateAttested")
          .withArgs(Kind.Lot, lotId, certifier.address, index, ORGANIC, DOC_HASH, expiry, "");
      }
      await expect(passport.connect(certifier).attestLot(lotId, ORGANIC, DOC_HASH, expiry, ""))
        .to.be.revertedWithCustomError(passport, "TooManyCertificates")
        .withArgs(Kind.Lot, lotId, 8n);
      const v = await passport.verify(unit1);
      expect(v.certificates.map((c) => [c.index, c.certType])).to.deep.equal(
        [0, 1, 2, 3, 4, 5, 6, 7].map((i) => [BigInt(i), i === 3 ? CE_MARK : ORGANIC]),
      );
      expect(v.issuedCertificateCount).to.equal(8n);
    });

    it("lists only valid certificates and counts lapsed ones still on record", async function () {
      const { passport, certifier, unit1, now, expiry } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.connect(certifier).attestUnit(unit1, CE_MARK, DOC_HASH, now + 1000, "");
      await passport.connect(certifier).attestUnit(unit1, CE_MARK, DOC_HASH, expiry, "");
      await passport.connect(certifier).attestUnit(unit1, CE_MARK, DOC_HASH, expiry, "");
      await passport.connect(certifier).revokeCertificate(Kind.Unit, unit1, 1);
      await networkHelpers.time.increaseTo(now + 1000);
      const lapsed = await passport.verify(unit1);
      expect(lapsed.certificates.map((c) => c.index)).to.deep.equal([2n]);
      expect(lapsed.issuedCertificateCount).to.equal(3n);
      await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, "");
      const reused = await passport.verify(unit1);
      expect(reused.certificates.map((c) => [c.index, c.certType])).to.deep.equal([
        [0n, ORGANIC],
        [2n, CE_MARK],
      ]);
      expect(reused.issuedCertificateCount).to.equal(3n);
    });
  });

  describe("revokeCertificate", function () {
    it("lets the issuing certifier revoke, emitting CertificateRevoked", async function () {
      const { passport, certifier, unit1, expiry } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, "");
      await passport.connect(certifier).attestUnit(unit1, CE_MARK, DOC_HASH, expiry, "");
      await expect(passport.connect(certifier).revokeCertificate(Kind.Unit, unit1, 0))
        .to.emit(passport, "CertificateRevoked")
        .withArgs(Kind.Unit, unit1, 0, certifier.address);
      const v = await passport.verify(unit1);
      expect(v.certificates.map((c) => [c.index, c.certType])).to.deep.equal([[1n, CE_MARK]]);
    });

    it("reuses a revoked slot: the next certificate takes its index, the old issuer loses it", async function () {
      const { passport, certifier, certifier2, unit1, expiry } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, "");
      await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, "");
      await passport.connect(certifier).revokeCertificate(Kind.Unit, unit1, 0);
      await expect(passport.connect(certifier2).attestUnit(unit1, CE_MARK, DOC_HASH, expiry, "x"))
        .to.emit(passport, "CertificateAttested")
        .withArgs(Kind.Unit, unit1, certifier2.address, 0, CE_MARK, DOC_HASH, expiry, "x");
      const v = await passport.verify(unit1);
      expect(v.certificates.map((c) => [c.index, c.certType, c.certifier])).to.deep.equal([
        [0n, CE_MARK, certifier2.address],
        [1n, ORGANIC, certifier.address],
      ]);
      expect(v.issuedCertificateCount).to.equal(2n);
      await expect(passport.connect(certifier).revokeCertificate(Kind.Unit, unit1, 0))
        .to.be.revertedWithCustomError(passport, "NotCertificateIssuer")
        .withArgs(Kind.Unit, unit1, 0, certifier.address);
    });

    it("lets the admin revoke any certificate, lot certificates included", async function () {
      const { passport, admin, certifier, lotId, unit1, expiry } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.connect(certifier).attestLot(lotId, CE_MARK, DOC_HASH, expiry, "");
      await expect(passport.connect(admin).revokeCertificate(Kind.Lot, lotId, 0))
        .to.emit(passport, "CertificateRevoked")
        .withArgs(Kind.Lot, lotId, 0, admin.address);
      expect((await passport.verify(unit1)).certificates.length).to.equal(0);
    });

    it("reverts with NotCertificateIssuer when another certifier revokes", async function () {
      const { passport, certifier, certifier2, unit1, expiry } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, expiry, "");
      await expect(passport.connect(certifier2).revokeCertificate(Kind.Unit, unit1, 0))
        .to.be.revertedWithCustomError(passport, "NotCertificateIssuer")
        .withArgs(Kind.Unit, unit1, 0, certifier2.address);
    });

    it("reverts with CertificateNotFound for an empty slot, a revoked slot and a lot id beyond uint64", async function () {
      const { passport, certifier, unit1, lotId, expiry } =
        await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(certifier).revokeCertificate(Kind.Unit, unit1, 3))
        .to.be.revertedWithCustomError(passport, "CertificateNotFound")
        .withArgs(Kind.Unit, unit1, 3);
      await passport.connect(certifier).attestLot(lotId, CE_MARK, DOC_HASH, expiry, "");
      const aliased = (1n << 64n) + lotId;
      await expect(passport.connect(certifier).revokeCertificate(Kind.Lot, aliased, 0))
        .to.be.revertedWithCustomError(passport, "CertificateNotFound")
        .withArgs(Kind.Lot, aliased, 0);
      await passport.connect(certifier).revokeCertificate(Kind.Lot, lotId, 0);
      await expect(passport.connect(certifier).revokeCertificate(Kind.Lot, lotId, 0))
        .to.be.revertedWithCustomError(passport, "CertificateNotFound")
        .withArgs(Kind.Lot, lotId, 0);
    });
  });
});
