/**
 * An order's history from the escrow's event log. The chain keeps only an order's current
 * state; every step (payment, shipment, partial refunds, payout assignments, settlement
 * proposals, rulings, reviews, evidence) lives in events whose first topic is the order id.
 * This module fetches them, turns each into a sentence with amounts and symbols, names and
 * dates, and reads the review and evidence texts back, which escrow v2 keeps in full in its
 * events so anyone can read them.
 */
import type { Log } from "ethers";

import type { WaybillEscrow } from "./contracts.js";
import { formatAmount, formatDate, shortId } from "./format.js";
import { REFUND_REASONS, nameOf, spokenName } from "./names.js";

/** Which blocks to read; the deployment's block saves scanning from genesis. */
export interface LogRange {
  fromBlock?: number;
  toBlock?: number | "latest";
}

/** One escrow event of an order, decoded. */
export interface OrderEvent {
  /** The event's name, e.g. "OrderPaid", "PartialRefund", "OrderSettled". */
  name: string;
  /** The event's arguments by name. */
  args: Readonly<Record<string, unknown>>;
  /** The block's time, Unix seconds. */
  time: bigint;
  blockNumber: number;
  logIndex: number;
  transactionHash: string;
}

async function blockTimes(
  escrow: WaybillEscrow,
  logs: readonly Log[],
): Promise<Map<number, bigint>> {
  const provider = escrow.runner?.provider;
  if (provider === undefined || provider === null)
    throw new Error("the escrow handle has no provider to read blocks with");
  const numbers = [...new Set(logs.map((log) => log.blockNumber))];
  const blocks = await Promise.all(numbers.map((n) => provider.getBlock(n)));
  return new Map(numbers.map((n, i) => [n, BigInt(blocks[i]?.timestamp ?? 0)]));
}

/** An escrow event decoded from a log, with its arguments by name. */
export interface EscrowEvent {
  name: string;
  args: Readonly<Record<string, unknown>>;
  log: Log;
}

/**
 * Decodes the escrow's events among `logs` (a receipt's, say), optionally only those named
 * `name`; logs of other contracts or unknown events are skipped.
 */
export function parseEscrowEvents(
  escrow: Pick<WaybillEscrow, "interface">,
  logs: readonly Log[],
  name?: string,
): EscrowEvent[] {
  const events: EscrowEvent[] = [];
  for (const log of logs) {
    let parsed;
    try {
      parsed = escrow.interface.parseLog({ topics: [...log.topics], data: log.data });
    } catch {
      // A log with this event's topic but another layout (another contract's event): skip it.
      continue;
    }
    if (parsed === null || (name !== undefined && parsed.name !== name)) continue;
    const args: Record<string, unknown> = {};
    parsed.fragment.inputs.forEach((input, i) => (args[input.name] = parsed.args[i]));
    events.push({ name: parsed.name, args, log });
  }
  return events;
}

async function decode(escrow: WaybillEscrow, logs: readonly Log[]): Promise<OrderEvent[]> {
  const times = await blockTimes(escrow, logs);
  const events: OrderEvent[] = [];
  for (const { name, args, log } of parseEscrowEvents(escrow, logs)) {
    events.push({
      name,
      args,
      time: times.get(log.blockNumber) ?? 0n,
      blockNumber: log.blockNumber,
      logIndex: log.index,
      transactionHash: log.transactionHash,
    });
  }
  return events.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}

/** Every escrow event of `orderId`, in chain order (block, then log index). */
export async function getOrderHistory(
  escrow: WaybillEscrow,
  orderId: string,
  range: LogRange = {},
): Promise<OrderEvent[]> {
  const provider = escrow.runner?.provider;
  if (provider === undefined || provider === null)
    throw new Error("the escrow handle has no provider to read logs with");
  const logs = await provider.getLogs({
    address: await escrow.getAddress(),
    topics: [null, orderId],
    fromBlock: range.fromBlock ?? 0,
    toBlock: range.toBlock ?? "latest",
  });
  return decode(escrow, logs);
}

/** A review read back from its `Reviewed` event. */
export interface Review {
  orderId: string;
  merchant: string;
  rating: number;
  text: string;
  time: bigint;
  blockNumber: number;
  transactionHash: string;
}

/** Reviews of `merchant` and/or of `orderId` (all the escrow's when neither is given), oldest first. */
export async function readReviews(
  escrow: WaybillEscrow,
  filter: { merchant?: string; orderId?: string } & LogRange = {},
): Promise<Review[]> {
  const logs = await escrow.queryFilter(
    escrow.filters.Reviewed(filter.orderId, filter.merchant),
    filter.fromBlock ?? 0,
    filter.toBlock ?? "latest",
  );
  return (await decode(escrow, logs)).map((e) => ({
    orderId: String(e.args.orderId),
    merchant: String(e.args.merchant),
    rating: Number(e.args.rating),
    text: String(e.args.text),
    time: e.time,
    blockNumber: e.blockNumber,
    transactionHash: e.transactionHash,
  }));
}

/** A piece of evidence read back from its `Evidence` event. */
export interface EvidenceEntry {
  orderId: string;
  party: string;
  evidenceHash: string;
  evidenceURI: string;
  text: string;
  time: bigint;
  blockNumber: number;
  transactionHash: string;
}

