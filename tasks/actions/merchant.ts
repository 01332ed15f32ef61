import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";

import { ZeroAddress, getAddress, isAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  type Offer,
  type OrderDetails,
  describeOrderDetails,
  encodeOfferLine,
  formatBps,
  formatDate,
  hashOrderDetails,
  isOpenOrder,
  orderIdOf,
  orderShipment,
  parseAmount,
  parseOrderItems,
  readOrderState,
  requireTextFits,
  signOffer,
  validateOffer,
} from "@waybill/sdk";
import { type Output, consoleOutput, runCommand, sendTransaction } from "../lib/cli.js";
import { type CommonArgs, openContext, resolveToken } from "../lib/context.js";
import { UserError } from "../lib/errors.js";
import {
  type OrderArgs,
  openOrder,
  orderState,
  requireAccount,
  requireStatus,
} from "../lib/orders.js";
import { hashOf, parseDuration, parseIdList } from "../lib/parse.js";
import { requireCaller } from "./buyer.js";

export interface OfferArgs extends CommonArgs {
  token: string;
  price: string;
  buyer: string;
  payee: string;
  items: string;
  shipping: string;
  details: string;
  shipWithin: string;
  deliverWithin: string;
  inspection: string;
  maxFeeBps: string;
  expires: string;
  out: string;
}

/**
 * The highest platform fee the merchant accepts: `--max-fee-bps`, or the current fee. A maximum
 * below the current fee is refused, since nobody could pay the offer.
 */
async function acceptedFee(
  escrow: { config(): Promise<[bigint, string, boolean]> },
  option: string,
): Promise<bigint> {
  const [currentFeeBps] = await escrow.config();
  if (option === "") return currentFeeBps;
  if (!/^\d{1,5}$/.test(option)) {
    throw new UserError("--max-fee-bps must be a whole number of basis points, e.g. 250 for 2.5%");
  }
  const maxFeeBps = BigInt(option);
  if (maxFeeBps < currentFeeBps) {
    throw new UserError(
      `--max-fee-bps ${maxFeeBps} is below the current platform fee of ${formatBps(currentFeeBps)}: no buyer could pay this offer`,
    );
  }
  return maxFeeBps;
}

/** The order details the offer line carries, from `--items`, `--shipping` and `--details`. */
export function orderDetailsFrom(
  args: Pick<OfferArgs, "items" | "shipping" | "details">,
): OrderDetails {
  const items = parseOrderItems(args.items);
  if (items.length === 0 && args.details === "") {
    throw new UserError(
      'say what is sold: --items "2 Celadon vase; 1 Tea bowl" (and/or --details "…"); the buyer sees it in the offer line',
    );
  }
  return {
    items,
    ...(args.shipping === "" ? {} : { shipping: args.shipping }),
    ...(args.details === "" ? {} : { note: args.details }),
  };
}

/**
 * `merchant offer`: validates and signs an offer off-chain (no gas) and prints the line to
 * send the buyer, which carries the order details the signature covers.
 */
