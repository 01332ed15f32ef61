/**
 * WaybillEscrow events → tables. Every order change lands in `order` (its current state) and in
 * `order_event` (its history); settlement amounts, fees and credits are kept per token.
 */
import { ponder, type Context } from "ponder:registry";
import {
  cancelledOffer,
  credit,
  creditMovement,
  escrowSettings,
  evidence,
  feeWithdrawal,
  order,
  orderEvent,
  passport,
  passportEvent,
  shipment,
  stablecoin,
} from "ponder:schema";

import {
  nameOf,
  REFUND_REASONS,
  ZERO_ADDRESS,
  type Hex,
  type LoggedEvent,
  type OrderStatus,
} from "./names";
import { unpackOrderPaid } from "./order-paid";

/** Appends one entry to an order's history. */
async function recordOrderEvent(
  context: Context,
  event: LoggedEvent,
  orderId: Hex,
  kind: string,
  status: OrderStatus,
  actor: Hex | null,
  details: Record<string, string | number | boolean | null> = {},
) {
  await context.db.insert(orderEvent).values({
    id: event.id,
    orderId,
    kind,
    status,
    actor,
    details,
    timestamp: event.block.timestamp,
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    txHash: event.transaction.hash,
  });
}

/** An order's open settlement proposal, cleared: withdrawn, or the order ended (any way). */
const noProposal = { proposer: null, proposedBuyerAmount: null, proposedAt: null } as const;

/** The order as it stands (every escrow event but OrderPaid and OfferCancelled follows a payment). */
async function currentOrder(context: Context, orderId: Hex) {
  const found = await context.db.find(order, { id: orderId });
  if (found === null) throw new Error(`order ${orderId} has an event before its OrderPaid`);
  return found;
}

async function addFee(context: Context, token: Hex, fee: bigint, timestamp: bigint) {
  if (fee === 0n) return;
  await context.db
    .insert(stablecoin)
    .values({
      id: token,
      allowed: true,
      plain: false,
      feesAccrued: fee,
      feesWithdrawn: 0n,
      updatedAt: timestamp,
    })
    .onConflictDoUpdate((row) => ({ feesAccrued: row.feesAccrued + fee, updatedAt: timestamp }));
}

ponder.on("WaybillEscrow:OrderPaid", async ({ event, context }) => {
  const { orderId, merchant, buyer, payeeAndPrice, tokenAndPeriods, detailsHash, salt, feeTerms } =
    event.args;
  const terms = unpackOrderPaid(buyer, payeeAndPrice, tokenAndPeriods, feeTerms);
  const paidAt = event.block.timestamp;
  await context.db.insert(order).values({
    id: orderId,
    merchant,
    payee: terms.payee,
    buyer,
    reservedFor: terms.reservedFor,
    token: terms.token,
    price: terms.price,
    detailsHash,
    shipWithin: terms.shipWithin,
    deliverWithin: terms.deliverWithin,
    inspectionPeriod: terms.inspectionPeriod,
    maxFeeBps: terms.maxFeeBps,
    expiry: terms.expiry,
    salt,
    feeBps: terms.feeBps,
    status: "Paid",
    open: true,
    refunded: 0n,
    held: terms.price,
    paidAt,
    shipBy: paidAt + BigInt(terms.shipWithin),
    deliverBy: paidAt + BigInt(terms.deliverWithin),
    updatedAt: paidAt,
    paidTx: event.transaction.hash,
    paidBlock: event.block.number,
  });
  await recordOrderEvent(context, event, orderId, "Paid", "Paid", buyer, {
    token: terms.token,
    price: terms.price.toString(),
    feeBps: terms.feeBps,
  });
});

ponder.on("WaybillEscrow:OfferCancelled", async ({ event, context }) => {
  const { orderId, merchant } = event.args;
  await context.db.insert(cancelledOffer).values({
    id: orderId,
    merchant,
    cancelledAt: event.block.timestamp,
    txHash: event.transaction.hash,
  });
});

