import { readFile, writeFile } from "node:fs/promises";

import { ZeroAddress, ZeroHash } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  EVENT_CODES,
  SHIPMENT_STATUSES,
  encodeLocode,
  formatTimeline,
  getTimeline,
  nameOf,
  signEventBatch,
} from "@waybill/sdk";
import type { IShipmentRegistry } from "../../typechain-types/index.js";
import { type Output, consoleOutput, runCommand, sendTransaction } from "../lib/cli.js";
import {
  type CommonArgs,
  type Context,
  type Reader,
  openContext,
  openReader,
  withSigner,
} from "../lib/context.js";
import { UserError } from "../lib/errors.js";
import { loadOrder, readOrderReference } from "../lib/orders.js";
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

/**
 * Opens the shipment a command is about: a shipment id, or an order (id, offer line or file:
 * then the merchant's shipment for it). A line brings its own escrow, so no local deployment
 * record is needed.
 */
async function openShipment(
  hre: HardhatRuntimeEnvironment,
  args: CommonArgs & { shipment: string },
  out: Output,
  signing: boolean,
): Promise<{ reader: Reader; shipmentId: string }> {
  if (args.shipment === "")
    throw new UserError("say which shipment: --shipment <shipment id | order id | offer line>");
  const reference = await readOrderReference(args.shipment);
  const reader = await openReader(
    hre,
    args,
    out,
    reference.kind === "line"
      ? { chainId: reference.signed.chainId, escrow: reference.signed.escrow }
      : undefined,
    signing,
  );
  if (reference.kind === "id") {
    const direct = await reader.registry.getShipment(reference.orderId);
    if (direct.status !== 0n) return { reader, shipmentId: reference.orderId };
  }
  const { orderId, offer } = await loadOrder(reader, reference);
  const shipmentId = await reader.registry.shipmentIdOf(offer.merchant, orderId);
  if ((await reader.registry.getShipment(shipmentId)).status === 0n) {
    throw new UserError(`unknown shipment: order ${orderId} has no registered shipment yet`);
  }
  return { reader, shipmentId };
}

async function buildEvent(
  ctx: Context,
  shipmentId: string,
  args: EventArgs,
): Promise<IShipmentRegistry.ShipmentEventStruct> {
  const now = BigInt((await ctx.ethers.provider.getBlock("latest"))!.timestamp);
  if (args.location === "")
    throw new UserError("--location is required (a UN/LOCODE such as DEHAM)");
  return {
    shipmentId,
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
  return runCommand(async () => {
    const { reader, shipmentId } = await openShipment(hre, args, out, true);
    const ctx = await withSigner(reader, "carrier", args.account);
    const ev = await buildEvent(ctx, shipmentId, args);
    await sendTransaction(
      out,
      `record ${EVENT_CODES[ev.code as number]} at ${args.location} for ${ev.shipmentId}`,
      () => ctx.registry.recordEvent(ev),
    );
    const shipment = await ctx.registry.getShipment(ev.shipmentId);
    out.line(`✓ Shipment ${ev.shipmentId} is now ${nameOf(SHIPMENT_STATUSES, shipment.status)}`);
  }, out);
}

export interface SignArgs extends EventArgs {
  file: string;
  valid: string;
}

/** A batch file: one signed batch of events, re-signed each time an event is added. */
interface SignedBatchFile {
  chainId: string;
  registry: string;
  batch: IShipmentRegistry.SignedEventBatchStruct;
}

const bigintReplacer = (_key: string, value: unknown) =>
  typeof value === "bigint" ? value.toString() : value;

async function readBatchFile(file: string): Promise<SignedBatchFile | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as SignedBatchFile;
  } catch {
    return undefined;
  }
}

/**
 * `carrier sign`: adds an event to a batch file and signs the whole batch off-chain (no gas).
 * Anyone can submit the file later with `carrier relay`: one signature covers every event in it,
 * which is what makes relayed events cheap.
 */
