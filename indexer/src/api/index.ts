/**
 * The indexer's HTTP API: Ponder's GraphQL (`/graphql`) and SQL over HTTP (`/sql/*`), plus the
 * small REST routes the web app and the command line use. REST responses are plain JSON:
 * addresses checksummed, amounts as decimal strings in the token's smallest unit, times as
 * Unix seconds. Unknown ids answer 404 and malformed parameters 400, each with `{ error }`.
 *
 *   GET /merchants/:address/orders?status=open|Paid,Shipped…&page=1&pageSize=20
 *   GET /merchants/:address/track-record
 *   GET /merchants/:address/reviews?page=1&pageSize=20
 *   GET /orders/:orderId
 *   GET /shipments/:shipmentId
 *   GET /passports/:tokenId
 */
import { db } from "ponder:api";
import schema, {
  cancelledOffer,
  certificate,
  evidence,
  lot,
  order,
  orderEvent,
  passport,
  passportEvent,
  shipment,
  shipmentEvent,
} from "ponder:schema";
import { Hono } from "hono";
import { and, asc, client, count, desc, eq, graphql, inArray, isNotNull, or } from "ponder";
import { getAddress, isAddress, isHex } from "viem";

import { OPEN_ORDER_STATUSES, ORDER_STATUSES, type OrderStatus } from "../names";
import { trackRecord, type SqlRunner } from "./track-record";

const app = new Hono();

app.use("/graphql", graphql({ db, schema }));
app.use("/sql/*", client({ db, schema }));

class BadRequest extends Error {}

/** Ponder stores addresses in lower case; the API compares in lower case. */
function addressParam(value: string): `0x${string}` {
  if (!isAddress(value, { strict: false })) throw new BadRequest(`"${value}" is not an address`);
  return value.toLowerCase() as `0x${string}`;
}

/** Every address in a response, checksummed (EIP-55) for people and wallets. */
function checksummed<T>(value: T): T {
  if (typeof value === "string")
    return (/^0x[0-9a-f]{40}$/.test(value) ? getAddress(value) : value) as T;
  if (Array.isArray(value)) return value.map(checksummed) as T;
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [key, checksummed(entry)]),
    ) as T;
  return value;
}

function bytes32Param(value: string, what: string): `0x${string}` {
  if (!isHex(value) || value.length !== 66)
    throw new BadRequest(`"${value}" is not a ${what} (0x and 64 hex digits)`);
  return value.toLowerCase() as `0x${string}`;
}

function positiveInt(
  value: string | undefined,
  fallback: number,
  max: number,
  name: string,
): number {
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max)
    throw new BadRequest(`${name} must be a whole number from 1 to ${max}`);
  return parsed;
}

/** `open`, `closed`, `all` or a comma-separated list of status names. */
function statusFilter(value: string | undefined): string[] | undefined {
  if (value === undefined || value === "" || value === "all") return undefined;
  if (value === "open") return [...OPEN_ORDER_STATUSES];
  if (value === "closed") return ["Released", "Refunded", "Resolved"];
  const names = value.split(",").map((name) => name.trim());
  for (const name of names) {
    if (!(ORDER_STATUSES as readonly string[]).includes(name))
      throw new BadRequest(
        `unknown status "${name}"; use open, closed, all or ${ORDER_STATUSES.slice(1, 8).join(", ")}`,
      );
  }
  return names;
}

const seconds = (value: bigint | null): number | null => (value === null ? null : Number(value));
const amount = (value: bigint | null): string | null => (value === null ? null : value.toString());

type OrderRow = typeof order.$inferSelect;

/** The next deadline of an open order and who must act before it. */
function nextDeadline(row: OrderRow): { kind: string; at: number; action: string } | null {
  switch (row.status) {
    case "Paid":
      return { kind: "shipBy", at: Number(row.shipBy), action: "merchant ships" };
    case "Shipped":
      return { kind: "deliverBy", at: Number(row.deliverBy), action: "carrier delivers" };
    case "Delivered":
      return row.inspectionEndsAt === null
        ? null
        : {
            kind: "inspectionEnds",
            at: Number(row.inspectionEndsAt),
            action: "buyer confirms or disputes",
          };
    case "Disputed":
      return row.rulingDeadline === null
        ? null
        : { kind: "rulingDeadline", at: Number(row.rulingDeadline), action: "arbiter rules" };
    default:
      return null;
  }
}

