/**
 * The shareable form of a signed offer: one line a merchant pastes into a chat or a link and a
 * buyer's command reads back. It carries the chain and escrow it is valid on, so a payload
 * can never be paid on the wrong network by mistake.
 */
import {
  decodeBase64,
  encodeBase64,
  getAddress,
  isHexString,
  toUtf8Bytes,
  toUtf8String,
} from "ethers";

import type { Offer } from "./offers.js";

export const OFFER_PAYLOAD_PREFIX = "waybill-offer:v1:";

export interface SignedOffer {
  chainId: bigint;
  escrow: string;
  offer: Offer;
  signature: string;
}

const BIGINT_FIELDS = [
  "price",
  "shipWithin",
  "deliverWithin",
  "inspectionPeriod",
  "expiry",
  "salt",
] as const;
const ADDRESS_FIELDS = ["merchant", "payee", "buyer", "token"] as const;

/** UTF-8 text as unpadded base64url (RFC 4648 §5), without Node's Buffer. */
function toBase64Url(text: string): string {
  return encodeBase64(toUtf8Bytes(text)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The UTF-8 text of base64url (padded or not); throws on anything else. */
function fromBase64Url(encoded: string): string {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(encoded)) throw new Error("not base64url");
  const base64 = encoded.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  return toUtf8String(decodeBase64(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")));
}

export function encodeOfferPayload(signed: SignedOffer): string {
  const json = JSON.stringify(signed, (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
  return OFFER_PAYLOAD_PREFIX + toBase64Url(json);
}

/** Reads a payload back, checking every field, and throws a readable Error when it is damaged. */
export function decodeOfferPayload(payload: string): SignedOffer {
  const text = payload.trim();
  if (!text.startsWith(OFFER_PAYLOAD_PREFIX)) {
    throw new Error(`not a Waybill offer (it should start with "${OFFER_PAYLOAD_PREFIX}")`);
  }
  let raw: { chainId: string; escrow: string; offer: Record<string, string>; signature: string };
  try {
    raw = JSON.parse(fromBase64Url(text.slice(OFFER_PAYLOAD_PREFIX.length))) as typeof raw;
  } catch {
    throw new Error("the offer is damaged (copy the whole line the merchant shared)");
  }
  try {
    const offer = { detailsHash: raw.offer.detailsHash } as Offer;
    for (const field of ADDRESS_FIELDS) offer[field] = getAddress(raw.offer[field]);
    for (const field of BIGINT_FIELDS) offer[field] = BigInt(raw.offer[field]);
    if (!isHexString(offer.detailsHash, 32) || !isHexString(raw.signature))
      throw new Error("bad hex");
    return {
      chainId: BigInt(raw.chainId),
      escrow: getAddress(raw.escrow),
      offer,
      signature: raw.signature,
    };
  } catch {
    throw new Error("the offer is damaged (a field is missing or malformed)");
  }
}
