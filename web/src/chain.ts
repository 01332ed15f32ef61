/**
 * Reading the chain: one JSON-RPC provider per page (batched, no chain-id probing). The
 * contracts themselves come from the SDK (`connectEscrow`, … typed handles on its ABIs).
 */
import { JsonRpcProvider, Network } from "ethers";

import type { NetworkEntry } from "./network-config.js";

export function readProvider(network: NetworkEntry): JsonRpcProvider {
  return new JsonRpcProvider(network.rpcUrl, Network.from(network.chainId), {
    staticNetwork: true,
    batchStallTime: 5,
    // A local node answers at once; a public RPC is polled less eagerly.
    pollingInterval: network.chainId === 31337 ? 250 : 2000,
  });
}

/** The latest block's time, in seconds: deadlines are judged by the chain's clock, not the phone's. */
export async function chainTime(provider: JsonRpcProvider): Promise<bigint> {
  const block = await provider.getBlock("latest");
  return BigInt(block?.timestamp ?? Math.floor(Date.now() / 1000));
}
