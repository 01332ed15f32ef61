/**
 * A unit's shipments, from the passport's event log. The passport stores none of them (a slot
 * per unit would cost every shipment ~22,100 gas a unit): when the registry creates a shipment,
 * the passport emits `PassportShipped(tokenId, shipmentId)` for each unit it carries, with the
 * token id as the first indexed topic. A log query on that topic therefore lists every shipment
 * that carried the unit, and the latest is its last shipment.
 */
import type { ProductPassport } from "../../typechain-types/index.js";
import type { LogRange } from "./order-history.js";
import type { PassportShipmentView } from "./passport-report.js";

/** One `PassportShipped` log of a unit. */
export interface PassportShipment {
  shipmentId: string;
  blockNumber: number;
  logIndex: number;
}

/** The registry's `getShipment`, the one call {@link readLastShipment} makes on it. */
export interface ShipmentStatusSource {
  getShipment(shipmentId: string): Promise<PassportShipmentView>;
}

/** A unit's last shipment and what the registry says of it. */
export interface LastShipment {
  shipmentId: string;
  /** The registry's `ShipmentStatus` (0n, None, when the registry does not know the shipment). */
  status: bigint;
  /** The registry's state of it (carrier, dates, event count), when it knows the shipment. */
  shipment?: PassportShipmentView;
}

/**
 * Every shipment that carried `tokenId` within `range`, in chain order (block, then log index).
 * Start `range` at the suite's deployment block (`deployedOnBlock` in the SDK's deployments, or
 * the app's `fromBlock`): public RPCs refuse or time out on queries from block 0.
 */
export async function getPassportShipments(
  passports: ProductPassport,
  tokenId: bigint,
  range: LogRange = {},
): Promise<PassportShipment[]> {
  const logs = await passports.queryFilter(
    passports.filters.PassportShipped(tokenId),
    range.fromBlock ?? 0,
    range.toBlock ?? "latest",
  );
  return logs
    .map((log) => ({
      shipmentId: log.args.shipmentId,
      blockNumber: log.blockNumber,
      logIndex: log.index,
    }))
    .sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}

/** The last shipment that carried `tokenId` (its latest `PassportShipped`), or `undefined` if none did. */
export async function findLastShipment(
  passports: ProductPassport,
  tokenId: bigint,
  range: LogRange = {},
): Promise<PassportShipment | undefined> {
  return (await getPassportShipments(passports, tokenId, range)).at(-1);
}

/**
 * The last shipment that carried `tokenId`, with the registry's status and state of it, or `null`
 * if no shipment carried it within `range`: what {@link formatPassportReport} takes as
 * `lastShipment`. A shipment the registry does not know has status None and no state.
 */
export async function readLastShipment(
  passports: ProductPassport,
  registry: ShipmentStatusSource,
  tokenId: bigint,
  range: LogRange = {},
): Promise<LastShipment | null> {
  const last = await findLastShipment(passports, tokenId, range);
  if (last === undefined) return null;
  const { shipmentId } = last;
  const shipment = await registry.getShipment(shipmentId);
  if (shipment.status === 0n) return { shipmentId, status: 0n };
  return { shipmentId, status: shipment.status, shipment };
}
