/**
 * Builds the SDK's deployments table (`sdk/deployments.json`: chain id → contract →
 * {address, deployedOnBlock}) from Hardhat Ignition's records of the testnet deployments in
 * `ignition/deployments/chain-<id>/`. Local chains are left out: their contracts vanish with
 * the node.
 */
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

const CONTRACTS = ["WaybillEscrow", "ShipmentRegistry", "ProductPassport"] as const;
const LOCAL_CHAINS = new Set(["31337", "1337"]);

export type DeploymentsTable = Record<
  string,
  Record<(typeof CONTRACTS)[number], { address: string; deployedOnBlock: number }>
>;

/** The block each contract was created in, read from Ignition's journal of confirmed transactions. */
async function creationBlocks(folder: string): Promise<Map<string, number>> {
  const blocks = new Map<string, number>();
  let journal: string;
  try {
    journal = await readFile(path.join(folder, "journal.jsonl"), "utf8");
  } catch {
    return blocks;
  }
  for (const line of journal.split("\n")) {
    if (line.trim() === "") continue;
    const entry = JSON.parse(line) as {
      receipt?: { contractAddress?: string; blockNumber?: number };
    };
    const { contractAddress, blockNumber } = entry.receipt ?? {};
    if (typeof contractAddress === "string" && typeof blockNumber === "number") {
      blocks.set(contractAddress.toLowerCase(), blockNumber);
    }
  }
  return blocks;
}

/** Every testnet deployment recorded under `root/ignition/deployments/chain-<id>`. */
export async function deploymentsFromIgnition(root: string): Promise<DeploymentsTable> {
  const base = path.join(root, "ignition", "deployments");
  let folders: string[];
  try {
    folders = await readdir(base);
  } catch {
    return {};
  }
  const table: DeploymentsTable = {};
  for (const folder of folders.sort()) {
    const chainId = /^chain-(\d+)$/.exec(folder)?.[1];
    if (chainId === undefined || LOCAL_CHAINS.has(chainId)) continue;
    const addresses = JSON.parse(
      await readFile(path.join(base, folder, "deployed_addresses.json"), "utf8"),
    ) as Record<string, string>;
    const blocks = await creationBlocks(path.join(base, folder));
    const entry = {} as DeploymentsTable[string];
    for (const contract of CONTRACTS) {
      const address = Object.entries(addresses).find(([future]) =>
        future.endsWith(`#${contract}`),
      )?.[1];
      if (address === undefined) throw new Error(`${folder} has no ${contract}`);
      const deployedOnBlock = blocks.get(address.toLowerCase());
      if (deployedOnBlock === undefined)
        throw new Error(`${folder}'s journal has no creation block for ${contract}`);
      entry[contract] = { address, deployedOnBlock };
    }
    table[chainId] = entry;
  }
  return table;
}
