// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC3009} from "@openzeppelin/contracts/interfaces/draft-IERC3009.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IProductPassport} from "./interfaces/IProductPassport.sol";
import {IShipmentRegistry} from "./interfaces/IShipmentRegistry.sol";
import {IWaybillEscrow} from "./interfaces/IWaybillEscrow.sol";

/**
 * @title WaybillEscrow
 * @notice Holds a buyer's stablecoins until the shipment registry shows the goods delivered and the
 * buyer's inspection window closes, then pays the merchant's payee minus the platform fee. Every
 * state has a deadline after which some party can move the funds, and no admin action can stop an
 * existing order from being refunded, released or resolved.
 * @dev See {IWaybillEscrow} for the lifecycle. Roles:
 * - DEFAULT_ADMIN_ROLE (two-step transfer with a delay): grants roles, sets the treasury.
 * - PAUSER_ROLE: stops and resumes NEW payments only.
 * - FEE_MANAGER_ROLE: sets the fee for new orders (each order keeps the rate it was paid at).
 * - TOKEN_MANAGER_ROLE: allow-lists stablecoins for new orders (delisting never affects paid orders).
 * - ARBITER_ROLE: rules on disputes.
 *
 * Payouts are pushed with a non-reverting transfer: if the receiver cannot receive (a frozen USDC
 * address, say) the amount is credited to it instead, so one party can never block the other.
 * Accounting invariant per token: balance == open order prices + credits + accrued fees.
 */
