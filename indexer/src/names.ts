/**
 * Names for the contracts' enums, in declaration order (see contracts/interfaces/). The API
 * and the tables speak names, never raw enum numbers. They mirror `@waybill/sdk`'s names (a
 * test keeps them equal): Ponder's bundler loads this small file without the SDK's ethers.
 */
import { hexToString } from "viem";

export type Hex = `0x${string}`;

/** What every handler reads from an event to key and date the rows it writes. */
export interface LoggedEvent {
  id: string;
  block: { number: bigint; timestamp: bigint };
  log: { logIndex: number };
  transaction: { hash: Hex };
}

/** IWaybillEscrow.Status */
export const ORDER_STATUSES = [
  "None",
  "Paid",
  "Shipped",
  "Delivered",
  "Disputed",
  "Released",
  "Refunded",
  "Resolved",
  "Cancelled",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Orders still waiting for someone to act. */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = [
  "Paid",
  "Shipped",
  "Delivered",
  "Disputed",
];

/** IWaybillEscrow.RefundReason */
export const REFUND_REASONS = [
  "MerchantCancelled",
  "NotShippedInTime",
  "ShipmentFailed",
  "NotDeliveredInTime",
] as const;

/** IShipmentRegistry.ShipmentStatus */
export const SHIPMENT_STATUSES = [
  "None",
  "Created",
  "InTransit",
  "CustomsHold",
  "Delivered",
  "Lost",
  "Returned",
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/** IShipmentRegistry.EventCode */
export const EVENT_CODES = [
  "PickedUp",
  "Departed",
  "Arrived",
  "CustomsHeld",
  "CustomsCleared",
  "HandedOver",
  "OutForDelivery",
  "Delivered",
  "DeliveryFailed",
  "Damaged",
  "Lost",
  "ReturnedToSender",
] as const;
export type EventCode = (typeof EVENT_CODES)[number];

/** IProductPassport.BurnReason */
export const BURN_REASONS = ["Consumed", "Destroyed", "Recycled", "Other"] as const;

/** IProductPassport.SubjectKind */
export const SUBJECT_KINDS = ["Unit", "Lot"] as const;

/** A name from an enum list, or `Unknown(<n>)` if a newer contract added one. */
export function nameOf<T extends string>(
  names: readonly T[],
  value: number,
): T | `Unknown(${number})` {
  return names[value] ?? `Unknown(${value})`;
}

/** A short ASCII code stored right-padded in bytesN (UN/LOCODE, SCAC, ISO country, certificate type). */
export function asciiOf(value: Hex): string {
  return hexToString(value).replace(/\0+$/, "");
}

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
