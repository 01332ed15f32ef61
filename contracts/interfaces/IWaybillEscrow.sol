// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IShipmentRegistry} from "./IShipmentRegistry.sol";

/**
 * @title IWaybillEscrow
 * @notice Stablecoin escrow released on delivery. A merchant signs an EIP-712 {Offer} off-chain;
 * a buyer pays it into escrow; the merchant links the order to its shipment in the
 * {IShipmentRegistry}; once the registry shows the shipment delivered and the buyer's inspection
 * window closes without a dispute, the merchant's payee is paid, minus the platform fee.
 *
 * Lifecycle (`→` is a transition, `[who]` may trigger it):
 *
 *   None ─pay[buyer/relayer]→ Paid ─markShipped[merchant]→ Shipped ─markDelivered[anyone]→ Delivered
 *   None ─cancelOffer[merchant]→ Cancelled
 *   Paid, Shipped ─refund[merchant]→ Refunded
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
 *
 * @dev The order id is the EIP-712 digest of its {Offer}. Only one storage slot is kept per order
 * ({Order}); every later call passes the `Offer` again and the escrow recomputes the digest, so the
 * terms cannot be changed after payment. {OrderPaid} carries the whole offer so indexers can
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
 * something (Released, or Resolved with `buyerAmount < price`, the default ruling included) and back
 * to the merchant on a refund or a full-refund ruling.
 */
interface IWaybillEscrow {
    // ------------------------------------------------------------------------- types

    /// @notice Where an order is in its lifecycle. Released, Refunded, Resolved and Cancelled are final.
    enum Status {
        None, // offer never paid nor cancelled
        Paid, // funds held, waiting for the merchant to ship
        Shipped, // linked to its registry shipment, waiting for delivery
        Delivered, // registry shows delivery: the buyer's inspection window runs
        Disputed, // a party disputed within the window: waiting for an arbiter
        Released, // the payee was paid (final)
        Refunded, // the buyer was refunded in full (final)
        Resolved, // an arbiter's ruling, or the default ruling, split the funds (final)
        Cancelled // the merchant cancelled the offer before anyone paid it (final)
    }

    /// @notice Why a buyer got their money back, for tracking pages.
    enum RefundReason {
        MerchantCancelled, // the merchant refunded before delivery
        NotShippedInTime, // no shipment linked by the ship-by deadline
        ShipmentFailed, // the registry shows the shipment Lost or Returned
        NotDeliveredInTime // no delivery recorded by the deliver-by deadline
    }

    /// @notice What a merchant signs (EIP-712 type `Offer`, domain "Waybill Escrow" version "1").
    struct Offer {
        /// @dev The signer (EOA or ERC-1271 wallet) and the party who ships, refunds and disputes.
        address merchant;
        /// @dev Where the seller's share is paid.
        address payee;
        /// @dev The only account allowed to pay, or zero to let anyone pay.
        address buyer;
        /// @dev The stablecoin; must be allow-listed when the offer is paid.
        address token;
        /// @dev Amount in the token's smallest unit. uint96 keeps `price * MAX_FEE_BPS` far from overflow.
        uint96 price;
        /// @dev Hash of the off-chain order details (items, shipping address); nothing personal on-chain.
        bytes32 detailsHash;
        /// @dev Seconds after payment by which the merchant must link a shipment.
        uint32 shipWithin;
        /// @dev Seconds after payment by which the registry must show the shipment delivered.
        uint32 deliverWithin;
        /// @dev Seconds after delivery during which the buyer may inspect and dispute, at least
        /// {MIN_INSPECTION_PERIOD}.
        uint32 inspectionPeriod;
        /// @dev The highest platform fee the merchant accepts, in basis points: payment reverts
        /// while the fee manager has set a higher fee.
        uint16 maxFeeBps;
        /// @dev Unix time after which the offer can no longer be paid.
        uint40 expiry;
        /// @dev Makes otherwise identical offers distinct.
        uint256 salt;
    }

