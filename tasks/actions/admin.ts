import { toUtf8Bytes, zeroPadBytes } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  ROLE_NAMES,
  ShipmentStatus,
  decodeOrdersPaid,
  formatDate,
  parseAmount,
  parseRoleName,
  readOrderState,
  roleHash,
} from "@waybill/sdk";
import { type Output, consoleOutput, runCommand, sendTransaction } from "../lib/cli.js";
import { type CommonArgs, type Context, openContext, resolveToken } from "../lib/context.js";
import { UserError } from "../lib/errors.js";
import { type OrderArgs, openOrder, orderState, requireStatus } from "../lib/orders.js";
import { orderCall } from "./buyer.js";

const CONTRACTS = ["escrow", "registry", "passports"] as const;

export interface RoleArgs extends CommonArgs {
  contract: string;
  role: string;
  to: string;
  revoke: boolean;
}

function contractNamed(ctx: Context, name: string) {
  if (name === "escrow") return ctx.escrow;
  if (name === "registry") return ctx.registry;
  if (name === "passports") return ctx.passports;
  throw new UserError(`--contract must be one of ${CONTRACTS.join(", ")}, not "${name}"`);
}

/** `admin role`: grants (or with --revoke revokes) a role, e.g. ARBITER_ROLE on the escrow. */
export async function role(
  args: RoleArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const ctx = await openContext(hre, args, "admin", out);
    const target = contractNamed(ctx, args.contract);
    const roleName = parseRoleName(args.role);
    if (roleName === undefined) {
      throw new UserError(`unknown role "${args.role}"; use one of ${ROLE_NAMES.join(", ")}`);
    }
    const roleId = roleHash(roleName);
    // Every contract has the admin role; any other must be one this contract defines.
    if (roleName !== "DEFAULT_ADMIN") {
      const defined = await target
        .getFunction(`${roleName}_ROLE`)
        .staticCall()
        .catch(() => undefined);
      if (defined !== roleId) throw new UserError(`the ${args.contract} has no ${roleName} role`);
    }
    if (args.to === "")
      throw new UserError("--to is required: the account receiving or losing the role");
    const action = args.revoke ? "revokeRole" : "grantRole";
    await sendTransaction(
      out,
      `${args.revoke ? "revoke" : "grant"} ${roleName} on the ${args.contract} ${args.revoke ? "from" : "to"} ${args.to}`,
      () => target.getFunction(action).send(roleId, args.to),
    );
    out.line(
      `✓ ${args.to} ${args.revoke ? "no longer has" : "now has"} ${roleName} on the ${args.contract}`,
    );
  }, out);
}

export interface CarrierArgs extends CommonArgs {
  carrier: string;
  code: string;
  suspend: boolean;
}

/** `admin carrier`: registers a carrier under its code (SCAC or company code), or suspends it. */
export async function carrier(
  args: CarrierArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const ctx = await openContext(hre, args, "admin", out);
    if (args.suspend) {
      await sendTransaction(out, `suspend carrier ${args.carrier}`, () =>
        ctx.registry.suspendCarrier(args.carrier),
      );
      out.line(`✓ ${args.carrier} can no longer record events`);
      return;
    }
    if (args.code === "" || args.code.length > 8)
      throw new UserError("--code is required: 1 to 8 characters (e.g. a SCAC like MAEU)");
    await sendTransaction(out, `register carrier ${args.carrier} as ${args.code}`, () =>
      ctx.registry.registerCarrier(args.carrier, zeroPadBytes(toUtf8Bytes(args.code), 8)),
    );
    out.line(`✓ ${args.code} may now record shipment events`);
  }, out);
}

export interface ManufacturerArgs extends CommonArgs {
  manufacturer: string;
  prefix: string;
}

