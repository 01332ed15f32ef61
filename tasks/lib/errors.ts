/**
 * Turns whatever went wrong into one line a person can act on: custom errors decoded by name
 * with their arguments, Hardhat configuration problems with the command that fixes them, and
 * the usual node complaints (no funds, wrong nonce) in plain words.
 */
import { type ErrorDescription, type Interface, isCallException, isError } from "ethers";

/** A failure the task already phrased for the user: printed as is, without a stack. */
export class UserError extends Error {
  override readonly name = "UserError";
}

function formatValue(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  return String(value);
}

/** `Name(arg=value, …)` for a decoded custom error. */
export function formatCustomError(parsed: ErrorDescription): string {
  const args = parsed.fragment.inputs.map(
    (input, i) => `${input.name === "" ? `arg${i}` : input.name}=${formatValue(parsed.args[i])}`,
  );
  return `${parsed.name}(${args.join(", ")})`;
}

/** Finds revert data anywhere in an ethers / provider error chain. */
function revertDataOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === "object"; depth++) {
    const record = current as Record<string, unknown>;
    if (
      typeof record.data === "string" &&
      record.data.startsWith("0x") &&
      record.data.length >= 10
    ) {
      return record.data;
    }
    current = record.error ?? record.info ?? record.cause;
  }
  return undefined;
}

/** Decodes `data` with the first interface that knows the selector. */
export function decodeRevert(data: string, interfaces: readonly Interface[]): string | undefined {
  for (const iface of interfaces) {
    try {
      const parsed = iface.parseError(data);
      if (parsed !== null) return formatCustomError(parsed);
    } catch {
      // Not this interface's error: try the next one.
    }
  }
  return undefined;
}

const CONFIG_VARIABLE = /Configuration Variable "([^"]+)"/;

/** One line describing `error`, using `interfaces` to name custom errors. */
export function describeError(error: unknown, interfaces: readonly Interface[] = []): string {
  if (error instanceof UserError) return error.message;

  // Hardhat's own errors (HHE…): matched by name, as the class lives in a transitive package.
  if (error instanceof Error && error.name === "HardhatError") {
    const variable = CONFIG_VARIABLE.exec(error.message)?.[1];
    if (variable !== undefined) {
      return `${variable} is not set. Store it with \`npx hardhat keystore set ${variable}\` (keys) or add it to .env (see .env.example).`;
    }
    return error.message.split("\n")[0];
  }

  const data = revertDataOf(error);
  if (data !== undefined) {
    const decoded = decodeRevert(data, interfaces);
    if (decoded !== undefined) return `the contract refused: ${decoded}`;
  }
  if (isCallException(error)) {
    if (error.revert !== null)
      return `the contract refused: ${error.revert.name}(${error.revert.args.join(", ")})`;
    return `the contract refused${error.reason === null ? "" : `: ${error.reason}`}`;
  }
  if (isError(error, "INVALID_ARGUMENT"))
    return `invalid ${error.argument} "${String(error.value)}": ${error.shortMessage}`;
  if (isError(error, "INSUFFICIENT_FUNDS"))
    return "the sending account has too little ETH to pay for gas";
  if (isError(error, "NONCE_EXPIRED"))
    return "nonce already used: another transaction from this account got there first";
  if (isError(error, "NETWORK_ERROR") || isError(error, "SERVER_ERROR")) {
    return `cannot reach the network's RPC endpoint (${error.shortMessage})`;
  }
  if (error instanceof Error) {
    const message = (error as Error & { shortMessage?: string }).shortMessage ?? error.message;
    return message.split("\n")[0];
  }
  return String(error);
}