/**
 * The open settlement proposal, and whether its proposer is still a party: a proposal by a
 * seller side that lost the payout (assigned since) is void on-chain and cannot be accepted.
 */
function proposalJson(row: OrderRow) {
  if (row.proposer === null || row.proposedBuyerAmount === null) return null;
  const sellerSide = row.payoutHolder ?? row.merchant;
  return {
    proposer: row.proposer,
    by: row.proposer === row.buyer ? "buyer" : "sellerSide",
    buyerAmount: row.proposedBuyerAmount.toString(),
    proposedAt: seconds(row.proposedAt),
    valid: row.proposer === row.buyer || row.proposer === sellerSide,
  };
}

function orderJson(row: OrderRow) {
  return {
    id: row.id,
    status: row.status,
    merchant: row.merchant,
    payee: row.payee,
    buyer: row.buyer,
    reservedFor: row.reservedFor,
    token: row.token,
    price: row.price.toString(),
    refunded: row.refunded.toString(),
    held: row.held.toString(),
    payoutHolder: row.payoutHolder,
    feeBps: row.feeBps,
    maxFeeBps: row.maxFeeBps,
    detailsHash: row.detailsHash,
    shipWithin: row.shipWithin,
    deliverWithin: row.deliverWithin,
    inspectionPeriod: row.inspectionPeriod,
    expiry: Number(row.expiry),
    salt: row.salt.toString(),
    paidAt: Number(row.paidAt),
    shipBy: Number(row.shipBy),
    deliverBy: Number(row.deliverBy),
    nextDeadline: nextDeadline(row),
    shipmentId: row.shipmentId,
    shippedAt: seconds(row.shippedAt),
    hasPassports: row.hasPassports,
    deliveredAt: seconds(row.deliveredAt),
    deliveryRecordedAt: seconds(row.deliveryRecordedAt),
    inspectionEndsAt: seconds(row.inspectionEndsAt),
    dispute:
      row.disputedAt === null
        ? null
        : {
            openedAt: Number(row.disputedAt),
            openedBy: row.disputedBy,
            rulingDeadline: seconds(row.rulingDeadline),
            outcome: row.disputeOutcome,
            arbiter: row.arbiter,
          },
    proposal: proposalJson(row),
    settlement:
      row.settledAt === null
        ? null
        : {
            proposer: row.settledBy,
            acceptor: row.settlementAcceptor,
            outcome: row.settlementOutcome,
            settledAt: Number(row.settledAt),
          },
    refundReason: row.refundReason,
    buyerAmount: amount(row.buyerAmount),
    sellerAmount: amount(row.sellerAmount),
    fee: amount(row.fee),
    closedAt: seconds(row.closedAt),
    review:
      row.rating === null
        ? null
        : { rating: row.rating, text: row.reviewText, reviewedAt: seconds(row.reviewedAt) },
    updatedAt: Number(row.updatedAt),
    paidTx: row.paidTx,
    paidBlock: Number(row.paidBlock),
  };
}

async function shipmentTimeline(id: `0x${string}`) {
  const [found] = await db.select().from(shipment).where(eq(shipment.id, id));
  if (found === undefined) return undefined;
  const events = await db
    .select()
    .from(shipmentEvent)
    .where(eq(shipmentEvent.shipmentId, id))
    .orderBy(asc(shipmentEvent.blockNumber), asc(shipmentEvent.logIndex));
  return {
    id: found.id,
    status: found.status,
    shipper: found.shipper,
    shipperRef: found.shipperRef,
    firstCarrier: found.firstCarrier,
    carrier: found.carrier,
    origin: found.origin,
    destination: found.destination,
    documentsHash: found.documentsHash,
    passportIds: found.passportIds,
    createdAt: Number(found.createdAt),
    lastEventAt: Number(found.lastEventAt),
    deliveredAt: seconds(found.deliveredAt),
    eventCount: found.eventCount,
    events: events.map((event) => ({
      code: event.code,
      status: event.status,
      location: event.location,
      occurredAt: Number(event.occurredAt),
      recordedAt: Number(event.recordedAt),
      carrier: event.carrier,
      nextCarrier: event.nextCarrier,
      recordedBy: event.recordedBy,
      evidenceHash: event.evidenceHash,
      evidenceUri: event.evidenceUri,
      txHash: event.txHash,
    })),
  };
}

