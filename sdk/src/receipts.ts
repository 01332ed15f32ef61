/**
 * Waiting for a sent transaction, the same way on every surface.
 */
import type { Provider, TransactionReceipt } from "ethers";

import { WaybillError } from "./errors.js";
import { formatDuration } from "./format.js";

export interface ReceiptWaitOptions {
  /** How often to ask for the receipt; default one second. */
  intervalMs?: number;
  /** How long to wait before giving up; default ten minutes. */
  timeoutMs?: number;
}

/**
 * Resolves with `hash`'s receipt once it is mined, asking the node for the receipt itself every
 * `intervalMs`. ethers' `waitForTransaction` counts confirmations from "block" events instead,
 * starting from a block number its provider may have cached a moment before the transaction was
 * mined; on a chain that then mines no further block (a local node between transactions) it waits
 * for ever. Throws TRANSACTION_FAILED when the transaction reverted, TRANSACTION_PENDING when it is
 * not mined within `timeoutMs` (it may still be: the error says so).
 */
export async function waitForReceipt(
  provider: Pick<Provider, "getTransactionReceipt">,
  hash: string,
  options: ReceiptWaitOptions = {},
): Promise<TransactionReceipt> {
  const intervalMs = options.intervalMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const receipt = await provider.getTransactionReceipt(hash);
    if (receipt !== null) {
      if (receipt.status !== 1) {
        throw new WaybillError(
          "TRANSACTION_FAILED",
          `transaction ${hash} was mined in block ${receipt.blockNumber} but reverted, so nothing changed`,
        );
      }
      return receipt;
    }
    if (Date.now() >= giveUpAt) {
      throw new WaybillError(
        "TRANSACTION_PENDING",
        `transaction ${hash} was not mined within ${formatDuration(Math.round(timeoutMs / 1000))}; it may still be, so check it before sending it again`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
