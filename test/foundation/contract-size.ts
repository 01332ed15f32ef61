import { readFile } from "node:fs/promises";

import { expect } from "chai";
import hre from "hardhat";

/** EIP-170: the most bytes of code a contract account may hold. */
const EIP170_LIMIT = 24_576;
/** EIP-3860: the most bytes of init code a creation transaction may carry. */
const EIP3860_LIMIT = 2 * EIP170_LIMIT;

/**
 * The deployed contracts, plus the two the passport and the one the escrow deploy from their
 * constructors (their init code is part of the deployer's, which therefore must stay under
 * EIP-3860 as well).
 */
const CONTRACTS = [
  "WaybillEscrow",
  "WaybillEscrowExtension",
  "ShipmentRegistry",
  "ProductPassport",
  "PassportReader",
  "PassportLots",
] as const;

function byteLength(hex: string): number {
  return (hex.length - 2) / 2;
}

/**
 * Under `npm run coverage` the artifacts hold instrumented code, several kilobytes larger than
 * what is deployed, so their sizes say nothing. Those runs check the `size.*` figures of the
 * committed gas snapshot instead, which `npm run bench:check` (CI) keeps equal to the real build.
 */
const instrumented = hre.globalOptions.coverage === true;

describe("Contract sizes", function () {
  if (instrumented) {
    it("keeps the deployed contracts of the committed snapshot within EIP-170", async function () {
      const snapshot = JSON.parse(await readFile("benchmarks/gas.json", "utf8")) as Record<
        string,
        number
      >;
      for (const name of ["WaybillEscrow", "ShipmentRegistry", "ProductPassport"]) {
        expect(snapshot[`size.${name}`], `size.${name}`)
          .to.be.greaterThan(0)
          .and.at.most(EIP170_LIMIT);
      }
    });
    return;
  }
  for (const name of CONTRACTS) {
    it(`keeps ${name}'s deployed bytecode within EIP-170's 24,576 bytes and its init code within EIP-3860`, async function () {
      const artifact = await hre.artifacts.readArtifact(name);
      const deployed = byteLength(artifact.deployedBytecode);
      const init = byteLength(artifact.bytecode);
      expect(deployed, `${name} deployed bytes`).to.be.greaterThan(0).and.at.most(EIP170_LIMIT);
      expect(init, `${name} init code bytes`).to.be.at.most(EIP3860_LIMIT);
    });
  }
});
