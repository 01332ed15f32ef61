/**
 * Rebuilds a shipment's history from the registry's event log. The chain stores only the
 * current state; every step lives in `ShipmentCreated` and `ShipmentEventRecorded` logs,
 * which this helper fetches, orders and turns into readable entries.
 */
import type { ShipmentRegistry } from "../../typechain-types/index.js";
import { formatDate } from "./format.js";
import { EVENT_CODES, nameOf } from "./names.js";
import { placeName } from "./places.js";
import { decodeLocode } from "./shipment-signing.js";

export interface TimelineEntry {
  /** When it happened (creation: the block time of the creating transaction), ISO 8601 UTC. */
  time: string;
  /** "Created" for the registration, otherwise the EventCode name, e.g. "CustomsHeld". */
  code: string;
  /** UN/LOCODE text: the origin for the creation, the event location otherwise. */
  location: string;
  /** The carrier holding the shipment after this step (for HandedOver: the new carrier). */
  carrier: string;
  /** Evidence hash for events, documents hash for the creation. */
  evidence: string;
  /** The key that recorded or signed the event (the shipper for the creation). */
  recordedBy: string;
  /** Optional evidence pointer of an event. */
  evidenceURI?: string;
  /** Destination for the creation, the new carrier for a hand-over. */
  detail?: string;
  blockNumber: number;
  logIndex: number;
}

export interface TimelineOptions {
  fromBlock?: number;
  toBlock?: number | "latest";
}

/**
 * Fetches `shipmentId`'s creation and events and returns them in chain order (block, then
 * log index), which is also the order of `occurredAt` since the contract refuses older events.
 */
export async function getTimeline(
  registry: ShipmentRegistry,
  shipmentId: string,
  options: TimelineOptions = {},
): Promise<TimelineEntry[]> {
  const fromBlock = options.fromBlock ?? 0;
  const toBlock = options.toBlock ?? "latest";
  const [created, recorded] = await Promise.all([
    registry.queryFilter(registry.filters.ShipmentCreated(shipmentId), fromBlock, toBlock),
    registry.queryFilter(registry.filters.ShipmentEventRecorded(shipmentId), fromBlock, toBlock),
  ]);

  const entries: TimelineEntry[] = [];
  for (const log of created) {
    const block = await log.getBlock();
    const { shipper, carrier, origin, destination, documentsHash } = log.args;
    entries.push({
      time: new Date(block.timestamp * 1000).toISOString(),
      code: "Created",
      location: decodeLocode(origin),
      carrier,
      evidence: documentsHash,
      recordedBy: shipper,
      detail: `to ${decodeLocode(destination)}`,
      blockNumber: log.blockNumber,
      logIndex: log.index,
    });
  }
  for (const log of recorded) {
    const {
      carrier,
      code,
      location,
      occurredAt,
      evidenceHash,
      nextCarrier,
      recordedBy,
      evidenceURI,
    } = log.args;
    const name = nameOf(EVENT_CODES, code);
    entries.push({
      time: new Date(Number(occurredAt) * 1000).toISOString(),
      code: name,
      location: decodeLocode(location),
      carrier,
      evidence: evidenceHash,
      recordedBy,
      ...(evidenceURI === "" ? {} : { evidenceURI }),
      ...(name === "HandedOver" ? { detail: `to ${nextCarrier}` } : {}),
      blockNumber: log.blockNumber,
      logIndex: log.index,
    });
  }
  return entries.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}

/** How a timeline is rendered: the time zone of its dates and names for known addresses. */
export interface TimelineFormat {
  /** IANA time zone for the dates (default UTC). */
  timeZone?: string;
  /** Lower-case or checksummed address → display name (carriers, the shipper). */
  names?: Readonly<Record<string, string>>;
}

function who(address: string, names?: Readonly<Record<string, string>>): string {
  const name = names?.[address] ?? names?.[address.toLowerCase()];
  return name === undefined ? address : `${name} (${address})`;
}

/** The creation's destination by place name, a hand-over's new carrier by name. */
function detailOf(e: TimelineEntry, names?: Readonly<Record<string, string>>): string {
  const target = (e.detail ?? "").replace(/^to /, "");
  if (e.code === "Created") return `to ${placeName(target)}`;
  if (e.code === "HandedOver") return `to ${who(target, names)}`;
  return e.detail ?? "";
}

/**
 * Renders a timeline as one text line per step, e.g.
 * "2026-11-27 10:00 UTC  Departed  Shanghai, China (CNSHA)  carrier 0x…  evidence 0x…".
 */
export function formatTimeline(
  entries: readonly TimelineEntry[],
  format: TimelineFormat = {},
): string[] {
  const codeWidth = Math.max(0, ...entries.map((e) => e.code.length));
  return entries.map((e) => {
    const parts = [
      formatDate(Date.parse(e.time) / 1000, format.timeZone),
      e.code.padEnd(codeWidth),
      placeName(e.location),
      `carrier ${who(e.carrier, format.names)}`,
      `evidence ${e.evidence}`,
    ];
    if (e.detail !== undefined) parts.push(detailOf(e, format.names));
    if (e.evidenceURI !== undefined) parts.push(e.evidenceURI);
    return parts.join("  ");
  });
}