export async function offer(
  args: OfferArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const details = orderDetailsFrom(args);
    const ctx = await openContext(hre, args, "merchant", out);
    const token = await resolveToken(ctx, args.token);
    if (!(await ctx.escrow.isTokenAllowed(token.address))) {
      throw new UserError(
        `${token.symbol} is not accepted by this escrow (ask the admin to allow-list it)`,
      );
    }
    const now = BigInt((await ctx.ethers.provider.getBlock("latest"))!.timestamp);
    let price: bigint;
    try {
      price = parseAmount(args.price, token.decimals);
    } catch (error) {
      throw new UserError(`--price: ${(error as Error).message}`);
    }
    const terms: Offer = {
      merchant: ctx.signer.address,
      payee: args.payee === "" ? ctx.signer.address : args.payee,
      buyer: args.buyer === "" ? ZeroAddress : args.buyer,
      token: token.address,
      price,
      detailsHash: hashOrderDetails(details),
      shipWithin: parseDuration(args.shipWithin, "--ship-within"),
      deliverWithin: parseDuration(args.deliverWithin, "--deliver-within"),
      inspectionPeriod: parseDuration(args.inspection, "--inspection"),
      maxFeeBps: await acceptedFee(ctx.escrow, args.maxFeeBps),
      expiry: now + parseDuration(args.expires, "--expires"),
      salt: BigInt(`0x${randomBytes(32).toString("hex")}`),
    };
    validateOffer(terms, now);
    const signature = await signOffer(ctx.escrow, ctx.signer, terms);
    const orderId = await orderIdOf(ctx.escrow, terms, ctx.chainId);
    const line = encodeOfferLine({
      chainId: ctx.chainId,
      escrow: ctx.escrowAddress,
      offer: terms,
      signature,
      details,
    });
    out.line(
      `✓ Offer signed (no transaction, no gas): ${token.format(terms.price)} for order ${orderId}`,
    );
    for (const detail of describeOrderDetails(details)) out.line(`  ${detail}`);
    out.line(
      `  buyer: ${terms.buyer === ZeroAddress ? "anyone" : terms.buyer}; payable until ${formatDate(terms.expiry)}`,
    );
    out.line(
      `  platform fee: at most ${formatBps(terms.maxFeeBps)}; payment fails if it is raised above that`,
    );
    out.line("Send the buyer this line; they pay it with `npx hardhat buyer pay --order <line>`:");
    out.line(line);
    if (args.out !== "") {
      await writeFile(args.out, `${line}\n`);
      out.line(`(also written to ${args.out})`);
    }
  }, out);
}

export interface ShipArgs extends OrderArgs {
  carrier: string;
  origin: string;
  destination: string;
  documents: string;
  passports: string;
}

/**
 * `merchant ship`: registers the order's shipment with the carrier taking it first and links it
 * to the order in one transaction (the escrow's `ship`), taking the passports travelling with it
 * into the escrow's custody. A shipment already registered elsewhere is linked instead
 * (`markShipped`). Every condition is checked before the first transaction is sent.
 */
export async function ship(
  args: ShipArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const { ctx, ref } = await openOrder(hre, args, "merchant", out);
    const { orderId, offer: terms } = ref;
    requireAccount(ctx, terms.merchant, "merchant", `ship order ${orderId}`);
    const state = await requireStatus(ctx, orderId, ["Paid"], "ship");
    const now = BigInt((await ctx.ethers.provider.getBlock("latest"))!.timestamp);
    const shipBy = state.stamp + terms.shipWithin;
    if (now > shipBy) {
      throw new UserError(
        `cannot ship: the ship-by deadline of order ${orderId} passed on ${formatDate(shipBy)}; the buyer may claim a refund`,
      );
    }
    const shipmentId = await ctx.registry.shipmentIdOf(ctx.signer.address, orderId);
    const existing = await ctx.registry.getShipment(shipmentId);
    if (existing.status !== 0n) {
      out.line(`shipment ${shipmentId} is already registered`);
      if ((await ctx.registry.passportsOf(shipmentId)).length > 0) await approvePassports(ctx, out);
      await sendTransaction(out, `link order ${orderId} to its shipment`, () =>
        ctx.escrow.markShipped(terms),
      );
      out.line(`✓ Order ${orderId} shipped as ${shipmentId}`);
      return;
    }
    if (args.carrier === "" || args.origin === "" || args.destination === "") {
      throw new UserError(
        "--carrier, --origin and --destination are required to register the shipment",
      );
    }
    const [carrierAccount, active] = await ctx.registry.carrierOf(args.carrier);
    if (!active || carrierAccount.toLowerCase() !== args.carrier.toLowerCase()) {
      throw new UserError(`${args.carrier} is not an active registered carrier`);
    }
    let shipment;
    try {
      // Sorted ascending, as the registry requires; the reference is the order id.
      shipment = orderShipment(orderId, {
        carrier: args.carrier,
        origin: args.origin,
        destination: args.destination,
        documents: hashOf(args.documents === "" ? `documents of ${orderId}` : args.documents),
        passportIds: parseIdList(args.passports, "--passports"),
      });
    } catch (error) {
      throw new UserError(`--passports, --origin or --destination: ${(error as Error).message}`);
    }
    for (const id of shipment.passportIds) {
      const owner = await ctx.passports.ownerOf(id).catch(() => undefined);
      if (owner?.toLowerCase() !== ctx.signer.address.toLowerCase()) {
        throw new UserError(`passport ${id} is not yours to ship (owner: ${owner ?? "none"})`);
      }
    }
    if (shipment.passportIds.length > 0) await approvePassports(ctx, out);
    await sendTransaction(
      out,
      `register shipment ${shipmentId} (${args.origin} → ${args.destination}) and link order ${orderId} to it, in one transaction`,
      () => ctx.escrow.ship(terms, shipment),
    );
    out.line(`✓ Order ${orderId} shipped as ${shipmentId}`);
  }, out);
}

