/**
 * How a buyer pays: the choice between an ERC-3009 authorization, an ERC-2612 permit and
 * approve + pay, as plain functions the command line and the web app share.
 */
import { ZeroHash } from "ethers";

import { WaybillError } from "./errors.js";
import type { Stablecoin } from "./contracts.js";

/** `authorization` and `permit` take one transaction; `approve` takes two unless an allowance is in place. */
export const PAYMENT_METHODS = ["authorization", "permit", "approve"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** What the token supports and what the buyer has already approved. */
export interface TokenPaymentFeatures {
  /** ERC-3009 `receiveWithAuthorization` (Circle's USDC and EURC). */
  authorization: boolean;
  /** ERC-2612 `permit`. */
  permit: boolean;
  /** The buyer's current allowance to the escrow. */
  allowance: bigint;
}

/**
 * Picks how to pay `price`: an allowance already in place needs nothing else (approve, with no
 * approval to send); otherwise an ERC-3009 authorization, then a permit, then approve + pay.
 * `requested` ("auto" or a method) overrides the choice; a method the token lacks is refused.
 */
export function choosePaymentMethod(
  features: TokenPaymentFeatures,
  price: bigint,
  requested: string = "auto",
): PaymentMethod {
  if (requested !== "auto") {
    const method = PAYMENT_METHODS.find((m) => m === requested);
    if (method === undefined) {
      throw new WaybillError(
        "REFUSED",
        `the payment method must be auto, ${PAYMENT_METHODS.join(", ")}, not "${requested}"`,
      );
    }
    if (method !== "approve" && !features[method]) {
      throw new WaybillError("REFUSED", `this token does not support paying by ${method}`);
    }
    return method;
  }
  if (features.allowance >= price) return "approve";
  if (features.authorization) return "authorization";
  if (features.permit) return "permit";
  return "approve";
}

async function answers(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch {
    return false;
  }
}

/** Reads what `token` supports for `buyer` paying into `escrow` (three read-only calls). */
export async function readPaymentFeatures(
  token: Stablecoin,
  buyer: string,
  escrow: string,
): Promise<TokenPaymentFeatures> {
  const [authorization, permit, allowance] = await Promise.all([
    answers(() => token.authorizationState(buyer, ZeroHash)),
    answers(() => token.nonces(buyer)),
    token.allowance(buyer, escrow),
  ]);
  return { authorization, permit, allowance };
}
