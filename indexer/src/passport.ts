/**
 * ProductPassport events → tables: company prefixes, lots and recalls, units with their
 * owner, stolen flag and custody, every certificate, and each unit's history.
 */
import { ponder, type Context } from "ponder:registry";
import {
  certificate,
  certificateSlot,
  companyPrefix,
  lot,
  passport,
  passportEvent,
  recall,
} from "ponder:schema";

import {
  asciiOf,
  BURN_REASONS,
  nameOf,
  SUBJECT_KINDS,
  ZERO_ADDRESS,
  type Hex,
  type LoggedEvent,
} from "./names";

type PassportEventKind =
  | "Minted"
  | "Transferred"
  | "HeldInEscrow"
  | "Shipped"
  | "StolenReported"
  | "StolenFlagged"
  | "StolenCleared"
  | "Burned";

async function recordPassportEvent(
  context: Context,
  event: LoggedEvent,
  tokenId: bigint,
  kind: PassportEventKind,
  fields: { from?: Hex; to?: Hex; shipmentId?: Hex; note?: string } = {},
) {
  await context.db.insert(passportEvent).values({
    id: event.id,
    tokenId,
    kind,
    ...fields,
    timestamp: event.block.timestamp,
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    txHash: event.transaction.hash,
  });
}

ponder.on("ProductPassport:PrefixAssigned", async ({ event, context }) => {
  const { prefix, length, manufacturer } = event.args;
  const now = event.block.timestamp;
  await context.db
    .insert(companyPrefix)
    .values({
      id: `${prefix}-${length}`,
      prefix,
      length,
      manufacturer,
      active: true,
      updatedAt: now,
    })
    .onConflictDoUpdate({ manufacturer, active: true, updatedAt: now });
});
ponder.on("ProductPassport:PrefixRevoked", async ({ event, context }) => {
  const { prefix, length } = event.args;
  await context.db
    .update(companyPrefix, { id: `${prefix}-${length}` })
    .set({ active: false, updatedAt: event.block.timestamp });
});

ponder.on("ProductPassport:LotCreated", async ({ event, context }) => {
  const { lotId, gtin, manufacturer, lotNumber, originCountry, productionDate, contentHash, uri } =
    event.args;
  await context.db.insert(lot).values({
    id: lotId,
    gtin,
    manufacturer,
    lotNumber,
    originCountry: asciiOf(originCountry),
    productionDate: BigInt(productionDate),
    contentHash,
    uri,
    recalled: false,
    createdAt: event.block.timestamp,
  });
});
ponder.on("ProductPassport:LotMetadataUpdated", async ({ event, context }) => {
  const { lotId, contentHash, uri } = event.args;
  await context.db.update(lot, { id: lotId }).set({ contentHash, uri });
});
ponder.on("ProductPassport:LotRecalled", async ({ event, context }) => {
  const { lotId, recalledBy, reasonHash } = event.args;
  const now = event.block.timestamp;
  await context.db
    .update(lot, { id: lotId })
    .set({ recalled: true, recalledAt: now, recalledBy, recallReasonHash: reasonHash });
  await context.db
    .insert(recall)
    .values({ id: lotId, recalledBy, reasonHash, recalledAt: now, txHash: event.transaction.hash });
});

ponder.on("ProductPassport:UnitMinted", async ({ event, context }) => {
  const { tokenId, lotId, to } = event.args;
  const now = event.block.timestamp;
  await context.db.insert(passport).values({
    id: tokenId,
    lotId,
    owner: to,
    status: "Active",
    mintedAt: now,
    updatedAt: now,
  });
  await recordPassportEvent(context, event, tokenId, "Minted", { to });
});

// Mints and burns are told by UnitMinted and UnitBurned (emitted right after their Transfer).
ponder.on("ProductPassport:Transfer", async ({ event, context }) => {
  const { from, to, tokenId } = event.args;
  if (from === ZERO_ADDRESS || to === ZERO_ADDRESS) return;
  await context.db
    .update(passport, { id: tokenId })
    .set({ owner: to, updatedAt: event.block.timestamp });
  const intoEscrow = to === context.contracts.WaybillEscrow.address;
  await recordPassportEvent(context, event, tokenId, intoEscrow ? "HeldInEscrow" : "Transferred", {
    from,
    to,
  });
});

