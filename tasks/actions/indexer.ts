/**
 * `npm run indexer -- --rpc <url> --network <name>`: runs the Ponder indexer alone against a
 * network. The contracts and their deployment blocks come from Ignition's record of the
 * deployment (`ignition/deployments/chain-<id>/`), else from the SDK's deployments table
 * (`sdk/deployments.json`); PGlite keeps the data under
 * `indexer/.ponder/` unless DATABASE_URL names a PostgreSQL database. The indexer runs until
 * stopped (Ctrl-C).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { deploymentOn } from "@waybill/sdk";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type Output, consoleOutput, runCommand } from "../lib/cli.js";
import { deploymentIdFor, findDeployment } from "../lib/deployment.js";
import { UserError } from "../lib/errors.js";

export interface IndexerArgs {
  rpc: string;
  port: number;
  schema: string;
  deploymentId: string;
}

async function chainIdAt(rpcUrl: string): Promise<bigint> {
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    const { result } = (await response.json()) as { result: string };
    return BigInt(result);
  } catch {
    throw new UserError(`no JSON-RPC node answers at ${rpcUrl}: check --rpc`);
  }
}

export async function runIndexer(
  args: IndexerArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const networkName = hre.globalOptions.network ?? "localhost";
    const networkConfig = hre.config.networks[networkName];
    let rpcUrl = args.rpc;
    if (rpcUrl === "" && networkConfig?.type === "http") rpcUrl = await networkConfig.url.get();
    if (rpcUrl === "")
      throw new UserError(`--rpc is required for network ${networkName} (e.g. --rpc https://…)`);
    const chainId = await chainIdAt(rpcUrl);
    const expected = networkConfig?.chainId;
    if (expected !== undefined && BigInt(expected) !== chainId) {
      throw new UserError(
        `the node at ${rpcUrl} is chain ${chainId}, but network ${networkName} is chain ${expected}: check --rpc and --network`,
      );
    }
    const root = hre.config.paths.root;
    // The Ignition record of a deployment made here, else the SDK's published table.
    const recorded = await findDeployment(root, deploymentIdFor(chainId, args.deploymentId));
    const published = deploymentOn(chainId);
    const contracts: Record<string, string> = {};
    let source: string;
    if (recorded !== undefined) {
      contracts.WAYBILL_DEPLOYMENT_ID = recorded.deploymentId;
      source = `Ignition deployment ${recorded.deploymentId}`;
    } else if (published !== undefined) {
      contracts.WAYBILL_ESCROW = published.WaybillEscrow.address;
      contracts.WAYBILL_REGISTRY = published.ShipmentRegistry.address;
      contracts.WAYBILL_PASSPORTS = published.ProductPassport.address;
      contracts.WAYBILL_START_BLOCK = String(
        Math.min(...Object.values(published).map((contract) => contract.deployedOnBlock)),
      );
      source = "the SDK's deployments table (sdk/deployments.json)";
    } else {
      throw new UserError(
        `Waybill is not deployed on chain ${chainId} as far as this project knows (no Ignition record, ` +
          `nothing in sdk/deployments.json): deploy first with npx hardhat waybill deploy --network ${networkName}`,
      );
    }
    const addresses = recorded ?? {
      escrow: published!.WaybillEscrow.address,
      registry: published!.ShipmentRegistry.address,
      passports: published!.ProductPassport.address,
    };
    // Ponder refuses to reuse a schema another build of the app wrote: one per deployment.
    const schema =
      args.schema !== ""
        ? args.schema
        : `waybill_${chainId}_${addresses.escrow.slice(2, 10).toLowerCase()}`;
    const database =
      process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== ""
        ? "PostgreSQL (DATABASE_URL)"
        : `PGlite in ${process.env.WAYBILL_PGLITE_DIR || `indexer/.ponder/pglite-${chainId}`} (set DATABASE_URL to use PostgreSQL)`;
    out.line(`→ Indexing Waybill on ${networkName} (chain ${chainId}) through ${rpcUrl}`);
    out.line(
      `  escrow ${addresses.escrow}, registry ${addresses.registry}, passports ${addresses.passports}`,
    );
    out.line(`  from their deployment blocks, found in ${source}`);
    out.line(`  database: ${database}, schema ${schema}`);
    out.line(
      `  API: http://127.0.0.1:${args.port} (REST routes, /graphql, /sql/*); Ctrl-C stops it`,
    );

    // Ponder's "exports" hide its CLI: find it next to the package's entry point (dist/esm/).
    const ponderBin = path.join(
      path.dirname(fileURLToPath(import.meta.resolve("ponder"))),
      "bin",
      "ponder.js",
    );
    const child = spawn(
      process.execPath,
      [ponderBin, "start", "--schema", schema, "--port", String(args.port)],
      {
        cwd: path.join(root, "indexer"),
        stdio: "inherit",
        env: {
          ...process.env,
          PONDER_TELEMETRY_DISABLED: "true",
          WAYBILL_RPC_URL: rpcUrl,
          WAYBILL_CHAIN_ID: chainId.toString(),
          ...contracts,
        },
      },
    );
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    process.off("SIGINT", forward);
    process.off("SIGTERM", forward);
    if (code !== 0 && code !== null)
      throw new UserError(`the indexer stopped with exit code ${code}`);
    out.line("✓ indexer stopped");
  }, out);
}