    /**
     * @notice The one storage slot kept per order: buyer (20 bytes) | feeBps (2) | status (1) |
     * stamp (5) | flags (1) = 29 bytes.
     * @dev `stamp` is the time the current phase started: payment time while Paid or Shipped,
     * the time the escrow recorded the delivery while Delivered (the inspection window's start),
     * the dispute time while Disputed; final states keep the last value.
     * `flags` bits: 1 = the escrow holds the shipment's passports, 2 = reviewed, 4 = delivery
     * recorded (required by {review}), 8 = that delivery was late (after paid-at + `deliverWithin`).
     */
    // 29 bytes already fit one slot; the rule's heuristic misreads it.
    // solhint-disable-next-line gas-struct-packing
    struct Order {
        address buyer;
        uint16 feeBps;
        Status status;
        uint40 stamp;
        uint8 flags;
    }

    // ------------------------------------------------------------------------ events

    /// @notice A merchant cancelled an offer nobody had paid.
    event OfferCancelled(bytes32 indexed orderId, address indexed merchant);

    /// @notice An offer was paid into escrow; `offer` lets indexers rebuild the order terms.
    event OrderPaid(
        bytes32 indexed orderId,
        address indexed merchant,
        address indexed buyer,
        Offer offer,
        uint16 feeBps
    );

    /// @notice The merchant linked the order to the registry shipment `shipmentId`.
    event OrderShipped(bytes32 indexed orderId, bytes32 indexed shipmentId, bool hasPassports);

    /**
     * @notice The escrow recorded the delivery now; disputes are possible until `inspectionEndsAt`
     * (now + the inspection period). `deliveredAt` is the registry's delivery time, for information
     * only: the window does not start there.
     */
    event OrderDelivered(bytes32 indexed orderId, uint40 deliveredAt, uint40 inspectionEndsAt);

    /// @notice The payee received `sellerAmount` (pushed or credited) and `fee` accrued to the platform.
    event OrderReleased(bytes32 indexed orderId, address indexed payee, uint256 sellerAmount, uint256 fee);

    /// @notice The buyer got the full price back.
    event OrderRefunded(bytes32 indexed orderId, address indexed buyer, uint256 amount, RefundReason reason);

    /// @notice ERC-1497-style: `party` disputed the order; without a ruling by `rulingDeadline` the default applies.
    event Dispute(bytes32 indexed orderId, address indexed party, uint40 rulingDeadline);

    /// @notice ERC-1497-style: `party` submitted evidence for the order (a hash and where to find it).
    event Evidence(bytes32 indexed orderId, address indexed party, bytes32 evidenceHash, string evidenceURI);

    /// @notice A dispute ended. `arbiter` is zero when the default ruling was applied.
    event DisputeResolved(
        bytes32 indexed orderId,
        address indexed arbiter,
        uint256 buyerAmount,
        uint256 sellerAmount,
        uint256 fee
    );

    /// @notice A payout could not be pushed (e.g. a frozen address) and was credited to `account` instead.
    event PayoutCredited(address indexed token, address indexed account, uint256 amount);

    /// @notice `caller` pushed `account`'s credited payouts to `account` itself.
    event CreditPushed(
        address indexed token,
        address indexed account,
        address indexed caller,
        uint256 amount
    );

    /// @notice `account` withdrew its credited payouts to `to`.
    event CreditWithdrawn(address indexed token, address indexed account, address indexed to, uint256 amount);

    /// @notice Accrued fees were sent to the treasury.
    event FeesWithdrawn(address indexed token, address indexed treasury, uint256 amount);

    /// @notice A passport travelled with a completed order and now belongs to the buyer.
    event PassportHandedOver(bytes32 indexed orderId, uint256 indexed tokenId, address indexed buyer);

    /// @notice A passport could not be moved to the buyer and stays in the escrow; the payout went ahead regardless.
    event PassportHandOverFailed(bytes32 indexed orderId, uint256 indexed tokenId);

    /// @notice A passport held for a refunded order (or a full-refund ruling) went back to the merchant.
    event PassportReturned(bytes32 indexed orderId, uint256 indexed tokenId, address indexed merchant);

    /// @notice A passport could not be returned to the merchant and stays in the escrow; the refund went ahead regardless.
    event PassportReturnFailed(bytes32 indexed orderId, uint256 indexed tokenId);

    /// @notice The buyer reviewed the merchant of a completed order.
    event Reviewed(bytes32 indexed orderId, address indexed merchant, uint8 rating, bytes32 reviewHash);