/** `admin manufacturer`: lets an account mint passports for a GS1 company prefix it owns. */
export async function manufacturer(
  args: ManufacturerArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    if (!/^\d{6,12}$/.test(args.prefix))
      throw new UserError("--prefix must be a GS1 company prefix of 6 to 12 digits");
    const ctx = await openContext(hre, args, "admin", out);
    const manufacturerRole = await ctx.passports.MANUFACTURER_ROLE();
    if (!(await ctx.passports.hasRole(manufacturerRole, args.manufacturer))) {
      await sendTransaction(out, `grant MANUFACTURER_ROLE to ${args.manufacturer}`, () =>
        ctx.passports.grantRole(manufacturerRole, args.manufacturer),
      );
    }
    await sendTransaction(out, `assign GS1 company prefix ${args.prefix}`, () =>
      ctx.passports.assignPrefix(args.manufacturer, BigInt(args.prefix), args.prefix.length),
    );
    out.line(`✓ ${args.manufacturer} may mint GTINs of prefix ${args.prefix}`);
  }, out);
}

export interface TokenArgs extends CommonArgs {
  token: string;
  disallow: boolean;
}

/**
 * `admin token`: allow-lists a stablecoin for new offers (or removes it; open orders are
 * unaffected). A token once allowed keeps one of the escrow's `MAX_LISTED_TOKENS` places for good,
 * so the confirmation says so; allowing one beyond them fails with the SDK's sentence.
 */
export async function token(
  args: TokenArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const ctx = await openContext(hre, args, "admin", out);
    const info = await resolveToken(ctx, args.token);
    await sendTransaction(
      out,
      `${args.disallow ? "remove" : "allow"} ${info.symbol} ${info.address}`,
      () => ctx.escrow.setTokenAllowed(info.address, !args.disallow),
    );
    if (args.disallow) {
      out.line(
        `✓ ${info.symbol} is no longer accepted for new payments; its open orders still settle`,
      );
      return;
    }
    const places = await ctx.escrow.MAX_LISTED_TOKENS();
    out.line(
      `✓ ${info.symbol} is accepted, and keeps one of the escrow's ${places} token places for good, even if removed later`,
    );
  }, out);
}

export interface FeeArgs extends CommonArgs {
  bps: number;
}

/** `admin fee`: sets the platform fee for future payments (orders keep the fee they were paid with). */
export async function fee(
  args: FeeArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const ctx = await openContext(hre, args, "admin", out);
    const max = await ctx.escrow.MAX_FEE_BPS();
    if (!Number.isInteger(args.bps) || args.bps < 0 || BigInt(args.bps) > max) {
      throw new UserError(`--bps must be a whole number from 0 to ${max} (${Number(max) / 100}%)`);
    }
    await sendTransaction(out, `set the platform fee to ${args.bps / 100}%`, () =>
      ctx.escrow.setFeeBps(args.bps),
    );
    out.line(`✓ New payments pay ${args.bps / 100}%; existing orders keep their rate`);
  }, out);
}

export interface PauseArgs extends CommonArgs {
  resume: boolean;
}

/** `admin pause`: stops new payments (refunds, releases and disputes keep working); --resume undoes it. */
export async function pause(
  args: PauseArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const ctx = await openContext(hre, args, "admin", out);
    if (args.resume) {
      await sendTransaction(out, "resume payments", () => ctx.escrow.unpause());
    } else {
      await sendTransaction(out, "pause new payments", () => ctx.escrow.pause());
    }
    out.line(
      `✓ New payments are ${args.resume ? "accepted again" : "paused; existing orders still settle"}`,
    );
  }, out);
}

export interface FeesArgs extends CommonArgs {
  token: string;
}