/** The evidence both parties submitted on `orderId`, oldest first. */
export async function readEvidence(
  escrow: WaybillEscrow,
  orderId: string,
  range: LogRange = {},
): Promise<EvidenceEntry[]> {
  const logs = await escrow.queryFilter(
    escrow.filters.Evidence(orderId),
    range.fromBlock ?? 0,
    range.toBlock ?? "latest",
  );
  return (await decode(escrow, logs)).map((e) => ({
    orderId: String(e.args.orderId),
    party: String(e.args.party),
    evidenceHash: String(e.args.evidenceHash),
    evidenceURI: String(e.args.evidenceURI),
    text: String(e.args.text),
    time: e.time,
    blockNumber: e.blockNumber,
    transactionHash: e.transactionHash,
  }));
}

/** How an order's events are worded: the order's token, names for known addresses, a time zone. */
export interface OrderHistoryFormat {
  token: { decimals: number; symbol: string };
  /** Lower-case or checksummed address → display name. */
  names?: Readonly<Record<string, string>>;
  /** IANA time zone for dates (default UTC). */
  timeZone?: string;
}

const MASK_96 = (1n << 96n) - 1n;

/** A sentence for one order event, e.g. "Hanse Trade Finance (0x…) was assigned the payout by …". */
export function describeOrderEvent(event: OrderEvent, format: OrderHistoryFormat): string {
  const a = event.args;
  const money = (value: unknown) =>
    formatAmount(BigInt(value as bigint), format.token.decimals, format.token.symbol);
  // A known name replaces the role word: "Anna (0x…)", else "the buyer 0x…".
  const who = (value: unknown, role?: string) => {
    const address = String(value);
    const name = format.names?.[address] ?? format.names?.[address.toLowerCase()];
    if (name !== undefined) return `${name} (${address})`;
    return role === undefined ? address : `${role} ${address}`;
  };
  const date = (value: unknown) => formatDate(BigInt(value as bigint), format.timeZone);
  const quoted = (text: unknown) => (String(text) === "" ? "" : `: "${String(text)}"`);
  switch (event.name) {
    case "OrderPaid":
      return `${who(a.buyer)} paid ${money(BigInt(a.payeeAndPrice as bigint) & MASK_96)} into escrow`;
    case "OfferCancelled":
      return `${who(a.merchant, "the merchant")} cancelled the offer`;
    case "OrderShipped":
      return `shipped as shipment ${shortId(String(a.shipmentId))}${a.hasPassports === true ? ", with its passports in the escrow's custody" : ""}`;
    case "OrderDelivered":
      return `delivery recorded (delivered ${date(a.deliveredAt)}); the buyer may dispute until ${date(a.inspectionEndsAt)}`;
    case "OrderReleased":
      return `${money(a.sellerAmount)} released to ${who(a.payee)} (platform fee ${money(a.fee)})`;
    case "OrderRefunded":
      return `${money(a.amount)} refunded to ${who(a.buyer, "the buyer")} (${spokenName(nameOf(REFUND_REASONS, BigInt(a.reason as bigint)))})`;
    case "PartialRefund":
      return `${money(a.amount)} refunded to ${who(a.buyer, "the buyer")} while the order goes on (${money(a.totalRefunded)} refunded in all)`;
    case "PayoutAssigned":
      return `${who(a.from)} assigned the payout to ${who(a.to)}, who is now paid whenever the seller is`;
    case "Dispute":
      return `${who(a.party)} opened a dispute; the arbiter rules by ${date(a.rulingDeadline)}`;
    case "Evidence":
      return `${who(a.party)} submitted evidence ${shortId(String(a.evidenceHash))}${String(a.evidenceURI) === "" ? "" : ` (${String(a.evidenceURI)})`}${quoted(a.text)}`;
    case "DisputeResolved":
      return `${who(a.arbiter, "the arbiter")} ruled: ${money(a.buyerAmount)} to the buyer, ${money(a.sellerAmount)} to the seller (platform fee ${money(a.fee)})`;
    case "SettlementProposed":
      return `${who(a.proposer)} proposed a settlement: ${money(a.buyerAmount)} to the buyer, the rest to the seller`;
    case "SettlementWithdrawn":
      return `${who(a.proposer)} withdrew its settlement proposal`;
    case "SettlementSignatureRevoked":
      return `${who(a.signer)} revoked its signed settlement (${money(a.buyerAmount)} to the buyer, valid until ${date(a.deadline)})`;
    case "OrderSettled":
      return `settled between the parties, proposed by ${who(a.proposer)} and accepted by ${who(a.acceptor)}: ${money(a.buyerAmount)} to the buyer, ${money(a.sellerAmount)} to the seller (platform fee ${money(a.fee)})`;
    case "Reviewed":
      return `the buyer rated ${who(a.merchant, "the merchant")} ${String(a.rating)}/5${quoted(a.text)}`;
    case "PassportHandedOver":
      return `passport ${String(a.tokenId)} handed over to ${who(a.buyer, "the buyer")}`;
    case "PassportHandOverFailed":
      return `passport ${String(a.tokenId)} could not be handed over yet (anyone may retry)`;
    case "PassportReturned":
      return `passport ${String(a.tokenId)} returned to ${who(a.merchant, "the merchant")}`;
    case "PassportReturnFailed":
      return `passport ${String(a.tokenId)} could not be returned yet (anyone may retry)`;
    default:
      return event.name;
  }
}

/** One line per event: "2026-12-01 12:00 UTC  <sentence>". */
export function formatOrderHistory(
  events: readonly OrderEvent[],
  format: OrderHistoryFormat,
): string[] {
  return events.map(
    (e) => `${formatDate(e.time, format.timeZone)}  ${describeOrderEvent(e, format)}`,
  );
}
