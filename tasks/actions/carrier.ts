import { readFile, writeFile } from "node:fs/promises";

import { ZeroAddress, ZeroHash, isHexString } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  EVENT_CODES,
  SHIPMENT_STATUSES,
  encodeLocode,
  signShipmentEvent,
} from "../../scripts/lib/shipment-signing.js";
import { formatTimeline, getTimeline } from "../../scripts/lib/timeline.js";
import type { IShipmentRegistry } from "../../typechain-types/index.js";
import { type Output, consoleOutput, runCommand, sendTransaction } from "../lib/cli.js";
import { type CommonArgs, type Context, openContext, waybillInterfaces } from "../lib/context.js";
import { UserError } from "../lib/errors.js";
import { loadOrder } from "../lib/orders.js";
import { hashOf, parseDuration, parseTime } from "../lib/parse.js";

export interface EventArgs extends CommonArgs {
  shipment: string;
  event: string;
  location: string;
  at: string;
  evidence: string;
  uri: string;
  nextCarrier: string;
}

function eventCode(name: string): number {
  const index = EVENT_CODES.findIndex((code) => code.toLowerCase() === name.toLowerCase());
  if (index < 0)
    throw new UserError(`unknown event "${name}"; use one of ${EVENT_CODES.join(", ")}`);
  return index;
}

/** The shipment a command is about: a shipment id, or an order (then the merchant's shipment for it). */
async function shipmentIdFrom(ctx: Context, reference: string): Promise<string> {
  if (reference === "")
    throw new UserError("say which shipment: --shipment <shipment id | order id | offer line>");
  const direct = isHexString(reference, 32) ? await ctx.registry.getShipment(reference) : undefined;
  if (direct !== undefined && direct.status !== 0n) return reference;
  const { orderId, offer } = await loadOrder(ctx, reference);
  const shipmentId = await ctx.registry.shipmentIdOf(offer.merchant, orderId);
  if ((await ctx.registry.getShipment(shipmentId)).status === 0n) {
    throw new UserError(`unknown shipment: order ${orderId} has no registered shipment yet`);
  }
  return shipmentId;
}

async function buildEvent(
  ctx: Context,
  args: EventArgs,
): Promise<IShipmentRegistry.ShipmentEventStruct> {
  const now = BigInt((await ctx.ethers.provider.getBlock("latest"))!.timestamp);
  if (args.location === "")
    throw new UserError("--location is required (a UN/LOCODE such as DEHAM)");
  return {
    shipmentId: await shipmentIdFrom(ctx, args.shipment),
    code: eventCode(args.event),
    location: encodeLocode(args.location),
    occurredAt: parseTime(args.at, now),
    evidenceHash: args.evidence === "" ? ZeroHash : hashOf(args.evidence),
    nextCarrier: args.nextCarrier === "" ? ZeroAddress : args.nextCarrier,
    evidenceURI: args.uri,
  };
}

/** `carrier record`: the carrier (or one of its keys) records one event itself. */
export async function record(
  args: EventArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(
    async () => {
      const ctx = await openContext(hre, args, out);
      const ev = await buildEvent(ctx, args);
      await sendTransaction(
        out,
        `record ${EVENT_CODES[ev.code as number]} at ${args.location} for ${ev.shipmentId}`,
        () => ctx.registry.recordEvent(ev),
      );
      const shipment = await ctx.registry.getShipment(ev.shipmentId);
      out.line(`✓ Shipment ${ev.shipmentId} is now ${SHIPMENT_STATUSES[Number(shipment.status)]}`);
    },
    waybillInterfaces,
    out,
  );
}

export interface SignArgs extends EventArgs {
  file: string;
  valid: string;
}

interface SignedBatchFile {
  chainId: string;
  registry: string;
  events: unknown[];
}

const bigintReplacer = (_key: string, value: unknown) =>
  typeof value === "bigint" ? value.toString() : value;

async function readBatch(file: string): Promise<SignedBatchFile | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as SignedBatchFile;
  } catch {
    return undefined;
  }
}

/**
 * `carrier sign`: signs an event off-chain (no gas) and appends it to a batch file that anyone
 * can submit later with `carrier relay`.
 */