/** `admin withdraw-fees`: sends a token's accrued platform fees to the treasury. */
export async function withdrawFees(
  args: FeesArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const ctx = await openContext(hre, args, "admin", out);
    const info = await resolveToken(ctx, args.token);
    const accrued = await ctx.escrow.accruedFees(info.address);
    if (accrued === 0n) throw new UserError(`no ${info.symbol} fees have accrued`);
    const [, treasury] = await ctx.escrow.config();
    await sendTransaction(
      out,
      `send ${info.format(accrued)} of fees to the treasury ${treasury}`,
      () => ctx.escrow.withdrawFees(info.address),
    );
    out.line(`✓ ${info.format(accrued)} sent to ${treasury}`);
  }, out);
}

export interface RuleArgs extends OrderArgs {
  buyerAmount: string;
}

/** `arbiter rule`: splits a disputed order: the buyer gets --buyer-amount, the seller the rest less the fee. */
export async function rule(
  args: RuleArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const { ctx, ref } = await openOrder(hre, args, "arbiter", out);
    await requireStatus(ctx, ref.orderId, ["Disputed"], "rule");
    const info = await resolveToken(ctx, ref.offer.token);
    const buyerAmount = parseAmount(args.buyerAmount, info.decimals);
    const { held, payoutHolder } = await readOrderState(ctx.escrow, ref.offer, ref.orderId);
    if (buyerAmount > held)
      throw new UserError(
        `--buyer-amount exceeds the ${info.format(held)} the escrow holds for the order`,
      );
    await sendTransaction(
      out,
      `rule: ${info.format(buyerAmount)} to the buyer, ${info.format(held - buyerAmount)} (less fee) to the seller side ${payoutHolder}`,
      () => ctx.escrow.resolveDispute(ref.offer, buyerAmount),
      { format: { amount: info.format } },
    );
    out.line(`✓ Dispute on ${ref.orderId} resolved`);
  }, out);
}

export interface KeeperArgs extends CommonArgs {
  fromBlock: number;
}

/**
 * `keeper release`: keeps orders moving without anyone's attention: marks shipped orders
 * delivered once the registry shows delivery, then releases every delivered order whose
 * inspection window has passed undisputed.
 */
export async function release(
  args: KeeperArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const ctx = await openContext(hre, args, "anyone", out);
    const paidLogs = await ctx.escrow.queryFilter(ctx.escrow.filters.OrderPaid(), args.fromBlock);
    const orders = decodeOrdersPaid(ctx.escrow, paidLogs);
    out.line(`Checking ${orders.length} order(s)…`);
    let delivered = 0;
    let released = 0;
    for (const paid of orders) {
      const ref = { orderId: paid.orderId, offer: paid.offer };
      if ((await orderState(ctx, ref.orderId)).statusName === "Shipped") {
        const shipmentId = await ctx.registry.shipmentIdOf(ref.offer.merchant, ref.orderId);
        const shipment = await ctx.registry.getShipment(shipmentId);
        if (shipment.status === BigInt(ShipmentStatus.Delivered)) {
          await sendTransaction(
            out,
            `mark order ${ref.orderId} delivered (the registry shows it)`,
            () => ctx.escrow.markDelivered(ref.offer),
          );
          delivered++;
        }
      }
      const state = await orderState(ctx, ref.orderId);
      const now = BigInt((await ctx.ethers.provider.getBlock("latest"))!.timestamp);
      const windowEnd = state.stamp + paid.offer.inspectionPeriod;
      if (state.statusName !== "Delivered" || windowEnd >= now) continue;
      await sendTransaction(
        out,
        `release order ${ref.orderId} (window ended ${formatDate(windowEnd)})`,
        () => ctx.escrow.release(paid.offer),
      );
      released++;
    }
    out.line(`✓ Marked ${delivered} order(s) delivered, released ${released}`);
  }, out);
}

/** `arbiter default`: after the arbitration period, anyone applies the documented default ruling. */
export const defaultRuling = orderCall(
  "anyone",
  "anyone",
  ["Disputed"],
  (ref) => `apply the default ruling to ${ref.orderId}`,
  (ctx, ref) => ctx.escrow.applyDefaultRuling(ref.offer),
  "Dispute settled by the default ruling",
);