/** Lets the escrow take the merchant's passports into custody, unless it already may. */
async function approvePassports(
  ctx: Awaited<ReturnType<typeof openOrder>>["ctx"],
  out: Output,
): Promise<void> {
  if (await ctx.passports.isApprovedForAll(ctx.signer.address, ctx.escrowAddress)) return;
  await sendTransaction(
    out,
    "let the escrow hold the passports while they travel and hand them to the buyer on completion",
    () => ctx.passports.setApprovalForAll(ctx.escrowAddress, true),
  );
}

/**
 * `merchant cancel`: cancels an unpaid offer (the merchant), or refunds the buyer of a paid,
 * undelivered order everything the escrow still holds (the seller side: the merchant, or the
 * payout's holder once assigned).
 */
export async function cancel(
  args: OrderArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const { ctx, ref } = await openOrder(hre, args, "merchant", out);
    const { orderId, offer: terms } = ref;
    const state = await orderState(ctx, orderId);
    if (state.statusName === "None") {
      requireAccount(ctx, terms.merchant, "merchant", `cancel order ${orderId}`);
      await sendTransaction(out, `cancel unpaid offer ${orderId}`, () =>
        ctx.escrow.cancelOffer(terms),
      );
      out.line("✓ The offer can no longer be paid");
    } else if (state.statusName === "Paid" || state.statusName === "Shipped") {
      const v2 = await readOrderState(ctx.escrow, terms, orderId);
      requireAccount(ctx, v2.sellerSide, "seller side", `refund order ${orderId}`);
      const token = await resolveToken(ctx, terms.token);
      await sendTransaction(
        out,
        `refund ${token.format(v2.held)} to the buyer ${state.buyer}${v2.refunded === 0n ? "" : ` (the rest of the price after ${token.format(v2.refunded)} refunded earlier)`}`,
        () => ctx.escrow.refund(terms),
        { format: { amount: token.format } },
      );
      out.line(`✓ Order ${orderId} refunded`);
    } else {
      throw new UserError(`cannot cancel: order ${orderId} is ${state.statusName}`);
    }
  }, out);
}

export interface PartialRefundArgs extends OrderArgs {
  amount: string;
}

/**
 * `merchant partial-refund`: gives the buyer part of the price back now (a missing item, a
 * shipping refund) without ending the order; the rest is released, refunded or split later,
 * and the fee is charged only on what the seller finally receives.
 */
export async function partialRefund(
  args: PartialRefundArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    if (args.amount === "")
      throw new UserError("--amount is required: how much of the price to give back, e.g. 12.50");
    const { ctx, ref } = await openOrder(hre, args, "merchant", out);
    const token = await resolveToken(ctx, ref.offer.token);
    const state = await readOrderState(ctx.escrow, ref.offer, ref.orderId);
    if (!isOpenOrder(state.status))
      throw new UserError(
        `cannot refund part of order ${ref.orderId}: it is ${state.status} (needs Paid, Shipped, Delivered or Disputed)`,
      );
    requireAccount(ctx, state.sellerSide, "seller side", `refund part of order ${ref.orderId}`);
    let amount: bigint;
    try {
      amount = parseAmount(args.amount, token.decimals);
    } catch (error) {
      throw new UserError(`--amount: ${(error as Error).message}`);
    }
    if (amount === 0n || amount >= state.held)
      throw new UserError(
        `--amount must be more than 0 and less than the ${token.format(state.held)} the escrow holds (to give everything back, use \`merchant cancel\`)`,
      );
    await sendTransaction(
      out,
      `refund ${token.format(amount)} of order ${ref.orderId} to the buyer ${state.buyer} now; ${token.format(state.held - amount)} stays in escrow`,
      () => ctx.escrow.partialRefund(ref.offer, amount),
      { format: { amount: token.format } },
    );
    out.line(
      `✓ ${token.format(amount)} refunded (${token.format(state.refunded + amount)} in all); the order goes on as ${state.status} with ${token.format(state.held - amount)} held`,
    );
  }, out);
}

