import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { encodeBytes32String, keccak256, toUtf8Bytes, zeroPadBytes } from "ethers";

import { tokenIdOf } from "@waybill/sdk";
import type { IProductPassport } from "../../typechain-types/ProductPassport.js";

/** Brand A's GTIN (the GS1 Digital Link standard's example) and company prefix 9506000 (7 digits). */
export const GTIN_A = 9506000134352n;
export const PREFIX_A = 9506000n;
/** Brand B's GTIN and company prefix 4006381 (7 digits). */
export const GTIN_B = 4006381333931n;
export const PREFIX_B = 4006381n;
export const PREFIX_LENGTH = 7;
export const ADMIN_DELAY = 3600;
export const LOT_URI = "ipfs://bafy-lot-1/passport.json";
export const CONTENT_HASH = keccak256(toUtf8Bytes("lot 1 passport document"));
export const ORGANIC = zeroPadBytes(toUtf8Bytes("ORGANIC"), 8);
export const CE_MARK = zeroPadBytes(toUtf8Bytes("CE"), 8);
export const DOC_HASH = keccak256(toUtf8Bytes("certificate pdf"));
export const SHIPMENT_1 = encodeBytes32String("shipment-1");

/** Unit status, shipment status and enum values as the contract numbers them. */
export const Status = { None: 0n, Active: 1n, Stolen: 2n, Burned: 3n } as const;
export const Kind = { Unit: 0, Lot: 1 } as const;
export const Reason = { Consumed: 0, Destroyed: 1, Recycled: 2, Other: 3 } as const;
export const Shipment = { None: 0n, Created: 1n, InTransit: 2n, Delivered: 4n, Lost: 5n } as const;

export function idOf(gtin: bigint, serial: string): bigint {
  return tokenIdOf(gtin, serial);
}

export function country(code: string): string {
  return `0x${Buffer.from(code, "latin1").toString("hex")}`;
}

/** A lot of brand A produced a day before `now`. */
export function newLot(
  now: number,
  overrides: Partial<IProductPassport.NewLotStruct> = {},
): IProductPassport.NewLotStruct {
  return {
    gtin: GTIN_A,
    prefixLength: PREFIX_LENGTH,
    originCountry: country("DE"),
    productionDate: now - 86_400,
    contentHash: CONTENT_HASH,
    lotNumber: "LOT-2026-001",
    uri: LOT_URI,
    ...overrides,
  };
}

/**
 * Deploys the passport with roles and prefixes for two brands and one lot of brand A with
 * units "SN-1" and "SN-2" owned by alice.
 */
export async function deployPassport(ethers: HardhatEthers) {
  const [admin, maker, maker2, certifier, certifier2, alice, bob, carol, stranger] =
    await ethers.getSigners();
  const passport = await ethers.deployContract("ProductPassport", [admin.address, ADMIN_DELAY]);
  const MANUFACTURER = await passport.MANUFACTURER_ROLE();
  const CERTIFIER = await passport.CERTIFIER_ROLE();
  await passport.grantRole(MANUFACTURER, maker.address);
  await passport.grantRole(MANUFACTURER, maker2.address);
  await passport.grantRole(CERTIFIER, certifier.address);
  await passport.grantRole(CERTIFIER, certifier2.address);
  await passport.assignPrefix(maker.address, PREFIX_A, PREFIX_LENGTH);
  await passport.assignPrefix(maker2.address, PREFIX_B, PREFIX_LENGTH);
  const now = (await ethers.provider.getBlock("latest"))!.timestamp;
  await passport.connect(maker).createLot(newLot(now));
  const lotId = 1n;
  await passport.connect(maker).mintBatch(lotId, ["SN-1", "SN-2"], alice.address);
  const unit1 = idOf(GTIN_A, "SN-1");
  const unit2 = idOf(GTIN_A, "SN-2");
  return {
    passport,
    admin,
    maker,
    maker2,
    certifier,
    certifier2,
    alice,
    bob,
    carol,
    stranger,
    MANUFACTURER,
    CERTIFIER,
    lotId,
    unit1,
    unit2,
    now,
  };
}
