// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC3009} from "@openzeppelin/contracts/interfaces/draft-IERC3009.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IRegistryListener} from "./interfaces/IRegistryListener.sol";
import {IShipmentRegistry} from "./interfaces/IShipmentRegistry.sol";
import {IWaybillEscrow} from "./interfaces/IWaybillEscrow.sol";
import {EscrowStorage} from "./EscrowStorage.sol";
import {WaybillEscrowExtension} from "./WaybillEscrowExtension.sol";

/**
 * @title WaybillEscrow
 * @notice Holds a buyer's stablecoins until the shipment registry shows the goods delivered and the
 * buyer's inspection window closes, then pays the merchant's payee (or whoever the payout was
 * assigned to) minus the platform fee. The parties may also settle on a split themselves, and the
 * seller side may refund part of the price without ending the order. Every
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
 * Accounting invariant per token: balance == open orders' held amounts (price less partial
 * refunds) + credits + accrued fees.
 *
 * Split by responsibility to keep well below the EIP-170 size limit, with no linking and one
 * deployment: the common path (pay, ship, deliver, confirm, release, refund, partial refunds, payout
 * assignment, views) runs here; the constructor deploys {WaybillEscrowExtension}, which runs the
 * calls off that path (cancellation, refund claims, disputes, settlements, reviews, withdrawals,
 * administration, the registry's notices, and `markShipped`, which links a shipment created
 * elsewhere) by delegatecall on this contract's storage, laid out once in {EscrowStorage}.
 * Callers only ever talk to this contract.
 */
