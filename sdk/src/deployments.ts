/**
 * Where Waybill is deployed, by chain id: one table written from Ignition's records by
 * `npm run sdk:deployments` after a testnet deploy and checked in (`sdk/deployments.json`), so
 * the command line, the web app, the indexer and third-party clients (a wallet, `cast`, viem)
 * use the same addresses and nobody copies them by hand. Empty until the first testnet deploy.
 */
import table from "../deployments.json" with { type: "json" };

/** Where one contract lives and the block it was deployed in (an indexer's start block). */
export interface DeployedContract {
  address: string;
  deployedOnBlock: number;
}

export type WaybillContractName = "WaybillEscrow" | "ShipmentRegistry" | "ProductPassport";

/** One chain's deployment. */
export type ChainDeployment = Readonly<Record<WaybillContractName, DeployedContract>>;

/** chain id (decimal string) → contract → address and deployment block. */
export const DEPLOYMENTS: Readonly<Record<string, ChainDeployment>> = table as Readonly<
  Record<string, ChainDeployment>
>;

/** The deployment on `chainId`, or `undefined` when the table has none. */
export function deploymentOn(
  chainId: bigint | number,
  deployments: Readonly<Record<string, ChainDeployment>> = DEPLOYMENTS,
): ChainDeployment | undefined {
  return deployments[chainId.toString()];
}