    /// @notice The platform fee for new orders changed.
    event FeeUpdated(uint16 oldFeeBps, uint16 newFeeBps);

    /// @notice The account that receives withdrawn fees changed.
    event TreasuryUpdated(address oldTreasury, address newTreasury);

    /// @notice A token was added to or removed from the allow-list for new orders.
    event TokenAllowlistUpdated(address indexed token, bool allowed);

    /// @notice New payments were stopped by `account`.
    event Paused(address account);

    /// @notice New payments were allowed again by `account`.
    event Unpaused(address account);

    // ------------------------------------------------------------------------ errors

    /// @dev The order is in `current`, where this operation is not allowed.
    error InvalidOrderStatus(bytes32 orderId, Status current);
    /// @dev New payments are paused.
    error PaymentsPaused();
    /// @dev `token` is not on the allow-list.
    error TokenNotAllowed(address token);
    /// @dev The offer expired at `expiry`.
    error OfferExpired(bytes32 orderId, uint40 expiry);
    /// @dev The offer's terms are unusable (zero price, zero or escrow payee, or periods out of range).
    error InvalidOfferTerms(bytes32 orderId);
    /// @dev `signature` is not `merchant`'s signature of the order id.
    error InvalidOfferSignature(bytes32 orderId, address merchant);
    /// @dev The offer is reserved for `expected`; `payer` may not pay it.
    error NotOfferBuyer(bytes32 orderId, address payer, address expected);
    /// @dev The escrow received `received` instead of `expected` (fee-on-transfer token).
    error AmountNotReceived(address token, uint256 expected, uint256 received);
    /// @dev Only the order's merchant may do this.
    error NotMerchant(bytes32 orderId, address caller, address merchant);
    /// @dev Only the order's buyer may do this.
    error NotBuyer(bytes32 orderId, address caller, address buyer);
    /// @dev Only the order's buyer or merchant may do this.
    error NotParty(bytes32 orderId, address caller);
    /// @dev The ship-by deadline passed: the merchant can no longer link a shipment.
    error ShipByDeadlinePassed(bytes32 orderId, uint256 deadline);
    /// @dev The registry's shipment for this order is in `status`, which this operation does not accept.
    error InvalidShipmentStatus(bytes32 orderId, bytes32 shipmentId, IShipmentRegistry.ShipmentStatus status);
    /// @dev The merchant has not let the escrow take its passports into custody (`setApprovalForAll`).
    error PassportsNotApproved(address merchant);
    /// @dev Nothing entitles the buyer to a refund yet; `availableAt` is when the current deadline passes.
    error RefundNotAvailable(bytes32 orderId, uint256 availableAt);
    /// @dev The inspection window is still open until `endsAt`.
    error InspectionWindowOpen(bytes32 orderId, uint256 endsAt);
    /// @dev The inspection window closed at `endedAt`.
    error InspectionWindowClosed(bytes32 orderId, uint256 endedAt);
    /// @dev The arbitration period runs until `endsAt`.
    error ArbitrationPeriodRunning(bytes32 orderId, uint256 endsAt);
    /// @dev The buyer's part exceeds the price.
    error BuyerAmountTooHigh(uint256 buyerAmount, uint256 price);
    /// @dev A rating must be 1 to 5.
    error InvalidRating(uint8 rating);
    /// @dev The order was already reviewed.
    error AlreadyReviewed(bytes32 orderId);
    /// @dev The order never had its delivery recorded (e.g. confirmed straight from Paid), so it
    /// cannot be reviewed: otherwise a merchant paying its own offers could rate itself.
    error ReviewNotAllowed(bytes32 orderId);
    /// @dev There is nothing to withdraw.
    error NothingToWithdraw(address token, address account);
    /// @dev A fee above {MAX_FEE_BPS}.
    error FeeTooHigh(uint256 feeBps, uint256 maxFeeBps);
    /// @dev The zero address where an account is required.
    error ZeroAddress();
    /// @dev Tokens sent to `to` would be lost: the zero address, or the escrow itself (where they
    /// would sit outside every order, credit and fee and could never leave).
    error InvalidRecipient(address to);
    /// @dev The arbitration period must be 1 second to {MAX_PERIOD}.
    error InvalidArbitrationPeriod(uint256 period);
    /// @dev The offer's inspection period is below {MIN_INSPECTION_PERIOD}.
    error InspectionPeriodTooShort(bytes32 orderId, uint256 inspectionPeriod, uint256 minimum);
    /// @dev The fee for new orders is `currentFeeBps`, above the offer's `maxFeeBps`.
    error FeeAboveOfferMaximum(bytes32 orderId, uint256 currentFeeBps, uint256 maxFeeBps);
    /// @dev The order's final shipment event was recorded by `recordedBy` for `carrier`, and one of
    /// them is the order's merchant, payee or buyer: a party cannot supply its own evidence.
    error EvidenceFromParty(bytes32 orderId, address recordedBy, address carrier);
    /// @dev `carrier`, which recorded the order's delivery, is suspended: its evidence does not count now.
    error EvidenceCarrierSuspended(bytes32 orderId, address carrier);
    /// @dev The shipment was delivered at `deliveredAt`, before the order was paid at `paidAt`.
    error DeliveredBeforePayment(bytes32 orderId, uint256 deliveredAt, uint256 paidAt);
    /// @dev The shipment carries `tokenId`, whose lot is recalled: it cannot be sold through escrow.
    error PassportRecalled(bytes32 orderId, uint256 tokenId);
    /// @dev `reviewer` is the order's merchant or payee and cannot review its own sale.
    error SelfReview(bytes32 orderId, address reviewer);

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
     * An order confirmed before its delivery was recorded cannot be reviewed; a buyer who wants to
     * review calls {markDelivered} first once the registry shows the delivery.
     * @param offer The order's terms.
     */
    function confirmReceipt(Offer calldata offer) external;

