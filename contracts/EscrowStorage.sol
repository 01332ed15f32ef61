// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IProductPassport} from "./interfaces/IProductPassport.sol";
import {IShipmentRegistry} from "./interfaces/IShipmentRegistry.sol";
import {IWaybillEscrowTypes} from "./interfaces/IWaybillEscrowTypes.sol";

/**
 * @title EscrowStorage
 * @notice The state of {WaybillEscrow}: its role names, constants, immutables, storage layout and
 * the order helpers both the escrow and its {WaybillEscrowExtension} use.
 * @dev The escrow runs the extension's code by delegatecall (disputes, settlements, refund claims,
 * reviews, withdrawals and administration: calls off the common path, kept out of the escrow's
 * bytecode for the EIP-170 limit), so both must lay out storage identically: both inherit this
 * contract first and the extension declares no state of its own. The escrow alone adds OZ's
 * AccessControlDefaultAdminRules AFTER this contract, so its role slots follow every slot here
 * and the extension (which asks the escrow for roles instead) never touches them; keeping that
 * code out of the extension saves ~3 KB of the init code the two share under EIP-3860. The
 * immutables are given the same values in both (the escrow deploys the extension with its own
 * arguments).
 */
abstract contract EscrowStorage is IWaybillEscrowTypes, EIP712, ReentrancyGuardTransient {
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
    /// @notice After the deliver-by deadline plus this period, anyone may push a due refund to the buyer.
    uint32 public constant REFUND_GRACE_PERIOD = 30 days;
    /// @notice The EIP-712 type hash of {IWaybillEscrow-Offer}.
    bytes32 public constant OFFER_TYPEHASH = keccak256(
        "Offer(address merchant,address payee,address buyer,address token,uint96 price,bytes32 detailsHash,"
        "uint32 shipWithin,uint32 deliverWithin,uint32 inspectionPeriod,uint16 maxFeeBps,uint40 expiry,uint256 salt)"
    );

    /// @notice The most bytes of UTF-8 a review's or an evidence's text may carry: about a page,
    /// enough for any review, and it bounds what a caller can make the escrow log.
    uint256 public constant MAX_TEXT_BYTES = 1000;

    /// @dev The EIP-712 type hash of a signed settlement ({IWaybillEscrow-settleWithSignature}).
    bytes32 internal constant SETTLEMENT_TYPEHASH = keccak256(
        "Settlement(bytes32 orderId,uint256 buyerAmount,uint40 deadline)"
    );

    /// @notice The most tokens the escrow ever lists ({_listedTokens}): every carrier-suspension
    /// notice rewrites each listed token's slot, within the gas the registry guarantees it.
    uint256 public constant MAX_LISTED_TOKENS = 8;

    uint256 internal constant BPS = 10_000;
    /// @dev {TokenState-mode}: allowed; every payment measures what arrived (fee-on-transfer guard).
    uint8 internal constant TOKEN_MEASURED = 1;
    /// @dev {TokenState-mode}: allowed and flagged plain: a payment trusts the token's transfer.
    uint8 internal constant TOKEN_PLAIN = 2;
    /// @dev {TokenState-listed} in the token's slot word, Solidity's own layout of {TokenState}
    /// after `mode` (bits 0-7); `suspensionCheckFrom` starts at {TOKEN_CHECK_FROM_SHIFT}. A test
    /// compares both with the layout Solidity gives the struct.
    uint256 internal constant TOKEN_LISTED_BIT = 1 << 8;
    uint256 internal constant TOKEN_CHECK_FROM_SHIFT = 16;
    /// @dev {Order-flags} bit: the shipment carries passports, which the escrow took into custody at
    /// {markShipped}; completing an order without it never reads the registry's passport list.
    uint8 internal constant FLAG_PASSPORTS = 1;
    /// @dev {Order-flags} bit: the buyer has reviewed the order.
    uint8 internal constant FLAG_REVIEWED = 2;
    /// @dev {Order-flags} bit: the escrow recorded the registry's delivery ({markDelivered}), which a
    /// review requires.
    uint8 internal constant FLAG_DELIVERED = 4;
    /// @dev {Order-flags} bit: the recorded delivery happened after paid-at + `deliverWithin`, so the
    /// buyer may still take a full refund within the inspection window.
    uint8 internal constant FLAG_LATE = 8;
    /// @dev {Order-flags} bit: the order ended with the seller paid something (Released, or Resolved
    /// with `buyerAmount` below the held amount), so its passports belong to the buyer, else to the merchant.
    uint8 internal constant FLAG_SELLER_PAID = 16;
    /// @dev {Order-flags} bit: the order has an {_extras} slot (a partial refund or a payout
    /// assignment). Common-path calls read that slot only when this bit is set, so an order that
    /// never uses either pays a bit test, not a cold read.
    uint8 internal constant FLAG_EXTRAS = 32;

    // ---------------------------------------------------------------------- immutables

    /// @notice The shipment registry whose Delivered status releases funds.
    IShipmentRegistry public immutable REGISTRY;
    /// @notice The passport NFT contract handed over on completion (zero if passports are not used).
    IERC721 public immutable PASSPORTS;
    /// @notice How long arbiters have to rule after a dispute before anyone may apply the default ruling.
    uint256 public immutable ARBITRATION_PERIOD;

    // ---------------------------------------------------------------------- storage

    /// @dev Everything `pay` reads besides the order and the token, in one slot:
    /// treasury (20 bytes) | feeBps (2) | paused (1) | registryLinked (1) | lastCarrierSuspensionAt (5).
    /// OZ Pausable would cost `pay` a second cold read. The last two are the source of truth for
    /// the registry's notices ({WaybillEscrowExtension-recordRegistryLink},
    /// {WaybillEscrowExtension-recordCarrierSuspension}); `release` reads their copy in the
    /// order's {TokenState} instead, a slot it rewrites anyway for the fee.
    struct Config {
        address treasury;
        uint16 feeBps;
        bool paused;
        bool registryLinked;
        uint40 lastCarrierSuspensionAt;
    }

    /**
     * @dev Everything the escrow keeps per token, in one slot: mode (1 byte) | listed (1) |
     * suspensionCheckFrom (5) | accruedFees (25). `pay` reads `mode`; `release` reads
     * `suspensionCheckFrom` and adds its fee to `accruedFees` in the same slot, which it would
     * otherwise read and write for the fee alone, so the suspension check costs it nothing more.
     * - `mode`: 0 = not allowed, {TOKEN_MEASURED} = allowed, each payment's arrival measured,
     *   {TOKEN_PLAIN} = allowed and flagged plain by the token manager (no fee on transfer).
     * - `listed`: in {_listedTokens} (set when first allowed, never cleared: a delisted token's
     *   open orders still release). It also keeps the slot non-zero, so a notice's rewrite never
     *   pays for a fresh slot.
     * - `suspensionCheckFrom`: {Config}'s latest suspension time while the registry is linked,
     *   `type(uint40).max` while not; release reads the registry for a delivery recorded at or
     *   before it. Kept equal to {Config} by the registry's notices, which rewrite every listed
     *   token, and by a first listing, which copies the current value.
     * - `accruedFees`: the token's unwithdrawn fees. Each order adds below 2^93 (a uint96 price at
     *   most 10%), so 2^200 cannot be reached.
     */
    struct TokenState {
        uint8 mode;
        bool listed;
        uint40 suspensionCheckFrom;
        uint200 accruedFees;
    }

    /// @dev count (16 bytes) | sum (16 bytes) in one slot.
    struct Rating {
        uint128 count;
        uint128 sum;
    }

    /**
     * @dev An order's second slot, created by its first partial refund or payout assignment:
     * payoutHolder (20 bytes, zero while unassigned: the offer's payee holds the payout) |
     * refunded (12, the sum of partial refunds; below the price, a uint96).
     */
    struct OrderExtras {
        address payoutHolder;
        uint96 refunded;
    }

    /// @dev An on-chain settlement proposal: proposer (20 bytes) | buyerAmount (12, at most the price).
    struct SettlementProposal {
        address proposer;
        uint96 buyerAmount;
    }

    Config internal _config;
    mapping(bytes32 orderId => Order) internal _orders;
    mapping(address token => TokenState) internal _tokens;
    /// @dev Every token ever allowed, in the order first allowed; at most {MAX_LISTED_TOKENS}.
    address[] internal _listedTokens;
    mapping(address token => mapping(address account => uint256)) internal _credits;
    mapping(address merchant => Rating) internal _ratings;
    /// @dev Read only when the order's {FLAG_EXTRAS} is set; see {_extrasOf}.
    mapping(bytes32 orderId => OrderExtras) internal _extras;
    mapping(bytes32 orderId => SettlementProposal) internal _settlements;
    /// @dev keccak256(abi.encode(signer, settlement digest)) => revoked by its signer.
    mapping(bytes32 key => bool) internal _cancelledSettlements;
    /// @dev Units the passport contract refused to move when their order ended, so they stay in
    /// the escrow: written only on that failure path ({_releasePassports}) and cleared by the
    /// hand-over that succeeds ({WaybillEscrowExtension-retryPassportHandOver}). A unit in custody
    /// leaves only through those two, so a record always means the unit is still here for that
    /// order, never a unit that left and came back on a newer one.
    mapping(bytes32 orderId => mapping(uint256 tokenId => bool)) internal _pendingHandOvers;

    // ---------------------------------------------------------------------- construction

    /**
     * @param registry The shipment registry.
     * @param passports The passport NFT contract, or zero.
     * @param arbitrationPeriod Seconds arbiters have to rule on a dispute.
     */
    constructor(
        IShipmentRegistry registry,
        IERC721 passports,
        uint32 arbitrationPeriod
    ) EIP712("Waybill Escrow", "1") {
        REGISTRY = registry;
        PASSPORTS = passports;
        ARBITRATION_PERIOD = arbitrationPeriod;
    }

    // ---------------------------------------------------------------------- internals

    /// @dev Returns the held amount to the buyer and the passports in custody to the merchant.
    function _refund(
        Offer calldata offer,
        bytes32 orderId,
        Order memory order,
        RefundReason reason
    ) internal {
        uint256 held = offer.price;
        if (order.flags & FLAG_EXTRAS != 0) {
            (, uint256 refunded) = _extrasOf(orderId);
            // Partial refunds stay below the price.
            unchecked {
                held -= refunded;
            }
        }
        order.status = Status.Refunded;
        _store(orderId, order);
        emit OrderRefunded(orderId, order.buyer, held, reason);
        _payout(offer.token, order.buyer, held);
        if (order.flags & FLAG_PASSPORTS != 0) {
            _releasePassports(orderId, offer.merchant, offer.merchant, false);
        }
    }

    /**
     * @dev Ends the order in `finalStatus` (Released, or Resolved by a ruling or a settlement) with
     * `buyerAmount` to the buyer and the rest of the held amount to the payout holder less the fee,
     * which is rounded down so the platform never takes more than its rate, and charged only on
     * the seller's part. Stores the order and the fee; the caller emits its event with the returned
     * figures and then pays with {_disburse}, so every event precedes the transfers it announces.
     */
    function _close(
        Offer calldata offer,
        bytes32 orderId,
        Order memory order,
        Status finalStatus,
        uint256 buyerAmount
    ) internal returns (address holder, uint256 sellerAmount, uint256 fee) {
        uint256 held;
        (holder, held) = _payoutTerms(offer, orderId, order);
        if (buyerAmount > held) revert BuyerAmountTooHigh(buyerAmount, held);
        order.status = finalStatus;
        // Where the passports go, kept for {WaybillEscrowExtension-retryPassportHandOver}: the
        // order does not store the split. Same slot, same write.
        if (buyerAmount < held) order.flags |= FLAG_SELLER_PAID;
        _store(orderId, order);
        // buyerAmount <= held <= price < 2^96 and feeBps <= 1000, so nothing overflows; the fee
        // sum stays far below 2^200 (see {TokenState}).
        unchecked {
            uint256 sellerPart = held - buyerAmount;
            fee = (sellerPart * order.feeBps) / BPS;
            sellerAmount = sellerPart - fee;
            if (fee != 0) _tokens[offer.token].accruedFees += uint200(fee);
        }
    }

    /**
     * @dev Pays what {_close} settled: `sellerAmount` to `holder`, `buyerAmount` to the buyer. The
     * passports in custody go to the buyer whenever the seller was paid something (the buyer keeps
     * the goods), back to the merchant otherwise.
     */
    function _disburse(
        Offer calldata offer,
        bytes32 orderId,
        Order memory order,
        address holder,
        uint256 sellerAmount,
        uint256 buyerAmount
    ) internal {
        _payout(offer.token, holder, sellerAmount);
        _payout(offer.token, order.buyer, buyerAmount);
        if (order.flags & FLAG_PASSPORTS != 0) {
            if (order.flags & FLAG_SELLER_PAID != 0)
                _releasePassports(orderId, offer.merchant, order.buyer, true);
            else _releasePassports(orderId, offer.merchant, offer.merchant, false);
        }
    }

    /**
     * @dev The order's assigned payout holder (zero while unassigned) and partial refunds, in one
     * SLOAD of the packed word as {_load} does for the order. Callers read it only when the order's
     * {FLAG_EXTRAS} says the slot exists, testing the bit themselves rather than in here: an order
     * that never used either then pays the bit test alone, without this call's overhead.
     */
    function _extrasOf(bytes32 orderId) internal view returns (address assigned, uint256 refunded) {
        OrderExtras storage extras = _extras[orderId];
        uint256 word;
        assembly ("memory-safe") {
            word := sload(extras.slot)
        }
        return (address(uint160(word)), word >> 160);
    }

    /// @dev Writes the {_extras} slot with one SSTORE (see {_store}), in Solidity's own layout.
    function _storeExtras(bytes32 orderId, address assigned, uint256 refunded) internal {
        OrderExtras storage extras = _extras[orderId];
        uint256 word = uint256(uint160(assigned)) | (refunded << 160);
        assembly ("memory-safe") {
            sstore(extras.slot, word)
        }
    }

    /// @dev Who is paid the seller's part (the assigned holder, else the payee) and what the escrow
    /// holds for the order (its price less partial refunds, which always stay below the price).
    function _payoutTerms(
        Offer calldata offer,
        bytes32 orderId,
        Order memory order
    ) internal view returns (address holder, uint256 held) {
        holder = offer.payee;
        held = offer.price;
        if (order.flags & FLAG_EXTRAS != 0) {
            (address assigned, uint256 refunded) = _extrasOf(orderId);
            if (assigned != address(0)) holder = assigned;
            unchecked {
                held -= refunded;
            }
        }
    }

    /// @dev The seller side: the assigned payout holder, else the merchant.
    function _sellerSideOf(
        Offer calldata offer,
        bytes32 orderId,
        Order memory order
    ) internal view returns (address sellerSide) {
        sellerSide = offer.merchant;
        if (order.flags & FLAG_EXTRAS != 0) {
            (address assigned, ) = _extrasOf(orderId);
            if (assigned != address(0)) sellerSide = assigned;
        }
    }

    function _requireSellerSide(bytes32 orderId, Offer calldata offer, Order memory order) internal view {
        address sellerSide = _sellerSideOf(offer, orderId, order);
        if (msg.sender != sellerSide) revert NotSellerSide(orderId, msg.sender, sellerSide);
    }

    /// @dev The EIP-712 digest of `Settlement(orderId, buyerAmount, deadline)` in the escrow's domain.
    function _settlementDigest(
        bytes32 orderId,
        uint256 buyerAmount,
        uint40 deadline
    ) internal view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(SETTLEMENT_TYPEHASH, orderId, buyerAmount, deadline)));
    }

    /// @dev Paid, Shipped, Delivered or Disputed: the states in which the escrow holds the order's money.
    function _requireOpen(bytes32 orderId, Status current) internal pure {
        if (current < Status.Paid || current > Status.Disputed) revert InvalidOrderStatus(orderId, current);
    }

    /// @dev Pushes `amount` to `to`, or credits it when the token refuses (frozen address, hostile hook).
    function _payout(address token, address to, uint256 amount) internal {
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
     * pulled at {markShipped}. A unit the passport contract refuses to move is reported, stays in
     * the escrow and is recorded in {_pendingHandOvers} for
     * {WaybillEscrowExtension-retryPassportHandOver}: a payout is never blocked by an ERC-721, and
     * the hand-overs that succeed write nothing.
     */
    function _releasePassports(bytes32 orderId, address merchant, address to, bool toBuyer) internal {
        uint256[] memory ids = _passportsOf(REGISTRY.shipmentIdOf(merchant, orderId));
        for (uint256 i = 0; i < ids.length; ++i) {
            try PASSPORTS.transferFrom(address(this), to, ids[i]) {
                if (toBuyer) emit PassportHandedOver(orderId, ids[i], to);
                else emit PassportReturned(orderId, ids[i], to);
            } catch {
                _pendingHandOvers[orderId][ids[i]] = true;
                if (toBuyer) emit PassportHandOverFailed(orderId, ids[i]);
                else emit PassportReturnFailed(orderId, ids[i]);
            }
        }
    }

    /// @dev Pulls the shipment's passports from the merchant into custody (see {WaybillEscrowExtension-markShipped}
    /// and {WaybillEscrow-ship}).
    function _takeCustody(bytes32 orderId, address merchant, uint256[] memory ids) internal {
        for (uint256 i = 0; i < ids.length; ++i) {
            // A recalled unit must not be sold; a plain registry shipment (a return) may still carry it.
            if (IProductPassport(address(PASSPORTS)).isRecalled(ids[i]))
                revert PassportRecalled(orderId, ids[i]);
            PASSPORTS.transferFrom(merchant, address(this), ids[i]);
        }
    }

    /**
     * @dev Shipped to Delivered in `order` (the caller stores it) once the registry shows the shipment
     * Delivered; the inspection window starts now (see {markDelivered}).
     */
    function _recordDelivery(Offer calldata offer, bytes32 orderId, Order memory order) internal {
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
    ) internal pure returns (bool) {
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
    ) internal view returns (bytes32 shipmentId, IShipmentRegistry.FinalEvent memory evidence) {
        return REGISTRY.finalEventOf(merchant, orderId);
    }

    function _passportsOf(bytes32 shipmentId) internal view returns (uint256[] memory) {
        return REGISTRY.passportsOf(shipmentId);
    }

    function _load(Offer calldata offer) internal view returns (bytes32 orderId, Order memory order) {
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
    function _store(bytes32 orderId, Order memory order) internal {
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
     * The typed-data digest is then OZ's `toTypedDataHash` in the same block, which saves every
     * call two internal calls (~100 gas); the domain separator is OZ's, cached and fork-safe.
     */
    function _orderIdOf(Offer calldata offer) internal view returns (bytes32 orderId) {
        bytes32 typeHash = OFFER_TYPEHASH;
        bytes32 domainSeparator = _domainSeparatorV4();
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, typeHash)
            calldatacopy(add(ptr, 0x20), offer, 0x180)
            let structHash := keccak256(ptr, 0x1a0)
            // keccak256("\x19\x01" ‖ domainSeparator ‖ structHash), in scratch memory past the
            // free pointer that is never claimed (so it stays memory-safe).
            mstore(ptr, hex"1901")
            mstore(add(ptr, 0x02), domainSeparator)
            mstore(add(ptr, 0x22), structHash)
            orderId := keccak256(ptr, 0x42)
        }
    }

    /// @dev `start + period` without an overflow check.
    function _after(uint40 start, uint256 period) internal pure returns (uint256) {
        // A uint40 time plus a period below 2^34 (a uint32 offer field, at most plus the grace period) fits.
        unchecked {
            return uint256(start) + period;
        }
    }

    function _requireStatus(bytes32 orderId, Status current, Status expected) internal pure {
        if (current != expected) revert InvalidOrderStatus(orderId, current);
    }

    function _requireMerchant(bytes32 orderId, Offer calldata offer) internal view {
        if (msg.sender != offer.merchant) revert NotMerchant(orderId, msg.sender, offer.merchant);
    }

    function _requireBuyer(bytes32 orderId, Order memory order) internal view {
        if (msg.sender != order.buyer) revert NotBuyer(orderId, msg.sender, order.buyer);
    }

    function _requireParty(bytes32 orderId, Offer calldata offer, Order memory order) internal view {
        if (msg.sender != order.buyer && msg.sender != offer.merchant) revert NotParty(orderId, msg.sender);
    }
}
