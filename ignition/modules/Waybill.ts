import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { deployWaybill } from "./core.js";

/**
 * Waybill on a public testnet, accepting the stablecoins listed in the network's parameter
 * file (Circle's USDC and, where it exists, EURC):
 *
 *   npx hardhat ignition deploy ignition/modules/Waybill.ts --network sepolia \
 *     --parameters ignition/parameters/sepolia.json5 --verify
 */
export default buildModule("Waybill", (m) => deployWaybill(m, m.getParameter("stablecoins")));