ponder.on("WaybillEscrow:OrderShipped", async ({ event, context }) => {
  const { orderId, shipmentId, hasPassports } = event.args;
  const now = event.block.timestamp;
  // The shipment was created (and may even have been delivered) before the merchant linked it.
  const linked = await context.db.find(shipment, { id: shipmentId });
  await context.db.update(order, { id: orderId }).set({
    status: "Shipped",
    shipmentId,
    shippedAt: now,
    hasPassports,
    deliveredAt: linked?.deliveredAt ?? null,
    updatedAt: now,
  });
  if (hasPassports && linked !== null) {
    for (const tokenId of linked.passportIds) {
      await context.db
        .update(passport, { id: BigInt(tokenId) })
        .set({ heldForOrder: orderId, updatedAt: now });
    }
  }
  await recordOrderEvent(context, event, orderId, "Shipped", "Shipped", null, {
    shipmentId,
    hasPassports,
  });
});

ponder.on("WaybillEscrow:OrderDelivered", async ({ event, context }) => {
  const { orderId, deliveredAt, inspectionEndsAt } = event.args;
  const now = event.block.timestamp;
  await context.db.update(order, { id: orderId }).set({
    status: "Delivered",
    deliveredAt: BigInt(deliveredAt),
    deliveryRecordedAt: now,
    inspectionEndsAt: BigInt(inspectionEndsAt),
    updatedAt: now,
  });
  await recordOrderEvent(context, event, orderId, "Delivered", "Delivered", null, {
    deliveredAt,
    inspectionEndsAt,
  });
});

ponder.on("WaybillEscrow:OrderReleased", async ({ event, context }) => {
  const { orderId, payee, sellerAmount, fee } = event.args;
  const now = event.block.timestamp;
  const released = await context.db.update(order, { id: orderId }).set({
    status: "Released",
    open: false,
    held: 0n,
    ...noProposal,
    sellerAmount,
    fee,
    buyerAmount: 0n,
    releasedAt: now,
    closedAt: now,
    updatedAt: now,
  });
  await addFee(context, released.token, fee, now);
  await recordOrderEvent(context, event, orderId, "Released", "Released", payee, {
    sellerAmount: sellerAmount.toString(),
    fee: fee.toString(),
  });
});

ponder.on("WaybillEscrow:OrderRefunded", async ({ event, context }) => {
  const { orderId, buyer, amount, reason } = event.args;
  const now = event.block.timestamp;
  const refundReason = nameOf(REFUND_REASONS, reason);
  await context.db.update(order, { id: orderId }).set({
    status: "Refunded",
    open: false,
    held: 0n,
    ...noProposal,
    refundReason,
    buyerAmount: amount,
    sellerAmount: 0n,
    fee: 0n,
    refundedAt: now,
    closedAt: now,
    updatedAt: now,
  });
  await recordOrderEvent(context, event, orderId, "Refunded", "Refunded", buyer, {
    amount: amount.toString(),
    reason: refundReason,
  });
});

ponder.on("WaybillEscrow:Dispute", async ({ event, context }) => {
  const { orderId, party, rulingDeadline } = event.args;
  const now = event.block.timestamp;
  await context.db.update(order, { id: orderId }).set({
    status: "Disputed",
    disputedAt: now,
    disputedBy: party,
    rulingDeadline: BigInt(rulingDeadline),
    updatedAt: now,
  });
  await recordOrderEvent(context, event, orderId, "Disputed", "Disputed", party, {
    rulingDeadline,
  });
});

ponder.on("WaybillEscrow:Evidence", async ({ event, context }) => {
  const { orderId, party, evidenceHash, evidenceURI, text } = event.args;
  await context.db.insert(evidence).values({
    id: event.id,
    orderId,
    party,
    evidenceHash,
    evidenceUri: evidenceURI,
    text,
    submittedAt: event.block.timestamp,
    txHash: event.transaction.hash,
  });
  const current = await context.db.find(order, { id: orderId });
  await recordOrderEvent(
    context,
    event,
    orderId,
    "Evidence",
    (current?.status ?? "Disputed") as OrderStatus,
    party,
    {
      evidenceHash,
      evidenceURI,
      text,
    },
  );
});