// EscrowStorage first: its slots must come before the access control's (see {EscrowStorage}).
contract WaybillEscrow is IWaybillEscrow, EscrowStorage, AccessControlDefaultAdminRules {
    using SafeERC20 for IERC20;

    // ---------------------------------------------------------------------- constants

    /// @notice The shortest inspection window an offer may set. A buyer abroad may receive the parcel
    /// at night in their time zone, at a neighbour's, or over a weekend: one day lets them open it
    /// and dispute before anyone can release the payment, where zero would make disputes impossible.
    uint32 public constant MIN_INSPECTION_PERIOD = 1 days;

    /// @notice The longest delivery or inspection period an offer may set, so no order holds funds for decades.
    uint32 public constant MAX_PERIOD = 365 days;
    /// @dev Runs the calls off the common path (see {WaybillEscrowExtension}) by delegatecall.
    address private immutable _EXTENSION;

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
    )
        EscrowStorage(registry, passports, arbitrationPeriod)
        AccessControlDefaultAdminRules(initialAdminDelay, admin)
    {
        if (address(registry) == address(0) || treasury == address(0)) revert ZeroAddress();
        if (arbitrationPeriod == 0 || arbitrationPeriod > MAX_PERIOD)
            revert InvalidArbitrationPeriod(arbitrationPeriod);
        if (feeBps > MAX_FEE_BPS) revert FeeTooHigh(feeBps, MAX_FEE_BPS);
        _EXTENSION = address(new WaybillEscrowExtension(registry, passports, arbitrationPeriod));
        _config = Config({
            treasury: treasury,
            feeBps: feeBps,
            paused: false,
            registryLinked: false,
            lastCarrierSuspensionAt: 0
        });
        emit TreasuryUpdated(address(0), treasury);
        emit FeeUpdated(0, feeBps);
    }

    // ---------------------------------------------------------------------- payment

    /// @inheritdoc IWaybillEscrow
    function pay(
        Offer calldata offer,
        bytes calldata signature
    ) external nonReentrant returns (bytes32 orderId) {
        bool plain;
        (orderId, plain) = _openOrder(offer, signature, msg.sender);
        _pull(IERC20(offer.token), offer.price, plain);
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
        bool plain;
        (orderId, plain) = _openOrder(offer, signature, msg.sender);
        // Anyone who saw the permit in the mempool may have submitted it first; the allowance it
        // granted is what matters, so a failed permit is ignored and the pull below decides.
        try
            IERC20Permit(offer.token).permit(msg.sender, address(this), offer.price, deadline, v, r, s)
        {} catch {}
        _pull(IERC20(offer.token), offer.price, plain);
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
        bool plain;
        (orderId, plain) = _openOrder(offer, signature, buyer);
        uint256 balanceBefore = plain ? 0 : IERC20(offer.token).balanceOf(address(this));
        _receiveAuthorized(offer, orderId, buyer, validAfter, validBefore, v, r, s);
        if (!plain) _checkReceived(IERC20(offer.token), balanceBefore, offer.price);
    }

    /**
     * @dev The ERC-3009 pull of {payWithAuthorization} (measured by the caller unless the token is
     * plain, see {_pull}); a function of its own for the stack. The nonce is the order id and the value the
     * price: the buyer's signature covers both, so the authorization pays this order and no other.
     */
    function _receiveAuthorized(
        Offer calldata offer,
        bytes32 orderId,
        address buyer,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) private {
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
    }

    /**
     * @inheritdoc IWaybillEscrow
     * @dev The registry trusts this contract to create shipments in a shipper's name
     * ({IShipmentRegistry-createShipmentFor}); this is the only call that does, and only for the
     * caller's own order: the caller must be the offer's merchant, the order Paid and within its
     * ship-by deadline, and the reference the order id, so the shipment is exactly the one the
     * merchant could have created itself and {markShipped} would then have linked. The registry has
     * the passport contract check the merchant owns each unit and none is stolen; the escrow then
     * takes them into custody as {markShipped} does. The order is stored Shipped before the external
     * calls, and the call is `nonReentrant`.
     */
    function ship(
        Offer calldata offer,
        IShipmentRegistry.NewShipment calldata shipment
    ) external nonReentrant {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireStatus(orderId, order.status, Status.Paid);
        _requireMerchant(orderId, offer);
        uint256 deadline = _after(order.stamp, offer.shipWithin);
        if (block.timestamp > deadline) revert ShipByDeadlinePassed(orderId, deadline);
        if (shipment.shipperRef != orderId) revert ShipmentRefNotOrder(orderId, shipment.shipperRef);
        uint256 count = shipment.passportIds.length;
        bool hasPassports = count != 0;
        if (hasPassports) {
            // An escrow without a passport contract cannot take custody, whatever the registry accepts.
            if (address(PASSPORTS) == address(0)) revert IShipmentRegistry.PassportsNotEnabled();
            if (!PASSPORTS.isApprovedForAll(offer.merchant, address(this)))
                revert PassportsNotApproved(offer.merchant);
            order.flags |= FLAG_PASSPORTS;
        }
        order.status = Status.Shipped;
        _store(orderId, order);
        bytes32 shipmentId = REGISTRY.createShipmentFor(offer.merchant, shipment);
        emit OrderShipped(orderId, shipmentId, hasPassports);
        if (hasPassports) _takeCustody(orderId, offer.merchant, shipment.passportIds);
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
        _release(offer, orderId, order);
    }

    /// @inheritdoc IWaybillEscrow
    function release(Offer calldata offer) external nonReentrant {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireStatus(orderId, order.status, Status.Delivered);
        uint256 endsAt = _after(order.stamp, offer.inspectionPeriod);
        if (block.timestamp < endsAt) revert InspectionWindowOpen(orderId, endsAt);
        // Only the suspension matters here: markDelivered checked everything else, and a final
        // event never changes. markDelivered also refused a carrier suspended then (the stamp is
        // when it ran), so only a suspension since can matter, and a linked registry reports every
        // one. The token's copy of the latest (max while unlinked) is in the slot that {_close}
        // then rewrites for the fee, so this read is its only cold one. Equal seconds read the
        // registry: the suspension may have come after the delivery.
        if (_tokens[offer.token].suspensionCheckFrom >= order.stamp) {
            // The lean view skips the struct round trip of {finalEventOf}.
            (address carrier, bool suspended) = REGISTRY.carrierStandingOf(offer.merchant, orderId);
            if (suspended) revert EvidenceCarrierSuspended(orderId, carrier);
        }
        _release(offer, orderId, order);
    }

    /// @inheritdoc IWaybillEscrow
    function refund(Offer calldata offer) external nonReentrant {
        (bytes32 orderId, Order memory order) = _load(offer);
        if (order.status != Status.Paid && order.status != Status.Shipped) {
            revert InvalidOrderStatus(orderId, order.status);
        }
        _requireSellerSide(orderId, offer, order);
        _refund(offer, orderId, order, RefundReason.MerchantCancelled);
    }

    /**
     * @inheritdoc IWaybillEscrow
     * @dev Here rather than in the extension: no delegatecall (a cold account, 2,600 gas) on a
     * call a merchant may make on many orders. The first one creates the order's extras slot.
     */
    function partialRefund(Offer calldata offer, uint256 amount) external nonReentrant {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireOpen(orderId, order.status);
        bool hasExtras = order.flags & FLAG_EXTRAS != 0;
        address assigned;
        uint256 refunded;
        if (hasExtras) (assigned, refunded) = _extrasOf(orderId);
        address sellerSide = assigned == address(0) ? offer.merchant : assigned;
        if (msg.sender != sellerSide) revert NotSellerSide(orderId, msg.sender, sellerSide);
        // refunded stays below the price (each partial refund is below what is held).
        uint256 held;
        unchecked {
            held = offer.price - refunded;
        }
        if (amount == 0 || amount >= held) revert InvalidPartialRefund(orderId, amount, held);
        unchecked {
            refunded += amount;
        }
        _storeExtras(orderId, assigned, refunded);
        if (!hasExtras) {
            order.flags |= FLAG_EXTRAS;
            _store(orderId, order);
        }
        emit PartialRefund(orderId, order.buyer, amount, refunded);
        _payout(offer.token, order.buyer, amount);
    }

    /**
     * @inheritdoc IWaybillEscrow
     * @dev No token moves, so no reentrancy guard. Works on the two raw slot words rather than
     * through {_load} and {_extrasOf}: a financier passing a payout on pays for the order and
     * extras reads, the extras write and the event (about 9,300 gas of the ~13,000 above the
     * calldata), and building the {Order} struct in memory was a fifth of the rest. The bit
     * positions are {_store}'s and {_storeExtras}'s. The first assignment creates the extras slot.
     */
    function assignPayout(Offer calldata offer, address to) external {
        bytes32 orderId = _orderIdOf(offer);
        Order storage stored = _orders[orderId];
        uint256 word;
        assembly ("memory-safe") {
            word := sload(stored.slot)
        }
        uint8 status = uint8(word >> 176);
        // Paid (1) to Disputed (4); None wraps around and fails too.
        unchecked {
            if (status - 1 > 3) revert InvalidOrderStatus(orderId, Status(status));
        }
        bool hasExtras = uint8(word >> 224) & FLAG_EXTRAS != 0;
        OrderExtras storage extras = _extras[orderId];
        uint256 extrasWord;
        if (hasExtras) {
            assembly ("memory-safe") {
                extrasWord := sload(extras.slot)
            }
        }
        address holder = address(uint160(extrasWord));
        if (holder == address(0)) holder = offer.payee;
        if (msg.sender != holder) revert NotPayoutHolder(orderId, msg.sender, holder);
        if (to == address(0) || to == address(this) || to == holder) revert InvalidRecipient(to);
        // Keep `refunded` (bits 160-255), replace the holder.
        extrasWord = ((extrasWord >> 160) << 160) | uint160(to);
        assembly ("memory-safe") {
            sstore(extras.slot, extrasWord)
        }
        if (!hasExtras) {
            word |= uint256(FLAG_EXTRAS) << 224;
            assembly ("memory-safe") {
                sstore(stored.slot, word)
            }
        }
        emit PayoutAssigned(orderId, holder, to);
    }

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
        return _tokens[token].accruedFees;
    }

    /// @inheritdoc IWaybillEscrow
    function isTokenAllowed(address token) external view returns (bool) {
        return _tokens[token].mode != 0;
    }

    /// @inheritdoc IWaybillEscrow
    function isTokenPlain(address token) external view returns (bool) {
        return _tokens[token].mode == TOKEN_PLAIN;
    }

    /// @inheritdoc IWaybillEscrow
    function ratingOf(address merchant) external view returns (uint256 count, uint256 sum) {
        Rating memory merchantRating = _ratings[merchant];
        return (merchantRating.count, merchantRating.sum);
    }

    /// @inheritdoc IWaybillEscrow
    function orderExtrasOf(bytes32 orderId) external view returns (address payoutHolder, uint256 refunded) {
        OrderExtras memory extras = _extras[orderId];
        return (extras.payoutHolder, extras.refunded);
    }

    /// @inheritdoc IWaybillEscrow
    function config() external view returns (uint16 feeBps, address treasury, bool paused) {
        Config memory current = _config;
        return (current.feeBps, current.treasury, current.paused);
    }

    /// @inheritdoc IWaybillEscrow
    function registryLink() external view returns (bool linked, uint256 lastCarrierSuspensionAt) {
        return (_config.registryLinked, _config.lastCarrierSuspensionAt);
    }

    /// @dev Checks an offer can be paid by `buyer` and records the order; the caller pulls the funds.
    function _openOrder(
        Offer calldata offer,
        bytes calldata signature,
        address buyer
    ) private returns (bytes32 orderId, bool plain) {
        orderId = _orderIdOf(offer);
        Status current = _orders[orderId].status;
        if (current != Status.None) revert InvalidOrderStatus(orderId, current);
        Config memory cfg = _config;
        if (cfg.paused) revert PaymentsPaused();
        uint8 tokenMode = _tokens[offer.token].mode;
        if (tokenMode == 0) revert TokenNotAllowed(offer.token);
        plain = tokenMode == TOKEN_PLAIN;
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
        if (!_isMerchantSignature(offer.merchant, orderId, signature)) {
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
        _emitOrderPaid(orderId, offer, buyer, cfg.feeBps);
    }

    /**
     * @dev ecrecover first, ERC-1271 only when it does not name the merchant: an EOA merchant's
     * offer is then checked without reading the merchant's code (a cold account, 2,600 gas), which
     * OZ's `isValidSignatureNowCalldata` reads first for every signer. A contract merchant pays one
     * failed recovery (~3,000 gas) before its `isValidSignature`. A signature recovering to a
     * contract's address is not possible without its private key, so the order of checks accepts
     * exactly what OZ's does.
     */
    function _isMerchantSignature(
        address merchant,
        bytes32 orderId,
        bytes calldata signature
    ) private view returns (bool) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(orderId, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == merchant) return true;
        return SignatureChecker.isValidERC1271SignatureNowCalldata(merchant, orderId, signature);
    }

    /// @dev {OrderPaid} in its packed layout (see the event); a function of its own for the stack.
    function _emitOrderPaid(bytes32 orderId, Offer calldata offer, address buyer, uint16 feeBps) private {
        emit OrderPaid(
            orderId,
            offer.merchant,
            buyer,
            (uint256(uint160(offer.payee)) << 96) | offer.price,
            (uint256(uint160(offer.token)) << 96) |
                (uint256(offer.shipWithin) << 64) |
                (uint256(offer.deliverWithin) << 32) |
                offer.inspectionPeriod,
            offer.detailsHash,
            offer.salt,
            (offer.buyer == address(0) ? uint256(1) << 72 : 0) |
                (uint256(offer.maxFeeBps) << 56) |
                (uint256(offer.expiry) << 16) |
                feeBps
        );
    }

    /// @dev Pays the payout holder (see {_close}); {confirmReceipt} and {release} share it.
    function _release(Offer calldata offer, bytes32 orderId, Order memory order) private {
        (address holder, uint256 sellerAmount, uint256 fee) = _close(
            offer,
            orderId,
            order,
            Status.Released,
            0
        );
        emit OrderReleased(orderId, holder, sellerAmount, fee);
        _disburse(offer, orderId, order, holder, sellerAmount, 0);
    }

    /**
     * @dev Pulls `price` from the caller, measuring what actually arrived unless the token manager
     * flagged the token plain ({setTokensPlain}): the two balance reads cost every payment about
     * 1,400 gas (measured), which a token known to move exact amounts (Circle's USDC and EURC
     * today) need not pay. Every other allowed token keeps the fee-on-transfer guard.
     */
    function _pull(IERC20 token, uint256 price, bool plain) private {
        if (plain) {
            token.safeTransferFrom(msg.sender, address(this), price);
            return;
        }
        uint256 balanceBefore = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), price);
        _checkReceived(token, balanceBefore, price);
    }

    /// @dev Rejects tokens that deliver less (or more) than the price, such as fee-on-transfer tokens.
    function _checkReceived(IERC20 token, uint256 balanceBefore, uint256 price) private view {
        uint256 received = token.balanceOf(address(this)) - balanceBefore;
        if (received != price) revert AmountNotReceived(address(token), price, received);
    }

    // ---------------------------------------------------------------------- extension

    /// @inheritdoc IWaybillEscrow
    function markShipped(Offer calldata) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function cancelOffer(Offer calldata) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function claimRefund(Offer calldata) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function openDispute(Offer calldata) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function submitEvidence(Offer calldata, bytes32, string calldata, string calldata) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function resolveDispute(Offer calldata, uint256) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function applyDefaultRuling(Offer calldata) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function review(Offer calldata, uint8, string calldata) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function proposeSettlement(Offer calldata, uint256) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function withdrawSettlement(Offer calldata) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function acceptSettlement(Offer calldata, uint256) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function settleWithSignature(Offer calldata, uint256, uint40, bytes calldata) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function cancelSettlementSignature(Offer calldata, uint256, uint40) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function retryPassportHandOver(Offer calldata) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function withdrawCredit(address, address) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function pushCredit(address, address) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function withdrawFees(address) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function setFeeBps(uint16) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function setTreasury(address) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function setTokenAllowed(address, bool) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function setTokensPlain(address[] calldata, bool) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function setTokensAllowed(address[] calldata, bool) external {
        _delegateToExtension();
    }

    /// @inheritdoc IRegistryListener
    function recordRegistryLink() external {
        _delegateToExtension();
    }

    /// @inheritdoc IRegistryListener
    function recordCarrierSuspension(address) external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function pause() external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function unpause() external {
        _delegateToExtension();
    }

    /// @inheritdoc IWaybillEscrow
    function settlementOf(bytes32) external view returns (address, uint256) {
        function() internal view returns (address, uint256) delegated;
        function() internal delegateCall = _delegateToExtension;
        // See {settlementDigest}.
        assembly {
            delegated := delegateCall
        }
        return delegated();
    }

    /// @inheritdoc IWaybillEscrow
    /// @dev Solidity will not let a view delegatecall, since a delegatecall could write; the
    /// extension's views write nothing, and under a static call (eth_call, another contract's
    /// view) the EVM refuses any write regardless. So {_delegateToExtension} is called through a
    /// view-typed pointer; it never returns to Solidity, so the typed results are never read.
    function settlementDigest(bytes32, uint256, uint40) external view returns (bytes32) {
        function() internal view returns (bytes32) delegated;
        function() internal delegateCall = _delegateToExtension;
        assembly {
            delegated := delegateCall
        }
        return delegated();
    }

    /**
     * @dev Runs the call's own calldata as {WaybillEscrowExtension} code on this contract's storage
     * and answers with its output or revert: the same ABI, so the same result as running it here.
     * The block overwrites memory from zero and is not memory-safe, which is harmless: it never
     * returns to Solidity code.
     */
    function _delegateToExtension() private {
        address extension = _EXTENSION;
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), extension, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) {
                revert(0, returndatasize())
            }
            return(0, returndatasize())
        }
    }
}
