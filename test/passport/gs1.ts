import { readFileSync } from "node:fs";

import { expect } from "chai";
import { network } from "hardhat";

import {
  CSET82,
  buildDigitalLink,
  companyPrefixOf,
  computeCheckDigit,
  digitalLinkOf,
  fromTokenId,
  isValidGtin,
  isValidSerial,
  normalizeGtin,
  parseDigitalLink,
  tokenIdOf,
  tokenIdOfDigitalLink,
  tryFromTokenId,
  withCheckDigit,
} from "@waybill/sdk";

const { ethers, networkHelpers } = await network.create();

interface Vectors {
  gtins: {
    valid: { input: string; gtin14: string }[];
    invalid: { input: string; reason: string; number?: string }[];
  };
  serials: { valid: string[]; invalid: { serial: string; reason: string }[] };
  tokenIds: { gtin: string; serial: string; tokenId: string }[];
  invalidTokenIds: { tokenId: string; reason: string }[];
  digitalLinks: {
    valid: {
      uri: string;
      domain: string;
      gtin: string;
      serial: string;
      lot?: string;
      tokenId: string;
    }[];
    invalid: { uri: string; reason: string }[];
    built: { gtin: string; serial: string; lot?: string; uri: string }[];
  };
  companyPrefixes: { gtin: string; length: number; prefix: string }[];
}

const vectors = JSON.parse(
  readFileSync(new URL("../vectors/gs1.json", import.meta.url), "utf8"),
) as Vectors;

/** xorshift32: a tiny deterministic generator so the fuzz run is reproducible. */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

