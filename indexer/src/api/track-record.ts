/**
 * A merchant's track record, computed from the indexed events alone, so anyone replaying the
 * escrow's and the registry's logs gets the same figures. Deadlines are each offer's own:
 * ship-by = payment + shipWithin, deliver-by = payment + deliverWithin.
 *
 * - shipping: on time = shipment linked by the ship-by deadline (the escrow refuses a later
 *   link, so the misses are orders never shipped: refunded as NotShippedInTime, or still Paid
 *   after their deadline as of the last indexed block).
 * - delivery: on time = the registry's delivery time is at or before the deliver-by deadline;
 *   late = delivered after it, refunded as NotDeliveredInTime, or still Shipped after it;
 *   failed = refunded because the registry shows the shipment Lost or Returned.
 * - disputes: how they ended from the merchant's side: the buyer got everything back (buyerWon),
 *   nothing back (merchantWon), a split, the default even split when no arbiter ruled, or a
 *   settlement the parties agreed before any ruling (settled).
 * - settlements: an order the parties ended by agreement (`OrderSettled`) counts in
 *   orders.settled, not in orders.resolved (which keeps to rulings: an arbiter's or the
 *   default); if it was disputed it also counts in disputes.settled, never as won or lost.
 *   Its seller part counts as released to the merchant and its buyer part as returned.
 * - refunds: total and byReason count full refunds (the order ended Refunded); partial counts
 *   orders that got at least one partial refund, whatever their end. Partial refunds are in
 *   volume.refundedToBuyers.
 */
import { sql } from "ponder";

type Row = Record<string, unknown>;

