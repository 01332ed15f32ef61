// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRegistryListener} from "./IRegistryListener.sol";
import {IShipmentRegistry} from "./IShipmentRegistry.sol";
import {IWaybillEscrowTypes} from "./IWaybillEscrowTypes.sol";

/**
 * @title IWaybillEscrow
 * @notice Stablecoin escrow released on delivery. A merchant signs an EIP-712 {Offer} off-chain;
 * a buyer pays it into escrow; the merchant ships it in one call ({ship}), which creates the
 * order's shipment in the {IShipmentRegistry} and links it; once the registry shows the shipment delivered and the buyer's inspection
 * window closes without a dispute, the merchant's payee is paid, minus the platform fee.
 *
 * Lifecycle (`→` is a transition, `[who]` may trigger it):
 *
 *   None ─pay[buyer/relayer]→ Paid ─ship / markShipped[merchant]→ Shipped ─markDelivered[anyone]→ Delivered
 *   (ship creates the registry shipment and links it in one call; markShipped links one created elsewhere)
 *   None ─cancelOffer[merchant]→ Cancelled
 *   Paid, Shipped ─refund[seller side]→ Refunded
 *   Paid ─claimRefund[buyer, after ship-by]→ Refunded
 *   Shipped ─claimRefund[buyer, shipment Lost/Returned or not delivered by deliver-by]→ Refunded
 *   Shipped ─claimRefund[buyer only, shipment delivered after deliver-by]→ Refunded
 *   Delivered ─claimRefund[buyer only, delivered after deliver-by, within inspection window]→ Refunded
 *   Delivered ─claimRefund[buyer, window closed while the delivering carrier is suspended]→ Refunded
 *   (claimRefund is open to anyone once REFUND_GRACE_PERIOD has passed after the deliver-by deadline,
 *   or after the closed window of a suspended carrier's delivery; never for a late delivery)
 *   Paid, Shipped, Delivered ─confirmReceipt[buyer]→ Released
 *   Delivered ─release[anyone, after inspection window, delivering carrier not suspended]→ Released
 *   Delivered ─openDispute[buyer/merchant, within inspection window]→ Disputed
 *   Shipped ─openDispute[buyer/merchant, registry shows Delivered]→ Delivered → Disputed (one call)
 *   Disputed ─resolveDispute[arbiter] / applyDefaultRuling[anyone, after arbitration period]→ Resolved
 *   Paid, Shipped, Delivered, Disputed ─acceptSettlement / settleWithSignature[the parties agree]→ Resolved
 *   (partialRefund[seller side] and assignPayout[payout holder] leave the status and deadlines unchanged)
 *
 * @dev The order id is the EIP-712 digest of its {Offer}. Only one storage slot is kept per order
 * ({Order}); every later call passes the `Offer` again and the escrow recomputes the digest, so the
 * terms cannot be changed after payment. {OrderPaid} carries every offer field (packed) so indexers can
 * rebuild it.
 *
 * Inspection window: it runs for `inspectionPeriod` seconds from the moment the escrow records the
 * delivery on-chain ({markDelivered}, or {openDispute} from Shipped), NOT from the registry's
 * `deliveredAt`. A carrier's event can be relayed days late and a merchant can link its shipment
 * late; counting from `deliveredAt` would let a window end before the buyer could ever dispute.
 *
 * Evidence: the registry's final event moves money (Delivered towards release, Lost / Returned
 * towards a refund) only when it was recorded or signed by a key that is neither the order's
 * merchant, payee nor buyer, held by a carrier that is none of them either and is not suspended
 * now. A Delivered timestamped before the payment never counts for the order. Evidence that does
 * not count is as if there were none: {markDelivered} refuses it, and the deliver-by deadline
 * still opens the buyer's refund, so no money is stuck. The chain cannot see a party's OTHER
 * addresses (a second EOA, a contract wallet it controls): see docs/trust-model.md.
 *
 * Late delivery: the offer promised delivery within `deliverWithin` of payment. A delivery the
 * registry dates after paid-at + `deliverWithin` lets the buyer choose: a full refund
 * ({claimRefund}, while Shipped or within the inspection window), or acceptance ({confirmReceipt},
 * or letting the window pass so anyone may {release}).
 *
 * Passports: when the order's shipment carries passports, {markShipped} takes them into the escrow's
 * custody (the merchant must have approved the escrow), so they cannot be moved, reported stolen or
 * shipped to another buyer while the order is open. They go to the buyer when the seller is paid
 * something (Released, or Resolved with `buyerAmount` below the held amount, the default ruling
 * included, by a ruling or a settlement) and back to the merchant on a refund or when a ruling or
 * settlement gives the buyer everything held.
 *
 * Held amount: what the escrow still holds for an order, its price less the partial refunds so far
 * ({partialRefund}). Refunds, rulings (the default's even split too) and settlements divide the held
 * amount, never more; the fee is charged only on what the seller side finally receives.
 *
 * Payout holder and seller side: the offer's payee holds the right to the order's payout until it
 * assigns it ({assignPayout}, e.g. to a financier who advanced the money), and each holder may
 * assign it on. Every path that pays the seller (release, confirmReceipt, a ruling, the default
 * ruling, a settlement) pays the current holder, pushed or credited as any payout; refunds (full,
 * partial, deadline) always go to the buyer, so a holder bears the risk that the order is refunded.
 * The "seller side" is the merchant while the payout is unassigned and the current holder once it is
 * assigned (the right to the payout includes the right to give it back): only it may refund in full
 * or in part and settle. Operational actions (shipping, evidence, disputes) stay the merchant's.
 *
 * Settlement: the buyer and the seller side may end any open order (Paid, Shipped, Delivered, even
 * after the window, Disputed) by agreeing on the buyer's part: one proposes on-chain and the other
 * accepts ({proposeSettlement}, {acceptSettlement}), or one signs the EIP-712 `Settlement` and the
 * other submits it ({settleWithSignature}). The order ends Resolved with {OrderSettled}; the fee and
 * the passports follow the rule of a ruling. A settlement and a ruling cannot both win: whichever
 * comes second finds the order Resolved ({InvalidOrderStatus}).
 */