app.get("/merchants/:address/orders", async (c) => {
  const merchant = addressParam(c.req.param("address"));
  const statuses = statusFilter(c.req.query("status"));
  const page = positiveInt(c.req.query("page"), 1, 1_000_000, "page");
  const pageSize = positiveInt(c.req.query("pageSize"), 20, 100, "pageSize");
  const open =
    statuses !== undefined &&
    statuses.length === OPEN_ORDER_STATUSES.length &&
    statuses.every((name) => OPEN_ORDER_STATUSES.includes(name as OrderStatus));
  const where =
    statuses === undefined
      ? eq(order.merchant, merchant)
      : open
        ? and(eq(order.merchant, merchant), eq(order.open, true))
        : and(eq(order.merchant, merchant), inArray(order.status, statuses));
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(order)
      .where(where)
      .orderBy(desc(order.paidBlock), desc(order.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(order).where(where),
  ]);
  const total = Number(totals[0]?.total ?? 0);
  return c.json(
    checksummed({
      merchant,
      status: statuses ?? "all",
      page,
      pageSize,
      total,
      pages: Math.ceil(total / pageSize),
      orders: rows.map(orderJson),
    }),
  );
});

app.get("/merchants/:address/track-record", async (c) => {
  const merchant = addressParam(c.req.param("address"));
  return c.json(checksummed(await trackRecord(db as unknown as SqlRunner, merchant)));
});

