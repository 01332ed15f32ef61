// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IShipmentRegistry} from "./IShipmentRegistry.sol";
/**
 * @title IWaybillEscrowTypes
 * @notice The states, terms, events and errors of {IWaybillEscrow}, in an interface of their own so
 * the escrow's shared storage base (used by both {WaybillEscrow} and the extension it runs by
 * delegatecall) can emit and revert with them without declaring the escrow's functions.
 * See {IWaybillEscrow} for the lifecycle.
 */
interface IWaybillEscrowTypes {
    // ------------------------------------------------------------------------- types

    /// @notice Where an order is in its lifecycle. Released, Refunded, Resolved and Cancelled are final.
    enum Status {
        None, // offer never paid nor cancelled
        Paid, // funds held, waiting for the merchant to ship
        Shipped, // linked to its registry shipment, waiting for delivery
        Delivered, // registry shows delivery: the buyer's inspection window runs
        Disputed, // a party disputed within the window: waiting for an arbiter
        Released, // the payee was paid (final)
        Refunded, // the buyer got back everything still held (final)
        Resolved, // a ruling, the default ruling or the parties' settlement split the funds (final)
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
     * `flags` bits: 1 = the escrow took the shipment's passports into custody, 2 = reviewed,
     * 4 = delivery recorded (else {review} reads the registry), 8 = that delivery was late (after
     * paid-at + `deliverWithin`), 16 = final with the seller paid something (passports to the buyer),
     * 32 = the order has a second slot (a partial refund or a payout assignment, see
     * {IWaybillEscrow-orderExtrasOf}), which only then is read.
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

    /**
     * @notice An offer was paid into escrow. With the topics it carries every offer field, so the
     * order can be rebuilt from logs alone (a buyer paying from a smart-contract wallet leaves no
     * readable calldata), in 5 data words instead of the offer's 12 plus the fee (saves pay ~2.5k):
     * - `payeeAndPrice`: payee (bits 96-255) | price (bits 0-95);
     * - `tokenAndPeriods`: token (bits 96-255) | shipWithin (64-95) | deliverWithin (32-63) |
     *   inspectionPeriod (0-31);
     * - `detailsHash`, `salt`: as in the offer;
     * - `feeTerms`: 1 at bit 72 when the offer was open to any buyer (`offer.buyer` zero, else it is
     *   `buyer`) | maxFeeBps (bits 56-71) | expiry (bits 16-55) | feeBps, the fee charged (bits 0-15).
     * The SDK's `decodeOrdersPaid` unpacks it.
     */
    event OrderPaid(
        bytes32 indexed orderId,
        address indexed merchant,
        address indexed buyer,
        uint256 payeeAndPrice,
        uint256 tokenAndPeriods,
        bytes32 detailsHash,
        uint256 salt,
        uint256 feeTerms
    );

    /// @notice The merchant linked the order to the registry shipment `shipmentId`.
    event OrderShipped(bytes32 indexed orderId, bytes32 indexed shipmentId, bool hasPassports);

    /**
     * @notice The escrow recorded the delivery now; disputes are possible until `inspectionEndsAt`
     * (now + the inspection period). `deliveredAt` is the registry's delivery time, for information
     * only: the window does not start there.
     */
    event OrderDelivered(bytes32 indexed orderId, uint40 deliveredAt, uint40 inspectionEndsAt);

    /// @notice `payee`, the payout holder (the offer's payee unless the payout was assigned), received
    /// `sellerAmount` (pushed or credited) and `fee` accrued to the platform.
    event OrderReleased(bytes32 indexed orderId, address indexed payee, uint256 sellerAmount, uint256 fee);

    /// @notice The buyer got back everything the escrow still held for the order (`amount`: the
    /// price less earlier partial refunds).
    event OrderRefunded(bytes32 indexed orderId, address indexed buyer, uint256 amount, RefundReason reason);

    /// @notice The seller side gave `amount` back to the buyer (pushed or credited) without ending the
    /// order; `totalRefunded` is the sum of the order's partial refunds so far.
    event PartialRefund(
        bytes32 indexed orderId,
        address indexed buyer,
        uint256 amount,
        uint256 totalRefunded
    );

    /// @notice The right to the order's payout moved from `from` (the offer's payee or an earlier
    /// holder) to `to`, whom every path that pays the seller now pays.
    event PayoutAssigned(bytes32 indexed orderId, address indexed from, address indexed to);

    /// @notice `proposer` (the buyer or the seller side) proposed ending the order with `buyerAmount`
    /// to the buyer and the rest to the payout holder; it replaces any earlier proposal.
    event SettlementProposed(bytes32 indexed orderId, address indexed proposer, uint256 buyerAmount);

    /// @notice `proposer` withdrew its settlement proposal.
    event SettlementWithdrawn(bytes32 indexed orderId, address indexed proposer);

    /// @notice `signer` revoked its EIP-712 signature of the settlement terms (`buyerAmount`, `deadline`).
    event SettlementSignatureRevoked(
        bytes32 indexed orderId,
        address indexed signer,
        uint256 buyerAmount,
        uint40 deadline
    );

