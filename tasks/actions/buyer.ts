import { ZeroAddress, verifyTypedData } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  OFFER_TYPES,
  SHIPMENT_STATUSES,
  ShipmentStatus,
  choosePaymentMethod,
  describeOrderDetails,
  escrowDomain,
  formatDate,
  formatBps,
  formatDuration,
  formatOrderHistory,
  formatTimeline,
  getOrderHistory,
  getTimeline,
  isOpenOrder,
  nameOf,
  parseEscrowEvents,
  readOrderState,
  readPaymentFeatures,
  requireTextFits,
  signPermit,
  signReceiveAuthorization,
  textByteLength,
} from "@waybill/sdk";
import { type Output, consoleOutput, runCommand, sendTransaction } from "../lib/cli.js";
import {
  type Context,
  type Reader,
  type Role,
  type TokenInfo,
  resolveToken,
} from "../lib/context.js";
import { UserError } from "../lib/errors.js";
import {
  type OrderArgs,
  type OrderRef,
  fromBlockOf,
  openOrder,
  openOrderReader,
  orderState,
  requireAccount,
  requireStatus,
} from "../lib/orders.js";
import { hashOf } from "../lib/parse.js";

const ONE_HOUR = 3600n;

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function describeTerms(out: Output, ref: OrderRef, token: TokenInfo): void {
  const { offer: o } = ref;
  out.line(`Order ${ref.orderId}`);
  if (ref.details !== undefined) {
    out.line("  what you buy   (verified: these details match the merchant's signed hash)");
    for (const line of describeOrderDetails(ref.details)) out.line(`                 ${line}`);
  } else if (ref.signature !== undefined) {
    out.line(
      `  what you buy   not in this line (an old v1 line: only the hash ${o.detailsHash}); ask the merchant for the details`,
    );
  }
  out.line(`  price          ${token.format(o.price)}`);
  out.line(
    `  merchant       ${o.merchant}${o.payee === o.merchant ? "" : ` (paid to ${o.payee})`}`,
  );
  out.line(`  buyer          ${o.buyer === ZeroAddress ? "anyone" : o.buyer}`);
  out.line(`  ships within   ${formatDuration(o.shipWithin)} of payment`);
  out.line(
    `  delivered by   ${formatDuration(o.deliverWithin)} after payment, or you can claim a refund`,
  );
  out.line(`  inspection     ${formatDuration(o.inspectionPeriod)} after delivery to dispute`);
  out.line(`  platform fee   at most ${formatBps(o.maxFeeBps)} of the price, paid by the seller`);
  out.line(`  offer expires  ${formatDate(o.expiry)}`);
}

/** Whether the line's signature is the merchant's (a contract wallet's is checked by the escrow). */
async function signatureVerdict(reader: Reader, ref: OrderRef): Promise<string | undefined> {
  if (ref.signature === undefined) return undefined;
  if ((await reader.ethers.provider.getCode(ref.offer.merchant)) !== "0x") {
    return "from a smart-contract wallet (checked by the escrow when you pay)";
  }
  const recovered = verifyTypedData(
    await escrowDomain(reader.escrow, reader.chainId),
    OFFER_TYPES,
    ref.offer,
    ref.signature,
  );
  return recovered.toLowerCase() === ref.offer.merchant.toLowerCase()
    ? "valid, by the merchant"
    : `NOT the merchant's (signed by ${recovered})`;
}

/** `buyer inspect`: shows an offer's terms and details, whether its signature is the merchant's and its state. No key needed. */
export async function inspect(
  args: OrderArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const { reader, ref } = await openOrderReader(hre, args, out);
    const token = await resolveToken(reader, ref.offer.token);
    describeTerms(out, ref, token);
    const verdict = await signatureVerdict(reader, ref);
    if (verdict !== undefined) out.line(`  signature      ${verdict}`);
    const state = await orderState(reader, ref.orderId);
    out.line(`  status         ${state.statusName}`);
    out.line(
      `  token accepted ${(await reader.escrow.isTokenAllowed(token.address)) ? "yes" : "NO"}`,
    );
  }, out);
}

export interface PayArgs extends OrderArgs {
  method: string;
}

/**
 * `buyer pay`: pays an offer into escrow, by the cheapest way the token supports. Everything
 * the escrow would check is checked first, so approve + pay never leaves a lone approval.
 */