interface IWaybillEscrow is IWaybillEscrowTypes, IRegistryListener {
    // ------------------------------------------------------------------- operations

    /**
     * @notice Pays `offer` with tokens the caller approved beforehand; the caller becomes the buyer.
     * Every payment method refuses an offer whose `maxFeeBps` is below the current fee or whose
     * `inspectionPeriod` is below {MIN_INSPECTION_PERIOD}.
     * @param offer The merchant's signed terms.
     * @param signature The merchant's EIP-712 (or ERC-1271) signature of the order id.
     * @return orderId The EIP-712 digest of `offer`.
     */
    function pay(Offer calldata offer, bytes calldata signature) external returns (bytes32 orderId);

    /**
     * @notice Pays `offer` after applying the caller's ERC-2612 permit for `offer.price`. A permit that
     * fails (front-run, already used) is ignored when the allowance is already there.
     * @param offer The merchant's signed terms.
     * @param signature The merchant's signature of the order id.
     * @param deadline The permit's deadline.
     * @param v The permit signature's `v`.
     * @param r The permit signature's `r`.
     * @param s The permit signature's `s`.
     * @return orderId The EIP-712 digest of `offer`.
     */
    function payWithPermit(
        Offer calldata offer,
        bytes calldata signature,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (bytes32 orderId);

    /**
     * @notice Pays `offer` with `buyer`'s ERC-3009 `ReceiveWithAuthorization`; anyone (a relayer, the
     * merchant) may submit it, so the buyer needs no ETH.
     * @dev The authorization's nonce MUST be the order id, and its value the price: the escrow passes
     * exactly those to the token, so an authorization signed for another order (even one with the same
     * price) fails the token's signature check. Without this binding a relayer could spend the buyer's
     * authorization on any offer of the same price.
     * @param offer The merchant's signed terms.
     * @param signature The merchant's signature of the order id.
     * @param buyer The authorization's `from`; becomes the order's buyer.
     * @param validAfter The authorization's `validAfter`.
     * @param validBefore The authorization's `validBefore`.
     * @param v The authorization signature's `v`.
     * @param r The authorization signature's `r`.
     * @param s The authorization signature's `s`.
     * @return orderId The EIP-712 digest of `offer`.
     */
    function payWithAuthorization(
        Offer calldata offer,
        bytes calldata signature,
        address buyer,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (bytes32 orderId);

    /**
     * @notice Kills an unpaid offer for good. Merchant only.
     * @param offer The offer to cancel.
     */
    function cancelOffer(Offer calldata offer) external;

    /**
     * @notice Links a paid order to the merchant's registry shipment `shipmentIdOf(merchant, orderId)`
     * before the ship-by deadline. Merchant only. If the shipment carries passports, the merchant must
     * have approved the escrow for all its passports (`setApprovalForAll`): the escrow takes each unit
     * into custody now (the whole call reverts if one cannot be pulled, e.g. it is already held for
     * another order), hands them to the buyer when the seller is paid and returns them to the merchant
     * on a refund. Refused for a shipment already delivered before the payment, and for one that
     * carries a unit of a recalled lot.
     * @param offer The order's terms.
     */
    function markShipped(Offer calldata offer) external;

    /**
     * @notice Ships a paid order in one call: creates its registry shipment in the merchant's name
     * (id `shipmentIdOf(merchant, orderId)`, as if the merchant had called `createShipment`; carriers
     * record on it as on any shipment) and links it, taking its passports into custody as
     * {markShipped} does. Merchant only, before the ship-by deadline. `shipment.shipperRef` must be
     * the order id ({ShipmentRefNotOrder}); every registry check of `createShipment` applies
     * (active carrier, UN/LOCODEs, ascending passport ids the merchant owns, none stolen).
     * @param offer The order's terms.
     * @param shipment The shipment to register.
     */
    function ship(Offer calldata offer, IShipmentRegistry.NewShipment calldata shipment) external;

    /**
     * @notice Records that the registry shows the order's shipment Delivered. Anyone. The inspection
     * window starts at this call (block time), not at the registry's delivery time, so the buyer always
     * gets the full period on-chain; the seller wants this called promptly, and a late call only
     * lengthens the buyer's window. Refused unless the delivery counts (see Evidence above): recorded
     * after the payment, by a key and carrier that are not parties, and that carrier not suspended.
     * @param offer The order's terms.
     */
    function markDelivered(Offer calldata offer) external;

    /**
     * @notice The buyer confirms receipt (before or after delivery is recorded): the payee is paid now.
     * Confirming never costs the review: {review} accepts an order whose delivery the escrow did not
     * record when the registry shows one that {markDelivered} would have accepted.
     * @param offer The order's terms.
     */
    function confirmReceipt(Offer calldata offer) external;

    /**
     * @notice Pays the payee once the inspection window closed without a dispute. Anyone. Refused
     * while the carrier that recorded the delivery is suspended ({EvidenceCarrierSuspended}).
     * @dev {markDelivered} refused a carrier suspended when it recorded the delivery, so the carrier
     * can be suspended now only if a suspension happened since. The registry reports each one to a
     * linked escrow ({recordCarrierSuspension}); release reads the registry only when this escrow is
     * not linked or a suspension was reported at or after the second the delivery was recorded,
     * and otherwise skips that read (about 6,000 gas). See {registryLink}.
     * @param offer The order's terms.
     */
    function release(Offer calldata offer) external;

    /**
     * @notice The seller side (the merchant, or the payout holder once the payout is assigned) cancels
     * a paid order before delivery and refunds the buyer everything the escrow holds for it.
     * @param offer The order's terms.
     */
    function refund(Offer calldata offer) external;

    /**
     * @notice The seller side gives `amount` back to the buyer now (a missing item, a shipping refund)
     * without ending the order: its status and deadlines stay, and what remains held is released,
     * refunded or split later as usual, the fee charged only on what the seller side finally
     * receives. Open orders only (Paid, Shipped, Delivered, Disputed).
     * @param offer The order's terms.
     * @param amount Above zero and below the held amount ({InvalidPartialRefund}).
     */
    function partialRefund(Offer calldata offer, uint256 amount) external;

    /**
     * @notice The payout holder (the offer's payee until the payout is first assigned) assigns the
     * right to the order's payout to `to`, who becomes the seller side too. A refund still goes to
     * the buyer: the new holder bears that risk. Open orders only.
     * @param offer The order's terms.
     * @param to The new holder: neither zero, the escrow, nor the current holder ({InvalidRecipient}).
     */
    function assignPayout(Offer calldata offer, address to) external;

    /**
     * @notice The buyer or the seller side proposes to end the order with `buyerAmount` to the buyer
     * and the rest, less the fee, to the payout holder; it replaces any earlier proposal. Open
     * orders only. A proposal of a seller side that is no longer the seller side (the payout was
     * assigned since) is void.
     * @param offer The order's terms.
     * @param buyerAmount The buyer's part, at most the held amount ({BuyerAmountTooHigh}).
     */
    function proposeSettlement(Offer calldata offer, uint256 buyerAmount) external;

    /**
     * @notice The proposer withdraws the order's settlement proposal.
     * @param offer The order's terms.
     */
    function withdrawSettlement(Offer calldata offer) external;

    /**
     * @notice The other party (the buyer if the seller side proposed, else the seller side) accepts
     * the proposal and the order ends Resolved ({OrderSettled}). `buyerAmount` must be the proposal's
     * ({SettlementMismatch}), so a proposal replaced in the meantime is never accepted by mistake,
     * and at most the held amount (a partial refund since the proposal lowers it).
     * @param offer The order's terms.
     * @param buyerAmount The buyer's part the caller accepts.
     */
    function acceptSettlement(Offer calldata offer, uint256 buyerAmount) external;

    /**
     * @notice One party submits the other party's EIP-712 signature of
     * `Settlement(bytes32 orderId,uint256 buyerAmount,uint40 deadline)` (domain "Waybill Escrow" "1";
     * an EOA's ECDSA signature or a contract account's ERC-1271 approval) and the order ends Resolved
     * as with {acceptSettlement}. The signer is the buyer when the seller side submits, else the
     * seller side, so a merchant's signature lapses once the payout is assigned. The digest names the
     * order, the chain and this escrow, so it cannot be replayed on another order or escrow.
     * @param offer The order's terms.
     * @param buyerAmount The buyer's part.
     * @param deadline The last second the signature is valid ({SettlementExpired} after).
     * @param signature The other party's signature of {settlementDigest}.
     */
    function settleWithSignature(
        Offer calldata offer,
        uint256 buyerAmount,
        uint40 deadline,
        bytes calldata signature
    ) external;

    /**
     * @notice A party (the buyer or the seller side) revokes its own signature of these settlement
     * terms before the other submits it ({SettlementSignatureCancelled} then). Open orders only.
     * @param offer The order's terms.
     * @param buyerAmount The signed buyer's part.
     * @param deadline The signed deadline.
     */
    function cancelSettlementSignature(Offer calldata offer, uint256 buyerAmount, uint40 deadline) external;

    /**
     * @notice The buyer takes a full refund because the order was not shipped by the ship-by deadline,
     * the shipment was lost or returned, or it was not delivered by the deliver-by deadline. A delivery
     * recorded after the deliver-by deadline keeps this right: the buyer may refund in full while the
     * order is Shipped or within the inspection window, or accept the delivery. If the window closes
     * while the delivering carrier is suspended (so nobody can release), the buyer may refund too.
     * Once the refund grace period after the deadline that made it due has passed, anyone may trigger
     * it (the money still goes to the buyer); a late delivery's refund is the buyer's alone.
     * @param offer The order's terms.
     */
    function claimRefund(Offer calldata offer) external;

    /**
     * @notice The buyer or the merchant disputes a delivered order within the inspection window. On a
     * Shipped order whose shipment the registry shows Delivered, it records the delivery first (the
     * window then starts now), so no separate {markDelivered} call is needed.
     * @param offer The order's terms.
     */
    function openDispute(Offer calldata offer) external;

    /**
     * @notice The buyer or the merchant submits evidence while the order is Delivered or Disputed.
     * @param offer The order's terms.
     * @param evidenceHash Hash of the evidence document.
     * @param evidenceURI Where to find it (may be empty).
     * @param text A statement in UTF-8 kept in the event, at most `MAX_TEXT_BYTES` (1,000) bytes
     * ({TextTooLong}); may be empty.
     */
    function submitEvidence(
        Offer calldata offer,
        bytes32 evidenceHash,
        string calldata evidenceURI,
        string calldata text
    ) external;

    /**
     * @notice Rules on a dispute: `buyerAmount` to the buyer, the rest of the held amount to the
     * payout holder less the fee. ARBITER_ROLE only.
     * @param offer The order's terms.
     * @param buyerAmount The buyer's part, at most the held amount.
     */
    function resolveDispute(Offer calldata offer, uint256 buyerAmount) external;

    /**
     * @notice Applies the default ruling (an even split of the held amount) to a dispute no arbiter
     * ruled on within the arbitration period. Anyone.
     * @param offer The order's terms.
     */
    function applyDefaultRuling(Offer calldata offer) external;

    /**
     * @notice The buyer of a Released or Resolved order whose delivery was recorded rates its merchant
     * once; a buyer that is the order's merchant or payee cannot. When the escrow did not record the
     * delivery (the buyer confirmed first), the registry is read now: the review is allowed if it
     * shows a delivery {markDelivered} would accept (independent key and carrier, carrier not
     * suspended, dated at or after the payment), else {ReviewNotAllowed}.
     * @param offer The order's terms.
     * @param rating 1 to 5.
     * @param text The review in UTF-8, kept readable in {Reviewed} for good; at most `MAX_TEXT_BYTES`
     * (1,000) bytes ({TextTooLong}); may be empty.
     */
    function review(Offer calldata offer, uint8 rating, string calldata text) external;

    /**
     * @notice Hands over again the passports of a final order (Released, Resolved, Refunded) that
     * the passport contract refused to move at completion (e.g. a unit flagged stolen while in
     * custody, since cleared). Anyone. Each unit whose hand-over this order recorded as refused
     * ({PassportHandOverFailed} / {PassportReturnFailed}, not followed by a successful retry) goes
     * where the outcome sent it: to the buyer when the seller was paid anything, else to the
     * merchant ({PassportHandedOver} / {PassportReturned}, or the matching Failed event again, and
     * the unit stays pending). Reverts with {InvalidOrderStatus} before the order is final and
     * {NoPassportsInCustody} when no hand-over of the order is pending.
     * @param offer The order's terms.
     */
    function retryPassportHandOver(Offer calldata offer) external;

    /**
     * @notice Withdraws the caller's credited payouts of `token` to `to`.
     * @param token The token.
     * @param to Any address the caller names (e.g. a new, unfrozen one), except zero and the escrow.
     */
    function withdrawCredit(address token, address to) external;

    /**
     * @notice Sends `account`'s credited payouts of `token` to `account` itself. Anyone: a passive
     * contract (a splitter, a vault) whose payout was credited during a freeze cannot call
     * {withdrawCredit}, and pushing to the owner cannot harm it.
     * @param token The token.
     * @param account The credited account, which receives the whole credit.
     */
    function pushCredit(address token, address account) external;

    /**
     * @notice Sends the accrued fees of `token` to the treasury. Anyone.
     * @param token The token.
     */
    function withdrawFees(address token) external;

    /**
     * @notice Sets the platform fee for orders paid from now on. FEE_MANAGER_ROLE only.
     * @param newFeeBps The fee in basis points, at most {MAX_FEE_BPS}.
     */
    function setFeeBps(uint16 newFeeBps) external;

    /**
     * @notice Sets where withdrawn fees go. DEFAULT_ADMIN_ROLE only.
     * @param newTreasury The new treasury: neither zero nor the escrow.
     */
    function setTreasury(address newTreasury) external;

    /**
     * @notice Allows or disallows `token` for new orders. TOKEN_MANAGER_ROLE only. A token allowed
     * for the first time takes one of the `MAX_LISTED_TOKENS` (8) places for good, since every
     * carrier-suspension notice updates each listed token: disallowing keeps its place (its open
     * orders still release), and a token allowed beyond them reverts with {TooManyTokens}. Listing
     * an address without code reverts with {TokenHasNoCode}, so a typo cannot take a place.
     * @param token The token.
     * @param allowed Whether new orders may use it.
     */
    function setTokenAllowed(address token, bool allowed) external;

    /**
     * @notice Allows or disallows several tokens at once (a deployment's stablecoins), as
     * {setTokenAllowed} does each. TOKEN_MANAGER_ROLE only.
     * @param tokens The tokens.
     * @param allowed Whether new orders may use them.
     */
    function setTokensAllowed(address[] calldata tokens, bool allowed) external;

    /**
     * @notice Flags allowed tokens plain: they move exact amounts (no fee on transfer, no rebasing),
     * so payments skip measuring what arrived. TOKEN_MANAGER_ROLE only; {TokenNotAllowed} for a token
     * not allow-listed (the whole call reverts). Allowing a token again ({setTokenAllowed}) makes it measured again. A token
     * wrongly flagged plain that delivers less would leave its orders under-funded: flag only tokens
     * whose transfer is known exact (Circle's USDC and EURC), and unflag on any upgrade that adds fees.
     * @param tokens The tokens.
     * @param plain Whether payments trust their transfer.
     */
    function setTokensPlain(address[] calldata tokens, bool plain) external;

    /// @notice Stops new payments; existing orders are unaffected. PAUSER_ROLE only.
    function pause() external;

    /// @notice Allows new payments again. PAUSER_ROLE only.
    function unpause() external;

    // ------------------------------------------------------------------------ views

    /// @notice The shortest `inspectionPeriod` an offer may set (one day).
    // solhint-disable-next-line func-name-mixedcase
    function MIN_INSPECTION_PERIOD() external view returns (uint32);

    /**
     * @notice The order id of `offer`: its EIP-712 digest.
     * @param offer The offer.
     * @return The digest the merchant signs.
     */
    function orderIdOf(Offer calldata offer) external view returns (bytes32);

    /**
     * @notice The stored state of order `orderId`.
     * @param orderId The order id.
     * @return The order slot.
     */
    function getOrder(bytes32 orderId) external view returns (Order memory);

    /**
     * @notice Credited payouts `account` can withdraw.
     * @param token The token.
     * @param account The account.
     * @return The amount.
     */
    function credits(address token, address account) external view returns (uint256);

    /**
     * @notice Fees of `token` accrued and not yet withdrawn.
     * @param token The token.
     * @return The amount.
     */
    function accruedFees(address token) external view returns (uint256);

    /**
     * @notice Whether `token` may be used by new orders.
     * @param token The token.
     * @return Whether it is allow-listed.
     */
    function isTokenAllowed(address token) external view returns (bool);

    /**
     * @notice Whether `token` is flagged plain (payments do not measure what arrived).
     * @param token The token.
     * @return Whether it is flagged plain.
     */
    function isTokenPlain(address token) external view returns (bool);

    /**
     * @notice The merchant's reviews.
     * @param merchant The merchant.
     * @return count How many reviews.
     * @return sum The sum of their ratings (average = sum / count).
     */
    function ratingOf(address merchant) external view returns (uint256 count, uint256 sum);

    /**
     * @notice The order's second slot: who holds its payout and how much was partially refunded.
     * @param orderId The order id.
     * @return payoutHolder The holder the payout was assigned to, zero while unassigned (the
     * offer's payee holds it).
     * @return refunded The sum of the order's partial refunds (held = price - refunded).
     */
    function orderExtrasOf(bytes32 orderId) external view returns (address payoutHolder, uint256 refunded);

    /**
     * @notice The order's settlement proposal in force: zeros when there is none, the order is no
     * longer open, or the proposer was a seller side that lost the payout since (a void proposal).
     * @param orderId The order id.
     * @return proposer Who proposed.
     * @return buyerAmount The proposed buyer's part.
     */
    function settlementOf(bytes32 orderId) external view returns (address proposer, uint256 buyerAmount);

    /**
     * @notice The EIP-712 digest a party signs for {settleWithSignature}.
     * @param orderId The order id.
     * @param buyerAmount The buyer's part.
     * @param deadline The last second the signature is valid.
     * @return The digest of `Settlement(orderId, buyerAmount, deadline)` in this escrow's domain.
     */
    function settlementDigest(
        bytes32 orderId,
        uint256 buyerAmount,
        uint40 deadline
    ) external view returns (bytes32);

    /**
     * @notice The fee for new orders, the treasury and whether payments are paused.
     * @return feeBps The fee in basis points.
     * @return treasury Where fees go.
     * @return paused Whether new payments are stopped.
     */
    function config() external view returns (uint16 feeBps, address treasury, bool paused);

    /**
     * @notice Whether the registry linked this escrow ({RegistryLinked}) and when it last reported a
     * carrier suspension (the link itself counts as one: suspensions before it were not reported).
     * While unlinked, every {release} reads the carrier's standing from the registry.
     * @return linked Whether the registry reports carrier suspensions here.
     * @return lastCarrierSuspensionAt The block time of the latest reported suspension or of the link, zero before.
     */
    function registryLink() external view returns (bool linked, uint256 lastCarrierSuspensionAt);
}
