/**
 * Texts that go on-chain in full (escrow v2): a review's words and a piece of evidence's
 * description travel in their events, so anyone can read them back from the logs. The escrow
 * bounds each to {@link MAX_TEXT_BYTES} bytes of UTF-8; checking it here first turns a revert
 * that would cost gas into a sentence that says how much to cut.
 */
import { toUtf8Bytes } from "ethers";

import { WaybillError } from "./errors.js";

/** The escrow's `MAX_TEXT_BYTES`: the longest review or evidence text, in UTF-8 bytes. */
export const MAX_TEXT_BYTES = 1000;

/** The length the escrow measures: UTF-8 bytes, not characters (é is 2 bytes, most emoji 4). */
export function textByteLength(text: string): number {
  return toUtf8Bytes(text).length;
}

/** Why `text` cannot be sent as `what` (e.g. "the review text"), or `undefined` when it fits. */
export function textProblem(text: string, what: string): string | undefined {
  const length = textByteLength(text);
  if (length <= MAX_TEXT_BYTES) return undefined;
  const fmt = (n: number) => n.toLocaleString("en-US");
  const excess = length - MAX_TEXT_BYTES;
  const note = length > text.length ? " (accented letters take 2 bytes, most emoji 4)" : "";
  return `${what} is ${fmt(length)} bytes in UTF-8, more than the ${fmt(MAX_TEXT_BYTES)} the escrow accepts: shorten it by ${fmt(excess)} byte${excess === 1 ? "" : "s"}${note}`;
}

/** Throws a REFUSED {@link WaybillError} with {@link textProblem}'s sentence unless `text` fits. */
export function requireTextFits(text: string, what: string): void {
  const problem = textProblem(text, what);
  if (problem !== undefined) throw new WaybillError("REFUSED", problem);
}
