/**
 * The names of every enum value and role the three contracts use, defined once. Views, error
 * sentences, timelines and passport reports all read them from here, so no surface ever shows
 * a raw enum number or a role hash. Each list is in the order of its Solidity enum.
 */
import { ZeroHash, id } from "ethers";

/** `IWaybillEscrow.Status`. */
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
export type OrderStatusName = (typeof ORDER_STATUSES)[number];

/** `IWaybillEscrow.RefundReason`. */
export const REFUND_REASONS = [
  "MerchantCancelled",
  "NotShippedInTime",
  "ShipmentFailed",
  "NotDeliveredInTime",
] as const;

/** `IShipmentRegistry.ShipmentStatus`. */
export const SHIPMENT_STATUSES = [
  "None",
  "Created",
  "InTransit",
  "CustomsHold",
  "Delivered",
  "Lost",
  "Returned",
] as const;
export type ShipmentStatusName = (typeof SHIPMENT_STATUSES)[number];

/** `IShipmentRegistry.EventCode`. */
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
export type EventCodeName = (typeof EVENT_CODES)[number];

/** `IProductPassport.UnitStatus`. */
export const UNIT_STATUSES = ["None", "Active", "Stolen", "Burned"] as const;
/** `IProductPassport.BurnReason`. */
export const BURN_REASONS = ["Consumed", "Destroyed", "Recycled", "Other"] as const;
/** `IProductPassport.SubjectKind`. */
export const SUBJECT_KINDS = ["Unit", "Lot"] as const;

/** `IShipmentRegistry.EventCode` by name, e.g. `EventCode.Delivered === 7`. */
export const EventCode = Object.fromEntries(EVENT_CODES.map((name, i) => [name, i])) as Record<
  EventCodeName,
  number
>;

/** `IShipmentRegistry.ShipmentStatus` by name. */
export const ShipmentStatus = Object.fromEntries(
  SHIPMENT_STATUSES.map((name, i) => [name, i]),
) as Record<ShipmentStatusName, number>;

/** `IWaybillEscrow.Status` by name. */
export const OrderStatus = Object.fromEntries(ORDER_STATUSES.map((name, i) => [name, i])) as Record<
  OrderStatusName,
  number
>;

/** The name of enum value `value` in `names`, or "Unknown(n)" for a value the SDK predates. */
export function nameOf(names: readonly string[], value: bigint | number): string {
  return names[Number(value)] ?? `Unknown(${value})`;
}

/** Spaced words for a PascalCase name: "CustomsHold" → "customs hold". */
export function spokenName(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

/**
 * Every role of the three contracts, by the name a person types (`admin role --role ARBITER`).
 * A role's hash is `keccak256("<NAME>_ROLE")`, except OpenZeppelin's admin role, which is zero.
 */
export const ROLE_NAMES = [
  "DEFAULT_ADMIN",
  "PAUSER",
  "FEE_MANAGER",
  "TOKEN_MANAGER",
  "ARBITER",
  "CARRIER_MANAGER",
  "MANUFACTURER",
  "CERTIFIER",
] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** The bytes32 hash of a role. */
export function roleHash(name: RoleName): string {
  return name === "DEFAULT_ADMIN" ? ZeroHash : id(`${name}_ROLE`);
}

/** The role a hash stands for, e.g. "ARBITER", or `undefined` for a hash no Waybill contract uses. */
export function roleNameOf(hash: string): RoleName | undefined {
  return ROLE_NAMES.find((name) => roleHash(name) === hash.toLowerCase());
}

/** Parses what a person typed ("arbiter", "ARBITER_ROLE", "admin") into a role name. */
export function parseRoleName(text: string): RoleName | undefined {
  const upper = text
    .trim()
    .toUpperCase()
    .replace(/_ROLE$/, "");
  if (upper === "ADMIN") return "DEFAULT_ADMIN";
  return ROLE_NAMES.find((name) => name === upper);
}