export async function sign(
  args: SignArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const { reader, shipmentId } = await openShipment(hre, args, out, true);
    const ctx = await withSigner(reader, "carrier", args.account);
    const ev = await buildEvent(ctx, shipmentId, args);
    const registryAddress = await ctx.registry.getAddress();
    const existing = await readBatchFile(args.file);
    if (existing !== undefined) {
      if (
        existing.chainId !== ctx.chainId.toString() ||
        existing.registry.toLowerCase() !== registryAddress.toLowerCase()
      ) {
        throw new UserError(
          `${args.file} holds events for another chain or registry; use a new file`,
        );
      }
      if (String(existing.batch.signer).toLowerCase() !== ctx.signer.address.toLowerCase()) {
        throw new UserError(
          `${args.file} is signed by ${existing.batch.signer}; sign into a file of your own`,
        );
      }
    }
    const events = [...(existing?.batch.events ?? []), ev];
    // The batch keeps its nonce while it grows; a new batch takes the signer's first unused one.
    let nonce = existing === undefined ? 0n : BigInt(existing.batch.nonce);
    if (existing === undefined) {
      while (await ctx.registry.isNonceUsed(ctx.signer.address, nonce)) nonce++;
    }
    const now = BigInt((await ctx.ethers.provider.getBlock("latest"))!.timestamp);
    const batch = await signEventBatch(
      ctx.registry,
      ctx.signer,
      events,
      nonce,
      now + parseDuration(args.valid, "--valid"),
      { compact: true },
    );
    const file: SignedBatchFile = {
      chainId: ctx.chainId.toString(),
      registry: registryAddress,
      batch,
    };
    await writeFile(args.file, `${JSON.stringify(file, bigintReplacer, 2)}\n`);
    out.line(
      `✓ Signed ${EVENT_CODES[ev.code as number]} for ${ev.shipmentId}; ${args.file} holds a batch of ${events.length} event(s) (nonce ${nonce})`,
    );
  }, out);
}

export interface RelayArgs extends CommonArgs {
  file: string;
}

/** `carrier relay`: submits a signed batch file in one transaction (all or nothing). */
export async function relay(
  args: RelayArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const ctx = await openContext(hre, args, "anyone", out);
    const file = await readBatchFile(args.file);
    if (file === undefined || file.batch.events.length === 0) {
      throw new UserError(`${args.file} holds no signed events`);
    }
    const count = file.batch.events.length;
    const sent = await sendTransaction(
      out,
      `relay ${count} event(s) signed by ${file.batch.signer} from ${args.file}`,
      () => ctx.registry.recordEventsBySig([file.batch]),
    );
    out.line(
      `✓ ${count} event(s) recorded, ${(sent.gasUsed / BigInt(count)).toLocaleString("en-US")} gas each`,
    );
  }, out);
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
  return runCommand(async () => {
    const { reader, shipmentId } = await openShipment(hre, args, out, false);
    const shipment = await reader.registry.getShipment(shipmentId);
    out.line(
      `Shipment ${shipmentId}: ${nameOf(SHIPMENT_STATUSES, shipment.status)}, carrier ${shipment.carrier}`,
    );
    for (const line of formatTimeline(await getTimeline(reader.registry, shipmentId)))
      out.line(`  ${line}`);
  }, out);
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
  return runCommand(async () => {
    const ctx = await openContext(hre, args, "carrier", out);
    if (args.revoke) {
      await sendTransaction(out, `revoke key ${args.key}`, () => ctx.registry.revokeKey(args.key));
    } else {
      await sendTransaction(out, `authorise key ${args.key}`, () =>
        ctx.registry.authorizeKey(args.key),
      );
    }
    out.line(
      `✓ Key ${args.key} ${args.revoke ? "revoked" : "may now record and sign events for you"}`,
    );
  }, out);
}
