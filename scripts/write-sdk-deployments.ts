/**
 * `npm run sdk:deployments`: after a testnet deploy, writes `sdk/deployments.json` from
 * Ignition's records, so every client uses the new addresses. Commit the file.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { deploymentsFromIgnition } from "./sdk-deployments.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const table = await deploymentsFromIgnition(root);
await writeFile(path.join(root, "sdk", "deployments.json"), `${JSON.stringify(table, null, 2)}\n`);
const chains = Object.keys(table);
console.log(
  chains.length === 0
    ? "sdk/deployments.json: no testnet deployment recorded in ignition/deployments/ (the table stays empty)"
    : `sdk/deployments.json: chains ${chains.join(", ")}`,
);