export interface AssignPayoutArgs extends OrderArgs {
  to: string;
}

/**
 * `merchant assign-payout`: gives the right to the order's payout to another address (a
 * financier advancing the money, say); the current holder, not only the payee, may pass it on.
 * Every path that pays the seller then pays the new holder; refunds still go to the buyer.
 */
export async function assignPayout(
  args: AssignPayoutArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    if (!isAddress(args.to))
      throw new UserError(`--to must be the address that will hold the payout, not "${args.to}"`);
    const to = getAddress(args.to);
    const { ctx, ref } = await openOrder(hre, args, "merchant", out);
    const token = await resolveToken(ctx, ref.offer.token);
    const state = await readOrderState(ctx.escrow, ref.offer, ref.orderId);
    if (!isOpenOrder(state.status))
      throw new UserError(
        `cannot assign the payout of order ${ref.orderId}: it is ${state.status} (needs Paid, Shipped, Delivered or Disputed)`,
      );
    requireAccount(
      ctx,
      state.payoutHolder,
      "holder of the payout",
      `assign order ${ref.orderId}'s payout`,
    );
    if (to === state.payoutHolder || to === getAddress(ctx.escrowAddress))
      throw new UserError(
        `${to} cannot receive the payout: it is the current holder or the escrow`,
      );
    await sendTransaction(
      out,
      `assign the payout of order ${ref.orderId} (${token.format(state.held)} held, less the fee) to ${to}`,
      () => ctx.escrow.assignPayout(ref.offer, to),
      { format: { amount: token.format } },
    );
    out.line(
      `✓ ${to} now holds the payout: release, rulings and settlements pay it; refunds still go to the buyer ${state.buyer}`,
    );
  }, out);
}

export interface EvidenceArgs extends OrderArgs {
  evidence: string;
  uri: string;
  text: string;
}

/** `merchant evidence`: the seller's side of a dispute (or of a delivered order's inspection). */
export async function evidence(
  args: EvidenceArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    if (args.evidence === "" && args.text === "") {
      throw new UserError(
        '--evidence or --text is required: a reference or hash of what you submit (e.g. "courier POD 4471"), or the words anyone can read',
      );
    }
    requireTextFits(args.text, "--text");
    const { ctx, ref } = await openOrder(hre, args, "merchant", out);
    await requireStatus(ctx, ref.orderId, ["Delivered", "Disputed"], "submit evidence");
    await requireCaller(ctx, ref, "merchant", `submit evidence for order ${ref.orderId}`);
    await sendTransaction(out, `submit the merchant's evidence for order ${ref.orderId}`, () =>
      ctx.escrow.submitEvidence(
        ref.offer,
        hashOf(args.evidence === "" ? args.text : args.evidence),
        args.uri,
        args.text,
      ),
    );
    out.line(
      `✓ Evidence recorded on order ${ref.orderId}${args.uri === "" ? "" : ` (${args.uri})`}; the arbiter sees it with the buyer's`,
    );
  }, out);
}

export interface WithdrawArgs extends CommonArgs {
  token: string;
  to: string;
}

/** `merchant withdraw` (and `buyer withdraw`): pulls payouts credited because a push failed. */
export function withdrawAs(role: "merchant" | "buyer") {
  return async (args: WithdrawArgs, hre: HardhatRuntimeEnvironment, out: Output = consoleOutput) =>
    runCommand(async () => {
      const ctx = await openContext(hre, args, role, out);
      const token = await resolveToken(ctx, args.token);
      const credited = await ctx.escrow.credits(token.address, ctx.signer.address);
      if (credited === 0n)
        throw new UserError(
          `nothing to withdraw: no ${token.symbol} is credited to ${ctx.signer.address}`,
        );
      const to = args.to === "" ? ctx.signer.address : args.to;
      await sendTransaction(out, `withdraw ${token.format(credited)} to ${to}`, () =>
        ctx.escrow.withdrawCredit(token.address, to),
      );
      out.line(`✓ ${token.format(credited)} sent to ${to}`);
    }, out);
}
