/**
 * `merchant reputation <address>`: a merchant's track record as the indexer computes it from
 * on-chain events (GET /merchants/<address>/track-record), printed for a person. Token amounts
 * are shown with the token's own symbol and decimals, read from the connected network.
 */
import { Contract, getAddress, isAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  type TrackRecord,
  formatAmount,
  formatDate,
  indexerClient,
  isWaybillError,
} from "@waybill/sdk";

import { type Output, consoleOutput, runCommand } from "../lib/cli.js";
import { UserError } from "../lib/errors.js";

export interface ReputationArgs {
  merchant: string;
  indexer: string;
}

export interface TokenInfo {
  symbol: string;
  decimals: number;
}

const REFUND_WORDING: Record<string, string> = {
  MerchantCancelled: "refunded by the merchant",
  NotShippedInTime: "not shipped in time",
  ShipmentFailed: "shipment lost or returned",
  NotDeliveredInTime: "not delivered in time",
};

function percent(rate: number | null): string {
  return rate === null ? "no deadline has come due yet" : `${(rate * 100).toFixed(1)}%`;
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
}

/** The lines a person reads; pure, so tests check the wording without a network. */
export function describeTrackRecord(
  record: TrackRecord,
  tokens: ReadonlyMap<string, TokenInfo>,
): string[] {
  const lines = [`Track record of ${record.merchant} (as of ${formatDate(record.asOf)})`];
  if (!record.hasHistory) {
    lines.push("  No history yet: this merchant has never been paid through Waybill.");
    return lines;
  }
  const o = record.orders;
  lines.push(
    `  Orders      ${plural(o.total, "order")}: ${o.completed} completed, ${o.open} open, ` +
      `${o.refunded} refunded, ${o.resolved} settled by a ruling, ${o.settled} settled by agreement`,
    `  Shipping    ${percent(record.shipping.onTimeRate)} on time ` +
      `(${record.shipping.onTime} of ${record.shipping.due} due; ${record.shipping.missed} missed the ship-by deadline)`,
    `  Delivery    ${percent(record.delivery.onTimeRate)} on time ` +
      `(${record.delivery.onTime} of ${record.delivery.due} due; ${record.delivery.late} late, ${record.delivery.failed} lost or returned)`,
  );
  const reasons = Object.entries(record.refunds.byReason)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${count} ${REFUND_WORDING[reason] ?? reason}`);
  const partly =
    record.refunds.partial === 0
      ? ""
      : `; ${plural(record.refunds.partial, "order")} partly refunded before the end`;
  lines.push(
    `  Refunds     ${record.refunds.total === 0 ? "none" : `${record.refunds.total}: ${reasons.join(", ")}`}${partly}`,
  );
  const d = record.disputes;
  lines.push(
    d.opened === 0
      ? "  Disputes    none"
      : `  Disputes    ${d.opened} opened (${d.openedByBuyer} by buyers, ${d.openedByMerchant} by the merchant): ` +
          `${d.buyerWon} refunded in full, ${d.merchantWon} paid in full to the merchant, ${d.split} split, ` +
          `${d.defaultRuling} default even split, ${d.settled} settled by the parties, ${d.pending} awaiting a ruling`,
  );
  const r = record.ratings;
  lines.push(
    r.count === 0
      ? "  Ratings     no reviews yet"
      : `  Ratings     ${r.average!.toFixed(2)} / 5 from ${plural(r.count, "review")} (` +
          ["5", "4", "3", "2", "1"]
            .map((stars) => `${stars}★ ${r.distribution[stars] ?? 0}`)
            .join(", ") +
          ")",
  );
  for (const v of record.volume) {
    const token = tokens.get(getAddress(v.token));
    const amount = (value: string) =>
      token === undefined
        ? `${value} base units of ${v.token}`
        : formatAmount(BigInt(value), token.decimals, token.symbol);
    lines.push(
      `  Volume      ${amount(v.paid)} over ${plural(v.orders, "order")}; ${amount(v.releasedToMerchant)} paid out, ` +
        `${amount(v.refundedToBuyers)} returned to buyers`,
    );
  }
  lines.push(
    `  First order ${formatDate(record.firstOrderAt!)}, last order ${formatDate(record.lastOrderAt!)}`,
  );
  lines.push(
    "  Derived from on-chain events only: anyone can recompute it from the escrow's logs.",
  );
  return lines;
}

const ERC20_METADATA = [
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
];

/** Fetches the track record through the SDK's indexer client; one clear sentence when it cannot. */
export async function fetchTrackRecord(indexerUrl: string, merchant: string): Promise<TrackRecord> {
  try {
    return await indexerClient(indexerUrl).trackRecord(merchant);
  } catch (error) {
    if (isWaybillError(error) && error.code === "NETWORK_UNREACHABLE") {
      throw new UserError(
        `no indexer answers at ${indexerUrl}: start it (npm run indexer -- --rpc <url> --network <name>) or pass --indexer <url>`,
      );
    }
    if (isWaybillError(error)) throw new UserError(error.message);
    throw error;
  }
}

export async function reputation(
  args: ReputationArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    if (!isAddress(args.merchant))
      throw new UserError(`"${args.merchant}" is not an address (0x followed by 40 hex digits)`);
    const merchant = getAddress(args.merchant);
    const indexerUrl =
      args.indexer !== ""
        ? args.indexer
        : (process.env.WAYBILL_INDEXER_URL ?? "http://127.0.0.1:42069");
    out.line(`→ Asking the indexer at ${indexerUrl} for ${merchant}'s track record…`);
    const record = await fetchTrackRecord(indexerUrl, merchant);
    const tokens = new Map<string, TokenInfo>();
    if (record.volume.length !== 0) {
      const { ethers } = await hre.network.create();
      for (const { token } of record.volume) {
        try {
          const contract = new Contract(token, ERC20_METADATA, ethers.provider);
          const [symbol, decimals] = await Promise.all([contract.symbol(), contract.decimals()]);
          tokens.set(getAddress(token), { symbol: String(symbol), decimals: Number(decimals) });
        } catch {
          // Not readable on this network: the amount is printed in base units with the address.
        }
      }
    }
    for (const line of describeTrackRecord(record, tokens)) out.line(line);
  }, out);
}
