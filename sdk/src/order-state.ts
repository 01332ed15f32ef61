/**
 * An order's whole on-chain state (escrow v2) in one read: its status, what the escrow still
 * holds for it after partial refunds, who holds the payout (the payee until it is assigned to a
 * financier, say), who acts for the seller, and the open settlement proposal. The command line,
 * the web app and the demo show and check the same thing from here.
 */
import { ZeroAddress } from "ethers";

import type { WaybillEscrow } from "./contracts.js";
import { ORDER_STATUSES, type OrderStatusName, nameOf } from "./names.js";
import type { Offer } from "./offers.js";

/** The states a partial refund, an assignment or a settlement is possible in. */
export const OPEN_ORDER_STATUSES: readonly OrderStatusName[] = [
  "Paid",
  "Shipped",
  "Delivered",
  "Disputed",
];

/**
 * The open settlement proposal of an order. The escrow's `settlementOf` reports none once the
 * proposer is no longer a party (a seller side that has since assigned the payout away).
 */
export interface SettlementProposal {
  proposer: string;
  /** Base units to the buyer; the seller side gets the rest of the held amount, less the fee. */
  buyerAmount: bigint;
  /** Which side proposed. */
  side: "buyer" | "seller";
}

export interface OrderV2State {
  status: OrderStatusName;
  buyer: string;
  feeBps: bigint;
  stamp: bigint;
  /** Whether the payout was ever assigned away from the offer's payee. */
  assigned: boolean;
  /** Who is paid whenever the seller is paid: the assignee, else the offer's payee. */
  payoutHolder: string;
  /**
   * Who may refund, partially refund and settle for the seller: the merchant while the payout
   * is unassigned, its current holder once assigned.
   */
  sellerSide: string;
  /** Total partial refunds so far, in base units. */
  refunded: bigint;
  /** What the escrow still holds for the order: the price less the partial refunds. */
  held: bigint;
  proposal?: SettlementProposal;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Whether `status` lets the parties refund in part, assign the payout or settle. */
export function isOpenOrder(status: OrderStatusName): boolean {
  return OPEN_ORDER_STATUSES.includes(status);
}

/** Reads `offer`'s order (`orderId` is its id on this escrow) with three view calls. */
export async function readOrderState(
  escrow: WaybillEscrow,
  offer: Offer,
  orderId: string,
): Promise<OrderV2State> {
  const [order, extras, [proposer, buyerAmount]] = await Promise.all([
    escrow.getOrder(orderId),
    escrow.orderExtrasOf(orderId),
    escrow.settlementOf(orderId),
  ]);
  const assigned = extras.payoutHolder !== ZeroAddress;
  const sellerSide = assigned ? extras.payoutHolder : offer.merchant;
  const state: OrderV2State = {
    status: nameOf(ORDER_STATUSES, order.status) as OrderStatusName,
    buyer: order.buyer,
    feeBps: order.feeBps,
    stamp: order.stamp,
    assigned,
    payoutHolder: assigned ? extras.payoutHolder : offer.payee,
    sellerSide,
    refunded: extras.refunded,
    held: offer.price - extras.refunded,
  };
  // By position: the escrow's delegating `settlementOf` leaves its outputs unnamed in the ABI.
  if (proposer !== ZeroAddress) {
    state.proposal = {
      proposer,
      buyerAmount,
      side: same(proposer, order.buyer) ? "buyer" : "seller",
    };
  }
  return state;
}

/** Which side `account` is on in `state`: the buyer, the seller side, or neither. */
export function partyOf(state: OrderV2State, account: string): "buyer" | "seller" | undefined {
  if (same(account, state.buyer)) return "buyer";
  if (same(account, state.sellerSide)) return "seller";
  return undefined;
}

/** What a split of the held amount pays: the buyer's part, the seller side's after the fee, the fee. */
export function splitOf(
  state: Pick<OrderV2State, "held" | "feeBps">,
  buyerAmount: bigint,
): { buyerAmount: bigint; sellerAmount: bigint; fee: bigint } {
  const sellerPart = state.held - buyerAmount;
  const fee = (sellerPart * state.feeBps) / 10_000n;
  return { buyerAmount, sellerAmount: sellerPart - fee, fee };
}
