/**
 * The command line's side of the SDK's error model: a refused precondition is a
 * `WaybillError` with code REFUSED, and anything thrown becomes one line. Hardhat's own
 * configuration errors (a missing RPC URL or key) are recognised here, since only the
 * command line meets them.
 */
import type { Interface } from "ethers";

import { type SentenceFormat, WaybillError, toWaybillError, waybillInterfaces } from "@waybill/sdk";

/** A failure the command phrased for the user: printed as is, without a stack. */
export class UserError extends WaybillError {
  constructor(message: string) {
    super("REFUSED", message);
  }
}

const CONFIG_VARIABLE = /Configuration Variable "([^"]+)"/;

/** The SDK error for `error`, with Hardhat's configuration errors turned into the fix. */
export function commandError(
  error: unknown,
  interfaces: readonly Interface[] = waybillInterfaces(),
  format: SentenceFormat = {},
): WaybillError {
  // Hardhat's own errors (HHE…): matched by name, as the class lives in a transitive package.
  if (error instanceof Error && error.name === "HardhatError") {
    const variable = CONFIG_VARIABLE.exec(error.message)?.[1];
    if (variable !== undefined) {
      return new WaybillError(
        "CONFIGURATION_MISSING",
        `${variable} is not set. Store it with \`npx hardhat keystore set ${variable}\` (keys) or add it to .env (see .env.example).`,
        { cause: error },
      );
    }
    return new WaybillError("UNKNOWN", error.message.split("\n")[0], { cause: error });
  }
  return toWaybillError(error, interfaces, format);
}

/** One line describing `error`. */
export function describeError(
  error: unknown,
  interfaces: readonly Interface[] = waybillInterfaces(),
): string {
  return commandError(error, interfaces).shortMessage;
}
