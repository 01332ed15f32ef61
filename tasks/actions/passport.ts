import { hexlify, toUtf8Bytes, zeroPadBytes } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  deploymentOn,
  digitalLinkOf,
  formatPassportReport,
  normalizeGtin,
  parseDigitalLink,
  readLastShipment,
  tokenIdOf,
} from "@waybill/sdk";
import { type Output, consoleOutput, runCommand, sendTransaction } from "../lib/cli.js";
import { type CommonArgs, type Context, openContext, openReader } from "../lib/context.js";
import { UserError } from "../lib/errors.js";
import { hashOf, parseDuration, parseTime } from "../lib/parse.js";

/** A unit given as a token id or a GS1 Digital Link URI. */
export function unitIdOf(reference: string): bigint {
  if (/^\d+$/.test(reference)) return BigInt(reference);
  if (/^0x[0-9a-fA-F]+$/.test(reference)) return BigInt(reference);
  try {
    const link = parseDigitalLink(reference);
    return tokenIdOf(link.gtin, link.serial);
  } catch (error) {
    throw new UserError(
      `"${reference}" is neither a token id nor a GS1 Digital Link with a serial (${(error as Error).message})`,
    );
  }
}

export interface LotArgs extends CommonArgs {
  gtin: string;
  prefixLength: number;
  lot: string;
  origin: string;
  produced: string;
  document: string;
  uri: string;
}

/** `manufacturer lot`: registers a production lot of one GTIN under the caller's company prefix. */
export async function createLot(
  args: LotArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const ctx = await openContext(hre, args, "manufacturer", out);
    const gtin = BigInt(normalizeGtin(args.gtin));
    const now = BigInt((await ctx.ethers.provider.getBlock("latest"))!.timestamp);
    const lot = {
      gtin,
      prefixLength: args.prefixLength,
      originCountry: hexlify(toUtf8Bytes(args.origin.toUpperCase())),
      productionDate: parseTime(args.produced, now),
      contentHash: hashOf(args.document === "" ? `passport of lot ${args.lot}` : args.document),
      lotNumber: args.lot,
      uri: args.uri,
    };
    const lotId = await ctx.passports.createLot.staticCall(lot);
    await sendTransaction(out, `create lot ${args.lot} of GTIN ${normalizeGtin(args.gtin)}`, () =>
      ctx.passports.createLot(lot),
    );
    out.line(
      `✓ Lot ${lotId} created; mint units with \`npx hardhat manufacturer mint --lot ${lotId} --serials …\``,
    );
  }, out);
}

export interface MintArgs extends CommonArgs {
  lot: bigint;
  serials: string;
  to: string;
}

/** `manufacturer mint`: mints one passport per serial into a lot (a batch when several). */
export async function mint(
  args: MintArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const ctx = await openContext(hre, args, "manufacturer", out);
    const serials = args.serials
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    if (serials.length === 0)
      throw new UserError("--serials is required: one or more serial numbers, comma-separated");
    const to = args.to === "" ? ctx.signer.address : args.to;
    const sent =
      serials.length === 1
        ? await sendTransaction(out, `mint serial ${serials[0]} of lot ${args.lot}`, () =>
            ctx.passports.mint(args.lot, serials[0], to),
          )
        : await sendTransaction(out, `mint ${serials.length} serials of lot ${args.lot}`, () =>
            ctx.passports.mintBatch(args.lot, serials, to),
          );
    out.line(`✓ Minted to ${to}:`);
    for (const log of sent.receipt.logs) {
      const parsed = ctx.passports.interface.parseLog(log);
      if (parsed?.name === "UnitMinted") {
        const id = parsed.args.tokenId as bigint;
        out.line(`  ${id}  ${digitalLinkOf(id)}`);
      }
    }
  }, out);
}

export interface RecallArgs extends CommonArgs {
  lot: bigint;
  reason: string;
}

/** `manufacturer recall`: flags every unit of a lot as recalled, in one transaction. */
export async function recall(
  args: RecallArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const ctx = await openContext(hre, args, "manufacturer", out);
    if (args.reason === "")
      throw new UserError("--reason is required (it is hashed; publish the notice off-chain)");
    await sendTransaction(out, `recall lot ${args.lot}`, () =>
      ctx.passports.recallLot(args.lot, hashOf(args.reason)),
    );
    out.line(`✓ Lot ${args.lot} recalled: every unit's verification now says so`);
  }, out);
}

export interface AttestArgs extends CommonArgs {
  unit: string;
  lot: string;
  type: string;
  document: string;
  uri: string;
  valid: string;
}

function certType(text: string): string {
  if (text === "" || text.length > 8 || !/^[\x20-\x7e]+$/.test(text)) {
    throw new UserError(
      `--type must be 1 to 8 printable ASCII characters (e.g. ORGANIC, CE, COO), not "${text}"`,
    );
  }
  return zeroPadBytes(toUtf8Bytes(text), 8);
}

/** `certifier attest`: attaches a certificate to a unit (--unit) or a whole lot (--lot). */
export async function attest(
  args: AttestArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    if ((args.unit === "") === (args.lot === ""))
      throw new UserError("give exactly one of --unit <token id | Digital Link> or --lot <lot id>");
    if (args.document === "")
      throw new UserError("--document is required (the certificate's reference or hash)");
    const ctx: Context = await openContext(hre, args, "certifier", out);
    const now = BigInt((await ctx.ethers.provider.getBlock("latest"))!.timestamp);
    const expiresAt = now + parseDuration(args.valid, "--valid");
    const type = certType(args.type);
    if (args.unit !== "") {
      const tokenId = unitIdOf(args.unit);
      await sendTransaction(out, `attest ${args.type} to unit ${tokenId}`, () =>
        ctx.passports.attestUnit(tokenId, type, hashOf(args.document), expiresAt, args.uri),
      );
    } else {
      await sendTransaction(out, `attest ${args.type} to lot ${args.lot}`, () =>
        ctx.passports.attestLot(BigInt(args.lot), type, hashOf(args.document), expiresAt, args.uri),
      );
    }
    out.line(
      `✓ Certificate ${args.type} valid until ${new Date(Number(expiresAt) * 1000).toISOString()}`,
    );
  }, out);
}

export interface VerifyArgs extends CommonArgs {
  unit: string;
}

/**
 * `passport verify`: everything a buyer's phone shows for one unit, as a readable report. The
 * last shipment is the unit's latest `PassportShipped` log; every one follows the registry's
 * deployment, so the search starts at its block where the SDK's deployments know it.
 */
export async function verify(
  args: VerifyArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const ctx = await openReader(hre, args, out);
    const tokenId = unitIdOf(args.unit);
    const fromBlock = deploymentOn(ctx.chainId)?.ShipmentRegistry.deployedOnBlock ?? 0;
    const [result, lastShipment] = await Promise.all([
      ctx.passports.verify(tokenId),
      readLastShipment(ctx.passports, ctx.registry, tokenId, { fromBlock }),
    ]);
    const now = BigInt((await ctx.ethers.provider.getBlock("latest"))!.timestamp);
    let lotNumber: string | undefined;
    if (/^https?:\/\//.test(args.unit)) lotNumber = parseDigitalLink(args.unit).lot;
    out.line(formatPassportReport(result, { now, lotNumber, lastShipment }));
  }, out);
}
