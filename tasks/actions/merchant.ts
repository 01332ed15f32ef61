import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";

import { ZeroAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { encodeOfferPayload } from "@waybill/sdk";
import { type Offer, orderIdOf, signOffer } from "@waybill/sdk";
import { encodeLocode } from "@waybill/sdk";
import {
  type Output,
  consoleOutput,
  parseAmount,
  runCommand,
  sendTransaction,
} from "../lib/cli.js";
import { type CommonArgs, openContext, resolveToken, waybillInterfaces } from "../lib/context.js";
import { UserError } from "../lib/errors.js";
import { isoTime, loadOrder, orderState, requireStatus } from "../lib/orders.js";
import { hashOf, parseDuration, parseIdList } from "../lib/parse.js";

export interface OfferArgs extends CommonArgs {
  token: string;
  price: string;
  buyer: string;
  payee: string;
  details: string;
  shipWithin: string;
  deliverWithin: string;
  inspection: string;
  expires: string;
  out: string;
}

/** `merchant offer`: signs an offer off-chain (no gas) and prints the line to send the buyer. */
export async function offer(
  args: OfferArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(
    async () => {
      const ctx = await openContext(hre, args, out);
      const token = await resolveToken(ctx, args.token);
      if (!(await ctx.escrow.isTokenAllowed(token.address))) {
        throw new UserError(
          `${token.symbol} is not accepted by this escrow (ask the admin to allow-list it)`,
        );
      }
      if (args.details === "")
        throw new UserError(
          "--details is required: describe the order (it is hashed, never published)",
        );
      const now = BigInt((await ctx.ethers.provider.getBlock("latest"))!.timestamp);
      const terms: Offer = {
        merchant: ctx.signer.address,
        payee: args.payee === "" ? ctx.signer.address : args.payee,
        buyer: args.buyer === "" ? ZeroAddress : args.buyer,
        token: token.address,
        price: parseAmount(args.price, token.decimals),
        detailsHash: hashOf(args.details),
        shipWithin: parseDuration(args.shipWithin, "--ship-within"),
        deliverWithin: parseDuration(args.deliverWithin, "--deliver-within"),
        inspectionPeriod: parseDuration(args.inspection, "--inspection"),
        expiry: now + parseDuration(args.expires, "--expires"),
        salt: BigInt(`0x${randomBytes(32).toString("hex")}`),
      };
      const signature = await signOffer(ctx.escrow, ctx.signer, terms);
      const orderId = await orderIdOf(ctx.escrow, terms, ctx.chainId);
      const payload = encodeOfferPayload({
        chainId: ctx.chainId,
        escrow: ctx.deployment.escrow,
        offer: terms,
        signature,
      });
      out.line(
        `✓ Offer signed (no transaction, no gas): ${token.format(terms.price)} for order ${orderId}`,
      );
      out.line(
        `  buyer: ${terms.buyer === ZeroAddress ? "anyone" : terms.buyer}; payable until ${isoTime(terms.expiry)}`,
      );
      out.line(
        "Send the buyer this line; they pay it with `npx hardhat buyer pay --order <line>`:",
      );
      out.line(payload);
      if (args.out !== "") {
        await writeFile(args.out, `${payload}\n`);
        out.line(`(also written to ${args.out})`);
      }
    },
    waybillInterfaces,
    out,
  );
}

export interface ShipArgs extends CommonArgs {
  order: string;
  carrier: string;
  origin: string;
  destination: string;
  documents: string;
  passports: string;
}

/**
 * `merchant ship`: registers the order's shipment with the carrier taking it first and links it
 * to the order. Passports travelling with it are approved for hand-over to the buyer.
 */
export async function ship(
  args: ShipArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(
    async () => {
      const ctx = await openContext(hre, args, out);
      const { orderId, offer: terms } = await loadOrder(ctx, args.order);
      if (terms.merchant.toLowerCase() !== ctx.signer.address.toLowerCase()) {
        throw new UserError(`only the merchant ${terms.merchant} can ship order ${orderId}`);
      }
      await requireStatus(ctx, orderId, ["Paid"], "ship");
      const passportIds = parseIdList(args.passports, "--passports");
      const shipmentId = await ctx.registry.shipmentIdOf(ctx.signer.address, orderId);
      const existing = await ctx.registry.getShipment(shipmentId);
      if (existing.status === 0n) {
        if (args.carrier === "" || args.origin === "" || args.destination === "") {
          throw new UserError(
            "--carrier, --origin and --destination are required to register the shipment",
          );
        }
        await sendTransaction(
          out,
          `register shipment ${shipmentId} (${args.origin} → ${args.destination})`,
          () =>
            ctx.registry.createShipment({
              shipperRef: orderId,
              carrier: args.carrier,
              origin: encodeLocode(args.origin),
              destination: encodeLocode(args.destination),
              documentsHash: hashOf(
                args.documents === "" ? `documents of ${orderId}` : args.documents,
              ),
              passportIds,
            }),
        );
      } else {
        out.line(`shipment ${shipmentId} is already registered`);
      }
      if (
        passportIds.length > 0 &&
        !(await ctx.passports.isApprovedForAll(ctx.signer.address, ctx.deployment.escrow))
      ) {
        await sendTransaction(
          out,
          "let the escrow hand the passports to the buyer on completion",
          () => ctx.passports.setApprovalForAll(ctx.deployment.escrow, true),
        );
      }
      await sendTransaction(out, `link order ${orderId} to its shipment`, () =>
        ctx.escrow.markShipped(terms),
      );
      out.line(`✓ Order ${orderId} shipped as ${shipmentId}`);
    },
    waybillInterfaces,
    out,
  );
}

export interface OrderArgs extends CommonArgs {
  order: string;
}

/** `merchant cancel`: cancels an unpaid offer, or refunds the buyer of a paid, undelivered order. */
export async function cancel(
  args: OrderArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(
    async () => {
      const ctx = await openContext(hre, args, out);
      const { orderId, offer: terms } = await loadOrder(ctx, args.order);
      const state = await orderState(ctx, orderId);
      if (state.statusName === "None") {
        await sendTransaction(out, `cancel unpaid offer ${orderId}`, () =>
          ctx.escrow.cancelOffer(terms),
        );
        out.line("✓ The offer can no longer be paid");
      } else if (state.statusName === "Paid" || state.statusName === "Shipped") {
        const token = await resolveToken(ctx, terms.token);
        await sendTransaction(
          out,
          `refund ${token.format(terms.price)} to the buyer ${state.buyer}`,
          () => ctx.escrow.refund(terms),
        );
        out.line(`✓ Order ${orderId} refunded`);
      } else {
        throw new UserError(`cannot cancel: order ${orderId} is ${state.statusName}`);
      }
    },
    waybillInterfaces,
    out,
  );
}

export interface WithdrawArgs extends CommonArgs {
  token: string;
  to: string;
}

/** `merchant withdraw` (and `buyer withdraw`): pulls payouts credited because a push failed. */
export async function withdraw(
  args: WithdrawArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(
    async () => {
      const ctx = await openContext(hre, args, out);
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
    },
    waybillInterfaces,
    out,
  );
}