export async function pay(
  args: PayArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const { ctx, ref } = await openOrder(hre, args, "buyer", out);
    if (ref.signature === undefined)
      throw new UserError("paying needs the offer line the merchant shared, not just an order id");
    const { offer: terms, signature } = ref;
    const token = await resolveToken(ctx, terms.token);
    await requireStatus(ctx, ref.orderId, ["None"], "pay");
    if (
      terms.buyer !== ZeroAddress &&
      terms.buyer.toLowerCase() !== ctx.signer.address.toLowerCase()
    ) {
      throw new UserError(
        `this offer is reserved for ${terms.buyer}; you are signing as ${ctx.signer.address}`,
      );
    }
    const verdict = await signatureVerdict(ctx, ref);
    if (verdict?.startsWith("NOT") === true)
      throw new UserError(`the offer's signature is ${verdict}`);
    const now = BigInt((await ctx.ethers.provider.getBlock("latest"))!.timestamp);
    if (terms.expiry <= now)
      throw new UserError(`the offer expired on ${formatDate(terms.expiry)}`);
    if (!(await ctx.escrow.isTokenAllowed(token.address)))
      throw new UserError(`${token.symbol} is no longer accepted by this escrow`);
    if ((await ctx.escrow.config()).paused)
      throw new UserError("new payments are paused by the platform; try again later");
    const balance = await token.token.balanceOf(ctx.signer.address);
    if (balance < terms.price) {
      throw new UserError(
        `insufficient balance: you hold ${token.format(balance)}, the order costs ${token.format(terms.price)}`,
      );
    }
    const features = await readPaymentFeatures(token.token, ctx.signer.address, ctx.escrowAddress);
    const method = choosePaymentMethod(features, terms.price, args.method);
    out.line(`Paying ${token.format(terms.price)} into escrow (${method})`);
    if (method === "authorization") {
      const auth = await signReceiveAuthorization(token.token, ctx.signer, {
        to: ctx.escrowAddress,
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
        ctx.escrowAddress,
        terms.price,
        deadline,
      );
      await sendTransaction(out, `pay order ${ref.orderId} with an ERC-2612 permit`, () =>
        ctx.escrow.payWithPermit(terms, signature, deadline, permit.v, permit.r, permit.s),
      );
    } else {
      if (features.allowance < terms.price) {
        await sendTransaction(out, `approve the escrow for ${token.format(terms.price)}`, () =>
          token.token.approve(ctx.escrowAddress, terms.price),
        );
      }
      await sendTransaction(out, `pay order ${ref.orderId}`, () =>
        ctx.escrow.pay(terms, signature),
      );
    }
    out.line(`✓ Paid. The money stays in escrow until delivery; order id ${ref.orderId}`);
  }, out);
}

/** `buyer status` (and `merchant status`): where an order and its shipment are. No key needed. */
export async function status(
  args: OrderArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const { reader, ref } = await openOrderReader(hre, args, out);
    const token = await resolveToken(reader, ref.offer.token);
    describeTerms(out, ref, token);
    const state = await orderState(reader, ref.orderId);
    out.line(
      `  status         ${state.statusName}${state.buyer === ZeroAddress ? "" : `, buyer ${state.buyer}`}`,
    );
    const stamp = state.stamp;
    if (state.statusName === "Paid" || state.statusName === "Shipped") {
      out.line(`  paid on        ${formatDate(stamp)}`);
      if (state.statusName === "Paid")
        out.line(`  ship by        ${formatDate(stamp + ref.offer.shipWithin)}`);
      out.line(`  deliver by     ${formatDate(stamp + ref.offer.deliverWithin)}`);
    } else if (state.statusName === "Delivered") {
      out.line(
        `  delivered on   ${formatDate(stamp)}; inspection ends ${formatDate(stamp + ref.offer.inspectionPeriod)}`,
      );
    } else if (state.statusName === "Disputed") {
      out.line(
        `  disputed on    ${formatDate(stamp)}; awaiting the arbiter, unless the parties settle`,
      );
    }
    const names: Record<string, string> = {
      [ref.offer.payee]: "the payee",
      [ref.offer.merchant]: "the merchant",
      [state.buyer]: "the buyer",
    };
    if (state.statusName !== "None" && state.statusName !== "Cancelled") {
      const v2 = await readOrderState(reader.escrow, ref.offer, ref.orderId);
      if (v2.assigned) names[v2.payoutHolder] = "the payout holder";
      if (isOpenOrder(v2.status)) {
        out.line(
          `  held           ${token.format(v2.held)}${v2.refunded === 0n ? "" : ` (${token.format(v2.refunded)} refunded to the buyer so far)`}`,
        );
      } else if (v2.refunded > 0n) {
        out.line(`  refunded       ${token.format(v2.refunded)} in part before the order ended`);
      }
      out.line(
        `  payout holder  ${v2.payoutHolder}${v2.assigned ? " (assigned; it also acts for the seller)" : " (the offer's payee)"}`,
      );
      if (v2.proposal !== undefined) {
        out.line(
          `  proposal       ${v2.proposal.side === "buyer" ? "the buyer" : "the seller side"} ${v2.proposal.proposer} offers ${token.format(v2.proposal.buyerAmount)} to the buyer, the rest to the seller side; the other party accepts with \`settle --accept\``,
        );
      }
    }
    const history = await getOrderHistory(reader.escrow, ref.orderId, {
      fromBlock: fromBlockOf(reader),
    });
    if (history.length > 0) {
      out.line("  history");
      for (const line of formatOrderHistory(history, { token, names })) out.line(`    ${line}`);
    }
    const shipmentId = await reader.registry.shipmentIdOf(ref.offer.merchant, ref.orderId);
    const shipment = await reader.registry.getShipment(shipmentId);
    if (shipment.status === 0n) {
      out.line("  shipment       not registered yet");
      return;
    }
    out.line(`  shipment       ${shipmentId}: ${nameOf(SHIPMENT_STATUSES, shipment.status)}`);
    for (const line of formatTimeline(await getTimeline(reader.registry, shipmentId)))
      out.line(`    ${line}`);
  }, out);
}

