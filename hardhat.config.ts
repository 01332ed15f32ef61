import { createRequire } from "node:module";

import hardhatToolboxMochaEthersPlugin from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { defineConfig } from "hardhat/config";

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

export default defineConfig({
  plugins: [hardhatToolboxMochaEthersPlugin],
  solidity: {
    profiles: {
      default: { version: solcVersion, path: solcPath, settings: compilerSettings },
      production: { version: solcVersion, path: solcPath, settings: compilerSettings },
    },
  },
  test: {
    solidity: {
      // A fixed seed keeps CI reproducible; FUZZ_SEED explores new inputs locally.
      fuzz: { runs: 512, seed: process.env.FUZZ_SEED ?? "0x5761796269" },
      invariant: { runs: 64, depth: 32, failOnRevert: false },
    },
  },
  typechain: {
    outDir: "typechain-types",
  },
  coverage: {
    skipFiles: ["contracts/test/**"],
  },
});
