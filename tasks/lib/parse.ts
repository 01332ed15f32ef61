/** Parsers for what people type on the command line: durations, places, order references. */
import { isHexString, id as keccakText } from "ethers";

import { UserError } from "./errors.js";

const UNIT_SECONDS: Record<string, bigint> = { s: 1n, m: 60n, h: 3600n, d: 86_400n, w: 604_800n };

/** "90m", "36h", "7d", "2w" or plain seconds → seconds. */
export function parseDuration(text: string, what: string): bigint {
  const match = /^(\d+)([smhdw]?)$/.exec(text.trim());
  if (match === null)
    throw new UserError(`${what}: "${text}" is not a duration (examples: 3600, 90m, 36h, 7d, 2w)`);
  return BigInt(match[1]) * UNIT_SECONDS[match[2] === "" ? "s" : match[2]];
}

/** A 32-byte hash given as 0x-hex, or the keccak-256 of free text (a document's reference, say). */
export function hashOf(text: string): string {
  return isHexString(text, 32) ? text : keccakText(text);
}

/** An ISO 8601 time or unix seconds → unix seconds; empty means `fallback`. */
export function parseTime(text: string, fallback: bigint): bigint {
  if (text === "") return fallback;
  if (/^\d+$/.test(text)) return BigInt(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new UserError(
      `"${text}" is not a time (use ISO 8601, e.g. 2026-11-27T10:00:00Z, or unix seconds)`,
    );
  return BigInt(Math.floor(ms / 1000));
}

/** Comma-separated big integers ("12,13") → bigint[]; empty → []. */
export function parseIdList(text: string, what: string): bigint[] {
  if (text.trim() === "") return [];
  return text.split(",").map((part) => {
    try {
      return BigInt(part.trim());
    } catch {
      throw new UserError(`${what}: "${part}" is not a number`);
    }
  });
}

export function isOrderId(text: string): boolean {
  return isHexString(text, 32);
}
