import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type { ContractTransactionResponse } from "ethers";

/** What a benchmark suite gets: a fresh in-process chain and a way to record a figure. */
export interface BenchContext {
  ethers: HardhatEthers;
  networkHelpers: NetworkHelpers;
  /** Records the gas used by a mined transaction under `scenario`, and returns it. */
  measure(scenario: string, tx: Promise<ContractTransactionResponse>): Promise<bigint>;
  /** Records a derived figure (a per-item average, say) under `scenario`. */
  record(scenario: string, gasUsed: bigint): void;
}

/**
 * A benchmark suite: a file `scripts/bench/<area>.bench.ts` whose default export sets up
 * the contracts it needs and measures named user-facing scenarios. `npm run bench:gas`
 * finds every such file, so an area adds its scenarios without touching the runner.
 */
export interface BenchSuite {
  /** Scenario name → gas ceiling promised in the issue that introduced it. */
  ceilings: Record<string, number>;
  run(ctx: BenchContext): Promise<void>;
}