contract WaybillEscrow is IWaybillEscrow, EIP712, AccessControlDefaultAdminRules, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ---------------------------------------------------------------------- constants

    /// @notice May pause and unpause new payments.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice May change the fee for new orders.
    bytes32 public constant FEE_MANAGER_ROLE = keccak256("FEE_MANAGER_ROLE");
    /// @notice May allow-list and delist stablecoins for new orders.
    bytes32 public constant TOKEN_MANAGER_ROLE = keccak256("TOKEN_MANAGER_ROLE");
    /// @notice May rule on disputes.
    bytes32 public constant ARBITER_ROLE = keccak256("ARBITER_ROLE");

    /// @notice The highest platform fee, in basis points (10%).
    uint16 public constant MAX_FEE_BPS = 1000;
    /// @notice The longest delivery or inspection period an offer may set, so no order holds funds for decades.
    uint32 public constant MAX_PERIOD = 365 days;
    /// @notice After the deliver-by deadline plus this period, anyone may push a due refund to the buyer.
    uint32 public constant REFUND_GRACE_PERIOD = 30 days;
    /// @notice The shortest inspection window an offer may set. A buyer abroad may receive the parcel
    /// at night in their time zone, at a neighbour's, or over a weekend: one day lets them open it
    /// and dispute before anyone can release the payment, where zero would make disputes impossible.
    uint32 public constant MIN_INSPECTION_PERIOD = 1 days;

    /// @notice The EIP-712 type hash of {IWaybillEscrow-Offer}.
    bytes32 public constant OFFER_TYPEHASH = keccak256(
        "Offer(address merchant,address payee,address buyer,address token,uint96 price,bytes32 detailsHash,"
        "uint32 shipWithin,uint32 deliverWithin,uint32 inspectionPeriod,uint16 maxFeeBps,uint40 expiry,uint256 salt)"
    );

    uint256 private constant BPS = 10_000;
    /// @dev {Order-flags} bit: the shipment carries passports, which the escrow took into custody at
    /// {markShipped}; completing an order without it never reads the registry's passport list.
    uint8 private constant FLAG_PASSPORTS = 1;
    /// @dev {Order-flags} bit: the buyer has reviewed the order.
    uint8 private constant FLAG_REVIEWED = 2;
    /// @dev {Order-flags} bit: the escrow recorded the registry's delivery ({markDelivered}), which a
    /// review requires.
    uint8 private constant FLAG_DELIVERED = 4;
    /// @dev {Order-flags} bit: the recorded delivery happened after paid-at + `deliverWithin`, so the
    /// buyer may still take a full refund within the inspection window.
    uint8 private constant FLAG_LATE = 8;

    // ---------------------------------------------------------------------- immutables

    /// @notice The shipment registry whose Delivered status releases funds.
    IShipmentRegistry public immutable REGISTRY;
    /// @notice The passport NFT contract handed over on completion (zero if passports are not used).
    IERC721 public immutable PASSPORTS;
    /// @notice How long arbiters have to rule after a dispute before anyone may apply the default ruling.
    uint256 public immutable ARBITRATION_PERIOD;

    // ---------------------------------------------------------------------- storage

    /// @dev Everything `pay` reads besides the order and the allow-list, in one slot:
    /// treasury (20 bytes) | feeBps (2) | paused (1). OZ Pausable would cost `pay` a second cold read.
    struct Config {
        address treasury;
        uint16 feeBps;
        bool paused;
    }

    /// @dev count (16 bytes) | sum (16 bytes) in one slot.
    struct Rating {
        uint128 count;
        uint128 sum;
    }

    Config private _config;
    mapping(bytes32 orderId => Order) private _orders;
    mapping(address token => bool) private _allowedTokens;
    mapping(address token => uint256) private _accruedFees;
    mapping(address token => mapping(address account => uint256)) private _credits;
    mapping(address merchant => Rating) private _ratings;

    // ---------------------------------------------------------------------- construction

    /**
     * @param registry The shipment registry (immutable: orders must not depend on a mutable pointer).
     * @param passports The passport NFT contract, or zero.
     * @param arbitrationPeriod Seconds arbiters have to rule on a dispute (e.g. 14 days), 1 to {MAX_PERIOD}.
     * @param initialAdminDelay Delay of a DEFAULT_ADMIN_ROLE transfer, in seconds.
     * @param admin The initial DEFAULT_ADMIN_ROLE holder.
     * @param treasury Where withdrawn fees go.
     * @param feeBps The initial fee, at most {MAX_FEE_BPS}.
     */
    constructor(
        IShipmentRegistry registry,
        IERC721 passports,
        uint32 arbitrationPeriod,
        uint48 initialAdminDelay,
        address admin,
        address treasury,
        uint16 feeBps
    ) EIP712("Waybill Escrow", "1") AccessControlDefaultAdminRules(initialAdminDelay, admin) {
        if (address(registry) == address(0) || treasury == address(0)) revert ZeroAddress();
        if (arbitrationPeriod == 0 || arbitrationPeriod > MAX_PERIOD)
            revert InvalidArbitrationPeriod(arbitrationPeriod);
        if (feeBps > MAX_FEE_BPS) revert FeeTooHigh(feeBps, MAX_FEE_BPS);
        REGISTRY = registry;
        PASSPORTS = passports;
        ARBITRATION_PERIOD = arbitrationPeriod;
        _config = Config({treasury: treasury, feeBps: feeBps, paused: false});
        emit TreasuryUpdated(address(0), treasury);
        emit FeeUpdated(0, feeBps);
    }

    // ---------------------------------------------------------------------- payment

    /// @inheritdoc IWaybillEscrow
    function pay(
        Offer calldata offer,
        bytes calldata signature
    ) external nonReentrant returns (bytes32 orderId) {
        orderId = _openOrder(offer, signature, msg.sender);
        _pull(IERC20(offer.token), offer.price);
    }

    /// @inheritdoc IWaybillEscrow
    function payWithPermit(
        Offer calldata offer,
        bytes calldata signature,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (bytes32 orderId) {
        orderId = _openOrder(offer, signature, msg.sender);
        // Anyone who saw the permit in the mempool may have submitted it first; the allowance it
        // granted is what matters, so a failed permit is ignored and the pull below decides.
        try
            IERC20Permit(offer.token).permit(msg.sender, address(this), offer.price, deadline, v, r, s)
        {} catch {}
        _pull(IERC20(offer.token), offer.price);
    }

    /// @inheritdoc IWaybillEscrow
    function payWithAuthorization(
        Offer calldata offer,
        bytes calldata signature,
        address buyer,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (bytes32 orderId) {
        orderId = _openOrder(offer, signature, buyer);
        IERC20 token = IERC20(offer.token);
        uint256 balanceBefore = token.balanceOf(address(this));
        // The nonce is the order id and the value the price: the buyer's signature covers both,
        // so the authorization pays this order and no other.
        IERC3009(offer.token).receiveWithAuthorization(
            buyer,
            address(this),
            offer.price,
            validAfter,
            validBefore,
            orderId,
            v,
            r,
            s
        );
        _checkReceived(token, balanceBefore, offer.price);
    }

    /// @inheritdoc IWaybillEscrow
    function cancelOffer(Offer calldata offer) external {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireStatus(orderId, order.status, Status.None);
        _requireMerchant(orderId, offer);
        order.status = Status.Cancelled;
        _store(orderId, order);
        emit OfferCancelled(orderId, msg.sender);
    }

    // ---------------------------------------------------------------------- fulfilment

    /**
     * @inheritdoc IWaybillEscrow
     * @dev Pulls the shipment's passports with `transferFrom`, not `safeTransferFrom`, so the escrow
     * needs no {IERC721Receiver} hook; a unit sent to it with `safeTransferFrom` is refused, one sent
     * with a plain `transferFrom` outside an order cannot be recovered. A unit the escrow already
     * holds for another order fails the pull (its owner is not the merchant), so one passport can never
     * travel with two open orders. The list is bounded by the registry's `MAX_PASSPORTS` (50).
     * The order is stored before the pulls, and the call is `nonReentrant`, so a re-entering
     * passport contract finds the order already Shipped.
     */
    function markShipped(Offer calldata offer) external nonReentrant {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireStatus(orderId, order.status, Status.Paid);
        _requireMerchant(orderId, offer);
        uint256 deadline = _after(order.stamp, offer.shipWithin);
        if (block.timestamp > deadline) revert ShipByDeadlinePassed(orderId, deadline);

        (bytes32 shipmentId, IShipmentRegistry.FinalEvent memory shipment) = _evidenceOf(
            offer.merchant,
            orderId
        );
        IShipmentRegistry.ShipmentStatus shipmentStatus = shipment.status;
        if (
            shipmentStatus == IShipmentRegistry.ShipmentStatus.None ||
            shipmentStatus == IShipmentRegistry.ShipmentStatus.Lost ||
            shipmentStatus == IShipmentRegistry.ShipmentStatus.Returned
        ) revert InvalidShipmentStatus(orderId, shipmentId, shipmentStatus);

        uint256[] memory ids;
        if (address(PASSPORTS) != address(0)) ids = _passportsOf(shipmentId);
        bool hasPassports = ids.length != 0;
        if (hasPassports) {
            if (!PASSPORTS.isApprovedForAll(offer.merchant, address(this)))
                revert PassportsNotApproved(offer.merchant);
            order.flags |= FLAG_PASSPORTS;
        }
        order.status = Status.Shipped;
        _store(orderId, order);
        emit OrderShipped(orderId, shipmentId, hasPassports);
        for (uint256 i = 0; i < ids.length; ++i) {
            // A recalled unit must not be sold; a plain registry shipment (a return) may still carry it.
            if (IProductPassport(address(PASSPORTS)).isRecalled(ids[i]))
                revert PassportRecalled(orderId, ids[i]);
            PASSPORTS.transferFrom(offer.merchant, address(this), ids[i]);
        }
    }

    /**
     * @inheritdoc IWaybillEscrow
     * @dev The inspection window starts now, when the escrow learns of the delivery, not at the
     * registry's `deliveredAt`: a carrier's event may reach the chain days after it happened, and the
     * merchant may link the shipment late, so a window counted from `deliveredAt` could have closed
     * before the buyer was ever able to dispute on-chain. The seller, who wants to be paid, has every
     * reason to call this promptly; a late call only lengthens the buyer's window.
     */
    function markDelivered(Offer calldata offer) external {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireStatus(orderId, order.status, Status.Shipped);
        _recordDelivery(offer, orderId, order);
        _store(orderId, order);
    }

    // ---------------------------------------------------------------------- completion

    /**
     * @inheritdoc IWaybillEscrow
     * @dev Allowed from Paid and Shipped too: the buyer's own word that the goods arrived is the
     * strongest evidence there is, whatever the registry shows.
     */
    function confirmReceipt(Offer calldata offer) external nonReentrant {
        (bytes32 orderId, Order memory order) = _load(offer);
        if (
            order.status != Status.Paid && order.status != Status.Shipped && order.status != Status.Delivered
        ) {
            revert InvalidOrderStatus(orderId, order.status);
        }
        _requireBuyer(orderId, order);
        _complete(offer, orderId, order, Status.Released, 0, address(0));
    }

    /// @inheritdoc IWaybillEscrow
    function release(Offer calldata offer) external nonReentrant {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireStatus(orderId, order.status, Status.Delivered);
        uint256 endsAt = _after(order.stamp, offer.inspectionPeriod);
        if (block.timestamp < endsAt) revert InspectionWindowOpen(orderId, endsAt);
        (, IShipmentRegistry.FinalEvent memory delivery) = _evidenceOf(offer.merchant, orderId);
        if (delivery.carrierSuspended) revert EvidenceCarrierSuspended(orderId, delivery.carrier);
        _complete(offer, orderId, order, Status.Released, 0, address(0));
    }

    /// @inheritdoc IWaybillEscrow
    function refund(Offer calldata offer) external nonReentrant {
        (bytes32 orderId, Order memory order) = _load(offer);
        if (order.status != Status.Paid && order.status != Status.Shipped) {
            revert InvalidOrderStatus(orderId, order.status);
        }
        _requireMerchant(orderId, offer);
        _refund(offer, orderId, order, RefundReason.MerchantCancelled);
    }

    /**
     * @inheritdoc IWaybillEscrow
     * @dev The buyer decides when to give up on an order, so nobody can force a refund on a buyer
     * still happy to wait; only once {REFUND_GRACE_PERIOD} has passed after the deadline that made
     * the refund due may anyone push it to the buyer, so an order cannot strand funds even when its
     * buyer is a contract that cannot call or a lost key. Registry evidence counts only if a third
     * party produced it ({_isIndependent}); evidence that does not count is treated as no evidence,
     * so the deliver-by deadline still opens the refund. A delivery recorded after paid-at +
     * `deliverWithin` is the buyer's choice alone: a full refund (while Shipped, or within the
     * inspection window once Delivered), or acceptance by confirming or letting the window pass.
     */
    function claimRefund(Offer calldata offer) external nonReentrant {
        (bytes32 orderId, Order memory order) = _load(offer);
        (RefundReason reason, uint256 dueAt, uint256 openToAllAt) = _refundTerms(offer, orderId, order);
        if (msg.sender != order.buyer && block.timestamp <= openToAllAt) {
            revert NotBuyer(orderId, msg.sender, order.buyer);
        }
        if (block.timestamp <= dueAt) revert RefundNotAvailable(orderId, dueAt + 1);
        _refund(offer, orderId, order, reason);
    }

    /**
     * @dev Why a refund of `order` would be due, after which time (`dueAt`, zero when due now) and
     * from when anyone may push it (`openToAllAt`, never for a late delivery); reverts when no
     * refund can become due in the order's state. See {claimRefund}. paidAt is the stamp while
     * Paid or Shipped. Once Delivered, only a late delivery is refundable within the window (by
     * the buyer alone); after the window, only while the delivering carrier is suspended, which
     * blocks {release}: so that nothing is stuck if it stays suspended, the refund opens instead.
     */
    function _refundTerms(
        Offer calldata offer,
        bytes32 orderId,
        Order memory order
    ) private view returns (RefundReason reason, uint256 dueAt, uint256 openToAllAt) {
        Status status = order.status;
        reason = RefundReason.NotDeliveredInTime;
        dueAt = _after(order.stamp, offer.deliverWithin);
        openToAllAt = dueAt + REFUND_GRACE_PERIOD;
        if (status == Status.Paid) {
            reason = RefundReason.NotShippedInTime;
            dueAt = _after(order.stamp, offer.shipWithin);
        } else {
            if (status != Status.Shipped && status != Status.Delivered)
                revert InvalidOrderStatus(orderId, status);
            (bytes32 shipmentId, IShipmentRegistry.FinalEvent memory shipment) = _evidenceOf(
                offer.merchant,
                orderId
            );
            IShipmentRegistry.ShipmentStatus shipmentStatus = shipment.status;
            if (status == Status.Delivered) {
                uint256 endsAt = _after(order.stamp, offer.inspectionPeriod);
                if (block.timestamp < endsAt) {
                    if (order.flags & FLAG_LATE == 0) revert InvalidOrderStatus(orderId, status);
                    openToAllAt = type(uint256).max;
                } else {
                    if (!shipment.carrierSuspended) revert InspectionWindowClosed(orderId, endsAt);
                    openToAllAt = endsAt + REFUND_GRACE_PERIOD;
                }
                dueAt = 0;
            } else if (_isIndependent(offer, order.buyer, shipment)) {
                if (
                    shipmentStatus == IShipmentRegistry.ShipmentStatus.Lost ||
                    shipmentStatus == IShipmentRegistry.ShipmentStatus.Returned
                ) {
                    reason = RefundReason.ShipmentFailed;
                    dueAt = 0;
                } else if (
                    shipmentStatus == IShipmentRegistry.ShipmentStatus.Delivered &&
                    shipment.occurredAt >= order.stamp
                ) {
                    // On time: it goes through {markDelivered}. Late: the buyer's choice alone.
                    if (shipment.occurredAt <= dueAt)
                        revert InvalidShipmentStatus(orderId, shipmentId, shipmentStatus);
                    dueAt = 0;
                    openToAllAt = type(uint256).max;
                }
            }
        }
    }

    // ---------------------------------------------------------------------- disputes

    /**
     * @inheritdoc IWaybillEscrow
     * @dev From Shipped it first records the delivery the registry shows (as {markDelivered} would),
     * so the buyer disputes in one transaction even if nobody recorded it yet.
     */
    function openDispute(Offer calldata offer) external {
        (bytes32 orderId, Order memory order) = _load(offer);
        if (order.status != Status.Shipped && order.status != Status.Delivered) {
            revert InvalidOrderStatus(orderId, order.status);
        }
        _requireParty(orderId, offer, order);
        if (order.status == Status.Shipped) _recordDelivery(offer, orderId, order);
        uint256 endsAt = _after(order.stamp, offer.inspectionPeriod);
        if (block.timestamp >= endsAt) revert InspectionWindowClosed(orderId, endsAt);
        order.status = Status.Disputed;
        order.stamp = uint40(block.timestamp);
        _store(orderId, order);
        emit Dispute(orderId, msg.sender, uint40(block.timestamp + ARBITRATION_PERIOD));
    }

    /// @inheritdoc IWaybillEscrow
    function submitEvidence(
        Offer calldata offer,
        bytes32 evidenceHash,
        string calldata evidenceURI
    ) external {
        (bytes32 orderId, Order memory order) = _load(offer);
        if (order.status != Status.Delivered && order.status != Status.Disputed) {
            revert InvalidOrderStatus(orderId, order.status);
        }
        _requireParty(orderId, offer, order);
        emit Evidence(orderId, msg.sender, evidenceHash, evidenceURI);
    }

    /// @inheritdoc IWaybillEscrow
    function resolveDispute(
        Offer calldata offer,
        uint256 buyerAmount
    ) external nonReentrant onlyRole(ARBITER_ROLE) {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireStatus(orderId, order.status, Status.Disputed);
        if (buyerAmount > offer.price) revert BuyerAmountTooHigh(buyerAmount, offer.price);
        _complete(offer, orderId, order, Status.Resolved, buyerAmount, msg.sender);
    }

    /**
     * @inheritdoc IWaybillEscrow
     * @dev The default is an even split: the buyer gets floor(price / 2), the payee the rest less the
     * fee on that half. Neither party can profit from stalling: whoever is right has every reason to
     * get an arbiter to rule, and nobody's money is held forever. The odd unit goes to the seller,
     * who shipped goods the registry shows delivered. Passports in custody go to the buyer, who keeps the goods.
     */
    function applyDefaultRuling(Offer calldata offer) external nonReentrant {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireStatus(orderId, order.status, Status.Disputed);
        uint256 endsAt = _after(order.stamp, ARBITRATION_PERIOD);
        if (block.timestamp < endsAt) revert ArbitrationPeriodRunning(orderId, endsAt);
        _complete(offer, orderId, order, Status.Resolved, offer.price / 2, address(0));
    }

    // ---------------------------------------------------------------------- reviews

    /**
     * @inheritdoc IWaybillEscrow
     * @dev Only orders whose delivery the escrow recorded may be reviewed: an order confirmed straight
     * from Paid proves no sale, and a merchant paying its own offers could otherwise rate itself. A
     * buyer that is the order's merchant or payee is refused outright for the same reason.
     */
    function review(Offer calldata offer, uint8 rating, bytes32 reviewHash) external {
        (bytes32 orderId, Order memory order) = _load(offer);
        if (order.status != Status.Released && order.status != Status.Resolved) {
            revert InvalidOrderStatus(orderId, order.status);
        }
        _requireBuyer(orderId, order);
        if (msg.sender == offer.merchant || msg.sender == offer.payee) revert SelfReview(orderId, msg.sender);
        if (order.flags & FLAG_DELIVERED == 0) revert ReviewNotAllowed(orderId);
        if (order.flags & FLAG_REVIEWED != 0) revert AlreadyReviewed(orderId);
        if (rating == 0 || rating > 5) revert InvalidRating(rating);
        order.flags |= FLAG_REVIEWED;
        _store(orderId, order);
        Rating storage merchantRating = _ratings[offer.merchant];
        // One review per order and at most 5 per review: 2^128 reviews cannot be reached.
        unchecked {
            merchantRating.count += 1;
            merchantRating.sum += rating;
        }
        emit Reviewed(orderId, offer.merchant, rating, reviewHash);
    }

    // ---------------------------------------------------------------------- withdrawals

    /// @inheritdoc IWaybillEscrow
    function withdrawCredit(address token, address to) external nonReentrant {
        if (to == address(0) || to == address(this)) revert InvalidRecipient(to);
        _sendCredit(token, msg.sender, to);
    }

    /// @inheritdoc IWaybillEscrow
    /// @dev Anyone may call: the credit can only go to its owner, so a passive contract (a splitter,
    /// a vault) that cannot call {withdrawCredit} gets it once the freeze that caused it is lifted.
    function pushCredit(address token, address account) external nonReentrant {
        _sendCredit(token, account, account);
    }

    /// @inheritdoc IWaybillEscrow
    function withdrawFees(address token) external nonReentrant {
        uint256 amount = _accruedFees[token];
        address treasury = _config.treasury;
        if (amount == 0) revert NothingToWithdraw(token, treasury);
        delete _accruedFees[token];
        emit FeesWithdrawn(token, treasury, amount);
        IERC20(token).safeTransfer(treasury, amount);
    }

    // ---------------------------------------------------------------------- administration

    /// @inheritdoc IWaybillEscrow
    function setFeeBps(uint16 newFeeBps) external onlyRole(FEE_MANAGER_ROLE) {
        if (newFeeBps > MAX_FEE_BPS) revert FeeTooHigh(newFeeBps, MAX_FEE_BPS);
        emit FeeUpdated(_config.feeBps, newFeeBps);
        _config.feeBps = newFeeBps;
    }

    /// @inheritdoc IWaybillEscrow
    function setTreasury(address newTreasury) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newTreasury == address(0) || newTreasury == address(this)) revert InvalidRecipient(newTreasury);
        emit TreasuryUpdated(_config.treasury, newTreasury);
        _config.treasury = newTreasury;
    }

    /// @inheritdoc IWaybillEscrow
    function setTokenAllowed(address token, bool allowed) external onlyRole(TOKEN_MANAGER_ROLE) {
        _allowedTokens[token] = allowed;
        emit TokenAllowlistUpdated(token, allowed);
    }

    /// @inheritdoc IWaybillEscrow
    /// @dev The loop is bounded by the caller's own calldata, and only the token manager calls it.
    function setTokensAllowed(address[] calldata tokens, bool allowed) external onlyRole(TOKEN_MANAGER_ROLE) {
        for (uint256 i = 0; i < tokens.length; ++i) {
            _allowedTokens[tokens[i]] = allowed;
            emit TokenAllowlistUpdated(tokens[i], allowed);
        }
    }

    /// @inheritdoc IWaybillEscrow
    function pause() external onlyRole(PAUSER_ROLE) {
        _config.paused = true;
        emit Paused(msg.sender);
    }

    /// @inheritdoc IWaybillEscrow
    function unpause() external onlyRole(PAUSER_ROLE) {
        _config.paused = false;
        emit Unpaused(msg.sender);
    }

    // ---------------------------------------------------------------------- views

    /// @inheritdoc IWaybillEscrow
    function orderIdOf(Offer calldata offer) external view returns (bytes32) {
        return _orderIdOf(offer);
    }

    /// @inheritdoc IWaybillEscrow
    function getOrder(bytes32 orderId) external view returns (Order memory) {
        return _orders[orderId];
    }

    /// @inheritdoc IWaybillEscrow
    function credits(address token, address account) external view returns (uint256) {
        return _credits[token][account];
    }

    /// @inheritdoc IWaybillEscrow
    function accruedFees(address token) external view returns (uint256) {
        return _accruedFees[token];
    }

    /// @inheritdoc IWaybillEscrow
    function isTokenAllowed(address token) external view returns (bool) {
        return _allowedTokens[token];
    }

    /// @inheritdoc IWaybillEscrow
    function ratingOf(address merchant) external view returns (uint256 count, uint256 sum) {
        Rating memory merchantRating = _ratings[merchant];
        return (merchantRating.count, merchantRating.sum);
    }

    /// @inheritdoc IWaybillEscrow
    function config() external view returns (uint16 feeBps, address treasury, bool paused) {
        Config memory current = _config;
        return (current.feeBps, current.treasury, current.paused);
    }

    // ---------------------------------------------------------------------- internals

    /// @dev Checks an offer can be paid by `buyer` and records the order; the caller pulls the funds.
    function _openOrder(
        Offer calldata offer,
        bytes calldata signature,
        address buyer
    ) private returns (bytes32 orderId) {
        orderId = _orderIdOf(offer);
        Status current = _orders[orderId].status;
        if (current != Status.None) revert InvalidOrderStatus(orderId, current);
        Config memory cfg = _config;
        if (cfg.paused) revert PaymentsPaused();
        if (!_allowedTokens[offer.token]) revert TokenNotAllowed(offer.token);
        if (block.timestamp > offer.expiry) revert OfferExpired(orderId, offer.expiry);
        if (offer.buyer != address(0) && offer.buyer != buyer)
            revert NotOfferBuyer(orderId, buyer, offer.buyer);
        if (
            offer.price == 0 ||
            offer.payee == address(0) ||
            offer.payee == address(this) ||
            offer.shipWithin > offer.deliverWithin ||
            offer.deliverWithin > MAX_PERIOD ||
            offer.inspectionPeriod > MAX_PERIOD
        ) revert InvalidOfferTerms(orderId);
        if (offer.inspectionPeriod < MIN_INSPECTION_PERIOD)
            revert InspectionPeriodTooShort(orderId, offer.inspectionPeriod, MIN_INSPECTION_PERIOD);
        if (cfg.feeBps > offer.maxFeeBps) revert FeeAboveOfferMaximum(orderId, cfg.feeBps, offer.maxFeeBps);
        if (!SignatureChecker.isValidSignatureNowCalldata(offer.merchant, orderId, signature)) {
            revert InvalidOfferSignature(orderId, offer.merchant);
        }
        _store(
            orderId,
            Order({
                buyer: buyer,
                feeBps: cfg.feeBps,
                status: Status.Paid,
                stamp: uint40(block.timestamp),
                flags: 0
            })
        );
        emit OrderPaid(orderId, offer.merchant, buyer, offer, cfg.feeBps);
    }

    /// @dev Pulls `price` from the caller, measuring what actually arrived.
    function _pull(IERC20 token, uint256 price) private {
        uint256 balanceBefore = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), price);
        _checkReceived(token, balanceBefore, price);
    }

    /// @dev Rejects tokens that deliver less (or more) than the price, such as fee-on-transfer tokens.
    function _checkReceived(IERC20 token, uint256 balanceBefore, uint256 price) private view {
        uint256 received = token.balanceOf(address(this)) - balanceBefore;
        if (received != price) revert AmountNotReceived(address(token), price, received);
    }

    /// @dev Returns the full price to the buyer and the passports in custody to the merchant.
    function _refund(Offer calldata offer, bytes32 orderId, Order memory order, RefundReason reason) private {
        order.status = Status.Refunded;
        _store(orderId, order);
        emit OrderRefunded(orderId, order.buyer, offer.price, reason);
        _payout(offer.token, order.buyer, offer.price);
        if (order.flags & FLAG_PASSPORTS != 0) {
            _releasePassports(orderId, offer.merchant, offer.merchant, false);
        }
    }

    /**
     * @dev Ends the order in `finalStatus` (Released, or Resolved by `arbiter`, zero for the default
     * ruling): `buyerAmount` to the buyer, the rest to the payee less the fee, which is rounded down so
     * the platform never takes more than its rate. The passports in custody go to the buyer whenever
     * the seller is paid something (the buyer keeps the goods), back to the merchant otherwise.
     */
    function _complete(
        Offer calldata offer,
        bytes32 orderId,
        Order memory order,
        Status finalStatus,
        uint256 buyerAmount,
        address arbiter
    ) private {
        order.status = finalStatus;
        _store(orderId, order);
        uint256 sellerPart;
        uint256 fee;
        uint256 sellerAmount;
        // Callers guarantee buyerAmount <= price; price < 2^96 and feeBps <= 1000, so the product fits.
        unchecked {
            sellerPart = offer.price - buyerAmount;
            fee = (sellerPart * order.feeBps) / BPS;
            sellerAmount = sellerPart - fee;
        }
        if (fee != 0) _accruedFees[offer.token] += fee;
        if (finalStatus == Status.Released) emit OrderReleased(orderId, offer.payee, sellerAmount, fee);
        else emit DisputeResolved(orderId, arbiter, buyerAmount, sellerAmount, fee);
        _payout(offer.token, offer.payee, sellerAmount);
        _payout(offer.token, order.buyer, buyerAmount);
        if (order.flags & FLAG_PASSPORTS != 0) {
            if (sellerPart != 0) _releasePassports(orderId, offer.merchant, order.buyer, true);
            else _releasePassports(orderId, offer.merchant, offer.merchant, false);
        }
    }

    /// @dev Sends `account`'s whole credit of `token` to `to`, emitting {CreditWithdrawn} (with
    /// `to == account` and the caller in {CreditPushed} when someone else pushed it).
    function _sendCredit(address token, address account, address to) private {
        uint256 amount = _credits[token][account];
        if (amount == 0) revert NothingToWithdraw(token, account);
        delete _credits[token][account];
        if (msg.sender != account) emit CreditPushed(token, account, msg.sender, amount);
        else emit CreditWithdrawn(token, account, to, amount);
        IERC20(token).safeTransfer(to, amount);
    }

    /// @dev Pushes `amount` to `to`, or credits it when the token refuses (frozen address, hostile hook).
    function _payout(address token, address to, uint256 amount) private {
        if (amount == 0) return;
        if (!IERC20(token).trySafeTransfer(to, amount)) {
            _credits[token][to] += amount;
            emit PayoutCredited(token, to, amount);
        }
    }

    /**
     * @dev Moves the passports the escrow took into custody at {markShipped} to `to`: the buyer
     * (`toBuyer`) or the merchant. The ids are read again from the registry, which stays their source
     * of truth and bounds the list; it writes a shipment's list once, at creation, so this is the list
     * pulled at {markShipped}. A unit the passport contract refuses to move is reported and stays
     * in the escrow: a payout is never blocked by an ERC-721. There is no retry, because a later
     * transfer could not tell that unit apart from one the same merchant ships again in a newer order.
     */
    function _releasePassports(bytes32 orderId, address merchant, address to, bool toBuyer) private {
        uint256[] memory ids = _passportsOf(REGISTRY.shipmentIdOf(merchant, orderId));
        for (uint256 i = 0; i < ids.length; ++i) {
            try PASSPORTS.transferFrom(address(this), to, ids[i]) {
                if (toBuyer) emit PassportHandedOver(orderId, ids[i], to);
                else emit PassportReturned(orderId, ids[i], to);
            } catch {
                if (toBuyer) emit PassportHandOverFailed(orderId, ids[i]);
                else emit PassportReturnFailed(orderId, ids[i]);
            }
        }
    }

    /**
     * @dev Shipped to Delivered in `order` (the caller stores it) once the registry shows the shipment
     * Delivered; the inspection window starts now (see {markDelivered}).
     */
    function _recordDelivery(Offer calldata offer, bytes32 orderId, Order memory order) private {
        (bytes32 shipmentId, IShipmentRegistry.FinalEvent memory delivery) = _evidenceOf(
            offer.merchant,
            orderId
        );
        if (delivery.status != IShipmentRegistry.ShipmentStatus.Delivered) {
            revert InvalidShipmentStatus(orderId, shipmentId, delivery.status);
        }
        if (!_isIndependent(offer, order.buyer, delivery)) {
            if (delivery.carrierSuspended) revert EvidenceCarrierSuspended(orderId, delivery.carrier);
            revert EvidenceFromParty(orderId, delivery.recordedBy, delivery.carrier);
        }
        // paidAt is the stamp while Shipped.
        if (delivery.occurredAt < order.stamp)
            revert DeliveredBeforePayment(orderId, delivery.occurredAt, order.stamp);
        if (delivery.occurredAt > _after(order.stamp, offer.deliverWithin)) order.flags |= FLAG_LATE;
        order.status = Status.Delivered;
        order.stamp = uint40(block.timestamp);
        order.flags |= FLAG_DELIVERED;
        emit OrderDelivered(orderId, delivery.occurredAt, uint40(block.timestamp + offer.inspectionPeriod));
    }

    /**
     * @dev Whether a final event may move this order's money: neither the key that recorded or signed
     * it nor the carrier holding the shipment is the merchant, the payee or the buyer, and that
     * carrier is not suspended now. A party has its own direct action instead (the merchant
     * {refund}, the buyer {confirmReceipt}); the chain cannot see a party's OTHER addresses.
     */
    function _isIndependent(
        Offer calldata offer,
        address buyer,
        IShipmentRegistry.FinalEvent memory evidence
    ) private pure returns (bool) {
        address key = evidence.recordedBy;
        address carrier = evidence.carrier;
        address merchant = offer.merchant;
        address payee = offer.payee;
        return
            !evidence.carrierSuspended &&
            key != merchant &&
            key != payee &&
            key != buyer &&
            carrier != merchant &&
            carrier != payee &&
            carrier != buyer;
    }

    /// @dev The registry derives the id from the shipper and its reference, which for an order is its id.
    function _evidenceOf(
        address merchant,
        bytes32 orderId
    ) private view returns (bytes32 shipmentId, IShipmentRegistry.FinalEvent memory evidence) {
        return REGISTRY.finalEventOf(merchant, orderId);
    }

    function _passportsOf(bytes32 shipmentId) private view returns (uint256[] memory) {
        return REGISTRY.passportsOf(shipmentId);
    }

    function _load(Offer calldata offer) private view returns (bytes32 orderId, Order memory order) {
        orderId = _orderIdOf(offer);
        Order storage stored = _orders[orderId];
        uint256 word;
        assembly ("memory-safe") {
            word := sload(stored.slot)
        }
        order = Order({
            buyer: address(uint160(word)),
            feeBps: uint16(word >> 160),
            status: Status(uint8(word >> 176)),
            stamp: uint40(word >> 184),
            flags: uint8(word >> 224)
        });
    }

    /**
     * @dev Writes the whole order slot with one SSTORE; Solidity copies a memory struct to storage
     * member by member (a read and a write per member), which cost each transition ~900 gas more.
     * The layout is Solidity's own for {Order}, so `_orders` and {getOrder} read it unchanged.
     */
    function _store(bytes32 orderId, Order memory order) private {
        uint256 word =
            uint256(uint160(order.buyer)) |
                (uint256(order.feeBps) << 160) |
                (uint256(uint8(order.status)) << 176) |
                (uint256(order.stamp) << 184) |
                (uint256(order.flags) << 224);
        Order storage stored = _orders[orderId];
        assembly ("memory-safe") {
            sstore(stored.slot, word)
        }
    }

    /**
     * @dev `hashStruct(offer)` hashed straight from calldata: every Offer field is a static 32-byte
     * word, so its EIP-712 encoding is the type hash followed by the 12 calldata words. Skipping the
     * ABI re-encoding saves every call about 500 gas. A field with dirty high bits yields a digest no
     * merchant signed and no order is stored under, and Solidity rejects such a field when it is read.
     */
    function _orderIdOf(Offer calldata offer) private view returns (bytes32) {
        bytes32 typeHash = OFFER_TYPEHASH;
        bytes32 structHash;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, typeHash)
            calldatacopy(add(ptr, 0x20), offer, 0x180)
            structHash := keccak256(ptr, 0x1a0)
        }
        return _hashTypedDataV4(structHash);
    }

    /// @dev `start + period` without an overflow check.
    function _after(uint40 start, uint256 period) private pure returns (uint256) {
        // A uint40 time plus a period below 2^34 (a uint32 offer field, at most plus the grace period) fits.
        unchecked {
            return uint256(start) + period;
        }
    }

    function _requireStatus(bytes32 orderId, Status current, Status expected) private pure {
        if (current != expected) revert InvalidOrderStatus(orderId, current);
    }

    function _requireMerchant(bytes32 orderId, Offer calldata offer) private view {
        if (msg.sender != offer.merchant) revert NotMerchant(orderId, msg.sender, offer.merchant);
    }

    function _requireBuyer(bytes32 orderId, Order memory order) private view {
        if (msg.sender != order.buyer) revert NotBuyer(orderId, msg.sender, order.buyer);
    }

    function _requireParty(bytes32 orderId, Offer calldata offer, Order memory order) private view {
        if (msg.sender != order.buyer && msg.sender != offer.merchant) revert NotParty(orderId, msg.sender);
    }
}
