/**
 * The networks the app knows: the SDK's deployments table (addresses) joined with its chain
 * facts (name, public RPC, explorer), plus the local chain the shop script and the tests build
 * in. `?rpc=` in the address overrides the RPC URL of the page's chain (a local node, your own
 * provider) and is carried along to the links the app makes.
 */
import { DEPLOYMENTS } from "@waybill/sdk";

// The SDK's index does not export its chain facts yet (a file this branch added).
import { chainInfo } from "../../sdk/src/chains.js";
import type { NetworkEntry } from "./network-config.js";

declare const __WAYBILL_LOCAL_NETWORK__: NetworkEntry | null;

function known(): NetworkEntry[] {
  const list: NetworkEntry[] = [];
  if (__WAYBILL_LOCAL_NETWORK__ !== null) list.push(__WAYBILL_LOCAL_NETWORK__);
  for (const [chainId, deployment] of Object.entries(DEPLOYMENTS)) {
    const info = chainInfo(Number(chainId));
    if (info === undefined || list.some((n) => n.chainId === info.chainId)) continue;
    list.push({
      chainId: info.chainId,
      name: info.name,
      rpcUrl: info.rpcUrl,
      explorer: info.explorer,
      indexerUrl: "",
      nativeCurrency: info.nativeCurrency,
      escrow: deployment.WaybillEscrow.address,
      registry: deployment.ShipmentRegistry.address,
      passports: deployment.ProductPassport.address,
      fromBlock: Math.min(
        deployment.WaybillEscrow.deployedOnBlock,
        deployment.ShipmentRegistry.deployedOnBlock,
      ),
    });
  }
  return list;
}

export const NETWORKS: readonly NetworkEntry[] = known();

/** The `?rpc=` override, if any. */
export function rpcOverride(): string | undefined {
  const value = new URLSearchParams(location.search).get("rpc");
  return value === null || value === "" ? undefined : value;
}

/** The `?indexer=` override: a URL, "none" to read the chain directly, or undefined. */
function indexerOverride(): string | undefined {
  const value = new URLSearchParams(location.search).get("indexer");
  return value === null || value === "" ? undefined : value === "none" ? "" : value;
}

export function networkFor(chainId: number): NetworkEntry | undefined {
  const entry = NETWORKS.find((n) => n.chainId === chainId);
  if (entry === undefined) return undefined;
  const rpc = rpcOverride();
  const indexer = indexerOverride();
  return {
    ...entry,
    ...(rpc === undefined ? {} : { rpcUrl: rpc }),
    ...(indexer === undefined ? {} : { indexerUrl: indexer }),
  };
}

/** The chain the passport page reads when the link does not say: `?chain=`, else the first known. */
export function defaultNetwork(): NetworkEntry | undefined {
  const asked = Number(new URLSearchParams(location.search).get("chain"));
  return networkFor(asked > 0 ? asked : (NETWORKS[0]?.chainId ?? 0));
}

/** `path` with this page's `?rpc=` and `?indexer=` kept, so a local session stays on its node. */
export function appLink(path: string): string {
  const kept = new URLSearchParams();
  const current = new URLSearchParams(location.search);
  for (const name of ["rpc", "indexer"]) {
    const value = current.get(name);
    if (value !== null && value !== "") kept.set(name, value);
  }
  const query = kept.toString();
  return query === "" ? path : `${path}?${query}`;
}

/** A transaction's page on the network's explorer, or undefined where there is none. */
export function txLink(network: NetworkEntry, hash: string): string | undefined {
  return network.explorer === "" ? undefined : `${network.explorer.replace(/\/$/, "")}/tx/${hash}`;
}
