/**
 * GS1 identifiers for Waybill product passports: GTIN check digits, serials (AI 21) in the
 * GS1 character set 82, GS1 Digital Link URIs and the passport token id scheme shared with
 * `contracts/ProductPassport.sol`:
 *
 *     tokenId = (gtin14 << 160) | serial bytes, left-aligned in the low 160 bits
 *
 * Every function here agrees with the contract on the vectors in `test/vectors/gs1.json`.
 */

/** The GS1 AI encodable character set 82 (used by AI 21 serials and AI 10 lot numbers). */
export const CSET82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;

/** Longest serial (AI 21) and lot number (AI 10). */
export const MAX_GS1_TEXT_LENGTH = 20;

/** The GS1 resolver used when a link is built without a domain. */
export const DEFAULT_RESOLVER = "https://id.gs1.org";

const CSET82_CHARS = new Set(CSET82);
const SERIAL_BITS = 160n;
const SERIAL_MASK = (1n << SERIAL_BITS) - 1n;
const GTIN_LIMIT = 10n ** 14n;

/** A unit's GS1 identity: a 14-digit GTIN (leading zeros kept) and its serial. */
export interface UnitId {
  gtin: string;
  serial: string;
}

/** What a GS1 Digital Link URI carries. */
export interface DigitalLink extends UnitId {
  /** Scheme and host the link was issued on, e.g. "https://id.gs1.org". */
  domain: string;
  /** Batch/lot (AI 10), when the link has one. */
  lot?: string;
}

/** Whether `text` is 1..20 characters of the GS1 character set 82. */
export function isGs1Text(text: string): boolean {
  if (text.length === 0 || text.length > MAX_GS1_TEXT_LENGTH) return false;
  for (const c of text) if (!CSET82_CHARS.has(c)) return false;
  return true;
}

/** Whether `serial` is a valid GS1 AI 21 serial. */
export const isValidSerial = isGs1Text;

/**
 * The GS1 mod-10 check digit of `body` (every digit but the check digit): from the rightmost
 * digit leftwards, weights 3, 1, 3, 1, ...
 */
export function computeCheckDigit(body: string): number {
  if (!/^\d+$/.test(body)) throw new Error(`GTIN body must be digits: "${body}"`);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * The GTIN-14 form of a GTIN-8, -12, -13 or -14 (string of digits, or a number below 10^14),
 * or `undefined` when it is malformed, all zeros or has a wrong check digit.
 */
export function tryNormalizeGtin(gtin: string | bigint): string | undefined {
  let digits: string;
  if (typeof gtin === "bigint") {
    if (gtin <= 0n || gtin >= GTIN_LIMIT) return undefined;
    digits = gtin.toString().padStart(14, "0");
  } else {
    if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(gtin)) return undefined;
    digits = gtin.padStart(14, "0");
  }
  if (/^0+$/.test(digits)) return undefined;
  if (computeCheckDigit(digits.slice(0, 13)) !== Number(digits[13])) return undefined;
  return digits;
}

/** Whether `gtin` is a valid GTIN-8, -12, -13 or -14. */
export function isValidGtin(gtin: string | bigint): boolean {
  return tryNormalizeGtin(gtin) !== undefined;
}

/** The GTIN-14 form of `gtin`; throws when invalid. */
export function normalizeGtin(gtin: string | bigint): string {
  const normalized = tryNormalizeGtin(gtin);
  if (normalized === undefined) throw new Error(`invalid GTIN: ${String(gtin)}`);
  return normalized;
}

/** Appends the check digit to a GTIN body of 7, 11, 12 or 13 digits. */
export function withCheckDigit(body: string): string {
  if (![7, 11, 12, 13].includes(body.length)) {
    throw new Error(`GTIN body must have 7, 11, 12 or 13 digits: "${body}"`);
  }
  return `${body}${computeCheckDigit(body)}`;
}

/** The passport token id of a unit; throws on an invalid GTIN or serial. */
export function tokenIdOf(gtin: string | bigint, serial: string): bigint {
  const gtin14 = normalizeGtin(gtin);
  if (!isValidSerial(serial)) throw new Error(`invalid GS1 serial: "${serial}"`);
  let low = 0n;
  for (let i = 0; i < MAX_GS1_TEXT_LENGTH; i++) {
    low = (low << 8n) | BigInt(i < serial.length ? serial.charCodeAt(i) : 0);
  }
  return (BigInt(gtin14) << SERIAL_BITS) | low;
}

/** The GTIN-14 and serial a token id encodes, or `undefined` when it is not a valid GS1 id. */
export function tryFromTokenId(id: bigint): UnitId | undefined {
  if (id < 0n) return undefined;
  const gtin = tryNormalizeGtin(id >> SERIAL_BITS);
  if (gtin === undefined) return undefined;
  let low = id & SERIAL_MASK;
  const bytes: number[] = [];
  for (let i = 0; i < MAX_GS1_TEXT_LENGTH; i++) {
    bytes.unshift(Number(low & 0xffn));
    low >>= 8n;
  }
  while (bytes.length > 0 && bytes[bytes.length - 1] === 0) bytes.pop();
  const serial = String.fromCharCode(...bytes);
  return isValidSerial(serial) ? { gtin, serial } : undefined;
}

