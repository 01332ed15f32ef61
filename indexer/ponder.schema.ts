/**
 * Every table the indexer fills, one section per contract. Rows are rebuilt from events only
 * (never from contract storage), so anyone replaying the logs gets the same tables. Times are
 * Unix seconds as on-chain and, like block numbers, 8-byte integers (cheaper to compare and sort
 * than NUMERIC); amounts and uint256 ids are NUMERIC(78), in the token's smallest unit.
 */
import { index, onchainTable, primaryKey } from "ponder";

// --------------------------------------------------------------------------------- escrow

/** One paid order with the full terms from `OrderPaid` and where it stands now. */
export const order = onchainTable(
  "escrow_order",
  (t) => ({
    /** The order id: the EIP-712 digest of the offer. */
    id: t.hex().primaryKey(),
    merchant: t.hex().notNull(),
    payee: t.hex().notNull(),
    buyer: t.hex().notNull(),
    /** The offer's buyer field: zero when anyone could pay it. */
    reservedFor: t.hex().notNull(),
    token: t.hex().notNull(),
    price: t.bigint().notNull(),
    detailsHash: t.hex().notNull(),
    shipWithin: t.integer().notNull(),
    deliverWithin: t.integer().notNull(),
    inspectionPeriod: t.integer().notNull(),
    expiry: t.int8({ mode: "bigint" }).notNull(),
    salt: t.bigint().notNull(),
    /** The highest platform fee (basis points) the merchant accepted in the offer. */
    maxFeeBps: t.integer().notNull(),
    /** The fee charged (basis points), fixed at payment. */
    feeBps: t.integer().notNull(),
    /** Paid, Shipped, Delivered, Disputed, Released, Refunded or Resolved. */
    status: t.text().notNull(),
    /** Partial refunds paid to the buyer so far (the sum of `PartialRefund` amounts). */
    refunded: t.bigint().notNull(),
    /** What the escrow still holds for the order: price less partial refunds; zero once closed. */
    held: t.bigint().notNull(),
    /** Who the seller's payout was assigned to (`PayoutAssigned`); null while the payee holds it. */
    payoutHolder: t.hex(),
    /** Not yet Released, Refunded or Resolved: the order book's default view. */
    open: t.boolean().notNull(),
    paidAt: t.int8({ mode: "bigint" }).notNull(),
    /** The offer's own deadlines, counted from payment. */
    shipBy: t.int8({ mode: "bigint" }).notNull(),
    deliverBy: t.int8({ mode: "bigint" }).notNull(),
    shipmentId: t.hex(),
    shippedAt: t.int8({ mode: "bigint" }),
    hasPassports: t.boolean(),
    /** The registry's delivery time (the shipment's Delivered event, or `OrderDelivered`). */
    deliveredAt: t.int8({ mode: "bigint" }),
    /** When the escrow recorded the delivery: the inspection window's start. */
    deliveryRecordedAt: t.int8({ mode: "bigint" }),
    inspectionEndsAt: t.int8({ mode: "bigint" }),
    disputedAt: t.int8({ mode: "bigint" }),
    disputedBy: t.hex(),
    rulingDeadline: t.int8({ mode: "bigint" }),
    /**
     * BuyerWon (full refund), MerchantWon (nothing back), Split, DefaultRuling (no arbiter ruled),
     * or Settled (the parties agreed before a ruling).
     */
    disputeOutcome: t.text(),
    /** Zero address when the default ruling applied. */
    arbiter: t.hex(),
    buyerAmount: t.bigint(),
    sellerAmount: t.bigint(),
    fee: t.bigint(),
    releasedAt: t.int8({ mode: "bigint" }),
    refundedAt: t.int8({ mode: "bigint" }),
    /** MerchantCancelled, NotShippedInTime, ShipmentFailed or NotDeliveredInTime. */
    refundReason: t.text(),
    resolvedAt: t.int8({ mode: "bigint" }),
    /** The open settlement proposal (`SettlementProposed`, cleared when withdrawn or settled). */
    proposer: t.hex(),
    proposedBuyerAmount: t.bigint(),
    proposedAt: t.int8({ mode: "bigint" }),
    /** Who proposed and who accepted (or submitted the signed terms of) the settlement that ended it. */
    settledBy: t.hex(),
    settlementAcceptor: t.hex(),
    /** FullRefund (all held went to the buyer), NoRefund (all to the seller side) or Split. */
    settlementOutcome: t.text(),
    settledAt: t.int8({ mode: "bigint" }),
    closedAt: t.int8({ mode: "bigint" }),
    rating: t.integer(),
    /** The review's UTF-8 text from the `Reviewed` event (at most 1,000 bytes; may be empty). */
    reviewText: t.text(),
    reviewedAt: t.int8({ mode: "bigint" }),
    updatedAt: t.int8({ mode: "bigint" }).notNull(),
    paidTx: t.hex().notNull(),
    paidBlock: t.int8({ mode: "bigint" }).notNull(),
  }),
  (table) => ({
    // The order book: a merchant's open orders (or one status), newest payment first, read
    // straight from the index without sorting.
    merchantOpenIdx: index().on(table.merchant, table.open, table.paidBlock, table.id),
    merchantStatusIdx: index().on(table.merchant, table.status, table.paidBlock, table.id),
    merchantPaidIdx: index().on(table.merchant, table.paidBlock, table.id),
    buyerIdx: index().on(table.buyer, table.paidBlock),
    // A merchant's reviews, newest first.
    merchantReviewIdx: index().on(table.merchant, table.reviewedAt),
  }),
);

