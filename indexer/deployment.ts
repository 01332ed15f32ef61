/**
 * Where the indexer finds the chain and the contracts, resolved once when Ponder loads the
 * config. Nobody copies addresses by hand: they come from Hardhat Ignition's record of the
 * deployment (`ignition/deployments/<id>/`), whose journal also holds the block each contract
 * was deployed in, so indexing starts exactly there; without a record here, the SDK's published
 * table (`sdk/deployments.json`: chain id → contract → address and deployment block). Environment variables (set by
 * `npm run indexer` and by the tests) choose the chain and may name addresses explicitly:
 *
 *   WAYBILL_RPC_URL        JSON-RPC endpoint (default http://127.0.0.1:8545)
 *   WAYBILL_CHAIN_ID       its chain id (default 31337)
 *   WAYBILL_DEPLOYMENT_ID  the Ignition deployment (default chain-<chain id>)
 *   WAYBILL_ESCROW / WAYBILL_REGISTRY / WAYBILL_PASSPORTS / WAYBILL_START_BLOCK
 *                          explicit addresses and first block, instead of the record
 *   WAYBILL_POLLING_MS     how often to poll for new blocks (default 1000)
 *   WAYBILL_PGLITE_DIR     PGlite's data folder (default indexer/.ponder/pglite-<chain id>)
 *   DATABASE_URL           use PostgreSQL instead of the embedded PGlite
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const indexerRoot = path.dirname(fileURLToPath(import.meta.url));
export const projectRoot = path.resolve(indexerRoot, "..");

type Address = `0x${string}`;

export interface IndexedContract {
  address: Address;
  startBlock: number;
}

export interface IndexerTarget {
  chainId: number;
  rpcUrl: string;
  pollingInterval: number;
  escrow: IndexedContract;
  registry: IndexedContract;
  passports: IndexedContract;
  database: { kind: "pglite"; directory: string } | { kind: "postgres"; connectionString: string };
}

/** Ignition's future ids end with these contract names (see ignition/modules/core.ts). */
const CONTRACT_NAMES = {
  escrow: "WaybillEscrow",
  registry: "ShipmentRegistry",
  passports: "ProductPassport",
} as const;

function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === "" ? undefined : value;
}

function isAddress(value: string): value is Address {
  return /^0x[0-9a-fA-F]{40}$/.test(value);
}

/** Reads `deployed_addresses.json` and the journal's deployment receipts. */
function fromIgnitionRecord(deploymentId: string, chainId: number) {
  const folder = path.join(projectRoot, "ignition", "deployments", deploymentId);
  const addressesFile = path.join(folder, "deployed_addresses.json");
  if (!existsSync(addressesFile)) {
    throw new Error(
      `No Waybill deployment "${deploymentId}" for chain ${chainId} in ignition/deployments/: ` +
        `deploy first (npx hardhat waybill deploy --network <name>) or set WAYBILL_ESCROW, ` +
        `WAYBILL_REGISTRY, WAYBILL_PASSPORTS and WAYBILL_START_BLOCK`,
    );
  }
  const addresses = JSON.parse(readFileSync(addressesFile, "utf8")) as Record<string, string>;
  // Each deployment transaction's receipt: the block the contract appeared in.
  const blocks = new Map<string, number>();
  const journal = path.join(folder, "journal.jsonl");
  if (existsSync(journal)) {
    for (const line of readFileSync(journal, "utf8").split("\n")) {
      if (!line.includes('"TRANSACTION_CONFIRM"')) continue;
      const message = JSON.parse(line) as {
        futureId: string;
        receipt: { blockNumber: number; contractAddress?: string };
      };
      if (message.receipt.contractAddress !== undefined)
        blocks.set(message.futureId, message.receipt.blockNumber);
    }
  }
  const find = (contract: string): IndexedContract => {
    const entry = Object.entries(addresses).find(([future]) => future.endsWith(`#${contract}`));
    if (entry === undefined || !isAddress(entry[1]))
      throw new Error(`Deployment "${deploymentId}" has no ${contract}; redeploy the suite`);
    // Without a journal entry, index from genesis: slower, never wrong.
    return { address: entry[1], startBlock: blocks.get(entry[0]) ?? 0 };
  };
  return {
    escrow: find(CONTRACT_NAMES.escrow),
    registry: find(CONTRACT_NAMES.registry),
    passports: find(CONTRACT_NAMES.passports),
  };
}