    /**
     * @notice The parties settled: `acceptor` accepted (or submitted the signature of) `proposer`'s
     * terms. The buyer received `buyerAmount`, the payout holder `sellerAmount`, and `fee` (on the
     * seller's part only) accrued to the platform. The order is Resolved.
     */
    event OrderSettled(
        bytes32 indexed orderId,
        address indexed proposer,
        address indexed acceptor,
        uint256 buyerAmount,
        uint256 sellerAmount,
        uint256 fee
    );

    /// @notice ERC-1497-style: `party` disputed the order; without a ruling by `rulingDeadline` the default applies.
    event Dispute(bytes32 indexed orderId, address indexed party, uint40 rulingDeadline);

    /// @notice ERC-1497-style: `party` submitted evidence for the order (a hash, where to find it and
    /// a statement in UTF-8, each possibly empty).
    event Evidence(
        bytes32 indexed orderId,
        address indexed party,
        bytes32 evidenceHash,
        string evidenceURI,
        string text
    );

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

    /// @notice The buyer reviewed the merchant of a completed order; `text` (UTF-8, possibly empty)
    /// stays readable in the log for good.
    event Reviewed(bytes32 indexed orderId, address indexed merchant, uint8 rating, string text);

    /// @notice The platform fee for new orders changed.
    event FeeUpdated(uint16 oldFeeBps, uint16 newFeeBps);

    /// @notice The account that receives withdrawn fees changed.
    event TreasuryUpdated(address oldTreasury, address newTreasury);

    /// @notice A token was added to or removed from the allow-list for new orders.
    event TokenAllowlistUpdated(address indexed token, bool allowed);

    /// @notice The token manager flagged an allowed token plain (payments trust its transfer) or
    /// measured again (payments check what arrived).
    event TokenPlainUpdated(address indexed token, bool plain);

    /// @notice New payments were stopped by `account`.
    event Paused(address account);

    /// @notice New payments were allowed again by `account`.
    event Unpaused(address account);

    /// @notice The escrow's registry linked this escrow as its escrow: it reports every carrier
    /// suspension from now on, so `release` may skip its registry read for deliveries recorded later.
    event RegistryLinked(address indexed registry);

    /// @notice The registry reported that it suspended `carrier`: releases of deliveries recorded
    /// at or before now read the registry again.
    event CarrierSuspensionRecorded(address indexed carrier);

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
    /// @dev The buyer's part exceeds what the escrow holds for the order (the price less partial refunds).
    error BuyerAmountTooHigh(uint256 buyerAmount, uint256 held);
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
    /// @notice {ship}'s shipment must use the order id as its reference, so its id stays
    /// `shipmentIdOf(merchant, orderId)`.
    error ShipmentRefNotOrder(bytes32 orderId, bytes32 shipperRef);
    /// @notice {retryPassportHandOver}: no hand-over of the final order is pending (it carried no
    /// passports, or every unit was handed over).
    error NoPassportsInCustody(bytes32 orderId);
    /// @notice Only the escrow's registry (`registry`) may report a link or a carrier suspension.
    error NotRegistry(address caller, address registry);
    /// @dev A partial refund must be above zero and below `held`, what the escrow holds for the order
    /// (a refund of all of it is {IWaybillEscrow-refund}).
    error InvalidPartialRefund(bytes32 orderId, uint256 amount, uint256 held);
    /// @dev Only `holder`, who holds the right to the order's payout, may assign it.
    error NotPayoutHolder(bytes32 orderId, address caller, address holder);
    /// @dev Only the seller side, `sellerSide` (the merchant until the payout is assigned, then the
    /// payout holder), may do this.
    error NotSellerSide(bytes32 orderId, address caller, address sellerSide);
    /// @dev The order has no settlement proposal in force (none, withdrawn, or made by a seller side
    /// that lost the payout since).
    error NoSettlementProposal(bytes32 orderId);
    /// @dev Only `proposer` may withdraw its proposal.
    error NotProposer(bytes32 orderId, address caller, address proposer);
    /// @dev The proposal in force gives the buyer `proposed`, not `given`: it changed since the caller read it.
    error SettlementMismatch(bytes32 orderId, uint256 proposed, uint256 given);
    /// @dev The signed settlement expired at `deadline`.
    error SettlementExpired(bytes32 orderId, uint256 deadline);
    /// @dev The signature is not `signer`'s (the other party's) signature of these settlement terms.
    error InvalidSettlementSignature(bytes32 orderId, address signer);
    /// @dev `signer` revoked its signature of these settlement terms.
    error SettlementSignatureCancelled(bytes32 orderId, address signer);
    /// @dev A review's or an evidence's text is `length` bytes, above `maximum`.
    error TextTooLong(uint256 length, uint256 maximum);
    /// @dev Allowing `token` for the first time would list more than `max` tokens
    /// (`MAX_LISTED_TOKENS`); a token once allowed keeps its place, even delisted.
    error TooManyTokens(address token, uint256 max);
    /// @dev `token` has no code, so it cannot be a token: allowing it would waste one of the
    /// `MAX_LISTED_TOKENS` places for good (a mistyped or not yet deployed address).
    error TokenHasNoCode(address token);
}
