/**
 * Finds an order from whatever the user has at hand: the offer line the merchant shared, a
 * file holding it, or just the order id (then the terms come from the escrow's OrderPaid log).
 */
import { readFile } from "node:fs/promises";

import { decodeOfferPayload } from "@waybill/sdk";
import { type Offer, decodeOrdersPaid, orderIdOf } from "@waybill/sdk";
import { sendTransaction } from "./cli.js";
import type { Context } from "./context.js";
import { UserError } from "./errors.js";
import { isOrderId } from "./parse.js";

/** `IShipmentRegistry.ShipmentStatus.Delivered`. */
const SHIPMENT_DELIVERED = 4n;

export const ORDER_STATUS = [
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

export interface OrderRef {
  orderId: string;
  offer: Offer;
  /** The merchant's signature, when the reference was the shared offer itself. */
  signature?: string;
}

async function payloadFrom(reference: string): Promise<string> {
  if (reference.startsWith("waybill-offer:")) return reference;
  try {
    return (await readFile(reference, "utf8")).trim();
  } catch {
    throw new UserError(`"${reference}" is neither an order id, an offer line nor a readable file`);
  }
}

/** Resolves `reference` (order id, offer line or file) on the context's escrow. */
export async function loadOrder(ctx: Context, reference: string): Promise<OrderRef> {
  if (reference === "")
    throw new UserError("say which order: --order <order id | offer line | file>");
  if (isOrderId(reference)) {
    const logs = await ctx.escrow.queryFilter(ctx.escrow.filters.OrderPaid(reference));
    const [paid] = decodeOrdersPaid(ctx.escrow, logs);
    if (paid === undefined)
      throw new UserError(`unknown order ${reference}: no payment recorded on this escrow`);
    return { orderId: reference, offer: paid.offer };
  }
  let signed;
  try {
    signed = decodeOfferPayload(await payloadFrom(reference));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError((error as Error).message);
  }
  if (
    signed.chainId !== ctx.chainId ||
    signed.escrow.toLowerCase() !== ctx.deployment.escrow.toLowerCase()
  ) {
    throw new UserError(
      `this offer is for escrow ${signed.escrow} on chain ${signed.chainId}, not ${ctx.deployment.escrow} on ${ctx.networkName} (chain ${ctx.chainId}): use --network`,
    );
  }
  return {
    orderId: await orderIdOf(ctx.escrow, signed.offer, ctx.chainId),
    offer: signed.offer,
    signature: signed.signature,
  };
}

/** The on-chain state of an order, with its status as a word. */
export async function orderState(ctx: Context, orderId: string) {
  const order = await ctx.escrow.getOrder(orderId);
  return {
    buyer: order.buyer,
    feeBps: order.feeBps,
    stamp: order.stamp,
    statusName: ORDER_STATUS[Number(order.status)] ?? `Unknown(${order.status})`,
  };
}

/** Throws a readable error unless the order is in one of `allowed`. */
export async function requireStatus(
  ctx: Context,
  orderId: string,
  allowed: readonly string[],
  action: string,
) {
  const state = await orderState(ctx, orderId);
  if (!allowed.includes(state.statusName)) {
    throw new UserError(
      `cannot ${action}: order ${orderId} is ${state.statusName} (needs ${allowed.join(" or ")})`,
    );
  }
  return state;
}

export function isoTime(seconds: bigint | number): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * Marks a shipped order delivered when the registry already shows its shipment delivered
 * (anyone may), so buyer commands work without waiting for a keeper. Returns the new status.
 */
export async function syncDelivery(ctx: Context, ref: OrderRef): Promise<string> {
  const state = await orderState(ctx, ref.orderId);
  if (state.statusName !== "Shipped") return state.statusName;
  const shipmentId = await ctx.registry.shipmentIdOf(ref.offer.merchant, ref.orderId);
  if ((await ctx.registry.getShipment(shipmentId)).status !== SHIPMENT_DELIVERED)
    return state.statusName;
  await sendTransaction(
    ctx.out,
    `mark order ${ref.orderId} delivered (the registry shows it)`,
    () => ctx.escrow.markDelivered(ref.offer),
  );
  return "Delivered";
}
