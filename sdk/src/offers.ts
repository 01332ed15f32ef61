/**
 * EIP-712 helpers for WaybillEscrow offers: the typed-data definition a merchant signs, the order id
 * (the offer's EIP-712 digest) and decoding an order from its `OrderPaid` event. Shared by tests,
 * tasks and the demo.
 */
import {
  type BigNumberish,
  type Interface,
  type Log,
  type Signer,
  type TypedDataDomain,
  TypedDataEncoder,
  ZeroAddress,
  getAddress,
  toBeHex,
} from "ethers";

/**
 * What a merchant signs; field order and types match `IWaybillEscrow.Offer`. This interface and
 * {@link OFFER_TYPES} are the only places that list the offer's fields: the offer line's codec
 * derives its own from `OFFER_TYPES`; `decodeOrdersPaid` unpacks the event's packed layout.
 */
export interface Offer {
  merchant: string;
  payee: string;
  buyer: string;
  token: string;
  price: bigint;
  detailsHash: string;
  shipWithin: bigint;
  deliverWithin: bigint;
  inspectionPeriod: bigint;
  /** The highest platform fee (basis points) the merchant accepts; payment reverts above it. */
  maxFeeBps: bigint;
  expiry: bigint;
  salt: bigint;
}

/** The EIP-712 fields of an offer, in the order of `OFFER_TYPEHASH`. */
export const OFFER_FIELDS = [
  { name: "merchant", type: "address" },
  { name: "payee", type: "address" },
  { name: "buyer", type: "address" },
  { name: "token", type: "address" },
  { name: "price", type: "uint96" },
  { name: "detailsHash", type: "bytes32" },
  { name: "shipWithin", type: "uint32" },
  { name: "deliverWithin", type: "uint32" },
  { name: "inspectionPeriod", type: "uint32" },
  { name: "maxFeeBps", type: "uint16" },
  { name: "expiry", type: "uint40" },
  { name: "salt", type: "uint256" },
] as const satisfies readonly { name: keyof Offer; type: string }[];

/** The EIP-712 types a merchant signs (primary type `Offer`). */
export const OFFER_TYPES = { Offer: OFFER_FIELDS.map((field) => ({ ...field })) };

/** The escrow surface these helpers need. */
export interface EscrowLike {
  getAddress(): Promise<string>;
  interface: Interface;
}

/** The escrow's EIP-712 domain ("Waybill Escrow", version "1"). */
export async function escrowDomain(
  escrow: EscrowLike,
  chainId: BigNumberish,
): Promise<TypedDataDomain> {
  return {
    name: "Waybill Escrow",
    version: "1",
    chainId,
    verifyingContract: await escrow.getAddress(),
  };
}

async function chainIdOf(signer: Signer): Promise<bigint> {
  return (await signer.provider!.getNetwork()).chainId;
}

/** The merchant's signature of `offer` (for an ERC-1271 wallet: its owner key's signature). */
export async function signOffer(
  escrow: EscrowLike,
  merchant: Signer,
  offer: Offer,
): Promise<string> {
  return merchant.signTypedData(
    await escrowDomain(escrow, await chainIdOf(merchant)),
    OFFER_TYPES,
    offer,
  );
}

/** The order id of `offer` on `escrow` (its EIP-712 digest), computed off-chain. */
export async function orderIdOf(
  escrow: EscrowLike,
  offer: Offer,
  chainId: BigNumberish,
): Promise<string> {
  return TypedDataEncoder.hash(await escrowDomain(escrow, chainId), OFFER_TYPES, offer);
}

/** An order as its `OrderPaid` event describes it. */
export interface PaidOrder {
  orderId: string;
  buyer: string;
  feeBps: bigint;
  offer: Offer;
}

const MASK_32 = (1n << 32n) - 1n;
const MASK_96 = (1n << 96n) - 1n;
const addressOf = (word: bigint): string => getAddress(toBeHex(word >> 96n, 20));

/**
 * The five data words of the escrow's `OrderPaid` event for `offer` paid by `buyer` at `feeBps`
 * (the layout is documented at the event in `IWaybillEscrowTypes`). {@link decodeOrdersPaid} is
 * its inverse.
 */
export function orderPaidWords(
  offer: Offer,
  feeBps: BigNumberish,
): [bigint, bigint, string, bigint, bigint] {
  const open = BigInt(offer.buyer) === 0n ? 1n << 72n : 0n;
  return [
    (BigInt(offer.payee) << 96n) | BigInt(offer.price),
    (BigInt(offer.token) << 96n) |
      (BigInt(offer.shipWithin) << 64n) |
      (BigInt(offer.deliverWithin) << 32n) |
      BigInt(offer.inspectionPeriod),
    offer.detailsHash,
    BigInt(offer.salt),
    open | (BigInt(offer.maxFeeBps) << 56n) | (BigInt(offer.expiry) << 16n) | BigInt(feeBps),
  ];
}

/**
 * Decodes every `OrderPaid` event among `logs` (e.g. a receipt's logs), unpacking the offer from
 * the event's topics and packed words. Pass `escrowAddress` to ignore look-alike events emitted
 * by other contracts.
 */
export function decodeOrdersPaid(
  escrow: EscrowLike,
  logs: readonly Log[],
  escrowAddress?: string,
): PaidOrder[] {
  const orders: PaidOrder[] = [];
  for (const log of logs) {
    if (escrowAddress !== undefined && log.address.toLowerCase() !== escrowAddress.toLowerCase())
      continue;
    const parsed = escrow.interface.parseLog({ topics: [...log.topics], data: log.data });
    if (parsed === null || parsed.name !== "OrderPaid") continue;
    const buyer = parsed.args.buyer as string;
    const payeeAndPrice = parsed.args.payeeAndPrice as bigint;
    const tokenAndPeriods = parsed.args.tokenAndPeriods as bigint;
    const feeTerms = parsed.args.feeTerms as bigint;
    orders.push({
      orderId: parsed.args.orderId as string,
      buyer,
      feeBps: feeTerms & 0xffffn,
      offer: {
        merchant: parsed.args.merchant as string,
        payee: addressOf(payeeAndPrice),
        buyer: (feeTerms >> 72n) & 1n ? ZeroAddress : buyer,
        token: addressOf(tokenAndPeriods),
        price: payeeAndPrice & MASK_96,
        detailsHash: parsed.args.detailsHash as string,
        shipWithin: (tokenAndPeriods >> 64n) & MASK_32,
        deliverWithin: (tokenAndPeriods >> 32n) & MASK_32,
        inspectionPeriod: tokenAndPeriods & MASK_32,
        maxFeeBps: (feeTerms >> 56n) & 0xffffn,
        expiry: (feeTerms >> 16n) & ((1n << 40n) - 1n),
        salt: parsed.args.salt as bigint,
      },
    });
  }
  return orders;
}