/** Who may make an order call: its buyer, its merchant, or either of them. */
export type Caller = "buyer" | "merchant" | "party" | "anyone";

/** Throws unless the signing account may act as `caller` on the order. */
export async function requireCaller(
  ctx: Context,
  ref: OrderRef,
  caller: Caller,
  action: string,
): Promise<void> {
  const { buyer } = await orderState(ctx, ref.orderId);
  const me = ctx.signer.address.toLowerCase();
  if (caller === "anyone") return;
  if (caller === "buyer") requireAccount(ctx, buyer, "buyer", action);
  else if (caller === "merchant") requireAccount(ctx, ref.offer.merchant, "merchant", action);
  else if (me !== buyer.toLowerCase() && me !== ref.offer.merchant.toLowerCase()) {
    throw new UserError(
      `only the buyer ${buyer} or the merchant ${ref.offer.merchant} can ${action}, and you are signing as ${ctx.signer.address}`,
    );
  }
}

/**
 * A command that makes one escrow call on an order: it checks the order's state and the
 * caller before sending anything, then sends the call and prints `done`.
 */
export function orderCall(
  role: Role,
  caller: Caller,
  allowed: readonly string[],
  describe: (ref: OrderRef) => string,
  call: (ctx: Context, ref: OrderRef) => ReturnType<Context["escrow"]["confirmReceipt"]>,
  done: string,
) {
  return async (args: OrderArgs, hre: HardhatRuntimeEnvironment, out: Output = consoleOutput) =>
    runCommand(async () => {
      const { ctx, ref } = await openOrder(hre, args, role, out);
      await requireStatus(ctx, ref.orderId, allowed, describe(ref));
      await requireCaller(ctx, ref, caller, describe(ref));
      await sendTransaction(out, describe(ref), () => call(ctx, ref));
      out.line(`✓ ${done}`);
    }, out);
}

/**
 * `buyer confirm`: confirms receipt (allowed from Paid on) and releases the payment to the
 * merchant. When the registry already shows the delivery, it is recorded first (anyone may),
 * so the order can be reviewed; that first transaction is sent only once the caller and the
 * order's state are known to allow the confirmation.
 */