ponder.on("WaybillEscrow:DisputeResolved", async ({ event, context }) => {
  const { orderId, arbiter, buyerAmount, sellerAmount, fee } = event.args;
  const now = event.block.timestamp;
  const current = await context.db.find(order, { id: orderId });
  // A ruling splits what the escrow still holds (the price less partial refunds).
  const outcome =
    arbiter === ZERO_ADDRESS
      ? "DefaultRuling"
      : buyerAmount === current?.held
        ? "BuyerWon"
        : buyerAmount === 0n
          ? "MerchantWon"
          : "Split";
  const resolved = await context.db.update(order, { id: orderId }).set({
    status: "Resolved",
    open: false,
    held: 0n,
    ...noProposal,
    arbiter,
    buyerAmount,
    sellerAmount,
    fee,
    disputeOutcome: outcome,
    resolvedAt: now,
    closedAt: now,
    updatedAt: now,
  });
  await addFee(context, resolved.token, fee, now);
  await recordOrderEvent(context, event, orderId, "Resolved", "Resolved", arbiter, {
    outcome,
    buyerAmount: buyerAmount.toString(),
    sellerAmount: sellerAmount.toString(),
    fee: fee.toString(),
  });
});

ponder.on("WaybillEscrow:PartialRefund", async ({ event, context }) => {
  const { orderId, buyer, amount, totalRefunded } = event.args;
  const now = event.block.timestamp;
  const current = await currentOrder(context, orderId);
  await context.db.update(order, { id: orderId }).set({
    refunded: totalRefunded,
    held: current.price - totalRefunded,
    updatedAt: now,
  });
  await recordOrderEvent(
    context,
    event,
    orderId,
    "PartialRefund",
    current.status as OrderStatus,
    buyer,
    { amount: amount.toString(), totalRefunded: totalRefunded.toString() },
  );
});

ponder.on("WaybillEscrow:PayoutAssigned", async ({ event, context }) => {
  const { orderId, from, to } = event.args;
  const now = event.block.timestamp;
  // A seller-side proposal stays stored on-chain; the API tells whether its proposer is still
  // a party (the buyer, or the seller side: the merchant while unassigned, else the holder).
  const assigned = await context.db
    .update(order, { id: orderId })
    .set({ payoutHolder: to, updatedAt: now });
  await recordOrderEvent(
    context,
    event,
    orderId,
    "PayoutAssigned",
    assigned.status as OrderStatus,
    from,
    {
      from,
      to,
    },
  );
});

ponder.on("WaybillEscrow:SettlementProposed", async ({ event, context }) => {
  const { orderId, proposer, buyerAmount } = event.args;
  const now = event.block.timestamp;
  const proposed = await context.db.update(order, { id: orderId }).set({
    proposer,
    proposedBuyerAmount: buyerAmount,
    proposedAt: now,
    updatedAt: now,
  });
  await recordOrderEvent(
    context,
    event,
    orderId,
    "SettlementProposed",
    proposed.status as OrderStatus,
    proposer,
    { buyerAmount: buyerAmount.toString() },
  );
});

ponder.on("WaybillEscrow:SettlementWithdrawn", async ({ event, context }) => {
  const { orderId, proposer } = event.args;
  const now = event.block.timestamp;
  const withdrawn = await context.db
    .update(order, { id: orderId })
    .set({ ...noProposal, updatedAt: now });
  await recordOrderEvent(
    context,
    event,
    orderId,
    "SettlementWithdrawn",
    withdrawn.status as OrderStatus,
    proposer,
  );
});

ponder.on("WaybillEscrow:SettlementSignatureRevoked", async ({ event, context }) => {
  const { orderId, signer, buyerAmount, deadline } = event.args;
  const current = await currentOrder(context, orderId);
  await recordOrderEvent(
    context,
    event,
    orderId,
    "SettlementSignatureRevoked",
    current.status as OrderStatus,
    signer,
    { buyerAmount: buyerAmount.toString(), deadline: Number(deadline) },
  );
});

