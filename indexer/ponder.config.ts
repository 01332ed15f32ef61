import { createConfig } from "ponder";

import { ProductPassportAbi } from "./abis/ProductPassport";
import { ShipmentRegistryAbi } from "./abis/ShipmentRegistry";
import { WaybillEscrowAbi } from "./abis/WaybillEscrow";
import { resolveTarget } from "./deployment";

// Ponder reads PONDER_TELEMETRY_DISABLED before it loads this file, so the switch lives in the
// scripts that start it (indexer/package.json, scripts/indexer.ts); keeping it here as well
// covers any child process Ponder starts after loading the config.
process.env.PONDER_TELEMETRY_DISABLED = "true";

const target = resolveTarget();

export default createConfig({
  database: target.database,
  chains: {
    waybill: {
      id: target.chainId,
      rpc: target.rpcUrl,
      pollingInterval: target.pollingInterval,
      // A local node restarts from genesis with the same chain id: never trust cached blocks.
      disableCache: target.chainId === 31337,
    },
  },
  contracts: {
    WaybillEscrow: {
      chain: "waybill",
      abi: WaybillEscrowAbi,
      address: target.escrow.address,
      startBlock: target.escrow.startBlock,
    },
    ShipmentRegistry: {
      chain: "waybill",
      abi: ShipmentRegistryAbi,
      address: target.registry.address,
      startBlock: target.registry.startBlock,
    },
    ProductPassport: {
      chain: "waybill",
      abi: ProductPassportAbi,
      address: target.passports.address,
      startBlock: target.passports.startBlock,
    },
  },
});
