import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { deployWaybill } from "./core.js";

/** Test stablecoins for a local chain: USDC-like tokens the deployer can mint. */
export const LocalStablecoinsModule = buildModule("LocalStablecoins", (m) => {
  const owner = m.getAccount(0);
  const usdc = m.contract("MockStablecoin", ["USD Coin", "USDC", owner], { id: "USDC" });
  const eurc = m.contract("MockStablecoin", ["EURC", "EURC", owner], { id: "EURC" });
  return { usdc, eurc };
});

/**
 * Waybill on a local chain (Hardhat's in-process network, `hardhat node` or Anvil), with
 * mock USDC and EURC in place of Circle's.
 */
export default buildModule("WaybillLocal", (m) => {
  const { usdc, eurc } = m.useModule(LocalStablecoinsModule);
  return { ...deployWaybill(m, [usdc, eurc]), usdc, eurc };
});