/** Every escrow event that concerns one order, in chain order: its history. */
export const orderEvent = onchainTable(
  "order_event",
  (t) => ({
    id: t.text().primaryKey(),
    orderId: t.hex().notNull(),
    /**
     * Paid, Shipped, Delivered, Disputed, Evidence, PartialRefund, PayoutAssigned,
     * SettlementProposed, SettlementWithdrawn, SettlementSignatureRevoked, Settled, Released,
     * Refunded, Resolved, Reviewed, PassportHandedOver, …
     */
    kind: t.text().notNull(),
    /** The order's status after this event. */
    status: t.text().notNull(),
    /** Who the event names (buyer, merchant, disputing party, arbiter…), when it names one. */
    actor: t.hex(),
    details: t.json().$type<Record<string, string | number | boolean | null>>().notNull(),
    timestamp: t.int8({ mode: "bigint" }).notNull(),
    blockNumber: t.int8({ mode: "bigint" }).notNull(),
    logIndex: t.integer().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({
    orderIdx: index().on(table.orderId, table.blockNumber, table.logIndex),
  }),
);

/** An offer the merchant cancelled before anyone paid it (no terms are on-chain for those). */
export const cancelledOffer = onchainTable("cancelled_offer", (t) => ({
  id: t.hex().primaryKey(),
  merchant: t.hex().notNull(),
  cancelledAt: t.int8({ mode: "bigint" }).notNull(),
  txHash: t.hex().notNull(),
}));

/** ERC-1497-style evidence a party submitted for an order. */
export const evidence = onchainTable(
  "evidence",
  (t) => ({
    id: t.text().primaryKey(),
    orderId: t.hex().notNull(),
    party: t.hex().notNull(),
    evidenceHash: t.hex().notNull(),
    evidenceUri: t.text().notNull(),
    /** The party's own words (UTF-8, at most 1,000 bytes; may be empty). */
    text: t.text().notNull(),
    submittedAt: t.int8({ mode: "bigint" }).notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ orderIdx: index().on(table.orderId) }),
);

/** Payouts credited because a push failed, and their withdrawals, per token and account. */
export const credit = onchainTable(
  "credit",
  (t) => ({
    token: t.hex().notNull(),
    account: t.hex().notNull(),
    credited: t.bigint().notNull(),
    withdrawn: t.bigint().notNull(),
    balance: t.bigint().notNull(),
    updatedAt: t.int8({ mode: "bigint" }).notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.token, table.account] }) }),
);

/** One credit or withdrawal. */
export const creditMovement = onchainTable(
  "credit_movement",
  (t) => ({
    id: t.text().primaryKey(),
    token: t.hex().notNull(),
    account: t.hex().notNull(),
    /** Credited, Withdrawn (by the account, to `to`) or Pushed (by anyone, to the account). */
    kind: t.text().notNull(),
    amount: t.bigint().notNull(),
    /** Where a withdrawal went. */
    to: t.hex(),
    timestamp: t.int8({ mode: "bigint" }).notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ accountIdx: index().on(table.account) }),
);

/** A stablecoin the escrow allow-listed at some point, with the platform fees it earned. */
export const stablecoin = onchainTable("stablecoin", (t) => ({
  id: t.hex().primaryKey(),
  allowed: t.boolean().notNull(),
  /** Flagged plain by the token manager: payments trust its transfer instead of measuring it. */
  plain: t.boolean().notNull(),
  feesAccrued: t.bigint().notNull(),
  feesWithdrawn: t.bigint().notNull(),
  updatedAt: t.int8({ mode: "bigint" }).notNull(),
}));