    /**
     * @notice Pays the payee once the inspection window closed without a dispute. Anyone. Refused
     * while the carrier that recorded the delivery is suspended.
     * @param offer The order's terms.
     */
    function release(Offer calldata offer) external;

    /**
     * @notice The merchant cancels a paid order before delivery and refunds the buyer in full.
     * @param offer The order's terms.
     */
    function refund(Offer calldata offer) external;

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
     */
    function submitEvidence(Offer calldata offer, bytes32 evidenceHash, string calldata evidenceURI) external;

    /**
     * @notice Settles a dispute: `buyerAmount` to the buyer, the rest to the payee less the fee.
     * ARBITER_ROLE only.
     * @param offer The order's terms.
     * @param buyerAmount The buyer's part, at most the price.
     */
    function resolveDispute(Offer calldata offer, uint256 buyerAmount) external;

    /**
     * @notice Applies the default ruling (an even split) to a dispute no arbiter ruled on within the
     * arbitration period. Anyone.
     * @param offer The order's terms.
     */
    function applyDefaultRuling(Offer calldata offer) external;

    /**
     * @notice The buyer of a Released or Resolved order whose delivery was recorded rates its merchant
     * once; a buyer that is the order's merchant or payee cannot.
     * @param offer The order's terms.
     * @param rating 1 to 5.
     * @param reviewHash Hash of the review text stored off-chain.
     */
    function review(Offer calldata offer, uint8 rating, bytes32 reviewHash) external;

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
     * @notice Allows or disallows `token` for new orders. TOKEN_MANAGER_ROLE only.
     * @param token The token.
     * @param allowed Whether new orders may use it.
     */
    function setTokenAllowed(address token, bool allowed) external;

    /**
     * @notice Allows or disallows several tokens at once (a deployment's stablecoins). TOKEN_MANAGER_ROLE only.
     * @param tokens The tokens.
     * @param allowed Whether new orders may use them.
     */
    function setTokensAllowed(address[] calldata tokens, bool allowed) external;

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
     * @notice The merchant's reviews.
     * @param merchant The merchant.
     * @return count How many reviews.
     * @return sum The sum of their ratings (average = sum / count).
     */
    function ratingOf(address merchant) external view returns (uint256 count, uint256 sum);

    /**
     * @notice The fee for new orders, the treasury and whether payments are paused.
     * @return feeBps The fee in basis points.
     * @return treasury Where fees go.
     * @return paused Whether new payments are stopped.
     */
    function config() external view returns (uint16 feeBps, address treasury, bool paused);
}
