/**
 * Settling an order between its parties (escrow v2): the EIP-712 `Settlement` a party signs so
 * the other can end the order in one transaction, its digest (the same as the escrow's
 * `settlementDigest` view), and the settlement line that carries a signed proposal from one
 * party to the other, as the offer line carries an offer from merchant to buyer.
 */
import {
  type BigNumberish,
  type Signer,
  TypedDataEncoder,
  decodeBase64,
  encodeBase64,
  getAddress,
  isHexString,
  toUtf8Bytes,
  toUtf8String,
  verifyTypedData,
} from "ethers";

import { WaybillError } from "./errors.js";
import { type EscrowLike, escrowDomain } from "./offers.js";

/** The terms a party signs: what the buyer gets of the held amount, until `deadline`. */
export interface Settlement {
  orderId: string;
  /** Base units to the buyer; the seller side gets the rest of the held amount, less the fee. */
  buyerAmount: bigint;
  /** Unix seconds after which the signature no longer settles (a uint40). */
  deadline: bigint;
}

/** `Settlement(bytes32 orderId,uint256 buyerAmount,uint40 deadline)`, the escrow's typehash. */
export const SETTLEMENT_TYPES = {
  Settlement: [
    { name: "orderId", type: "bytes32" },
    { name: "buyerAmount", type: "uint256" },
    { name: "deadline", type: "uint40" },
  ],
};

/** The EIP-712 digest of `settlement` on `escrow`: what the escrow's `settlementDigest` returns. */
export async function settlementDigest(
  escrow: EscrowLike,
  chainId: BigNumberish,
  settlement: Settlement,
): Promise<string> {
  return TypedDataEncoder.hash(await escrowDomain(escrow, chainId), SETTLEMENT_TYPES, settlement);
}

/**
 * A party's signature of `settlement` (for an ERC-1271 wallet: its owner key's signature). The
 * other party submits it with `settleWithSignature`; the signer can revoke it on-chain with
 * `cancelSettlementSignature` until then.
 */
export async function signSettlement(
  escrow: EscrowLike,
  signer: Signer,
  settlement: Settlement,
): Promise<string> {
  const { chainId } = await signer.provider!.getNetwork();
  return signer.signTypedData(await escrowDomain(escrow, chainId), SETTLEMENT_TYPES, settlement);
}

/** The address whose key signed `settlement` (an EOA's; a contract wallet is checked on-chain). */
export async function recoverSettlementSigner(
  escrow: EscrowLike,
  chainId: BigNumberish,
  settlement: Settlement,
  signature: string,
): Promise<string> {
  return verifyTypedData(
    await escrowDomain(escrow, chainId),
    SETTLEMENT_TYPES,
    settlement,
    signature,
  );
}

/** A signed settlement proposal as it travels from one party to the other. */
export interface SignedSettlement extends Settlement {
  chainId: bigint;
  escrow: string;
  /** Who signed: the buyer or the seller side of the order. */
  signer: string;
  signature: string;
}

export const SETTLEMENT_LINE_PREFIX = "waybill-settlement:v1:";

/** Encodes a signed settlement as one line of text, safe to paste into a chat or a file. */
export function encodeSettlementLine(signed: SignedSettlement): string {
  const body = JSON.stringify({
    chainId: signed.chainId.toString(),
    escrow: getAddress(signed.escrow),
    orderId: signed.orderId,
    buyerAmount: signed.buyerAmount.toString(),
    deadline: signed.deadline.toString(),
    signer: getAddress(signed.signer),
    signature: signed.signature,
  });
  return `${SETTLEMENT_LINE_PREFIX}${encodeBase64(toUtf8Bytes(body))}`;
}

export function isSettlementLine(text: string): boolean {
  return text.trim().startsWith(SETTLEMENT_LINE_PREFIX);
}

function damaged(why: string): WaybillError {
  return new WaybillError("SETTLEMENT_LINE_DAMAGED", `the settlement line is damaged: ${why}`);
}

/** Decodes {@link encodeSettlementLine}'s output; a cut or altered line is refused with a sentence. */
export function decodeSettlementLine(line: string): SignedSettlement {
  const text = line.trim();
  if (!isSettlementLine(text))
    throw damaged(`it does not start with ${SETTLEMENT_LINE_PREFIX} (is it the whole line?)`);
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(
      toUtf8String(decodeBase64(text.slice(SETTLEMENT_LINE_PREFIX.length))),
    ) as Record<string, unknown>;
  } catch {
    throw damaged("it is not valid base64 JSON (was it cut short?)");
  }
  const bigField = (name: string): bigint => {
    const value = fields[name];
    if (typeof value !== "string" || !/^\d+$/.test(value)) throw damaged(`${name} is missing`);
    return BigInt(value);
  };
  const hexField = (name: string, bytes?: number): string => {
    const value = fields[name];
    if (typeof value !== "string" || !isHexString(value, bytes))
      throw damaged(`${name} is missing`);
    return value;
  };
  const addressField = (name: string): string => {
    try {
      return getAddress(hexField(name, 20));
    } catch (error) {
      throw isHexString(fields[name], 20) ? damaged(`${name} has a wrong checksum`) : error;
    }
  };
  return {
    chainId: bigField("chainId"),
    escrow: addressField("escrow"),
    orderId: hexField("orderId", 32),
    buyerAmount: bigField("buyerAmount"),
    deadline: bigField("deadline"),
    signer: addressField("signer"),
    signature: hexField("signature"),
  };
}
