/**
 * A small client for the Waybill indexer's REST routes (`indexer/README.md` documents every
 * shape). Browser-safe: only `fetch`, no Node built-ins, so the web app, the command line and
 * tests share it. Amounts stay decimal strings and times Unix seconds, as the indexer sends
 * them; callers format them.
 */
import { WaybillError } from "./errors.js";
import type { Offer } from "./offers.js";

/** The deadline an open order is waiting for, and who must act by then. */
export interface IndexedDeadline {
  kind: "shipBy" | "deliverBy" | "inspectionEnds" | "rulingDeadline";
  at: number;
  action: string;
}

/** One order as `GET /merchants/:address/orders` lists it. */
export interface IndexedOrder {
  id: string;
  status: string;
  merchant: string;
  payee: string;
  buyer: string;
  reservedFor: string;
  token: string;
  price: string;
  /** Partial refunds so far, and what the escrow still holds (0 once closed). */
  refunded: string;
  held: string;
  /** Who the payout was assigned to; null while the payee holds it. */
  payoutHolder: string | null;
  /** The open settlement proposal; `valid` is false once its proposer lost the seller side. */
  proposal: {
    proposer: string;
    by: "buyer" | "sellerSide";
    buyerAmount: string;
    proposedAt: number;
    valid: boolean;
  } | null;
  /** How the parties settled the order (it then shows Resolved), or null. */
  settlement: {
    proposer: string;
    acceptor: string;
    outcome: "FullRefund" | "NoRefund" | "Split";
    settledAt: number;
  } | null;
  feeBps: number;
  /** The highest platform fee the merchant's offer accepted (basis points). */
  maxFeeBps: number;
  detailsHash: string;
  shipWithin: number;
  deliverWithin: number;
  inspectionPeriod: number;
  expiry: number;
  salt: string;
  paidAt: number;
  shipBy: number;
  deliverBy: number;
  nextDeadline: IndexedDeadline | null;
  shipmentId: string | null;
  shippedAt: number | null;
  deliveredAt: number | null;
  inspectionEndsAt: number | null;
  refundReason: string | null;
  closedAt: number | null;
  updatedAt: number;
  paidTx: string;
  paidBlock: number;
}

/**
 * The signed offer of an indexed order, rebuilt from the indexer's order alone: every escrow call
 * on a paid order takes its offer again, and its EIP-712 digest must be the order id.
 */
export function offerOfIndexedOrder(order: IndexedOrder): Offer {
  return {
    merchant: order.merchant,
    payee: order.payee,
    buyer: order.reservedFor,
    token: order.token,
    price: BigInt(order.price),
    detailsHash: order.detailsHash,
    shipWithin: BigInt(order.shipWithin),
    deliverWithin: BigInt(order.deliverWithin),
    inspectionPeriod: BigInt(order.inspectionPeriod),
    maxFeeBps: BigInt(order.maxFeeBps),
    expiry: BigInt(order.expiry),
    salt: BigInt(order.salt),
  };
}

export interface MerchantOrdersPage {
  merchant: string;
  status: string[];
  page: number;
  pageSize: number;
  total: number;
  pages: number;
  orders: IndexedOrder[];
}

/** A merchant's track record, derived from events only (definitions in indexer/README.md). */
export interface TrackRecord {
  merchant: string;
  asOf: number;
  hasHistory: boolean;
  /** resolved: ended by a ruling (an arbiter's or the default); settled: by the parties' agreement. */
  orders: {
    total: number;
    open: number;
    completed: number;
    refunded: number;
    resolved: number;
    settled: number;
  };
  shipping: { due: number; onTime: number; missed: number; onTimeRate: number | null };
  delivery: {
    due: number;
    onTime: number;
    late: number;
    failed: number;
    onTimeRate: number | null;
  };
  /** total and byReason: full refunds; partial: orders that got at least one partial refund. */
  refunds: { total: number; partial: number; byReason: Record<string, number> };
  disputes: {
    opened: number;
    openedByBuyer: number;
    openedByMerchant: number;
    pending: number;
    buyerWon: number;
    merchantWon: number;
    split: number;
    defaultRuling: number;
    /** Disputes the parties ended by a settlement before any ruling. */
    settled: number;
  };
  ratings: { count: number; average: number | null; distribution: Record<string, number> };
  volume: {
    token: string;
    orders: number;
    paid: string;
    releasedToMerchant: string;
    refundedToBuyers: string;
  }[];
  firstOrderAt: number | null;
  lastOrderAt: number | null;
}

