/**
 * ShipmentRegistry events → tables: carriers and their keys, shipments and every step of
 * each. A Delivered step also dates the delivery of the escrow order the shipment serves.
 */
import { ponder } from "ponder:registry";
import {
  carrier,
  carrierKey,
  order,
  registrySettings,
  shipment,
  shipmentEvent,
} from "ponder:schema";

import {
  asciiOf,
  EVENT_CODES,
  nameOf,
  ZERO_ADDRESS,
  type EventCode,
  type ShipmentStatus,
} from "./names";

/** The status a shipment is in after `code` (mirrors the registry's transition table). */
function statusAfter(
  code: EventCode | `Unknown(${number})`,
  before: string,
): ShipmentStatus | string {
  switch (code) {
    case "CustomsHeld":
      return "CustomsHold";
    case "Delivered":
      return "Delivered";
    case "Lost":
      return "Lost";
    case "ReturnedToSender":
      return "Returned";
    case "Damaged":
      return before;
    default:
      return "InTransit";
  }
}

ponder.on("ShipmentRegistry:CarrierRegistered", async ({ event, context }) => {
  const now = event.block.timestamp;
  await context.db.insert(carrier).values({
    id: event.args.carrier,
    code: asciiOf(event.args.code),
    active: true,
    registeredAt: now,
    updatedAt: now,
  });
});
ponder.on("ShipmentRegistry:CarrierSuspended", async ({ event, context }) => {
  await context.db
    .update(carrier, { id: event.args.carrier })
    .set({ active: false, updatedAt: event.block.timestamp });
});
ponder.on("ShipmentRegistry:CarrierReinstated", async ({ event, context }) => {
  await context.db
    .update(carrier, { id: event.args.carrier })
    .set({ active: true, updatedAt: event.block.timestamp });
});
ponder.on("ShipmentRegistry:CarrierKeyAuthorized", async ({ event, context }) => {
  const now = event.block.timestamp;
  await context.db
    .insert(carrierKey)
    .values({ carrier: event.args.carrier, key: event.args.key, authorized: true, updatedAt: now })
    .onConflictDoUpdate({ authorized: true, updatedAt: now });
});
ponder.on("ShipmentRegistry:CarrierKeyRevoked", async ({ event, context }) => {
  await context.db
    .update(carrierKey, { carrier: event.args.carrier, key: event.args.key })
    .set({ authorized: false, updatedAt: event.block.timestamp });
});

ponder.on("ShipmentRegistry:ShipmentCreated", async ({ event, context }) => {
  const {
    shipmentId,
    shipper,
    carrier: firstCarrier,
    shipperRef,
    origin,
    destination,
  } = event.args;
  const now = event.block.timestamp;
  await context.db.insert(shipment).values({
    id: shipmentId,
    shipper,
    shipperRef,
    firstCarrier,
    carrier: firstCarrier,
    origin: asciiOf(origin),
    destination: asciiOf(destination),
    documentsHash: event.args.documentsHash,
    passportIds: event.args.passportIds.map((id) => id.toString()),
    status: "Created",
    lastEventAt: now,
    eventCount: 0,
    createdAt: now,
    txHash: event.transaction.hash,
  });
});

ponder.on("ShipmentRegistry:ShipmentEventRecorded", async ({ event, context }) => {
  const { shipmentId, carrier: carrierAfter, location, occurredAt, nextCarrier } = event.args;
  const code = nameOf(EVENT_CODES, event.args.code);
  const before = await context.db.find(shipment, { id: shipmentId });
  const status = statusAfter(code, before?.status ?? "InTransit");
  const at = BigInt(occurredAt);
  const updated = await context.db.update(shipment, { id: shipmentId }).set((row) => ({
    status,
    carrier: carrierAfter,
    lastEventCode: code,
    lastEventAt: at,
    deliveredAt: code === "Delivered" ? at : row.deliveredAt,
    eventCount: row.eventCount + 1,
  }));
  await context.db.insert(shipmentEvent).values({
    id: event.id,
    shipmentId,
    carrier: carrierAfter,
    code,
    status,
    location: asciiOf(location),
    occurredAt: at,
    evidenceHash: event.args.evidenceHash,
    evidenceUri: event.args.evidenceURI,
    nextCarrier: nextCarrier === ZERO_ADDRESS ? null : nextCarrier,
    recordedBy: event.args.recordedBy,
    recordedAt: event.block.timestamp,
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    txHash: event.transaction.hash,
  });
  if (code === "Delivered") {
    // An order's shipment uses the order id as its reference: date that order's delivery,
    // even if the buyer confirms without the escrow ever recording it.
    const served = await context.db.find(order, { id: updated.shipperRef });
    if (served !== null && served.merchant === updated.shipper && served.deliveredAt === null) {
      await context.db.update(order, { id: served.id }).set({ deliveredAt: at });
    }
  }
});

ponder.on("ShipmentRegistry:EscrowSet", async ({ event, context }) => {
  const { escrow } = event.args;
  const now = event.block.timestamp;
  await context.db
    .insert(registrySettings)
    .values({ id: "registry", escrow, updatedAt: now })
    .onConflictDoUpdate({ escrow, updatedAt: now });
});