export async function confirm(
  args: OrderArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const { ctx, ref } = await openOrder(hre, args, "buyer", out);
    const action = `confirm receipt of order ${ref.orderId}`;
    const state = await requireStatus(ctx, ref.orderId, ["Paid", "Shipped", "Delivered"], action);
    await requireCaller(ctx, ref, "buyer", action);
    if (state.statusName === "Shipped") {
      const shipmentId = await ctx.registry.shipmentIdOf(ref.offer.merchant, ref.orderId);
      if (
        (await ctx.registry.getShipment(shipmentId)).status === BigInt(ShipmentStatus.Delivered)
      ) {
        await sendTransaction(
          out,
          `record the delivery the registry shows for order ${ref.orderId}`,
          () => ctx.escrow.markDelivered(ref.offer),
        );
      }
    }
    const sent = await sendTransaction(out, action, () => ctx.escrow.confirmReceipt(ref.offer));
    const token = await resolveToken(ctx, ref.offer.token);
    const [released] = parseEscrowEvents(ctx.escrow, sent.receipt.logs, "OrderReleased");
    if (released === undefined) {
      out.line("✓ Receipt confirmed");
      return;
    }
    const payee = String(released.args.payee);
    const who = same(payee, ref.offer.merchant) ? "the merchant" : "who holds the payout";
    const credited = parseEscrowEvents(ctx.escrow, sent.receipt.logs, "PayoutCredited").some((e) =>
      same(String(e.args.account), payee),
    );
    out.line(
      credited
        ? `✓ Receipt confirmed; ${token.format(released.args.sellerAmount as bigint)} credited to ${payee}, ${who}: the token refused to send it there (a frozen address?), so it withdraws it with \`merchant withdraw --to <address>\``
        : `✓ Receipt confirmed; ${token.format(released.args.sellerAmount as bigint)} paid to ${payee}, ${who} (platform fee ${token.format(released.args.fee as bigint)})`,
    );
  }, out);
}

/** `buyer refund`: takes the full refund a missed deadline or a failed shipment allows. */
export const refund = orderCall(
  "buyer",
  "buyer",
  ["Paid", "Shipped"],
  (ref) => `claim the refund of order ${ref.orderId}`,
  (ctx, ref) => ctx.escrow.claimRefund(ref.offer),
  "Refunded in full",
);

export interface DisputeArgs extends OrderArgs {
  evidence: string;
  uri: string;
  text: string;
}

/**
 * `buyer dispute` (either party): opens a dispute within the inspection window (recording the
 * delivery the registry shows in the same transaction), then submits the evidence.
 */
export async function dispute(
  args: DisputeArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    requireTextFits(args.text, "--text");
    const { ctx, ref } = await openOrder(hre, args, "buyer", out);
    const state = await requireStatus(
      ctx,
      ref.orderId,
      ["Shipped", "Delivered", "Disputed"],
      "dispute",
    );
    await requireCaller(ctx, ref, "party", `dispute order ${ref.orderId}`);
    if (state.statusName !== "Disputed") {
      await sendTransaction(out, `open a dispute on order ${ref.orderId}`, () =>
        ctx.escrow.openDispute(ref.offer),
      );
    }
    if (args.evidence !== "" || args.text !== "") {
      await sendTransaction(
        out,
        `submit evidence${args.text === "" ? "" : ` with its text (${textByteLength(args.text)} bytes, readable by anyone)`}`,
        () =>
          ctx.escrow.submitEvidence(
            ref.offer,
            hashOf(args.evidence === "" ? args.text : args.evidence),
            args.uri,
            args.text,
          ),
      );
    }
    out.line(`✓ Order ${ref.orderId} is in dispute; an arbiter will rule`);
  }, out);
}

export interface ReviewArgs extends OrderArgs {
  rating: number;
  text: string;
}

/** `buyer review`: one permanent 1–5 rating of the merchant per completed order, with its text in the log. */
export async function review(
  args: ReviewArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    if (!Number.isInteger(args.rating) || args.rating < 1 || args.rating > 5) {
      throw new UserError(`--rating must be a whole number from 1 to 5, not ${args.rating}`);
    }
    requireTextFits(args.text, "the review text");
    const { ctx, ref } = await openOrder(hre, args, "buyer", out);
    await requireStatus(ctx, ref.orderId, ["Released", "Resolved"], "review");
    await requireCaller(ctx, ref, "buyer", "review this order");
    await sendTransaction(
      out,
      `rate merchant ${ref.offer.merchant} ${args.rating}/5${args.text === "" ? "" : ` with the text (${textByteLength(args.text)} bytes, public and permanent)`}`,
      () => ctx.escrow.review(ref.offer, args.rating, args.text),
    );
    const [count, sum] = await ctx.escrow.ratingOf(ref.offer.merchant);
    out.line(
      `✓ Reviewed. The merchant now averages ${(Number(sum) / Number(count)).toFixed(2)} over ${count} review(s)`,
    );
  }, out);
}
