/**
 * Finds the Waybill contracts on the connected chain from Hardhat Ignition's own record
 * (`ignition/deployments/<id>/deployed_addresses.json`), so nobody copies addresses by hand.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import { UserError } from "./errors.js";

export interface WaybillDeployment {
  deploymentId: string;
  registry: string;
  escrow: string;
  passports: string;
  /** Stablecoins deployed with the suite (local networks only), by symbol. */
  localStablecoins: Record<string, string>;
}

/** Ignition's future ids of the contracts, as written by ignition/modules. */
const FUTURES = {
  registry: "ShipmentRegistry",
  escrow: "WaybillEscrow",
  passports: "ProductPassport",
} as const;

/** The deployment a command uses: `--deployment-id`, else WAYBILL_DEPLOYMENT_ID, else Ignition's default. */
export function deploymentIdFor(chainId: bigint, explicit?: string): string {
  if (explicit !== undefined && explicit !== "") return explicit;
  const fromEnv = process.env.WAYBILL_DEPLOYMENT_ID;
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : `chain-${chainId}`;
}

export async function readDeployment(
  root: string,
  chainId: bigint,
  networkName: string,
  explicitId?: string,
): Promise<WaybillDeployment> {
  const deploymentId = deploymentIdFor(chainId, explicitId);
  const file = path.join(root, "ignition", "deployments", deploymentId, "deployed_addresses.json");
  let addresses: Record<string, string>;
  try {
    addresses = JSON.parse(await readFile(file, "utf8")) as Record<string, string>;
  } catch {
    if (chainId === 31337n && networkName !== "localhost") {
      throw new UserError(
        "Hardhat's in-process network forgets everything between commands: start a node (`npx hardhat node`) " +
          "and run commands with --network localhost, or run `npm run demo` to see the whole flow",
      );
    }
    throw new UserError(
      `no Waybill deployment "${deploymentId}" for chain ${chainId} (network ${networkName}); deploy first: ` +
        `npx hardhat waybill deploy --network ${networkName}`,
    );
  }
  const find = (contract: string): string => {
    const entry = Object.entries(addresses).find(([future]) => future.endsWith(`#${contract}`));
    if (entry === undefined)
      throw new UserError(`deployment "${deploymentId}" has no ${contract}; redeploy the suite`);
    return entry[1];
  };
  const localStablecoins: Record<string, string> = {};
  for (const [future, address] of Object.entries(addresses)) {
    const match = /^LocalStablecoins#(\w+)$/.exec(future);
    if (match !== null) localStablecoins[match[1]] = address;
  }
  return {
    deploymentId,
    registry: find(FUTURES.registry),
    escrow: find(FUTURES.escrow),
    passports: find(FUTURES.passports),
    localStablecoins,
  };
}
