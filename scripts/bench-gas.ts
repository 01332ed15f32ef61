/**
 * Gas benchmark: deploys each area's contracts on a fresh in-process chain, runs the named
 * user-facing scenarios of every `scripts/bench/*.bench.ts`, prints a table and writes
 * `benchmarks/gas.json` ({ "<scenario>": gasUsed }).
 *
 * With BENCH_CHECK=1 it writes nothing and instead fails when a scenario exceeds its
 * ceiling or differs from the committed snapshot (so a review always sees gas changes).
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { network } from "hardhat";

import type { BenchContext, BenchSuite } from "./bench/types.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const suitesDir = path.join(root, "scripts", "bench");
const snapshotPath = path.join(root, "benchmarks", "gas.json");
const checkOnly = process.env.BENCH_CHECK === "1";
/**
 * Signed deadlines and event times come from the chain's clock, which follows the wall clock,
 * so their calldata bytes (and thus gas) vary by a few dozen units between runs. A real change
 * to the code moves a figure by far more.
 */
const SNAPSHOT_TOLERANCE = 100;

async function runSuite(
  file: string,
): Promise<{ figures: Map<string, bigint>; suite: BenchSuite }> {
  const { default: suite } = (await import(pathToFileURL(path.join(suitesDir, file)).href)) as {
    default: BenchSuite;
  };
  const { ethers, networkHelpers } = await network.create();
  const figures = new Map<string, bigint>();
  const record = (scenario: string, gasUsed: bigint): void => {
    if (figures.has(scenario)) throw new Error(`${file} records "${scenario}" twice`);
    figures.set(scenario, gasUsed);
  };
  const ctx: BenchContext = {
    ethers,
    networkHelpers,
    record,
    async measure(scenario, tx) {
      const receipt = await (await tx).wait();
      if (receipt === null) throw new Error(`${scenario}: transaction was not mined`);
      record(scenario, receipt.gasUsed);
      return receipt.gasUsed;
    },
  };
  await suite.run(ctx);
  for (const scenario of Object.keys(suite.ceilings)) {
    if (!figures.has(scenario))
      throw new Error(`${file} has a ceiling for "${scenario}" but never measures it`);
  }
  return { figures, suite };
}

async function main(): Promise<void> {
  const files = (await readdir(suitesDir)).filter((f) => f.endsWith(".bench.ts")).sort();
  const results: Record<string, number> = {};
  const ceilings: Record<string, number> = {};
  for (const file of files) {
    console.log(`Running ${file} ...`);
    const { figures, suite } = await runSuite(file);
    for (const [scenario, gas] of figures) {
      if (scenario in results) throw new Error(`"${scenario}" is measured by two suites`);
      results[scenario] = Number(gas);
    }
    Object.assign(ceilings, suite.ceilings);
  }

  const names = Object.keys(results).sort();
  const width = Math.max(...names.map((n) => n.length), "scenario".length);
  console.log(
    `\n${"scenario".padEnd(width)}  ${"gas used".padStart(10)}  ${"ceiling".padStart(10)}`,
  );
  console.log(`${"-".repeat(width)}  ${"-".repeat(10)}  ${"-".repeat(10)}`);
  for (const name of names) {
    const ceiling = ceilings[name] === undefined ? "" : ceilings[name].toLocaleString("en-US");
    console.log(
      `${name.padEnd(width)}  ${results[name].toLocaleString("en-US").padStart(10)}  ${ceiling.padStart(10)}`,
    );
  }

  const problems: string[] = [];
  for (const [name, ceiling] of Object.entries(ceilings)) {
    if (results[name] > ceiling)
      problems.push(`${name}: ${results[name]} exceeds its ceiling of ${ceiling}`);
  }

  const sorted = Object.fromEntries(names.map((n) => [n, results[n]]));
  const json = `${JSON.stringify(sorted, null, 2)}\n`;
  if (checkOnly) {
    const committed = JSON.parse(await readFile(snapshotPath, "utf8").catch(() => "{}")) as Record<
      string,
      number
    >;
    const stale = [...new Set([...names, ...Object.keys(committed)])].filter(
      (name) =>
        results[name] === undefined ||
        committed[name] === undefined ||
        Math.abs(results[name] - committed[name]) > SNAPSHOT_TOLERANCE,
    );
    for (const name of stale) {
      problems.push(
        `${name}: ${results[name] ?? "gone"} vs ${committed[name] ?? "missing"} in benchmarks/gas.json; run \`npm run bench:gas\` and commit the result`,
      );
    }
  } else {
    await writeFile(snapshotPath, json);
    console.log(`\nWrote ${path.relative(root, snapshotPath)} (${names.length} scenarios).`);
  }

  if (problems.length > 0) {
    for (const p of problems) console.error(`✗ ${p}`);
    process.exitCode = 1;
  } else if (checkOnly) {
    console.log(
      `\n✓ every scenario is within its ceiling and within ${SNAPSHOT_TOLERANCE} gas of benchmarks/gas.json`,
    );
  }
}

await main();
