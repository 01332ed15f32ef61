/**
 * What the merchant console sends to the chain, one function per action, on the SDK's typed
 * handles, and the on-chain state the escrow-v2 actions (partial refund, payout assignment,
 * settlement) depend on. `shipOrder` is the one place that knows how an order is shipped: one `escrow.ship`
 * call creates the registry shipment and links it, after the passports' approval if needed.
 */
import {
  type JsonRpcProvider,
  type JsonRpcSigner,
  type TransactionResponse,
  getAddress,
  id,
} from "ethers";

import {
  type Offer,
  type OrderV2State,
  connectEscrow,
  connectPassports,
  connectRegistry,
  connectStablecoin,
  decodeOrdersPaid,
  orderShipment,
  readOrderState,
  waitForReceipt,
} from "@waybill/sdk";

import type { NetworkEntry } from "./network-config.js";

export interface MerchantSession {
  network: NetworkEntry;
  reader: JsonRpcProvider;
  signer: JsonRpcSigner;
  account: string;
}

/** The offer of a paid order, from its `OrderPaid` event (every escrow call takes it again). */
export async function offerOfOrder(session: MerchantSession, orderId: string): Promise<Offer> {
  const escrow = connectEscrow(session.network.escrow, session.reader);
  const logs = await session.reader.getLogs({
    address: session.network.escrow,
    topics: [escrow.interface.getEvent("OrderPaid")!.topicHash, orderId],
    fromBlock: session.network.fromBlock,
  });
  const [paid] = decodeOrdersPaid(escrow, logs, session.network.escrow);
  if (paid === undefined) throw new Error(`order ${orderId} was never paid on this escrow`);
  return paid.offer;
}

export interface ShipmentPlan {
  carrier: string;
  origin: string;
  destination: string;
  documents: string;
  /** Passport token ids travelling with the goods (any order; sent ascending). */
  passportIds: bigint[];
}

/**
 * Ships the order in one call (`escrow.ship`: the escrow creates the registry shipment in the
 * merchant's name and links it, passports included), after approving the escrow for the
 * passports if they travel and it is not yet approved. A shipment already registered for the
 * order elsewhere (`registry.createShipment`) is linked with `markShipped` instead.
 */
export async function shipOrder(
  session: MerchantSession,
  orderId: string,
  offer: Offer,
  plan: ShipmentPlan,
  onSent: (tx: TransactionResponse) => void = () => undefined,
): Promise<TransactionResponse[]> {
  const registry = connectRegistry(session.network.registry, session.reader);
  const escrow = connectEscrow(session.network.escrow, session.signer);
  const passports = connectPassports(session.network.passports, session.signer);
  const sent: TransactionResponse[] = [];
  const send = async (call: () => Promise<TransactionResponse>) => {
    const tx = await call();
    onSent(tx);
    sent.push(tx);
    await waitForReceipt(session.reader, tx.hash, { intervalMs: session.reader.pollingInterval });
  };
  // Sorted ascending and checked for repeats, as the registry requires.
  const shipment = orderShipment(orderId, {
    carrier: getAddress(plan.carrier),
    origin: plan.origin,
    destination: plan.destination,
    documents: plan.documents === "" ? `documents of ${orderId}` : plan.documents,
    passportIds: [...new Set(plan.passportIds)],
  });
  if (
    shipment.passportIds.length > 0 &&
    !(await passports.isApprovedForAll(session.account, session.network.escrow))
  ) {
    await send(() => passports.setApprovalForAll(session.network.escrow, true));
  }
  const shipmentId = await registry.shipmentIdOf(session.account, orderId);
  if ((await registry.getShipment(shipmentId)).status === 0n) {
    await send(() => escrow.ship(offer, shipment));
  } else {
    await send(() => escrow.markShipped(offer));
  }
  return sent;
}

/** Refunds the buyer of a paid or shipped, undelivered order. */
export async function refundOrder(
  session: MerchantSession,
  offer: Offer,
): Promise<TransactionResponse[]> {
  return [await connectEscrow(session.network.escrow, session.signer).refund(offer)];
}

/** The merchant's evidence for a delivered or disputed order: the text, its hash, and a link. */
export async function submitEvidence(
  session: MerchantSession,
  offer: Offer,
  text: string,
  uri: string,
): Promise<TransactionResponse[]> {
  return [
    await connectEscrow(session.network.escrow, session.signer).submitEvidence(
      offer,
      id(text),
      uri,
      text,
    ),
  ];
}

/** The order's v2 state (the SDK's reading) with its token's symbol and decimals for amounts. */
export interface OrderStateWithToken extends OrderV2State {
  symbol: string;
  decimals: number;
}

export async function orderStateWithToken(
  session: MerchantSession,
  orderId: string,
  offer: Offer,
): Promise<OrderStateWithToken> {
  const escrow = connectEscrow(session.network.escrow, session.reader);
  const token = connectStablecoin(offer.token, session.reader);
  const [state, symbol, decimals] = await Promise.all([
    readOrderState(escrow, offer, orderId),
    token.symbol(),
    token.decimals(),
  ]);
  return { ...state, symbol, decimals: Number(decimals) };
}

/** Gives `amount` back to the buyer now; the order stays open with the rest held. */
export async function partialRefund(
  session: MerchantSession,
  offer: Offer,
  amount: bigint,
): Promise<TransactionResponse[]> {
  return [await connectEscrow(session.network.escrow, session.signer).partialRefund(offer, amount)];
}

/** Assigns the order's payout (the right to every payment to the seller side) to `to`. */
export async function assignPayout(
  session: MerchantSession,
  offer: Offer,
  to: string,
): Promise<TransactionResponse[]> {
  return [await connectEscrow(session.network.escrow, session.signer).assignPayout(offer, to)];
}

/** Proposes that `buyerAmount` of what is held goes to the buyer and the rest to the seller side. */
export async function proposeSettlement(
  session: MerchantSession,
  offer: Offer,
  buyerAmount: bigint,
): Promise<TransactionResponse[]> {
  return [
    await connectEscrow(session.network.escrow, session.signer).proposeSettlement(
      offer,
      buyerAmount,
    ),
  ];
}

/** Accepts the buyer's proposal; the amount must be the proposal's (a replaced one is refused). */
export async function acceptSettlement(
  session: MerchantSession,
  offer: Offer,
  buyerAmount: bigint,
): Promise<TransactionResponse[]> {
  return [
    await connectEscrow(session.network.escrow, session.signer).acceptSettlement(
      offer,
      buyerAmount,
    ),
  ];
}

export async function withdrawSettlement(
  session: MerchantSession,
  offer: Offer,
): Promise<TransactionResponse[]> {
  return [await connectEscrow(session.network.escrow, session.signer).withdrawSettlement(offer)];
}

/** Withdraws the merchant's credited payouts in `token` to its own address. */
export async function withdrawCredit(
  session: MerchantSession,
  token: string,
): Promise<TransactionResponse[]> {
  return [
    await connectEscrow(session.network.escrow, session.signer).withdrawCredit(
      token,
      session.account,
    ),
  ];
}
