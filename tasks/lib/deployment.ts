/**
 * Reads Hardhat Ignition's own record of a deployment made from this working directory
 * (`ignition/deployments/<id>/deployed_addresses.json`). Only the commands of whoever deployed
 * (admin, merchant on a local node, the faucet) need it; buyers and carriers find the
 * contracts from the offer line or the SDK's deployments table.
 */
import { readFile, rm } from "node:fs/promises";
import path from "node:path";

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

/** The deployment id given with `--deployment-id` or WAYBILL_DEPLOYMENT_ID, if any. */
export function explicitDeploymentId(explicit?: string): string | undefined {
  if (explicit !== undefined && explicit !== "") return explicit;
  const fromEnv = process.env.WAYBILL_DEPLOYMENT_ID;
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : undefined;
}

/** The deployment a command uses: `--deployment-id`, else WAYBILL_DEPLOYMENT_ID, else Ignition's default. */
export function deploymentIdFor(chainId: bigint, explicit?: string): string {
  return explicitDeploymentId(explicit) ?? `chain-${chainId}`;
}

export function deploymentFolder(root: string, deploymentId: string): string {
  return path.join(root, "ignition", "deployments", deploymentId);
}

/** The recorded deployment, or `undefined` when this directory has no such record. */
export async function findDeployment(
  root: string,
  deploymentId: string,
): Promise<WaybillDeployment | undefined> {
  const file = path.join(deploymentFolder(root, deploymentId), "deployed_addresses.json");
  let addresses: Record<string, string>;
  try {
    addresses = JSON.parse(await readFile(file, "utf8")) as Record<string, string>;
  } catch {
    return undefined;
  }
  const find = (contract: string): string | undefined =>
    Object.entries(addresses).find(([future]) => future.endsWith(`#${contract}`))?.[1];
  const [registry, escrow, passports] = [
    find(FUTURES.registry),
    find(FUTURES.escrow),
    find(FUTURES.passports),
  ];
  if (registry === undefined || escrow === undefined || passports === undefined) return undefined;
  const localStablecoins: Record<string, string> = {};
  for (const [future, address] of Object.entries(addresses)) {
    const match = /^LocalStablecoins#(\w+)$/.exec(future);
    if (match !== null) localStablecoins[match[1]] = address;
  }
  return { deploymentId, registry, escrow, passports, localStablecoins };
}

/** Deletes a deployment record (a stale one whose contracts vanished with a restarted node). */
export async function removeDeploymentRecord(root: string, deploymentId: string): Promise<void> {
  await rm(deploymentFolder(root, deploymentId), { recursive: true, force: true });
}
