/**
 * Paying an offer from the browser wallet: which methods the stablecoin supports, and each
 * method as a list of steps (sign, approve, send) the page shows as they happen.
 */
import type { JsonRpcProvider, JsonRpcSigner, TransactionResponse } from "ethers";

import {
  type Offer,
  PAYMENT_METHODS,
  choosePaymentMethod,
  type PaymentMethod,
  connectEscrow,
  connectStablecoin,
  readPaymentFeatures,
  signPermit,
  signReceiveAuthorization,
  waitForReceipt,
} from "@waybill/sdk";

/**
 * The methods the offer's token supports for `buyer`, cheapest first (approve always works),
 * and the one the SDK picks (an allowance already in place wins, then ERC-3009, then permit).
 */
export async function paymentChoices(
  reader: JsonRpcProvider,
  offer: Offer,
  buyer: string,
  escrow: string,
): Promise<{ methods: PaymentMethod[]; preferred: PaymentMethod }> {
  const features = await readPaymentFeatures(connectStablecoin(offer.token, reader), buyer, escrow);
  return {
    methods: PAYMENT_METHODS.filter((method) => method === "approve" || features[method]),
    preferred: choosePaymentMethod(features, offer.price),
  };
}

export type StepName = "sign" | "approve" | "pay";

/** The steps a method takes, in order. */
export function stepsOf(method: PaymentMethod): StepName[] {
  return method === "approve" ? ["approve", "pay"] : ["sign", "pay"];
}

export interface PaymentRequest {
  method: PaymentMethod;
  offer: Offer;
  signature: string;
  escrow: string;
  orderId: string;
  buyer: string;
  signer: JsonRpcSigner;
  reader: JsonRpcProvider;
  /** Told when a step starts, is skipped (already done), or ends with a transaction. */
  onStep(step: StepName, state: "active" | "done" | "skipped", hash?: string): void;
}

async function mined(reader: JsonRpcProvider, tx: TransactionResponse): Promise<string> {
  await waitForReceipt(reader, tx.hash, { intervalMs: reader.pollingInterval });
  return tx.hash;
}

/** Pays the offer and returns the paying transaction's hash. */
export async function payOffer(request: PaymentRequest): Promise<string> {
  const { method, offer, signature, signer, reader, onStep, buyer } = request;
  const token = connectStablecoin(offer.token, reader);
  const escrow = connectEscrow(request.escrow, signer);
  const latest = await reader.getBlock("latest");
  const validBefore = BigInt(latest!.timestamp) + 3600n;

  if (method === "approve") {
    onStep("approve", "active");
    const allowance = await token.allowance(buyer, request.escrow);
    if (allowance >= offer.price) {
      onStep("approve", "skipped");
    } else {
      const tx = await connectStablecoin(offer.token, signer).approve(request.escrow, offer.price);
      onStep("approve", "done", await mined(reader, tx));
    }
    onStep("pay", "active");
    const tx = await escrow.pay(offer, signature);
    return mined(reader, tx);
  }

  onStep("sign", "active");
  if (method === "permit") {
    const permit = await signPermit(token, signer, request.escrow, offer.price, validBefore);
    onStep("sign", "done");
    onStep("pay", "active");
    const tx = await escrow.payWithPermit(
      offer,
      signature,
      validBefore,
      permit.v,
      permit.r,
      permit.s,
    );
    return mined(reader, tx);
  }
  const authorization = await signReceiveAuthorization(token, signer, {
    to: request.escrow,
    value: offer.price,
    validAfter: 0n,
    validBefore,
    nonce: request.orderId,
  });
  onStep("sign", "done");
  onStep("pay", "active");
  const tx = await escrow.payWithAuthorization(
    offer,
    signature,
    authorization.from,
    authorization.validAfter,
    authorization.validBefore,
    authorization.v,
    authorization.r,
    authorization.s,
  );
  return mined(reader, tx);
}
