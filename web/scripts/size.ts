/**
 * `npm run web:size`: builds the app and prints the gzip size of the JavaScript the checkout
 * page loads (every script the built index.html pulls in), against the 150 KB budget. Chunks
 * loaded later (the merchant console, only on /merchant) are listed apart and not counted.
 */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { buildApp } from "./app-server.js";

const BUDGET_KB = 150;

const outDir = await mkdtemp(path.join(os.tmpdir(), "waybill-web-size-"));
try {
  console.log("Building the web app to measure it…");
  await buildApp(outDir);
  const assets = path.join(outDir, "assets");
  const html = await readFile(path.join(outDir, "index.html"), "utf8");
  const loaded = new Set(
    [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((match) => match[1]),
  );
  let raw = 0;
  let gzip = 0;
  const later: string[] = [];
  for (const file of (await readdir(assets)).filter((f) => f.endsWith(".js"))) {
    const bytes = await readFile(path.join(assets, file));
    const zipped = gzipSync(bytes, { level: 9 }).length;
    const line = `  ${file.padEnd(32)} ${(bytes.length / 1024).toFixed(1).padStart(7)} KB  ${(zipped / 1024).toFixed(1).padStart(6)} KB gzip`;
    if (!loaded.has(file)) {
      later.push(line);
      continue;
    }
    raw += bytes.length;
    gzip += zipped;
    console.log(line);
  }
  if (later.length > 0) {
    console.log("Loaded only where needed (not counted):");
    for (const line of later) console.log(line);
  }
  const verdict = gzip / 1024 <= BUDGET_KB ? "within" : "OVER";
  console.log(
    `Checkout JavaScript: ${(raw / 1024).toFixed(1)} KB, ${(gzip / 1024).toFixed(1)} KB gzip (${verdict} the ${BUDGET_KB} KB budget)`,
  );
  if (verdict === "OVER") process.exitCode = 1;
} finally {
  await rm(outDir, { recursive: true, force: true });
}