export interface TrackRecord {
  merchant: string;
  /** The last indexed block's time: deadlines are judged as of this moment. */
  asOf: number;
  hasHistory: boolean;
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
  refunds: {
    total: number;
    partial: number;
    byReason: {
      MerchantCancelled: number;
      NotShippedInTime: number;
      ShipmentFailed: number;
      NotDeliveredInTime: number;
    };
  };
  disputes: {
    opened: number;
    openedByBuyer: number;
    openedByMerchant: number;
    pending: number;
    buyerWon: number;
    merchantWon: number;
    split: number;
    defaultRuling: number;
    settled: number;
  };
  ratings: {
    count: number;
    average: number | null;
    distribution: Record<"1" | "2" | "3" | "4" | "5", number>;
  };
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

/** The minimal query surface of Ponder's read-only API database (PGlite or PostgreSQL). */
export interface SqlRunner {
  execute(query: ReturnType<typeof sql>): Promise<{ rows: Row[] }>;
}

const int = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const ratio = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

/** The last indexed block's timestamp (Ponder's checkpoint begins with it). */
export async function indexedUntil(db: SqlRunner): Promise<number> {
  const result = await db.execute(
    sql`SELECT max(substring(latest_checkpoint, 1, 10))::bigint AS at FROM _ponder_checkpoint`,
  );
  return int(result.rows[0]?.at);
}

export async function trackRecord(db: SqlRunner, merchant: string): Promise<TrackRecord> {
  const asOf = await indexedUntil(db);
  const now = BigInt(asOf);
  const [summary, volume] = await Promise.all([
    db.execute(sql`
      SELECT
        count(*)::int AS total,
        count(*) FILTER (WHERE status IN ('Paid','Shipped','Delivered','Disputed'))::int AS open,
        count(*) FILTER (WHERE status = 'Released')::int AS completed,
        count(*) FILTER (WHERE status = 'Refunded')::int AS refunded,
        count(*) FILTER (WHERE status = 'Resolved' AND settled_at IS NULL)::int AS resolved,
        count(*) FILTER (WHERE settled_at IS NOT NULL)::int AS settled,
        count(*) FILTER (WHERE refunded > 0)::int AS partially_refunded,
        count(*) FILTER (WHERE shipped_at IS NOT NULL AND shipped_at <= ship_by)::int AS shipped_on_time,
        count(*) FILTER (WHERE shipped_at IS NOT NULL AND shipped_at > ship_by)::int AS shipped_late,
        count(*) FILTER (WHERE shipped_at IS NULL AND (refund_reason = 'NotShippedInTime'
          OR (status = 'Paid' AND ship_by < ${now}::int8)))::int AS ship_missed,
        count(*) FILTER (WHERE delivered_at IS NOT NULL AND delivered_at <= deliver_by)::int AS delivered_on_time,
        count(*) FILTER (WHERE (delivered_at IS NOT NULL AND delivered_at > deliver_by)
          OR (delivered_at IS NULL AND (refund_reason = 'NotDeliveredInTime'
            OR (status = 'Shipped' AND deliver_by < ${now}::int8))))::int AS delivered_late,
        count(*) FILTER (WHERE refund_reason = 'ShipmentFailed')::int AS delivery_failed,
        count(*) FILTER (WHERE refund_reason = 'MerchantCancelled')::int AS refund_merchant_cancelled,
        count(*) FILTER (WHERE refund_reason = 'NotShippedInTime')::int AS refund_not_shipped,
        count(*) FILTER (WHERE refund_reason = 'ShipmentFailed')::int AS refund_shipment_failed,
        count(*) FILTER (WHERE refund_reason = 'NotDeliveredInTime')::int AS refund_not_delivered,
        count(*) FILTER (WHERE disputed_at IS NOT NULL)::int AS disputes,
        count(*) FILTER (WHERE disputed_at IS NOT NULL AND disputed_by = buyer)::int AS disputes_by_buyer,
        count(*) FILTER (WHERE disputed_at IS NOT NULL AND disputed_by = merchant)::int AS disputes_by_merchant,
        count(*) FILTER (WHERE status = 'Disputed')::int AS disputes_pending,
        count(*) FILTER (WHERE dispute_outcome = 'BuyerWon')::int AS buyer_won,
        count(*) FILTER (WHERE dispute_outcome = 'MerchantWon')::int AS merchant_won,
        count(*) FILTER (WHERE dispute_outcome = 'Split')::int AS split,
        count(*) FILTER (WHERE dispute_outcome = 'DefaultRuling')::int AS default_ruling,
        count(*) FILTER (WHERE dispute_outcome = 'Settled')::int AS disputes_settled,
        count(rating)::int AS ratings,
        coalesce(sum(rating), 0)::int AS rating_sum,
        count(*) FILTER (WHERE rating = 1)::int AS r1,
        count(*) FILTER (WHERE rating = 2)::int AS r2,
        count(*) FILTER (WHERE rating = 3)::int AS r3,
        count(*) FILTER (WHERE rating = 4)::int AS r4,
        count(*) FILTER (WHERE rating = 5)::int AS r5,
        min(paid_at)::text AS first_order_at,
        max(paid_at)::text AS last_order_at
      FROM escrow_order WHERE merchant = ${merchant}`),
    db.execute(sql`
      SELECT token,
        count(*)::int AS orders,
        sum(price)::text AS paid,
        coalesce(sum(seller_amount), 0)::text AS released,
        (coalesce(sum(buyer_amount), 0) + sum(refunded))::text AS refunded
      FROM escrow_order WHERE merchant = ${merchant}
      GROUP BY token ORDER BY token`),
  ]);
  const s = summary.rows[0] ?? {};
  const shippedOnTime = int(s.shipped_on_time);
  const shippingDue = shippedOnTime + int(s.shipped_late) + int(s.ship_missed);
  const deliveredOnTime = int(s.delivered_on_time);
  const deliveryDue = deliveredOnTime + int(s.delivered_late) + int(s.delivery_failed);
  const ratings = int(s.ratings);
  const total = int(s.total);
  const refundsByReason = {
    MerchantCancelled: int(s.refund_merchant_cancelled),
    NotShippedInTime: int(s.refund_not_shipped),
    ShipmentFailed: int(s.refund_shipment_failed),
    NotDeliveredInTime: int(s.refund_not_delivered),
  };
  return {
    merchant,
    asOf,
    hasHistory: total > 0,
    orders: {
      total,
      open: int(s.open),
      completed: int(s.completed),
      refunded: int(s.refunded),
      resolved: int(s.resolved),
      settled: int(s.settled),
    },
    shipping: {
      due: shippingDue,
      onTime: shippedOnTime,
      missed: shippingDue - shippedOnTime,
      onTimeRate: ratio(shippedOnTime, shippingDue),
    },
    delivery: {
      due: deliveryDue,
      onTime: deliveredOnTime,
      late: int(s.delivered_late),
      failed: int(s.delivery_failed),
      onTimeRate: ratio(deliveredOnTime, deliveryDue),
    },
    refunds: {
      total: Object.values(refundsByReason).reduce((a, b) => a + b, 0),
      partial: int(s.partially_refunded),
      byReason: refundsByReason,
    },
    disputes: {
      opened: int(s.disputes),
      openedByBuyer: int(s.disputes_by_buyer),
      openedByMerchant: int(s.disputes_by_merchant),
      pending: int(s.disputes_pending),
      buyerWon: int(s.buyer_won),
      merchantWon: int(s.merchant_won),
      split: int(s.split),
      defaultRuling: int(s.default_ruling),
      settled: int(s.disputes_settled),
    },
    ratings: {
      count: ratings,
      average: ratings === 0 ? null : Math.round((int(s.rating_sum) / ratings) * 100) / 100,
      distribution: {
        "1": int(s.r1),
        "2": int(s.r2),
        "3": int(s.r3),
        "4": int(s.r4),
        "5": int(s.r5),
      },
    },
    volume: volume.rows.map((row) => ({
      token: String(row.token),
      orders: int(row.orders),
      paid: String(row.paid),
      releasedToMerchant: String(row.released),
      refundedToBuyers: String(row.refunded),
    })),
    firstOrderAt:
      s.first_order_at === null || s.first_order_at === undefined ? null : Number(s.first_order_at),
    lastOrderAt:
      s.last_order_at === null || s.last_order_at === undefined ? null : Number(s.last_order_at),
  };
}
