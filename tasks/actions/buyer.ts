import { ZeroAddress, ZeroHash, verifyTypedData } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { escrowDomain, OFFER_TYPES } from "@waybill/sdk";
import { signPermit, signReceiveAuthorization } from "@waybill/sdk";
import { SHIPMENT_STATUSES } from "@waybill/sdk";
import { formatTimeline, getTimeline } from "@waybill/sdk";
import { type Output, consoleOutput, runCommand, sendTransaction } from "../lib/cli.js";
import {
  type Context,
  type TokenInfo,
  openContext,
  resolveToken,
  waybillInterfaces,
} from "../lib/context.js";
import { UserError } from "../lib/errors.js";
import {
  type OrderRef,
  isoTime,
  loadOrder,
  orderState,
  requireStatus,
  syncDelivery,
} from "../lib/orders.js";
import { hashOf } from "../lib/parse.js";
import type { OrderArgs } from "./merchant.js";

const ONE_HOUR = 3600n;

function describeTerms(out: Output, ref: OrderRef, token: TokenInfo): void {
  const { offer: o } = ref;
  out.line(`Order ${ref.orderId}`);
  out.line(`  price          ${token.format(o.price)}`);
  out.line(
    `  merchant       ${o.merchant}${o.payee === o.merchant ? "" : ` (paid to ${o.payee})`}`,
  );
  out.line(`  buyer          ${o.buyer === ZeroAddress ? "anyone" : o.buyer}`);
  out.line(`  ships within   ${Number(o.shipWithin) / 86_400} days of payment`);
  out.line(
    `  delivered by   ${Number(o.deliverWithin) / 86_400} days after payment, or you can claim a refund`,
  );
  out.line(
    `  inspection     ${Number(o.inspectionPeriod) / 86_400} days after delivery to dispute`,
  );
  out.line(`  offer expires  ${isoTime(o.expiry)}`);
}