/** Explicit addresses from the environment, all three with one start block. */
function fromEnvironment(): Pick<IndexerTarget, "escrow" | "registry" | "passports"> | undefined {
  const escrow = env("WAYBILL_ESCROW");
  const registry = env("WAYBILL_REGISTRY");
  const passports = env("WAYBILL_PASSPORTS");
  if (escrow === undefined && registry === undefined && passports === undefined) return undefined;
  const startBlock = Number(env("WAYBILL_START_BLOCK") ?? "0");
  const check = (name: string, value: string | undefined): IndexedContract => {
    if (value === undefined || !isAddress(value))
      throw new Error(`${name} must be a contract address (0x followed by 40 hex digits)`);
    return { address: value, startBlock };
  };
  return {
    escrow: check("WAYBILL_ESCROW", escrow),
    registry: check("WAYBILL_REGISTRY", registry),
    passports: check("WAYBILL_PASSPORTS", passports),
  };
}

/** The SDK's table of published deployments, if it lists this chain. */
function fromSdkTable(
  chainId: number,
): Pick<IndexerTarget, "escrow" | "registry" | "passports"> | undefined {
  const file = path.join(projectRoot, "sdk", "deployments.json");
  if (!existsSync(file)) return undefined;
  type Entry = { address: string; deployedOnBlock: number };
  const table = JSON.parse(readFileSync(file, "utf8")) as Record<
    string,
    Record<string, Entry> | undefined
  >;
  const chain = table[String(chainId)];
  if (chain === undefined) return undefined;
  const pick = (contract: string): IndexedContract => {
    const entry = chain[contract];
    if (entry === undefined || !isAddress(entry.address))
      throw new Error(`sdk/deployments.json lists chain ${chainId} without ${contract}`);
    return { address: entry.address, startBlock: entry.deployedOnBlock };
  };
  return {
    escrow: pick(CONTRACT_NAMES.escrow),
    registry: pick(CONTRACT_NAMES.registry),
    passports: pick(CONTRACT_NAMES.passports),
  };
}

export function resolveTarget(): IndexerTarget {
  const chainId = Number(env("WAYBILL_CHAIN_ID") ?? "31337");
  const deploymentId = env("WAYBILL_DEPLOYMENT_ID") ?? `chain-${chainId}`;
  const recorded = existsSync(path.join(projectRoot, "ignition", "deployments", deploymentId));
  const contracts =
    fromEnvironment() ??
    (recorded ? undefined : fromSdkTable(chainId)) ??
    fromIgnitionRecord(deploymentId, chainId);
  const databaseUrl = env("DATABASE_URL");
  let database: IndexerTarget["database"];
  if (databaseUrl !== undefined) {
    database = { kind: "postgres", connectionString: databaseUrl };
  } else {
    const directory = path.resolve(
      env("WAYBILL_PGLITE_DIR") ?? path.join(indexerRoot, ".ponder", `pglite-${chainId}`),
    );
    // PGlite does not create missing parent folders.
    mkdirSync(directory, { recursive: true });
    database = { kind: "pglite", directory };
  }
  return {
    chainId,
    rpcUrl: env("WAYBILL_RPC_URL") ?? "http://127.0.0.1:8545",
    pollingInterval: Number(env("WAYBILL_POLLING_MS") ?? "1000"),
    ...contracts,
    database,
  };
}