describe("GS1 identifiers: helper and contract agree", function () {
  async function passportFixture() {
    const [admin] = await ethers.getSigners();
    return { passport: await ethers.deployContract("ProductPassport", [admin.address, 0]) };
  }

  describe("sdk/src/gs1.ts on the committed vectors", function () {
    it("accepts every valid GTIN-8/12/13/14 and pads it to the vector's GTIN-14", function () {
      for (const { input, gtin14 } of vectors.gtins.valid) {
        expect(isValidGtin(input), input).to.equal(true);
        expect(normalizeGtin(input), input).to.equal(gtin14);
        expect(normalizeGtin(BigInt(gtin14)), input).to.equal(gtin14);
      }
    });

    it("rejects every invalid GTIN, as a string and as a number", function () {
      for (const { input, reason, number } of vectors.gtins.invalid) {
        expect(isValidGtin(input), reason).to.equal(false);
        if (number !== undefined) expect(isValidGtin(BigInt(number)), reason).to.equal(false);
        expect(() => normalizeGtin(input), reason).to.throw("invalid GTIN");
      }
    });

    it("computes check digits of the published examples", function () {
      expect(computeCheckDigit("950600013435")).to.equal(2);
      expect(withCheckDigit("400638133393")).to.equal("4006381333931");
      expect(withCheckDigit("9638507")).to.equal("96385074");
      expect(() => withCheckDigit("123")).to.throw("7, 11, 12 or 13 digits");
      expect(() => computeCheckDigit("12a")).to.throw("digits");
    });

    it("accepts the 82 characters of CSET 82 and every valid serial, rejects every invalid one", function () {
      expect(CSET82.length).to.equal(82);
      for (const s of vectors.serials.valid) expect(isValidSerial(s), s).to.equal(true);
      for (const { serial, reason } of vectors.serials.invalid)
        expect(isValidSerial(serial), reason).to.equal(false);
    });

    it("derives each vector's token id and decodes it back", function () {
      for (const { gtin, serial, tokenId } of vectors.tokenIds) {
        expect(tokenIdOf(gtin, serial), `${gtin}/${serial}`).to.equal(BigInt(tokenId));
        expect(fromTokenId(BigInt(tokenId))).to.deep.equal({ gtin, serial });
      }
    });

    it("places the serial's bytes left-aligned in the low 160 bits, under the GTIN", function () {
      // "1" is 0x31: the serial's first byte is the top byte of the low 160 bits.
      expect(tokenIdOf("09506000134352", "1")).to.equal((9506000134352n << 160n) | (0x31n << 152n));
      expect(() => tokenIdOf("09506000134352", "A B")).to.throw("invalid GS1 serial");
    });

    it("refuses to decode every invalid token id", function () {
      for (const { tokenId, reason } of vectors.invalidTokenIds) {
        expect(tryFromTokenId(BigInt(tokenId)), reason).to.equal(undefined);
        expect(() => fromTokenId(BigInt(tokenId)), reason).to.throw("not a passport token id");
      }
      expect(tryFromTokenId(-1n)).to.equal(undefined);
    });

    it("parses every valid Digital Link on any domain, with or without a lot", function () {
      for (const v of vectors.digitalLinks.valid) {
        const parsed = parseDigitalLink(v.uri);
        expect(parsed.gtin, v.uri).to.equal(v.gtin);
        expect(parsed.serial, v.uri).to.equal(v.serial);
        expect(parsed.lot, v.uri).to.equal(v.lot);
        expect(parsed.domain, v.uri).to.equal(v.domain);
        expect(tokenIdOfDigitalLink(v.uri), v.uri).to.equal(BigInt(v.tokenId));
      }
    });

    it("rejects every invalid Digital Link", function () {
      for (const { uri, reason } of vectors.digitalLinks.invalid) {
        expect(() => parseDigitalLink(uri), reason).to.throw();
      }
    });

    it("builds Digital Links with GS1 percent-encoding and parses them back", function () {
      for (const b of vectors.digitalLinks.built) {
        expect(buildDigitalLink(b.gtin, b.serial, b.lot)).to.equal(b.uri);
        const parsed = parseDigitalLink(b.uri);
        expect([parsed.serial, parsed.lot]).to.deep.equal([b.serial, b.lot]);
      }
      const id = tokenIdOf("09506000134352", "A/1");
      expect(digitalLinkOf(id)).to.equal("https://id.gs1.org/01/09506000134352/21/A%2F1");
      expect(digitalLinkOf(id, "L1", "https://brand.example/")).to.equal(
        "https://brand.example/01/09506000134352/10/L1/21/A%2F1",
      );
      expect(() => buildDigitalLink("09506000134352", "A", "bad lot")).to.throw(
        "invalid GS1 lot number",
      );
    });

    it("extracts company prefixes as digits 2..(1+length) of the GTIN-14", function () {
      for (const { gtin, length, prefix } of vectors.companyPrefixes) {
        expect(companyPrefixOf(gtin, length)).to.equal(prefix);
      }
      expect(() => companyPrefixOf("09506000134352", 13)).to.throw("6..12");
    });
  });

  describe("ProductPassport on the same vectors", function () {
    it("computes the vector token id for every (GTIN, serial)", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      for (const { gtin, serial, tokenId } of vectors.tokenIds) {
        expect(await passport.tokenIdOf(BigInt(gtin), serial), `${gtin}/${serial}`).to.equal(
          BigInt(tokenId),
        );
        const [g, s] = await passport.decodeTokenId(BigInt(tokenId));
        expect([g.toString().padStart(14, "0"), s]).to.deep.equal([gtin, serial]);
      }
    });

    it("reverts tokenIdOf with InvalidGtin for every invalid GTIN that fits a uint64", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      for (const { number, reason } of vectors.gtins.invalid) {
        if (number === undefined) continue;
        await expect(passport.tokenIdOf(BigInt(number), "1"), reason)
          .to.be.revertedWithCustomError(passport, "InvalidGtin")
          .withArgs(BigInt(number));
      }
    });

    it("accepts every valid serial and reverts with InvalidSerial for every invalid one", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      for (const serial of vectors.serials.valid) {
        expect(await passport.tokenIdOf(9506000134352n, serial)).to.equal(
          tokenIdOf("09506000134352", serial),
        );
      }
      for (const { serial, reason } of vectors.serials.invalid) {
        await expect(passport.tokenIdOf(9506000134352n, serial), reason)
          .to.be.revertedWithCustomError(passport, "InvalidSerial")
          .withArgs(serial);
      }
    });

    it("reverts decodeTokenId with InvalidTokenId for every invalid token id", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      for (const { tokenId, reason } of vectors.invalidTokenIds) {
        await expect(passport.decodeTokenId(BigInt(tokenId)), reason)
          .to.be.revertedWithCustomError(passport, "InvalidTokenId")
          .withArgs(BigInt(tokenId));
      }
    });

    it("agrees with the helper on 300 random valid and invalid GTINs and serials (seeded)", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      const next = rng(0x5761796269);
      const forbidden = ` #$@[\\]^\`{|}~\t`;
      for (let i = 0; i < 300; i++) {
        let body = "";
        for (let d = 0; d < 13; d++) body += String(next() % 10);
        let gtin = BigInt(withCheckDigit(body));
        let serial = "";
        const length = 1 + (next() % 20);
        for (let c = 0; c < length; c++) serial += CSET82[next() % CSET82.length];
        const mutation = next() % 6;
        if (mutation === 0) gtin = (gtin / 10n) * 10n + ((gtin + 1n + BigInt(next() % 9)) % 10n);
        if (mutation === 1) serial = serial.slice(0, 19) + forbidden[next() % forbidden.length];
        if (mutation === 2) serial = serial.padEnd(21, "x");
        if (!isValidGtin(gtin)) {
          await expect(passport.tokenIdOf(gtin, serial), `${gtin}/${serial}`)
            .to.be.revertedWithCustomError(passport, "InvalidGtin")
            .withArgs(gtin);
          continue;
        }
        if (!isValidSerial(serial)) {
          await expect(passport.tokenIdOf(gtin, serial), `${gtin}/${serial}`)
            .to.be.revertedWithCustomError(passport, "InvalidSerial")
            .withArgs(serial);
          continue;
        }
        const id = tokenIdOf(gtin, serial);
        expect(await passport.tokenIdOf(gtin, serial), `${gtin}/${serial}`).to.equal(id);
        const [g, s] = await passport.decodeTokenId(id);
        expect([g, s]).to.deep.equal([gtin, serial]);
        // A random id near this one decodes the same way on both sides, or fails on both.
        const noisy = id ^ (1n << BigInt(next() % 256));
        const helper = tryFromTokenId(noisy);
        if (helper === undefined) {
          await expect(passport.decodeTokenId(noisy))
            .to.be.revertedWithCustomError(passport, "InvalidTokenId")
            .withArgs(noisy);
        } else {
          const [ng, ns] = await passport.decodeTokenId(noisy);
          expect([ng.toString().padStart(14, "0"), ns]).to.deep.equal([helper.gtin, helper.serial]);
        }
      }
    });
  });
});
