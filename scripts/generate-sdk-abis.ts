/**
 * Writes the ABIs the SDK ships (`sdk/abi/<Contract>.json`) from the Hardhat build artifacts,
 * so a wallet, `cast`, viem or the web app read the same interface the contracts compile to.
 * Run after changing a contract: `npm run sdk:abis` (it builds first). `test/sdk/abi.ts` fails when they drift.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Contract name → its source file under contracts/. */
const SDK_ABI_SOURCES: Readonly<Record<string, string>> = {
  WaybillEscrow: "WaybillEscrow.sol",
  ShipmentRegistry: "ShipmentRegistry.sol",
  ProductPassport: "ProductPassport.sol",
  // The stablecoin surface the commands use (ERC-20, ERC-2612 permit, ERC-3009, ERC-5267 and
  // the local faucet's mint): the test token mirrors Circle's FiatToken for those calls.
  MockStablecoin: "test/MockStablecoin.sol",
};

/** The ABI in a build artifact, formatted as the SDK stores it. */
async function abiFromArtifact(contract: string): Promise<string> {
  const file = path.join(
    root,
    "artifacts",
    "contracts",
    SDK_ABI_SOURCES[contract],
    `${contract}.json`,
  );
  const artifact = JSON.parse(await readFile(file, "utf8")) as { abi: unknown };
  return `${JSON.stringify(artifact.abi, null, 2)}\n`;
}

function sdkAbiPath(contract: string): string {
  return path.join(root, "sdk", "abi", `${contract}.json`);
}

for (const contract of Object.keys(SDK_ABI_SOURCES)) {
  await writeFile(sdkAbiPath(contract), await abiFromArtifact(contract));
  console.log(`wrote sdk/abi/${contract}.json`);
}