ponder.on("ProductPassport:PassportShipped", async ({ event, context }) => {
  const { tokenId, shipmentId } = event.args;
  await context.db
    .update(passport, { id: tokenId })
    .set({ lastShipmentId: shipmentId, updatedAt: event.block.timestamp });
  await recordPassportEvent(context, event, tokenId, "Shipped", { shipmentId });
});

ponder.on("ProductPassport:UnitStolenReported", async ({ event, context }) => {
  const { tokenId, reportedBy } = event.args;
  await context.db
    .update(passport, { id: tokenId })
    .set({ status: "Stolen", updatedAt: event.block.timestamp });
  await recordPassportEvent(context, event, tokenId, "StolenReported", { from: reportedBy });
});
ponder.on("ProductPassport:UnitStolenFlagged", async ({ event, context }) => {
  const { tokenId, registrar, reportHash } = event.args;
  await context.db
    .update(passport, { id: tokenId })
    .set({ status: "Stolen", updatedAt: event.block.timestamp });
  await recordPassportEvent(context, event, tokenId, "StolenFlagged", {
    from: registrar,
    note: reportHash,
  });
});
ponder.on("ProductPassport:UnitStolenCleared", async ({ event, context }) => {
  const { tokenId, clearedBy } = event.args;
  await context.db
    .update(passport, { id: tokenId })
    .set({ status: "Active", updatedAt: event.block.timestamp });
  await recordPassportEvent(context, event, tokenId, "StolenCleared", { from: clearedBy });
});
ponder.on("ProductPassport:UnitBurned", async ({ event, context }) => {
  const { tokenId, owner, reason } = event.args;
  const now = event.block.timestamp;
  const burnReason = nameOf(BURN_REASONS, reason);
  await context.db
    .update(passport, { id: tokenId })
    .set({ status: "Burned", owner: ZERO_ADDRESS, burnedAt: now, burnReason, updatedAt: now });
  await recordPassportEvent(context, event, tokenId, "Burned", { from: owner, note: burnReason });
});

/** The certificate that holds a subject's slot now, if any. */
async function certificateInSlot(context: Context, kind: string, subjectId: bigint, slot: number) {
  const held = await context.db.find(certificateSlot, { kind, subjectId, slot });
  return held?.certificateId;
}

ponder.on("ProductPassport:CertificateAttested", async ({ event, context }) => {
  const {
    kind: kindIndex,
    subjectId,
    certifier,
    index,
    certType,
    documentHash,
    expiresAt,
    uri,
  } = event.args;
  const kind = nameOf(SUBJECT_KINDS, kindIndex);
  const now = event.block.timestamp;
  // A slot is reused once its certificate lapsed (expired or revoked): the older row stays as history.
  const previous = await certificateInSlot(context, kind, subjectId, index);
  if (previous !== undefined)
    await context.db.update(certificate, { id: previous }).set({ current: false });
  await context.db.insert(certificate).values({
    id: event.id,
    kind,
    subjectId,
    slot: index,
    certifier,
    certType: asciiOf(certType),
    documentHash,
    expiresAt: BigInt(expiresAt),
    uri,
    attestedAt: now,
    current: true,
    txHash: event.transaction.hash,
  });
  await context.db
    .insert(certificateSlot)
    .values({ kind, subjectId, slot: index, certificateId: event.id })
    .onConflictDoUpdate({ certificateId: event.id });
});

ponder.on("ProductPassport:CertificateRevoked", async ({ event, context }) => {
  const { kind: kindIndex, subjectId, index, revokedBy } = event.args;
  const kind = nameOf(SUBJECT_KINDS, kindIndex);
  const held = await certificateInSlot(context, kind, subjectId, index);
  if (held === undefined) return;
  await context.db
    .update(certificate, { id: held })
    .set({ revokedAt: event.block.timestamp, revokedBy, current: false });
});