/** The GTIN-14 and serial a token id encodes; throws when it is not a valid GS1 id. */
export function fromTokenId(id: bigint): UnitId {
  const unit = tryFromTokenId(id);
  if (unit === undefined) throw new Error(`not a passport token id: 0x${id.toString(16)}`);
  return unit;
}

/**
 * Percent-encodes a serial or lot number for a Digital Link path segment. GS1 Digital Link
 * requires `! " % & ' ( ) * + , / : ; < = > ?` to be encoded; `-`, `.`, `_` and
 * alphanumerics stay as they are.
 */
export function encodeDigitalLinkValue(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Builds a GS1 Digital Link URI: `{domain}/01/{GTIN-14}[/10/{lot}]/21/{serial}`.
 * @param domain Scheme and host (any resolver), default https://id.gs1.org.
 */
export function buildDigitalLink(
  gtin: string | bigint,
  serial: string,
  lot?: string,
  domain: string = DEFAULT_RESOLVER,
): string {
  const gtin14 = normalizeGtin(gtin);
  if (!isValidSerial(serial)) throw new Error(`invalid GS1 serial: "${serial}"`);
  if (lot !== undefined && !isGs1Text(lot)) throw new Error(`invalid GS1 lot number: "${lot}"`);
  const lotPart = lot === undefined ? "" : `/10/${encodeDigitalLinkValue(lot)}`;
  return `${domain.replace(/\/+$/, "")}/01/${gtin14}${lotPart}/21/${encodeDigitalLinkValue(serial)}`;
}

/** The Digital Link URI of a passport token id. */
export function digitalLinkOf(tokenId: bigint, lot?: string, domain?: string): string {
  const { gtin, serial } = fromTokenId(tokenId);
  return buildDigitalLink(gtin, serial, lot, domain);
}

/**
 * Parses a GS1 Digital Link URI with a serial, on any domain and under any path prefix:
 * `.../01/{gtin}[/22/{cpv}][/10/{lot}]/21/{serial}[?query]`. The GTIN may be 8, 12, 13 or
 * 14 digits and is returned as GTIN-14. Throws when the link is malformed, the GTIN invalid
 * or the serial missing or outside the GS1 character set 82.
 */
export function parseDigitalLink(uri: string): DigitalLink {
  // Parsed by hand rather than with URL: URL would collapse a "." or ".." serial as a dot segment.
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]+)(\/[^?#]*)?(?:\?[^#]*)?(?:#.*)?$/.exec(uri);
  if (match === null) throw new Error(`not a URI: "${uri}"`);
  const segments = (match[2] ?? "").split("/").filter((s) => s.length > 0);
  const start = segments.indexOf("01");
  if (start < 0 || (segments.length - start) % 2 !== 0) {
    throw new Error(`not a GS1 Digital Link with a GTIN: "${uri}"`);
  }
  const values = new Map<string, string>();
  const order = ["01", "22", "10", "21"];
  let last = -1;
  for (let i = start; i < segments.length; i += 2) {
    const ai = segments[i];
    const position = order.indexOf(ai);
    if (position <= last) throw new Error(`unexpected AI "${ai}" in "${uri}"`);
    last = position;
    let value: string;
    try {
      value = decodeURIComponent(segments[i + 1]);
    } catch {
      throw new Error(`bad percent-encoding in "${uri}"`);
    }
    values.set(ai, value);
  }
  const gtin = tryNormalizeGtin(values.get("01") ?? "");
  if (gtin === undefined) throw new Error(`invalid GTIN in "${uri}"`);
  const serial = values.get("21");
  if (serial === undefined || !isValidSerial(serial)) {
    throw new Error(`missing or invalid serial in "${uri}"`);
  }
  const lot = values.get("10");
  if (lot !== undefined && !isGs1Text(lot)) throw new Error(`invalid lot number in "${uri}"`);
  const prefix = segments.slice(0, start);
  const domain = `${match[1]}${prefix.length > 0 ? `/${prefix.join("/")}` : ""}`;
  return lot === undefined ? { domain, gtin, serial } : { domain, gtin, serial, lot };
}

/** The passport token id a Digital Link URI identifies. */
export function tokenIdOfDigitalLink(uri: string): bigint {
  const { gtin, serial } = parseDigitalLink(uri);
  return tokenIdOf(gtin, serial);
}

/** The GS1 company prefix of `length` (6..12) digits inside a GTIN: digits 2..(1+length) of the GTIN-14. */
export function companyPrefixOf(gtin: string | bigint, length: number): string {
  if (!Number.isInteger(length) || length < 6 || length > 12) {
    throw new Error(`company prefix length must be 6..12: ${length}`);
  }
  return normalizeGtin(gtin).slice(1, 1 + length);
}
