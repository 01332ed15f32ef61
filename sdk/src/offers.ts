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
} from "ethers";

/**
 * What a merchant signs; field order and types match `IWaybillEscrow.Offer`. This interface and
 * {@link OFFER_TYPES} are the only places that list the offer's fields: the offer line's codec
 * and `decodeOrdersPaid` derive theirs from `OFFER_TYPES`.
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

/**
 * Decodes every `OrderPaid` event among `logs` (e.g. a receipt's logs). Pass `escrowAddress` to
 * ignore look-alike events emitted by other contracts.
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
    const o = parsed.args.offer as unknown as Record<string, unknown>;
    orders.push({
      orderId: parsed.args.orderId as string,
      buyer: parsed.args.buyer as string,
      feeBps: parsed.args.feeBps as bigint,
      // Copied field by field from the typed-data definition: an ethers Result is not a plain object.
      offer: Object.fromEntries(
        OFFER_FIELDS.map(({ name }) => [name, o[name]]),
      ) as unknown as Offer,
    });
  }
  return orders;
}
