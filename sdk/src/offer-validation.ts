/**
 * The checks an offer must pass before a merchant signs it: an offer nobody can pay, or one
 * whose deadlines cannot be kept, is refused with a sentence instead of being signed. The
 * single place these rules live; the command line and the web app both call it.
 */
import { WaybillError } from "./errors.js";
import { formatDuration } from "./format.js";
import type { Offer } from "./offers.js";

/**
 * The shortest inspection window a buyer may be given, in seconds. Mirrors the escrow's
 * `MIN_INSPECTION_PERIOD` (1 days); a parity test keeps the two equal.
 */
export const MIN_INSPECTION_PERIOD_SECONDS = 86_400;
/** The shortest time an offer may stay payable, so a buyer has time to read and pay it. */
export const MIN_OFFER_LIFETIME_SECONDS = 600;
/** The escrow's `MAX_PERIOD`: no deadline may lie further than this after payment. */
export const MAX_PERIOD_SECONDS = 365 * 86_400;

/** What is wrong with `offer` at time `now` (Unix seconds), one sentence each; empty when valid. */
export function offerProblems(offer: Offer, now: bigint): string[] {
  const problems: string[] = [];
  if (offer.price <= 0n) problems.push("the price must be more than 0");
  const lifetime = offer.expiry - now;
  if (lifetime < BigInt(MIN_OFFER_LIFETIME_SECONDS)) {
    problems.push(
      `the offer must stay payable for at least ${formatDuration(MIN_OFFER_LIFETIME_SECONDS)}, not ${lifetime <= 0n ? "0 seconds" : formatDuration(lifetime)}`,
    );
  }
  if (offer.inspectionPeriod < BigInt(MIN_INSPECTION_PERIOD_SECONDS)) {
    problems.push(
      `the buyer's inspection window must be at least ${formatDuration(MIN_INSPECTION_PERIOD_SECONDS)}, not ${formatDuration(offer.inspectionPeriod)}`,
    );
  }
  if (offer.shipWithin === 0n) problems.push("the time to ship must be more than 0");
  if (offer.deliverWithin < offer.shipWithin) {
    problems.push(
      `the deliver-by (${formatDuration(offer.deliverWithin)} after payment) is before the ship-by (${formatDuration(offer.shipWithin)})`,
    );
  }
  for (const [name, value] of [
    ["time to ship", offer.shipWithin],
    ["time to deliver", offer.deliverWithin],
    ["inspection window", offer.inspectionPeriod],
  ] as const) {
    if (value > BigInt(MAX_PERIOD_SECONDS)) problems.push(`the ${name} must be at most 365 days`);
  }
  return problems;
}

/** Throws INVALID_OFFER, naming every problem, unless `offer` may be signed at `now`. */
export function validateOffer(offer: Offer, now: bigint): void {
  const problems = offerProblems(offer, now);
  if (problems.length > 0) {
    throw new WaybillError("INVALID_OFFER", `this offer cannot be signed: ${problems.join("; ")}`, {
      args: { problems },
    });
  }
}
