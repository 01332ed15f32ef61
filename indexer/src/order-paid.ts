/**
 * Unpacks the packed words of the escrow's slim `OrderPaid` event (layout at the event in
 * `IWaybillEscrowTypes`) into the offer's fields, without ethers: the same bit layout as the
 * SDK's `orderPaidWords` / `decodeOrdersPaid`, which the indexer test compares it against.
 */
import { getAddress } from "viem";

import { ZERO_ADDRESS, type Hex } from "./names.js";

const MASK_16 = (1n << 16n) - 1n;
const MASK_32 = (1n << 32n) - 1n;
const MASK_40 = (1n << 40n) - 1n;
const MASK_96 = (1n << 96n) - 1n;
const OPEN_TO_ANY_BUYER = 1n << 72n;

/** The address in bits 96-255 of `word`, checksummed like the event's own address arguments. */
function addressAt(word: bigint): Hex {
  return getAddress(`0x${(word >> 96n).toString(16).padStart(40, "0")}`);
}

/** The offer terms `OrderPaid` carries in its packed words, plus the fee charged. */
export interface PaidTerms {
  payee: Hex;
  price: bigint;
  token: Hex;
  shipWithin: number;
  deliverWithin: number;
  inspectionPeriod: number;
  /** The offer's buyer field: zero when the offer was open to any buyer, else the payer. */
  reservedFor: Hex;
  maxFeeBps: number;
  expiry: bigint;
  feeBps: number;
}

/** The terms packed in `OrderPaid`'s `payeeAndPrice`, `tokenAndPeriods` and `feeTerms` words. */
export function unpackOrderPaid(
  buyer: Hex,
  payeeAndPrice: bigint,
  tokenAndPeriods: bigint,
  feeTerms: bigint,
): PaidTerms {
  return {
    payee: addressAt(payeeAndPrice),
    price: payeeAndPrice & MASK_96,
    token: addressAt(tokenAndPeriods),
    shipWithin: Number((tokenAndPeriods >> 64n) & MASK_32),
    deliverWithin: Number((tokenAndPeriods >> 32n) & MASK_32),
    inspectionPeriod: Number(tokenAndPeriods & MASK_32),
    reservedFor: (feeTerms & OPEN_TO_ANY_BUYER) !== 0n ? ZERO_ADDRESS : buyer,
    maxFeeBps: Number((feeTerms >> 56n) & MASK_16),
    expiry: (feeTerms >> 16n) & MASK_40,
    feeBps: Number(feeTerms & MASK_16),
  };
}
