/**
 * The offer line: the one line a merchant pastes into a chat or a link and a buyer's command
 * or wallet reads back. Version 2 carries the signed offer, the chain and escrow it is valid on
 * (so it can never be paid on the wrong network by mistake) and the human order details
 * (items, quantities, shipping terms), which must hash to the offer's signed `detailsHash`;
 * a line whose details were altered is refused. Version 1 lines (no details) still decode.
 */
import {
  decodeBase64,
  encodeBase64,
  getAddress,
  isHexString,
  keccak256,
  toUtf8Bytes,
  toUtf8String,
} from "ethers";

import { WaybillError } from "./errors.js";
import { OFFER_FIELDS, type Offer } from "./offers.js";

export const OFFER_LINE_PREFIX = "waybill-offer:v2:";
/** The first version's prefix: lines without order details. */
export const OFFER_LINE_V1_PREFIX = "waybill-offer:v1:";
/** What every version of the line starts with. */
export const OFFER_LINE_SCHEME = "waybill-offer:";

/** One line of an order: what and how many. */
export interface OrderItem {
  name: string;
  quantity: number;
}

/**
 * What the buyer pays for, in words. Only its hash is signed and goes on-chain; the line
 * carries it in full. Holds no personal data unless the merchant writes some in.
 */
export interface OrderDetails {
  items: OrderItem[];
  /** Shipping terms, e.g. "DAP Hamburg, sea freight". */
  shipping?: string;
  /** Anything else the merchant wants the buyer to read. */
  note?: string;
}

export interface SignedOffer {
  chainId: bigint;
  escrow: string;
  offer: Offer;
  signature: string;
  /** The order details (v2 lines); `undefined` for a v1 line, which carries only the hash. */
  details?: OrderDetails;
}

/** The canonical text of `details` (fixed key order, no absent keys), which is what is hashed. */
export function canonicalOrderDetails(details: OrderDetails): string {
  return JSON.stringify({
    items: details.items.map((item) => ({ name: item.name, quantity: item.quantity })),
    ...(details.shipping === undefined ? {} : { shipping: details.shipping }),
    ...(details.note === undefined ? {} : { note: details.note }),
  });
}

/** The offer's `detailsHash` for `details`: keccak-256 of their canonical text. */
export function hashOrderDetails(details: OrderDetails): string {
  return keccak256(toUtf8Bytes(canonicalOrderDetails(details)));
}

/**
 * Reads items as a person types them: `"2 Celadon vase; 1 Tea bowl"` (a leading number is the
 * quantity, 1 when absent). Throws on an empty entry or a quantity below 1.
 */
export function parseOrderItems(text: string): OrderItem[] {
  return text
    .split(";")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const match = /^(\d+)\s*[x×]?\s+(.+)$/.exec(entry);
      const quantity = match === null ? 1 : Number(match[1]);
      const name = match === null ? entry : match[2].trim();
      if (!Number.isSafeInteger(quantity) || quantity < 1) {
        throw new WaybillError("REFUSED", `"${entry}": a quantity is a whole number of at least 1`);
      }
      return { name, quantity };
    });
}

/** The details as lines for a person: "2 × Celadon vase", then shipping and note. */
export function describeOrderDetails(details: OrderDetails): string[] {
  return [
    ...details.items.map((item) => `${item.quantity} × ${item.name}`),
    ...(details.shipping === undefined ? [] : [`shipping: ${details.shipping}`]),
    ...(details.note === undefined ? [] : [`note: ${details.note}`]),
  ];
}

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

/** Writes the v2 line. Throws when `details` are missing or do not match the signed hash. */
export function encodeOfferLine(signed: SignedOffer): string {
  if (signed.details === undefined) {
    throw new WaybillError("REFUSED", "an offer line carries the order details: pass them");
  }
  if (hashOrderDetails(signed.details) !== signed.offer.detailsHash) {
    throw new WaybillError(
      "OFFER_DETAILS_MISMATCH",
      "the order details do not match the offer's signed detailsHash",
    );
  }
  const json = JSON.stringify(
    { ...signed, details: JSON.parse(canonicalOrderDetails(signed.details)) as unknown },
    (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
  );
  return OFFER_LINE_PREFIX + toBase64Url(json);
}

function damaged(what: string, cause?: unknown): WaybillError {
  return new WaybillError("OFFER_LINE_DAMAGED", `the offer is damaged (${what})`, { cause });
}

function decodeOffer(raw: Record<string, unknown>): Offer {
  const offer: Record<string, unknown> = {};
  for (const { name, type } of OFFER_FIELDS) {
    const value = raw[name];
    if (typeof value !== "string") throw new Error(`missing ${name}`);
    if (type === "address") offer[name] = getAddress(value);
    else if (type === "bytes32") {
      if (!isHexString(value, 32)) throw new Error(`bad ${name}`);
      offer[name] = value;
    } else offer[name] = BigInt(value);
  }
  return offer as unknown as Offer;
}

function decodeDetails(raw: unknown): OrderDetails {
  const record = raw as { items?: unknown; shipping?: unknown; note?: unknown } | null;
  if (record === null || typeof record !== "object" || !Array.isArray(record.items)) {
    throw new Error("no items");
  }
  const items = record.items.map((item: unknown) => {
    const { name, quantity } = item as { name?: unknown; quantity?: unknown };
    if (typeof name !== "string" || typeof quantity !== "number") throw new Error("bad item");
    return { name, quantity };
  });
  const details: OrderDetails = { items };
  if (typeof record.shipping === "string") details.shipping = record.shipping;
  if (typeof record.note === "string") details.note = record.note;
  return details;
}

/**
 * Reads a line back, v2 or v1, checking every field. A v2 line whose details do not hash to
 * the signed `detailsHash` is refused (OFFER_DETAILS_MISMATCH); a damaged line is
 * OFFER_LINE_DAMAGED.
 */
export function decodeOfferLine(line: string): SignedOffer {
  const text = line.trim();
  const version = text.startsWith(OFFER_LINE_PREFIX)
    ? 2
    : text.startsWith(OFFER_LINE_V1_PREFIX)
      ? 1
      : undefined;
  if (version === undefined) {
    throw new WaybillError(
      "OFFER_LINE_DAMAGED",
      `not a Waybill offer (it should start with "${OFFER_LINE_PREFIX}")`,
    );
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fromBase64Url(text.slice(OFFER_LINE_PREFIX.length))) as typeof raw;
  } catch (error) {
    throw damaged("copy the whole line the merchant shared", error);
  }
  let signed: SignedOffer;
  try {
    if (typeof raw.signature !== "string" || !isHexString(raw.signature))
      throw new Error("signature");
    signed = {
      chainId: BigInt(raw.chainId as string),
      escrow: getAddress(raw.escrow as string),
      offer: decodeOffer(raw.offer as Record<string, unknown>),
      signature: raw.signature,
    };
    if (version === 2) signed.details = decodeDetails(raw.details);
  } catch (error) {
    throw damaged("a field is missing or malformed", error);
  }
  if (
    signed.details !== undefined &&
    hashOrderDetails(signed.details) !== signed.offer.detailsHash
  ) {
    throw new WaybillError(
      "OFFER_DETAILS_MISMATCH",
      "the order details in this line do not match what the merchant signed: it was altered, ask the merchant for the line again",
    );
  }
  return signed;
}

/** Whether `text` looks like an offer line of any version (not whether it is valid). */
export function isOfferLine(text: string): boolean {
  return text.trim().startsWith(OFFER_LINE_SCHEME);
}