ponder.on("WaybillEscrow:OrderSettled", async ({ event, context }) => {
  const { orderId, proposer, acceptor, buyerAmount, sellerAmount, fee } = event.args;
  const now = event.block.timestamp;
  const current = await currentOrder(context, orderId);
  const outcome =
    buyerAmount === current.held ? "FullRefund" : buyerAmount === 0n ? "NoRefund" : "Split";
  const settled = await context.db.update(order, { id: orderId }).set({
    status: "Resolved",
    open: false,
    held: 0n,
    ...noProposal,
    buyerAmount,
    sellerAmount,
    fee,
    settledBy: proposer,
    settlementAcceptor: acceptor,
    settlementOutcome: outcome,
    // A disputed order the parties settled: the dispute ended without a ruling.
    ...(current.status === "Disputed" ? { disputeOutcome: "Settled" } : {}),
    settledAt: now,
    resolvedAt: now,
    closedAt: now,
    updatedAt: now,
  });
  await addFee(context, settled.token, fee, now);
  await recordOrderEvent(context, event, orderId, "Settled", "Resolved", acceptor, {
    outcome,
    proposer,
    acceptor,
    buyerAmount: buyerAmount.toString(),
    sellerAmount: sellerAmount.toString(),
    fee: fee.toString(),
  });
});

ponder.on("WaybillEscrow:Reviewed", async ({ event, context }) => {
  const { orderId, rating, text } = event.args;
  const now = event.block.timestamp;
  const reviewed = await context.db.update(order, { id: orderId }).set({
    rating,
    reviewText: text,
    reviewedAt: now,
    updatedAt: now,
  });
  await recordOrderEvent(
    context,
    event,
    orderId,
    "Reviewed",
    reviewed.status as OrderStatus,
    reviewed.buyer,
    {
      rating,
      text,
    },
  );
});

/** A passport travelling with an order left the escrow's custody, or could not. */
async function recordCustody(
  context: Context,
  event: LoggedEvent,
  orderId: Hex,
  tokenId: bigint,
  kind: "HandedOver" | "HandOverFailed" | "Returned" | "ReturnFailed",
  to: Hex | null,
) {
  const released = kind === "HandedOver" || kind === "Returned";
  if (released) {
    await context.db
      .update(passport, { id: tokenId })
      .set({ heldForOrder: null, updatedAt: event.block.timestamp });
  }
  await context.db.insert(passportEvent).values({
    id: event.id,
    tokenId,
    kind,
    from: released ? context.contracts.WaybillEscrow.address : null,
    to,
    orderId,
    timestamp: event.block.timestamp,
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    txHash: event.transaction.hash,
  });
  const current = await context.db.find(order, { id: orderId });
  if (current !== null) {
    await recordOrderEvent(
      context,
      event,
      orderId,
      `Passport${kind}`,
      current.status as OrderStatus,
      to,
      {
        tokenId: tokenId.toString(),
      },
    );
  }
}

ponder.on("WaybillEscrow:PassportHandedOver", async ({ event, context }) => {
  const { orderId, tokenId, buyer } = event.args;
  await recordCustody(context, event, orderId, tokenId, "HandedOver", buyer);
});
ponder.on("WaybillEscrow:PassportHandOverFailed", async ({ event, context }) => {
  const { orderId, tokenId } = event.args;
  await recordCustody(context, event, orderId, tokenId, "HandOverFailed", null);
});
ponder.on("WaybillEscrow:PassportReturned", async ({ event, context }) => {
  const { orderId, tokenId, merchant } = event.args;
  await recordCustody(context, event, orderId, tokenId, "Returned", merchant);
});
ponder.on("WaybillEscrow:PassportReturnFailed", async ({ event, context }) => {
  const { orderId, tokenId } = event.args;
  await recordCustody(context, event, orderId, tokenId, "ReturnFailed", null);
});