export async function sign(
  args: SignArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(
    async () => {
      const ctx = await openContext(hre, args, out);
      const ev = await buildEvent(ctx, args);
      const batch = (await readBatch(args.file)) ?? {
        chainId: ctx.chainId.toString(),
        registry: ctx.deployment.registry,
        events: [],
      };
      if (
        batch.chainId !== ctx.chainId.toString() ||
        batch.registry.toLowerCase() !== ctx.deployment.registry.toLowerCase()
      ) {
        throw new UserError(
          `${args.file} holds events for another chain or registry; use a new file`,
        );
      }
      // Unordered nonces: take the next one after those already in the file (or the first unused),
      // so consecutive events share one bitmap word and relaying stays cheap.
      const inFile = batch.events.map((e) => BigInt((e as { nonce: string }).nonce));
      let nonce = inFile.length > 0 ? inFile.reduce((a, b) => (a > b ? a : b)) + 1n : 0n;
      while (await ctx.registry.isNonceUsed(ctx.signer.address, nonce)) nonce++;
      const now = BigInt((await ctx.ethers.provider.getBlock("latest"))!.timestamp);
      const signed = await signShipmentEvent(
        ctx.registry,
        ctx.signer,
        ev,
        nonce,
        now + parseDuration(args.valid, "--valid"),
        {
          compact: true,
        },
      );
      batch.events.push(signed);
      await writeFile(args.file, `${JSON.stringify(batch, bigintReplacer, 2)}\n`);
      out.line(
        `✓ Signed ${EVENT_CODES[ev.code as number]} for ${ev.shipmentId} (nonce ${nonce}); ${args.file} holds ${batch.events.length} event(s)`,
      );
    },
    waybillInterfaces,
    out,
  );
}

export interface RelayArgs extends CommonArgs {
  file: string;
}

/** `carrier relay`: submits a file of signed events in one transaction (all or nothing). */
export async function relay(
  args: RelayArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(
    async () => {
      const ctx = await openContext(hre, args, out);
      const batch = await readBatch(args.file);
      if (batch === undefined || batch.events.length === 0)
        throw new UserError(`${args.file} holds no signed events`);
      const events = batch.events as IShipmentRegistry.SignedShipmentEventStruct[];
      const sent = await sendTransaction(
        out,
        `relay ${events.length} signed event(s) from ${args.file}`,
        () => ctx.registry.recordEventsBySig(events),
      );
      out.line(
        `✓ ${events.length} event(s) recorded, ${(sent.gasUsed / BigInt(events.length)).toLocaleString("en-US")} gas each`,
      );
    },
    waybillInterfaces,
    out,
  );
}

export interface TrackArgs extends CommonArgs {
  shipment: string;
}

/** `carrier track`: a shipment's full history as a timeline. */
export async function track(
  args: TrackArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(
    async () => {
      const ctx = await openContext(hre, args, out);
      const shipmentId = await shipmentIdFrom(ctx, args.shipment);
      const shipment = await ctx.registry.getShipment(shipmentId);
      out.line(
        `Shipment ${shipmentId}: ${SHIPMENT_STATUSES[Number(shipment.status)]}, carrier ${shipment.carrier}`,
      );
      for (const line of formatTimeline(await getTimeline(ctx.registry, shipmentId)))
        out.line(`  ${line}`);
    },
    waybillInterfaces,
    out,
  );
}

export interface KeyArgs extends CommonArgs {
  key: string;
  revoke: boolean;
}

/** `carrier key`: authorises (or with --revoke withdraws) a signing key of the calling carrier. */
export async function key(
  args: KeyArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(
    async () => {
      const ctx = await openContext(hre, args, out);
      if (args.revoke) {
        await sendTransaction(out, `revoke key ${args.key}`, () =>
          ctx.registry.revokeKey(args.key),
        );
      } else {
        await sendTransaction(out, `authorise key ${args.key}`, () =>
          ctx.registry.authorizeKey(args.key),
        );
      }
      out.line(
        `✓ Key ${args.key} ${args.revoke ? "revoked" : "may now record and sign events for you"}`,
      );
    },
    waybillInterfaces,
    out,
  );
}
