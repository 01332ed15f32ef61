/**
 * The shareable form of a signed offer: one line a merchant pastes into a chat or a link and a
 * buyer's command reads back. It carries the chain and escrow it is valid on, so a payload
 * can never be paid on the wrong network by mistake.
 */
import { getAddress, isHexString } from "ethers";

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
  "maxFeeBps",
  "expiry",
  "salt",
] as const;
const ADDRESS_FIELDS = ["merchant", "payee", "buyer", "token"] as const;

export function encodeOfferPayload(signed: SignedOffer): string {
  const json = JSON.stringify(signed, (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
  return OFFER_PAYLOAD_PREFIX + Buffer.from(json, "utf8").toString("base64url");
}

/** Reads a payload back, checking every field, and throws a readable Error when it is damaged. */
export function decodeOfferPayload(payload: string): SignedOffer {
  const text = payload.trim();
  if (!text.startsWith(OFFER_PAYLOAD_PREFIX)) {
    throw new Error(`not a Waybill offer (it should start with "${OFFER_PAYLOAD_PREFIX}")`);
  }
  let raw: { chainId: string; escrow: string; offer: Record<string, string>; signature: string };
  try {
    raw = JSON.parse(
      Buffer.from(text.slice(OFFER_PAYLOAD_PREFIX.length), "base64url").toString("utf8"),
    ) as typeof raw;
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
