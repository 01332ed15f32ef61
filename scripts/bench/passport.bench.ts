import { keccak256, toUtf8Bytes, zeroPadBytes } from "ethers";

import { tokenIdOf } from "@waybill/sdk";
import type { BenchSuite } from "./types.js";

const GTIN = 9506000134352n;

/** Product passport calls a manufacturer, a certifier and a buyer make. */
const suite: BenchSuite = {
  ceilings: {
    "passport.mint": 90_000,
    "passport.mintBatch[100]/unit": 50_000,
    "passport.attest": 60_000,
    "passport.recallLot": 50_000,
    "passport.transfer": 60_000,
  },
  async run({ ethers, measure, record }) {
    const [admin, maker, certifier, warehouse, buyer] = await ethers.getSigners();
    const passport = await ethers.deployContract("ProductPassport", [admin.address, 86_400]);
    await passport.grantRole(await passport.MANUFACTURER_ROLE(), maker.address);
    await passport.grantRole(await passport.CERTIFIER_ROLE(), certifier.address);
    await passport.assignPrefix(maker.address, 9506000n, 7);
    const now = (await ethers.provider.getBlock("latest"))!.timestamp;
    const lot = (lotNumber: string) => ({
      gtin: GTIN,
      prefixLength: 7,
      originCountry: "0x4445", // "DE"
      productionDate: now - 86_400,
      contentHash: keccak256(toUtf8Bytes(lotNumber)),
      lotNumber,
      uri: `ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/${lotNumber}.json`,
    });
    await passport.connect(maker).createLot(lot("L2026-001"));
    await passport.connect(maker).createLot(lot("L2026-002"));
    // Warm recipients, as on a live chain: the warehouse and the buyer already hold passports.
    await passport.connect(maker).mintBatch(1n, ["WARM-W"], warehouse.address);
    await passport.connect(maker).mintBatch(1n, ["WARM-B"], buyer.address);

    // A typical 12-character alphanumeric serial, as printed on labels.
    await measure(
      "passport.mint",
      passport.connect(maker).mint(1n, "SN2026000001", warehouse.address),
    );

    const serials = Array.from({ length: 100 }, (_, i) => `SN2026${String(100_000 + i)}`);
    const batch = await (
      await passport.connect(maker).mintBatch(1n, serials, warehouse.address)
    ).wait();
    record("passport.mintBatch[100]/unit", batch!.gasUsed / 100n);

    const unit = tokenIdOf(GTIN, "SN2026000001");
    const expiry = now + 365 * 86_400;
    await measure(
      "passport.attest",
      passport
        .connect(certifier)
        .attestUnit(
          unit,
          zeroPadBytes(toUtf8Bytes("ORGANIC"), 8),
          keccak256(toUtf8Bytes("certificate")),
          expiry,
          "ipfs://bafybeihkoviema7g3gxyt6la7vd5ho32ictqbilu3wnlo3rs7ewhnp7lly/cert.pdf",
        ),
    );

    await measure(
      "passport.transfer",
      passport.connect(warehouse).transferFrom(warehouse.address, buyer.address, unit),
    );

    await measure(
      "passport.recallLot",
      passport.connect(maker).recallLot(2n, keccak256(toUtf8Bytes("recall notice"))),
    );
  },
};

export default suite;
