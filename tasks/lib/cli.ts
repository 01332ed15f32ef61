/**
 * What every Waybill command shares: a wrapper that turns any failure into one clear line,
 * and a transaction runner that says what it is about to do, shows progress while the
 * network confirms, and reports the hash and gas used.
 */
import type { ContractTransactionReceipt, ContractTransactionResponse } from "ethers";
import { errorResult, successfulResult } from "hardhat/utils/result";

import { type SentenceFormat, waybillInterfaces } from "@waybill/sdk";
import { commandError, describeError } from "./errors.js";

/** Printed output of a command; tests swap it for a recorder. */
export interface Output {
  line(text: string): void;
  error(text: string): void;
}

export const consoleOutput: Output = {
  line: (text) => console.log(text),
  error: (text) => console.error(text),
};

/**
 * Runs a task body; any failure becomes `✗ <one line>` on stderr and a failed result, so the
 * CLI exits 1 without a stack trace.
 */
export async function runCommand(body: () => Promise<void>, out: Output = consoleOutput) {
  try {
    await body();
    return successfulResult();
  } catch (error) {
    const message = describeError(error);
    out.error(`✗ ${message}`);
    return errorResult(message);
  }
}

export interface SentTransaction {
  hash: string;
  gasUsed: bigint;
  blockNumber: number;
  receipt: ContractTransactionReceipt;
}

export interface SendOptions {
  confirmations?: number;
  /**
   * The order's token, when the command knows it: a revert's amounts are then said in it
   * ("45.00 USDC") instead of base units.
   */
  format?: SentenceFormat;
}

/**
 * Sends one transaction: announces `action`, waits for `confirmations` with a progress line,
 * then prints the hash and gas used.
 */
export async function sendTransaction(
  out: Output,
  action: string,
  send: () => Promise<ContractTransactionResponse>,
  { confirmations = 1, format }: SendOptions = {},
): Promise<SentTransaction> {
  out.line(`→ ${action}`);
  try {
    const tx = await send();
    out.line(
      `  sent ${tx.hash}, waiting for ${confirmations} confirmation${confirmations === 1 ? "" : "s"}…`,
    );
    const receipt = await tx.wait(confirmations);
    if (receipt === null) throw new Error(`transaction ${tx.hash} was dropped`);
    out.line(
      `  ✓ confirmed in block ${receipt.blockNumber}, gas used ${receipt.gasUsed.toLocaleString("en-US")}`,
    );
    return { hash: tx.hash, gasUsed: receipt.gasUsed, blockNumber: receipt.blockNumber, receipt };
  } catch (error) {
    throw format === undefined ? error : commandError(error, waybillInterfaces(), format);
  }
}
