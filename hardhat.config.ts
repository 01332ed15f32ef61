import { createRequire } from "node:module";

import hardhatToolboxMochaEthersPlugin from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { config as loadDotenv } from "dotenv";
import { configVariable, defineConfig } from "hardhat/config";

import { waybillTasks } from "./tasks/index.js";

// `.env` (or the file WAYBILL_ENV_FILE names, e.g. `.env.sepolia`) is optional: every variable
// can also come from the environment or, for secrets, from the Hardhat keystore
// (`npx hardhat keystore set WAYBILL_PRIVATE_KEY`).
loadDotenv({ quiet: true, path: process.env.WAYBILL_ENV_FILE || ".env" });

const require = createRequire(import.meta.url);

// No machine we build on can reach binaries.soliditylang.org, so the compiler is the npm
// `solc` package's WebAssembly build. Reading its version from the package keeps
// `version` and `path` from ever drifting apart: bump `solc` in package.json to upgrade.
const solcVersion: string = (require("solc/package.json") as { version: string }).version;
const solcPath = require.resolve("solc/soljson.js");

const compilerSettings = {
  // Cancun (transient storage, MCOPY) is live on every network we deploy to: Ethereum
  // Sepolia, Base Sepolia, OP Sepolia, Arbitrum Sepolia and Polygon Amoy. solc 0.8.30
  // defaults to Prague, whose opcodes not every L2 testnet has shipped in lockstep, and
  // a contract compiled for a newer fork than its chain fails only at run time.
  evmVersion: "cancun",
  // Deployments and benchmarks use the same settings, so the gas figures in
  // benchmarks/gas.json are the ones users pay. Runs favour cheap calls over small code.
  optimizer: { enabled: true, runs: 10_000 },
};

/**
 * A public testnet reached over HTTP. The RPC URL and the signing key are configuration
 * variables: resolved only when a command actually uses the network, from the keystore,
 * the environment or `.env`. A missing one stops the command before anything is sent.
 */
function testnet(rpcVariable: string, chainId: number, chainType: "l1" | "op" | "generic") {
  return {
    type: "http" as const,
    chainType,
    chainId,
    url: configVariable(rpcVariable),
    accounts: [configVariable("WAYBILL_PRIVATE_KEY")],
  };
}

export default defineConfig({
  plugins: [hardhatToolboxMochaEthersPlugin],
  tasks: waybillTasks,
  solidity: {
    profiles: {
      default: { version: solcVersion, path: solcPath, settings: compilerSettings },
      production: { version: solcVersion, path: solcPath, settings: compilerSettings },
    },
  },
  test: {
    solidity: {
      // A fixed seed keeps CI reproducible; FUZZ_SEED explores new inputs locally.
      fuzz: { runs: 512, seed: process.env.FUZZ_SEED || "0x5761796269" },
      invariant: { runs: 64, depth: 32, failOnRevert: false },
    },
  },
  networks: {
    sepolia: testnet("SEPOLIA_RPC_URL", 11155111, "l1"),
    baseSepolia: testnet("BASE_SEPOLIA_RPC_URL", 84532, "op"),
    opSepolia: testnet("OP_SEPOLIA_RPC_URL", 11155420, "op"),
    arbitrumSepolia: testnet("ARBITRUM_SEPOLIA_RPC_URL", 421614, "generic"),
    polygonAmoy: testnet("POLYGON_AMOY_RPC_URL", 80002, "generic"),
    // A node you run yourself (`anvil`, `npx hardhat node`); its funded dev accounts sign.
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.LOCAL_RPC_URL || "http://127.0.0.1:8545",
    },
  },
  verify: {
    // Etherscan API v2: one key serves every chain above.
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
  },
  typechain: {
    outDir: "typechain-types",
  },
  coverage: {
    skipFiles: ["contracts/test/**"],
  },
});