ponder.on("WaybillEscrow:PayoutCredited", async ({ event, context }) => {
  const { token, account, amount } = event.args;
  const now = event.block.timestamp;
  await context.db
    .insert(credit)
    .values({ token, account, credited: amount, withdrawn: 0n, balance: amount, updatedAt: now })
    .onConflictDoUpdate((row) => ({
      credited: row.credited + amount,
      balance: row.balance + amount,
      updatedAt: now,
    }));
  await context.db.insert(creditMovement).values({
    id: event.id,
    token,
    account,
    kind: "Credited",
    amount,
    timestamp: now,
    txHash: event.transaction.hash,
  });
});

/** Credited payouts left the escrow: withdrawn by the account to `to`, or pushed to it by anyone. */
async function recordCreditOut(
  context: Context,
  event: LoggedEvent,
  movement: { token: Hex; account: Hex; to: Hex; amount: bigint; kind: "Withdrawn" | "Pushed" },
) {
  const { token, account, to, amount, kind } = movement;
  const now = event.block.timestamp;
  await context.db.update(credit, { token, account }).set((row) => ({
    withdrawn: row.withdrawn + amount,
    balance: row.balance - amount,
    updatedAt: now,
  }));
  await context.db.insert(creditMovement).values({
    id: event.id,
    token,
    account,
    kind,
    amount,
    to,
    timestamp: now,
    txHash: event.transaction.hash,
  });
}

ponder.on("WaybillEscrow:CreditWithdrawn", async ({ event, context }) => {
  const { token, account, to, amount } = event.args;
  await recordCreditOut(context, event, { token, account, to, amount, kind: "Withdrawn" });
});
ponder.on("WaybillEscrow:CreditPushed", async ({ event, context }) => {
  const { token, account, amount } = event.args;
  await recordCreditOut(context, event, { token, account, to: account, amount, kind: "Pushed" });
});

ponder.on("WaybillEscrow:FeesWithdrawn", async ({ event, context }) => {
  const { token, treasury, amount } = event.args;
  const now = event.block.timestamp;
  await context.db
    .update(stablecoin, { id: token })
    .set((row) => ({ feesWithdrawn: row.feesWithdrawn + amount, updatedAt: now }));
  await context.db.insert(feeWithdrawal).values({
    id: event.id,
    token,
    treasury,
    amount,
    timestamp: now,
    txHash: event.transaction.hash,
  });
});

ponder.on("WaybillEscrow:TokenAllowlistUpdated", async ({ event, context }) => {
  const { token, allowed } = event.args;
  const now = event.block.timestamp;
  await context.db
    .insert(stablecoin)
    .values({
      id: token,
      allowed,
      plain: false,
      feesAccrued: 0n,
      feesWithdrawn: 0n,
      updatedAt: now,
    })
    .onConflictDoUpdate({ allowed, updatedAt: now });
});

ponder.on("WaybillEscrow:TokenPlainUpdated", async ({ event, context }) => {
  const { token, plain } = event.args;
  const now = event.block.timestamp;
  // Only an allowed token can be flagged, so its row exists; the insert covers a partial replay.
  await context.db
    .insert(stablecoin)
    .values({ id: token, allowed: true, plain, feesAccrued: 0n, feesWithdrawn: 0n, updatedAt: now })
    .onConflictDoUpdate({ plain, updatedAt: now });
});

async function updateSettings(
  context: Context,
  timestamp: bigint,
  change: { feeBps?: number; treasury?: Hex; paused?: boolean },
) {
  await context.db
    .insert(escrowSettings)
    .values({ id: "escrow", paused: false, ...change, updatedAt: timestamp })
    .onConflictDoUpdate({ ...change, updatedAt: timestamp });
}

ponder.on("WaybillEscrow:FeeUpdated", async ({ event, context }) => {
  await updateSettings(context, event.block.timestamp, { feeBps: event.args.newFeeBps });
});
ponder.on("WaybillEscrow:TreasuryUpdated", async ({ event, context }) => {
  await updateSettings(context, event.block.timestamp, { treasury: event.args.newTreasury });
});
ponder.on("WaybillEscrow:Paused", async ({ event, context }) => {
  await updateSettings(context, event.block.timestamp, { paused: true });
});
ponder.on("WaybillEscrow:Unpaused", async ({ event, context }) => {
  await updateSettings(context, event.block.timestamp, { paused: false });
});