/** One review as `GET /merchants/:address/reviews` lists it: the text is the buyer's own. */
export interface IndexedReview {
  orderId: string;
  buyer: string;
  rating: number;
  text: string;
  reviewedAt: number;
  orderStatus: string;
}

export interface MerchantReviewsPage {
  merchant: string;
  page: number;
  pageSize: number;
  total: number;
  pages: number;
  reviews: IndexedReview[];
}

/** Which orders to list: open, closed, all, or a list of status names. */
export type OrderFilter = "open" | "closed" | "all" | readonly string[];

export interface IndexerClientOptions {
  /** Give up on a request after this many milliseconds (default 5000). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface IndexerClient {
  readonly url: string;
  merchantOrders(
    merchant: string,
    query?: { status?: OrderFilter; page?: number; pageSize?: number },
  ): Promise<MerchantOrdersPage>;
  /** The order with its history, or undefined when the indexer does not know it. */
  order(orderId: string): Promise<(IndexedOrder & Record<string, unknown>) | undefined>;
  trackRecord(merchant: string): Promise<TrackRecord>;
  /** A merchant's reviews with their texts, newest first. */
  merchantReviews(
    merchant: string,
    query?: { page?: number; pageSize?: number },
  ): Promise<MerchantReviewsPage>;
}

/** A client for the indexer at `url` (e.g. "http://127.0.0.1:42069"). */
export function indexerClient(url: string, options: IndexerClientOptions = {}): IndexerClient {
  const base = url.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 5000;
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const get = async <T>(route: string, allowMissing = false): Promise<T | undefined> => {
    let response: Response;
    try {
      response = await fetchImpl(base + route, {
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new WaybillError("NETWORK_UNREACHABLE", `the indexer at ${base} did not answer`, {
        cause: error,
      });
    }
    if (allowMissing && response.status === 404) return undefined;
    if (!response.ok) {
      let reason = response.statusText;
      try {
        reason = ((await response.json()) as { error?: string }).error ?? reason;
      } catch {
        // Not JSON: keep the status text.
      }
      throw new WaybillError(
        "UNKNOWN",
        `the indexer refused ${route} (${response.status}: ${reason})`,
      );
    }
    return (await response.json()) as T;
  };
  return {
    url: base,
    async merchantOrders(merchant, query = {}) {
      const params = new URLSearchParams();
      const status = query.status ?? "all";
      params.set("status", typeof status === "string" ? status : status.join(","));
      if (query.page !== undefined) params.set("page", String(query.page));
      if (query.pageSize !== undefined) params.set("pageSize", String(query.pageSize));
      return (await get<MerchantOrdersPage>(`/merchants/${merchant}/orders?${params}`))!;
    },
    order: (orderId) => get<IndexedOrder & Record<string, unknown>>(`/orders/${orderId}`, true),
    async trackRecord(merchant) {
      return (await get<TrackRecord>(`/merchants/${merchant}/track-record`))!;
    },
    async merchantReviews(merchant, query = {}) {
      const params = new URLSearchParams();
      if (query.page !== undefined) params.set("page", String(query.page));
      if (query.pageSize !== undefined) params.set("pageSize", String(query.pageSize));
      return (await get<MerchantReviewsPage>(`/merchants/${merchant}/reviews?${params}`))!;
    },
  };
}
