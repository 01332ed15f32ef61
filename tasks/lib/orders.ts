/**
 * Finds an order from whatever the user has at hand: the offer line the merchant shared, a
 * file holding it, or just the order id (then the terms come from the escrow's OrderPaid log).
 * The line also says which chain and escrow the order lives on, so a buyer needs nothing else.
 */
import { readFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  ORDER_STATUSES,
  type Offer,
  type OrderDetails,
  type OrderStatusName,
  type SignedOffer,
  decodeOfferLine,
  decodeOrdersPaid,
  deploymentOn,
  isOfferLine,
  nameOf,
  orderIdOf,
} from "@waybill/sdk";
import { type Output, consoleOutput } from "./cli.js";
import {
  type CommonArgs,
  type Context,
  type EscrowHint,
  type Reader,
  type Role,
  openReader,
  withSigner,
} from "./context.js";
import { UserError } from "./errors.js";
import { isOrderId } from "./parse.js";

/** What `--order` named: a decoded offer line, or a bare order id. */
export type OrderReference =
  { kind: "line"; signed: SignedOffer } | { kind: "id"; orderId: string };

export interface OrderRef {
  orderId: string;
  offer: Offer;
  /** The merchant's signature, when the reference was the shared offer itself. */
  signature?: string;
  /** The order details a v2 line carries, verified against the offer's detailsHash. */
  details?: OrderDetails;
}

/** Reads `--order` (an order id, an offer line or a file holding one) without touching the network. */
export async function readOrderReference(reference: string): Promise<OrderReference> {
  if (reference === "")
    throw new UserError("say which order: --order <order id | offer line | file>");
  if (isOrderId(reference)) return { kind: "id", orderId: reference };
  let line = reference;
  if (!isOfferLine(reference)) {
    try {
      line = (await readFile(reference, "utf8")).trim();
    } catch {
      throw new UserError(
        `"${reference}" is neither an order id, an offer line nor a readable file`,
      );
    }
  }
  return { kind: "line", signed: decodeOfferLine(line) };
}

/** Where the escrow's logs start: its deployment block when the SDK's table knows it. */
export function fromBlockOf(reader: Reader): number {
  return deploymentOn(reader.chainId)?.WaybillEscrow.deployedOnBlock ?? 0;
}

/** The order's terms and id on `reader`'s escrow. */
export async function loadOrder(reader: Reader, reference: OrderReference): Promise<OrderRef> {
  if (reference.kind === "id") {
    const fromBlock = fromBlockOf(reader);
    const logs = await reader.escrow.queryFilter(
      reader.escrow.filters.OrderPaid(reference.orderId),
      fromBlock,
    );
    const [paid] = decodeOrdersPaid(reader.escrow, logs);
    if (paid === undefined)
      throw new UserError(
        `unknown order ${reference.orderId}: no payment recorded on escrow ${reader.escrowAddress}`,
      );
    return { orderId: reference.orderId, offer: paid.offer };
  }
  const { signed } = reference;
  return {
    orderId: await orderIdOf(reader.escrow, signed.offer, reader.chainId),
    offer: signed.offer,
    signature: signed.signature,
    ...(signed.details === undefined ? {} : { details: signed.details }),
  };
}

export interface OrderArgs extends CommonArgs {
  order: string;
}

/**
 * Opens the order's deployment read-only: the escrow comes from the offer line when there is
 * one, else from `hint` (e.g. a settlement line's chain and escrow), else from the chain's record.
 */
export async function openOrderReader(
  hre: HardhatRuntimeEnvironment,
  args: OrderArgs,
  out: Output = consoleOutput,
  signing = false,
  hint?: EscrowHint,
): Promise<{ reader: Reader; ref: OrderRef }> {
  const reference = await readOrderReference(args.order);
  const reader = await openReader(
    hre,
    args,
    out,
    reference.kind === "line"
      ? { chainId: reference.signed.chainId, escrow: reference.signed.escrow }
      : hint,
    signing,
  );
  return { reader, ref: await loadOrder(reader, reference) };
}

/** Opens the order and the account of `role`. */
export async function openOrder(
  hre: HardhatRuntimeEnvironment,
  args: OrderArgs,
  role: Role,
  out: Output = consoleOutput,
  hint?: EscrowHint,
): Promise<{ ctx: Context; ref: OrderRef }> {
  const { reader, ref } = await openOrderReader(hre, args, out, true, hint);
  return { ctx: await withSigner(reader, role, args.account), ref };
}

export interface OrderState {
  buyer: string;
  feeBps: bigint;
  stamp: bigint;
  statusName: OrderStatusName;
}

/** The on-chain state of an order, with its status as a word. */
export async function orderState(ctx: Reader, orderId: string): Promise<OrderState> {
  const order = await ctx.escrow.getOrder(orderId);
  return {
    buyer: order.buyer,
    feeBps: order.feeBps,
    stamp: order.stamp,
    statusName: nameOf(ORDER_STATUSES, order.status) as OrderStatusName,
  };
}

/** Throws a readable error unless the order is in one of `allowed`. */
export async function requireStatus(
  ctx: Reader,
  orderId: string,
  allowed: readonly string[],
  action: string,
): Promise<OrderState> {
  const state = await orderState(ctx, orderId);
  if (!allowed.includes(state.statusName)) {
    throw new UserError(
      `cannot ${action}: order ${orderId} is ${state.statusName} (needs ${allowed.join(" or ")})`,
    );
  }
  return state;
}

/** Throws unless the signing account is `expected` (the order's buyer or merchant). */
export function requireAccount(ctx: Context, expected: string, who: string, action: string): void {
  if (expected.toLowerCase() !== ctx.signer.address.toLowerCase()) {
    throw new UserError(
      `only the ${who} ${expected} can ${action}, and you are signing as ${ctx.signer.address} (choose the account with --account)`,
    );
  }
}
