/**
 * One sentence for whatever went wrong, in the page's language: the SDK turns the failure into
 * a WaybillError (a rejection in the wallet, a decoded custom error, an unreachable node); the
 * catalogue words the common ones, and the SDK's own sentence covers the rest.
 */
import { toWaybillError, waybillInterfaces } from "@waybill/sdk";

import { amount } from "./format.js";
import { type MessageKey, has, language, t } from "./i18n.js";

const interfaces = waybillInterfaces();

/**
 * The sentence the page shows for `error`. With the order's `token`, the SDK's sentences word
 * amounts in it ("200.00 USDC") instead of base units.
 */
export function explain(error: unknown, token?: { decimals: number; symbol: string }): string {
  const format =
    token === undefined
      ? {}
      : { amount: (value: bigint) => amount(value, token.decimals, token.symbol) };
  const failure = toWaybillError(error, interfaces, format);
  if (failure.code === "USER_REJECTED") return t("error.rejected");
  if (failure.code === "NETWORK_UNREACHABLE") return t("error.network");
  if (failure.errorName !== undefined) {
    const key = `revert.${failure.errorName}`;
    if (has(key)) return t(key as MessageKey);
  }
  if (language() !== "en" && failure.code === "CONTRACT_REVERTED") {
    return t("error.contract", { name: failure.errorName ?? "" });
  }
  const sentence = failure.shortMessage;
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/** Whether the user pressed "Reject" in the wallet. */
export function isRejection(error: unknown): boolean {
  return toWaybillError(error, interfaces).code === "USER_REJECTED";
}