/** Fee withdrawals to the treasury. */
export const feeWithdrawal = onchainTable("fee_withdrawal", (t) => ({
  id: t.text().primaryKey(),
  token: t.hex().notNull(),
  treasury: t.hex().notNull(),
  amount: t.bigint().notNull(),
  timestamp: t.int8({ mode: "bigint" }).notNull(),
  txHash: t.hex().notNull(),
}));

/** The escrow's settings (one row, id "escrow"): fee for new orders, treasury, pause. */
export const escrowSettings = onchainTable("escrow_settings", (t) => ({
  id: t.text().primaryKey(),
  feeBps: t.integer(),
  treasury: t.hex(),
  paused: t.boolean().notNull(),
  updatedAt: t.int8({ mode: "bigint" }).notNull(),
}));

// ------------------------------------------------------------------------------- registry

/** The registry's settings (one row, id "registry"): the escrow that ships for its merchants. */
export const registrySettings = onchainTable("registry_settings", (t) => ({
  id: t.text().primaryKey(),
  escrow: t.hex().notNull(),
  updatedAt: t.int8({ mode: "bigint" }).notNull(),
}));

export const carrier = onchainTable("carrier", (t) => ({
  id: t.hex().primaryKey(),
  /** SCAC or company code, e.g. MAEU. */
  code: t.text().notNull(),
  active: t.boolean().notNull(),
  registeredAt: t.int8({ mode: "bigint" }).notNull(),
  updatedAt: t.int8({ mode: "bigint" }).notNull(),
}));

export const carrierKey = onchainTable(
  "carrier_key",
  (t) => ({
    carrier: t.hex().notNull(),
    key: t.hex().notNull(),
    authorized: t.boolean().notNull(),
    updatedAt: t.int8({ mode: "bigint" }).notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.carrier, table.key] }) }),
);

/** One shipment and its current state. */
export const shipment = onchainTable(
  "shipment",
  (t) => ({
    id: t.hex().primaryKey(),
    shipper: t.hex().notNull(),
    /** The escrow order id for an order's shipment, or any reference of the shipper's. */
    shipperRef: t.hex().notNull(),
    firstCarrier: t.hex().notNull(),
    /** The carrier allowed to record the next event. */
    carrier: t.hex().notNull(),
    origin: t.text().notNull(),
    destination: t.text().notNull(),
    documentsHash: t.hex().notNull(),
    passportIds: t.json().$type<string[]>().notNull(),
    /** Created, InTransit, CustomsHold, Delivered, Lost or Returned. */
    status: t.text().notNull(),
    lastEventCode: t.text(),
    lastEventAt: t.int8({ mode: "bigint" }).notNull(),
    deliveredAt: t.int8({ mode: "bigint" }),
    eventCount: t.integer().notNull(),
    createdAt: t.int8({ mode: "bigint" }).notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ shipperRefIdx: index().on(table.shipperRef) }),
);