app.get("/merchants/:address/reviews", async (c) => {
  const merchant = addressParam(c.req.param("address"));
  const page = positiveInt(c.req.query("page"), 1, 1_000_000, "page");
  const pageSize = positiveInt(c.req.query("pageSize"), 20, 100, "pageSize");
  const where = and(eq(order.merchant, merchant), isNotNull(order.reviewedAt));
  const [rows, totals] = await Promise.all([
    db
      .select({
        orderId: order.id,
        buyer: order.buyer,
        rating: order.rating,
        text: order.reviewText,
        reviewedAt: order.reviewedAt,
        status: order.status,
      })
      .from(order)
      .where(where)
      .orderBy(desc(order.reviewedAt), desc(order.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(order).where(where),
  ]);
  const total = Number(totals[0]?.total ?? 0);
  return c.json(
    checksummed({
      merchant,
      page,
      pageSize,
      total,
      pages: Math.ceil(total / pageSize),
      reviews: rows.map((row) => ({
        orderId: row.orderId,
        buyer: row.buyer,
        rating: row.rating,
        text: row.text ?? "",
        reviewedAt: seconds(row.reviewedAt),
        orderStatus: row.status,
      })),
    }),
  );
});

app.get("/orders/:orderId", async (c) => {
  const id = bytes32Param(c.req.param("orderId"), "order id");
  const [found] = await db.select().from(order).where(eq(order.id, id));
  if (found === undefined) {
    const [cancelled] = await db.select().from(cancelledOffer).where(eq(cancelledOffer.id, id));
    if (cancelled !== undefined) {
      return c.json(
        checksummed({
          id,
          status: "Cancelled",
          merchant: cancelled.merchant,
          cancelledAt: Number(cancelled.cancelledAt),
          txHash: cancelled.txHash,
        }),
      );
    }
    return c.json({ error: `no paid or cancelled order ${id} is indexed` }, 404);
  }
  const [history, evidenceRows] = await Promise.all([
    db
      .select()
      .from(orderEvent)
      .where(eq(orderEvent.orderId, id))
      .orderBy(asc(orderEvent.blockNumber), asc(orderEvent.logIndex)),
    db.select().from(evidence).where(eq(evidence.orderId, id)).orderBy(asc(evidence.submittedAt)),
  ]);
  return c.json(
    checksummed({
      ...orderJson(found),
      history: history.map((event) => ({
        kind: event.kind,
        status: event.status,
        actor: event.actor,
        details: event.details,
        timestamp: Number(event.timestamp),
        txHash: event.txHash,
      })),
      evidence: evidenceRows.map((row) => ({
        party: row.party,
        evidenceHash: row.evidenceHash,
        evidenceUri: row.evidenceUri,
        text: row.text,
        submittedAt: Number(row.submittedAt),
        txHash: row.txHash,
      })),
      shipment:
        found.shipmentId === null ? null : ((await shipmentTimeline(found.shipmentId)) ?? null),
    }),
  );
});

app.get("/shipments/:shipmentId", async (c) => {
  const id = bytes32Param(c.req.param("shipmentId"), "shipment id");
  const timeline = await shipmentTimeline(id);
  if (timeline === undefined) return c.json({ error: `no shipment ${id} is indexed` }, 404);
  return c.json(checksummed(timeline));
});

app.get("/passports/:tokenId", async (c) => {
  const raw = c.req.param("tokenId");
  let tokenId: bigint;
  try {
    tokenId = BigInt(raw);
  } catch {
    throw new BadRequest(`"${raw}" is not a token id (a decimal or 0x number)`);
  }
  const [unit] = await db.select().from(passport).where(eq(passport.id, tokenId));
  if (unit === undefined) return c.json({ error: `no passport ${tokenId} is indexed` }, 404);
  const [[unitLot], certificates, history] = await Promise.all([
    db.select().from(lot).where(eq(lot.id, unit.lotId)),
    db
      .select()
      .from(certificate)
      .where(
        or(
          and(eq(certificate.kind, "Unit"), eq(certificate.subjectId, tokenId)),
          and(eq(certificate.kind, "Lot"), eq(certificate.subjectId, unit.lotId)),
        ),
      )
      .orderBy(asc(certificate.attestedAt)),
    db
      .select()
      .from(passportEvent)
      .where(eq(passportEvent.tokenId, tokenId))
      .orderBy(asc(passportEvent.blockNumber), asc(passportEvent.logIndex)),
  ]);
  return c.json(
    checksummed({
      tokenId: tokenId.toString(),
      status: unit.status,
      owner: unit.owner,
      heldForOrder: unit.heldForOrder,
      lastShipmentId: unit.lastShipmentId,
      mintedAt: Number(unit.mintedAt),
      burnedAt: seconds(unit.burnedAt),
      burnReason: unit.burnReason,
      lot:
        unitLot === undefined
          ? null
          : {
              id: unitLot.id.toString(),
              gtin: unitLot.gtin.toString().padStart(14, "0"),
              manufacturer: unitLot.manufacturer,
              lotNumber: unitLot.lotNumber,
              originCountry: unitLot.originCountry,
              productionDate: Number(unitLot.productionDate),
              contentHash: unitLot.contentHash,
              uri: unitLot.uri,
              recalled: unitLot.recalled,
              recalledAt: seconds(unitLot.recalledAt),
              recalledBy: unitLot.recalledBy,
              recallReasonHash: unitLot.recallReasonHash,
            },
      certificates: certificates.map((row) => ({
        kind: row.kind,
        slot: row.slot,
        certifier: row.certifier,
        certType: row.certType,
        documentHash: row.documentHash,
        uri: row.uri,
        expiresAt: Number(row.expiresAt),
        attestedAt: Number(row.attestedAt),
        revokedAt: seconds(row.revokedAt),
        revokedBy: row.revokedBy,
        current: row.current,
      })),
      history: history.map((event) => ({
        kind: event.kind,
        from: event.from,
        to: event.to,
        shipmentId: event.shipmentId,
        orderId: event.orderId,
        note: event.note,
        timestamp: Number(event.timestamp),
        txHash: event.txHash,
      })),
    }),
  );
});

app.onError((error, c) => {
  if (error instanceof BadRequest) return c.json({ error: error.message }, 400);
  console.error(error);
  return c.json({ error: "the indexer could not answer this request" }, 500);
});

export default app;