/** `buyer inspect`: shows an offer's terms, whether its signature is the merchant's and its state. */
export async function inspect(
  args: OrderArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(
    async () => {
      const ctx = await openContext(hre, args, out);
      const ref = await loadOrder(ctx, args.order);
      const token = await resolveToken(ctx, ref.offer.token);
      describeTerms(out, ref, token);
      if (ref.signature !== undefined) {
        const merchantIsContract = (await ctx.ethers.provider.getCode(ref.offer.merchant)) !== "0x";
        const recovered = verifyTypedData(
          await escrowDomain(ctx.escrow, ctx.chainId),
          OFFER_TYPES,
          ref.offer,
          ref.signature,
        );
        out.line(
          `  signature      ${
            merchantIsContract
              ? "from a smart-contract wallet (checked by the escrow when you pay)"
              : recovered.toLowerCase() === ref.offer.merchant.toLowerCase()
                ? "valid, by the merchant"
                : `NOT the merchant's (signed by ${recovered})`
          }`,
        );
      }
      const state = await orderState(ctx, ref.orderId);
      out.line(`  status         ${state.statusName}`);
      out.line(
        `  token accepted ${(await ctx.escrow.isTokenAllowed(token.address)) ? "yes" : "NO"}`,
      );
    },
    waybillInterfaces,
    out,
  );
}

export interface PayArgs extends OrderArgs {
  method: string;
}

type PayMethod = "approve" | "permit" | "authorization";

async function supports(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch {
    return false;
  }
}

/**
 * Picks how to pay: an allowance already in place needs nothing else; otherwise an ERC-3009
 * authorization (one transaction, no approval), then an ERC-2612 permit (one transaction),
 * then approve + pay (two transactions).
 */
async function chooseMethod(
  ctx: Context,
  token: TokenInfo,
  price: bigint,
  requested: string,
): Promise<PayMethod> {
  if (requested !== "auto") {
    if (requested !== "approve" && requested !== "permit" && requested !== "authorization") {
      throw new UserError(
        `--method must be auto, approve, permit or authorization, not "${requested}"`,
      );
    }
    return requested;
  }
  if ((await token.token.allowance(ctx.signer.address, ctx.deployment.escrow)) >= price)
    return "approve";
  if (await supports(() => token.token.authorizationState(ctx.signer.address, ZeroHash))) {
    return "authorization";
  }
  if (await supports(() => token.token.nonces(ctx.signer.address))) return "permit";
  return "approve";
}

/** `buyer pay`: pays an offer into escrow, by the cheapest way the token supports. */
export async function pay(
  args: PayArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(
    async () => {
      const ctx = await openContext(hre, args, out);
      const ref = await loadOrder(ctx, args.order);
      if (ref.signature === undefined)
        throw new UserError(
          "paying needs the offer line the merchant shared, not just an order id",
        );
      const { offer: terms, signature } = ref;
      const token = await resolveToken(ctx, terms.token);
      await requireStatus(ctx, ref.orderId, ["None"], "pay");
      if (
        terms.buyer !== ZeroAddress &&
        terms.buyer.toLowerCase() !== ctx.signer.address.toLowerCase()
      ) {
        throw new UserError(`this offer is reserved for ${terms.buyer}`);
      }
      const now = BigInt((await ctx.ethers.provider.getBlock("latest"))!.timestamp);
      if (terms.expiry <= now) throw new UserError(`the offer expired at ${isoTime(terms.expiry)}`);
      const balance = await token.token.balanceOf(ctx.signer.address);
      if (balance < terms.price) {
        throw new UserError(
          `insufficient balance: you hold ${token.format(balance)}, the order costs ${token.format(terms.price)}`,
        );
      }
      const method = await chooseMethod(ctx, token, terms.price, args.method);
      out.line(`Paying ${token.format(terms.price)} into escrow (${method})`);
      if (method === "authorization") {
        const auth = await signReceiveAuthorization(token.token, ctx.signer, {
          to: ctx.deployment.escrow,
          value: terms.price,
          validAfter: 0n,
          validBefore: now + ONE_HOUR,
          nonce: ref.orderId,
        });
        await sendTransaction(out, `pay order ${ref.orderId} with an ERC-3009 authorization`, () =>
          ctx.escrow.payWithAuthorization(
            terms,
            signature,
            auth.from,
            auth.validAfter,
            auth.validBefore,
            auth.v,
            auth.r,
            auth.s,
          ),
        );
      } else if (method === "permit") {
        const deadline = now + ONE_HOUR;
        const permit = await signPermit(
          token.token,
          ctx.signer,
          ctx.deployment.escrow,
          terms.price,
          deadline,
        );
        await sendTransaction(out, `pay order ${ref.orderId} with an ERC-2612 permit`, () =>
          ctx.escrow.payWithPermit(terms, signature, deadline, permit.v, permit.r, permit.s),
        );
      } else {
        if (
          (await token.token.allowance(ctx.signer.address, ctx.deployment.escrow)) < terms.price
        ) {
          await sendTransaction(out, `approve the escrow for ${token.format(terms.price)}`, () =>
            token.token.approve(ctx.deployment.escrow, terms.price),
          );
        }
        await sendTransaction(out, `pay order ${ref.orderId}`, () =>
          ctx.escrow.pay(terms, signature),
        );
      }
      out.line(`✓ Paid. The money stays in escrow until delivery; order id ${ref.orderId}`);
    },
    waybillInterfaces,
    out,
  );
}

/** `buyer status` (and `merchant status`): where an order and its shipment are. */
export async function status(
  args: OrderArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(
    async () => {
      const ctx = await openContext(hre, args, out);
      const ref = await loadOrder(ctx, args.order);
      const token = await resolveToken(ctx, ref.offer.token);
      describeTerms(out, ref, token);
      const state = await orderState(ctx, ref.orderId);
      out.line(
        `  status         ${state.statusName}${state.buyer === ZeroAddress ? "" : `, buyer ${state.buyer}`}`,
      );
      const stamp = state.stamp;
      if (state.statusName === "Paid" || state.statusName === "Shipped") {
        out.line(`  paid at        ${isoTime(stamp)}`);
        if (state.statusName === "Paid")
          out.line(`  ship by        ${isoTime(stamp + ref.offer.shipWithin)}`);
        out.line(`  deliver by     ${isoTime(stamp + ref.offer.deliverWithin)}`);
      } else if (state.statusName === "Delivered") {
        out.line(
          `  delivery recorded ${isoTime(stamp)}; inspection ends ${isoTime(stamp + ref.offer.inspectionPeriod)}`,
        );
      } else if (state.statusName === "Disputed") {
        out.line(`  disputed at    ${isoTime(stamp)}; awaiting the arbiter`);
      }
      const shipmentId = await ctx.registry.shipmentIdOf(ref.offer.merchant, ref.orderId);
      const shipment = await ctx.registry.getShipment(shipmentId);
      if (shipment.status === 0n) {
        out.line("  shipment       not registered yet");
        return;
      }
      out.line(`  shipment       ${shipmentId}: ${SHIPMENT_STATUSES[Number(shipment.status)]}`);
      for (const line of formatTimeline(await getTimeline(ctx.registry, shipmentId)))
        out.line(`    ${line}`);
    },
    waybillInterfaces,
    out,
  );
}

/**
 * A command that makes one escrow call on an order: it records a delivery the registry already
 * shows, checks the order is in one of `allowed`, sends the call and prints `done`.
 */
export function orderCall(
  allowed: readonly string[],
  describe: (ref: OrderRef) => string,
  call: (ctx: Context, ref: OrderRef) => ReturnType<Context["escrow"]["confirmReceipt"]>,
  done: string,
) {
  return async (args: OrderArgs, hre: HardhatRuntimeEnvironment, out: Output = consoleOutput) =>
    runCommand(
      async () => {
        const ctx = await openContext(hre, args, out);
        const ref = await loadOrder(ctx, args.order);
        await syncDelivery(ctx, ref);
        await requireStatus(ctx, ref.orderId, allowed, describe(ref));
        await sendTransaction(out, describe(ref), () => call(ctx, ref));
        out.line(`✓ ${done}`);
      },
      waybillInterfaces,
      out,
    );
}

/** `buyer confirm`: confirms receipt early and releases the payment to the merchant. */
export const confirm = orderCall(
  ["Delivered"],
  (ref) => `confirm receipt of order ${ref.orderId}`,
  (ctx, ref) => ctx.escrow.confirmReceipt(ref.offer),
  "Receipt confirmed; the merchant is paid",
);

/** `buyer refund`: takes the full refund a missed deadline or a failed shipment allows. */
export const refund = orderCall(
  ["Paid", "Shipped"],
  (ref) => `claim the refund of order ${ref.orderId}`,
  (ctx, ref) => ctx.escrow.claimRefund(ref.offer),
  "Refunded in full",
);

export interface DisputeArgs extends OrderArgs {
  evidence: string;
  uri: string;
}

/** `buyer dispute` (either party): opens a dispute within the inspection window, with evidence. */
export async function dispute(
  args: DisputeArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(
    async () => {
      const ctx = await openContext(hre, args, out);
      const ref = await loadOrder(ctx, args.order);
      await syncDelivery(ctx, ref);
      const state = await orderState(ctx, ref.orderId);
      if (state.statusName === "Delivered") {
        await sendTransaction(out, `open a dispute on order ${ref.orderId}`, () =>
          ctx.escrow.openDispute(ref.offer),
        );
      } else if (state.statusName !== "Disputed") {
        throw new UserError(
          `cannot dispute: order ${ref.orderId} is ${state.statusName} (needs Delivered)`,
        );
      }
      if (args.evidence !== "") {
        await sendTransaction(out, "submit evidence", () =>
          ctx.escrow.submitEvidence(ref.offer, hashOf(args.evidence), args.uri),
        );
      }
      out.line(`✓ Order ${ref.orderId} is in dispute; an arbiter will rule`);
    },
    waybillInterfaces,
    out,
  );
}

export interface ReviewArgs extends OrderArgs {
  rating: number;
  text: string;
}

/** `buyer review`: one permanent 1–5 rating of the merchant per completed order. */
export async function review(
  args: ReviewArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(
    async () => {
      if (!Number.isInteger(args.rating) || args.rating < 1 || args.rating > 5) {
        throw new UserError(`--rating must be a whole number from 1 to 5, not ${args.rating}`);
      }
      const ctx = await openContext(hre, args, out);
      const ref = await loadOrder(ctx, args.order);
      await requireStatus(ctx, ref.orderId, ["Released", "Resolved"], "review");
      await sendTransaction(out, `rate merchant ${ref.offer.merchant} ${args.rating}/5`, () =>
        ctx.escrow.review(
          ref.offer,
          args.rating,
          hashOf(args.text === "" ? `${args.rating}/5` : args.text),
        ),
      );
      const [count, sum] = await ctx.escrow.ratingOf(ref.offer.merchant);
      out.line(
        `✓ Reviewed. The merchant now averages ${(Number(sum) / Number(count)).toFixed(2)} over ${count} review(s)`,
      );
    },
    waybillInterfaces,
    out,
  );
}