/** One step of a shipment as its carrier reported it. */
export const shipmentEvent = onchainTable(
  "shipment_event",
  (t) => ({
    id: t.text().primaryKey(),
    shipmentId: t.hex().notNull(),
    carrier: t.hex().notNull(),
    /** PickedUp, Departed, …, ReturnedToSender. */
    code: t.text().notNull(),
    /** The shipment's status after this event. */
    status: t.text().notNull(),
    location: t.text().notNull(),
    occurredAt: t.int8({ mode: "bigint" }).notNull(),
    evidenceHash: t.hex().notNull(),
    evidenceUri: t.text().notNull(),
    nextCarrier: t.hex(),
    recordedBy: t.hex().notNull(),
    recordedAt: t.int8({ mode: "bigint" }).notNull(),
    blockNumber: t.int8({ mode: "bigint" }).notNull(),
    logIndex: t.integer().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({
    shipmentIdx: index().on(table.shipmentId, table.blockNumber, table.logIndex),
  }),
);

// ------------------------------------------------------------------------------ passports

/** A GS1 company prefix assigned to a manufacturer. */
export const companyPrefix = onchainTable("company_prefix", (t) => ({
  /** `<prefix>-<length>`, e.g. 8934567-7. */
  id: t.text().primaryKey(),
  prefix: t.bigint().notNull(),
  length: t.integer().notNull(),
  manufacturer: t.hex().notNull(),
  active: t.boolean().notNull(),
  updatedAt: t.int8({ mode: "bigint" }).notNull(),
}));

export const lot = onchainTable(
  "lot",
  (t) => ({
    id: t.bigint().primaryKey(),
    gtin: t.bigint().notNull(),
    manufacturer: t.hex().notNull(),
    lotNumber: t.text().notNull(),
    originCountry: t.text().notNull(),
    productionDate: t.int8({ mode: "bigint" }).notNull(),
    contentHash: t.hex().notNull(),
    uri: t.text().notNull(),
    recalled: t.boolean().notNull(),
    recalledAt: t.int8({ mode: "bigint" }),
    recalledBy: t.hex(),
    recallReasonHash: t.hex(),
    createdAt: t.int8({ mode: "bigint" }).notNull(),
  }),
  (table) => ({ manufacturerIdx: index().on(table.manufacturer) }),
);

/** One product unit's passport (token id = GTIN-14 << 160 | serial). */
export const passport = onchainTable(
  "passport",
  (t) => ({
    id: t.bigint().primaryKey(),
    lotId: t.bigint().notNull(),
    owner: t.hex().notNull(),
    /** Active, Stolen or Burned. */
    status: t.text().notNull(),
    /** The order whose escrow holds the unit right now, if any. */
    heldForOrder: t.hex(),
    lastShipmentId: t.hex(),
    mintedAt: t.int8({ mode: "bigint" }).notNull(),
    burnedAt: t.int8({ mode: "bigint" }),
    burnReason: t.text(),
    updatedAt: t.int8({ mode: "bigint" }).notNull(),
  }),
  (table) => ({ ownerIdx: index().on(table.owner), lotIdx: index().on(table.lotId) }),
);

/** Everything that happened to one unit: mint, transfers, shipments, custody, stolen flags, burn. */
export const passportEvent = onchainTable(
  "passport_event",
  (t) => ({
    id: t.text().primaryKey(),
    tokenId: t.bigint().notNull(),
    /** Minted, Transferred, Shipped, HeldInEscrow, HandedOver, HandOverFailed, Returned, ReturnFailed, StolenReported, StolenFlagged, StolenCleared, Burned. */
    kind: t.text().notNull(),
    from: t.hex(),
    to: t.hex(),
    shipmentId: t.hex(),
    orderId: t.hex(),
    /** The burn reason, or a theft registrar's report hash (`from` is who reported, flagged or cleared). */
    note: t.text(),
    timestamp: t.int8({ mode: "bigint" }).notNull(),
    blockNumber: t.int8({ mode: "bigint" }).notNull(),
    logIndex: t.integer().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ tokenIdx: index().on(table.tokenId, table.blockNumber, table.logIndex) }),
);

/** Lot recalls (a lot can only be recalled once, but the log is the record). */
export const recall = onchainTable("recall", (t) => ({
  id: t.bigint().primaryKey(),
  recalledBy: t.hex().notNull(),
  reasonHash: t.hex().notNull(),
  recalledAt: t.int8({ mode: "bigint" }).notNull(),
  txHash: t.hex().notNull(),
}));

/** Every certificate ever attested, with its revocation; a slot reused later is a new row. */
export const certificate = onchainTable(
  "certificate",
  (t) => ({
    id: t.text().primaryKey(),
    /** Unit or Lot. */
    kind: t.text().notNull(),
    subjectId: t.bigint().notNull(),
    slot: t.integer().notNull(),
    certifier: t.hex().notNull(),
    certType: t.text().notNull(),
    documentHash: t.hex().notNull(),
    expiresAt: t.int8({ mode: "bigint" }).notNull(),
    uri: t.text().notNull(),
    attestedAt: t.int8({ mode: "bigint" }).notNull(),
    revokedAt: t.int8({ mode: "bigint" }),
    revokedBy: t.hex(),
    /** Whether this row still holds its slot (false once revoked or replaced). */
    current: t.boolean().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ subjectIdx: index().on(table.kind, table.subjectId, table.slot) }),
);

/** Which certificate holds each (subject, slot) now: the key {revokeCertificate} uses. */
export const certificateSlot = onchainTable(
  "certificate_slot",
  (t) => ({
    kind: t.text().notNull(),
    subjectId: t.bigint().notNull(),
    slot: t.integer().notNull(),
    certificateId: t.text().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.kind, table.subjectId, table.slot] }) }),
);
