// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {EscrowStorage} from "./EscrowStorage.sol";
import {IShipmentRegistry} from "./interfaces/IShipmentRegistry.sol";

/**
 * @title WaybillEscrowExtension
 * @notice The calls of {WaybillEscrow} off the common path: offer cancellation, linking a shipment
 * created elsewhere ({markShipped}), refund claims, disputes and rulings, settlements, reviews,
 * withdrawals, administration and the registry's notices. The escrow deploys this contract
 * in its constructor and runs these functions here by delegatecall; each is documented at its
 * {IWaybillEscrow} declaration.
 * @dev Runs only in the escrow's context: storage, `msg.sender`, the reentrancy lock (transient
 * storage) and emitted events are the escrow's, EIP-712 rebuilds the escrow's domain for
 * `address(this)`, and roles are asked of the escrow (`address(this)`), which alone holds the
 * access control. Called directly, it acts on its own empty storage, where no order exists, and
 * its role checks call itself, which has no `hasRole`, so every function reverts or moves nothing.
 */
contract WaybillEscrowExtension is EscrowStorage {
    using SafeERC20 for IERC20;

    /**
     * @param registry The escrow's shipment registry.
     * @param passports The escrow's passport contract, or zero.
     * @param arbitrationPeriod The escrow's arbitration period.
     */
    constructor(
        IShipmentRegistry registry,
        IERC721 passports,
        uint32 arbitrationPeriod
    ) EscrowStorage(registry, passports, arbitrationPeriod) {}

    /// @dev OZ AccessControl's DEFAULT_ADMIN_ROLE, which only the escrow inherits.
    bytes32 private constant DEFAULT_ADMIN_ROLE = 0x00;

    /**
     * @dev OZ's `onlyRole`, answered by the escrow: in its context `address(this)` is the escrow,
     * whose own `hasRole` reads its role slots (a warm self-call, ~1,000 gas on calls only
     * arbiters and administrators make), and the revert is the one OZ's modifier gives.
     */
    modifier onlyRole(bytes32 role) {
        if (!IAccessControl(address(this)).hasRole(role, msg.sender))
            revert IAccessControl.AccessControlUnauthorizedAccount(msg.sender, role);
        _;
    }

    /**
     * @notice See {IWaybillEscrow}. Runs in the escrow's context: the path for a shipment created
     * elsewhere, off the common path since the escrow's one-call `ship`.
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
        if (hasPassports) _takeCustody(orderId, offer.merchant, ids);
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    function cancelOffer(Offer calldata offer) external {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireStatus(orderId, order.status, Status.None);
        _requireMerchant(orderId, offer);
        order.status = Status.Cancelled;
        _store(orderId, order);
        emit OfferCancelled(orderId, msg.sender);
    }

    /**
     * @notice See {IWaybillEscrow}. Runs in the escrow's context.
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
    ) internal view returns (RefundReason reason, uint256 dueAt, uint256 openToAllAt) {
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

    /**
     * @notice See {IWaybillEscrow}. Runs in the escrow's context.
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

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    function submitEvidence(
        Offer calldata offer,
        bytes32 evidenceHash,
        string calldata evidenceURI,
        string calldata text
    ) external {
        (bytes32 orderId, Order memory order) = _load(offer);
        if (order.status != Status.Delivered && order.status != Status.Disputed) {
            revert InvalidOrderStatus(orderId, order.status);
        }
        _requireParty(orderId, offer, order);
        _requireTextLength(text);
        emit Evidence(orderId, msg.sender, evidenceHash, evidenceURI, text);
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    function resolveDispute(
        Offer calldata offer,
        uint256 buyerAmount
    ) external nonReentrant onlyRole(ARBITER_ROLE) {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireStatus(orderId, order.status, Status.Disputed);
        _rule(offer, orderId, order, buyerAmount, msg.sender);
    }

    /**
     * @notice See {IWaybillEscrow}. Runs in the escrow's context.
     * @dev The default is an even split of the held amount: the buyer gets floor(held / 2), the
     * payout holder the rest less the fee on that half. Neither party can profit from stalling: whoever is right has every reason to
     * get an arbiter to rule, and nobody's money is held forever. The odd unit goes to the seller,
     * who shipped goods the registry shows delivered. Passports in custody go to the buyer, who keeps the goods.
     */
    function applyDefaultRuling(Offer calldata offer) external nonReentrant {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireStatus(orderId, order.status, Status.Disputed);
        uint256 endsAt = _after(order.stamp, ARBITRATION_PERIOD);
        if (block.timestamp < endsAt) revert ArbitrationPeriodRunning(orderId, endsAt);
        (, uint256 held) = _payoutTerms(offer, orderId, order);
        _rule(offer, orderId, order, held / 2, address(0));
    }

    /// @dev Resolves the dispute with `buyerAmount` to the buyer; `arbiter` is zero for the default ruling.
    function _rule(
        Offer calldata offer,
        bytes32 orderId,
        Order memory order,
        uint256 buyerAmount,
        address arbiter
    ) private {
        (address holder, uint256 sellerAmount, uint256 fee) = _close(
            offer,
            orderId,
            order,
            Status.Resolved,
            buyerAmount
        );
        emit DisputeResolved(orderId, arbiter, buyerAmount, sellerAmount, fee);
        _disburse(offer, orderId, order, holder, sellerAmount, buyerAmount);
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    function proposeSettlement(Offer calldata offer, uint256 buyerAmount) external {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireOpen(orderId, order.status);
        _requireSettlementParty(orderId, offer, order);
        (, uint256 held) = _payoutTerms(offer, orderId, order);
        if (buyerAmount > held) revert BuyerAmountTooHigh(buyerAmount, held);
        // buyerAmount <= held < 2^96.
        _settlements[orderId] = SettlementProposal({proposer: msg.sender, buyerAmount: uint96(buyerAmount)});
        emit SettlementProposed(orderId, msg.sender, buyerAmount);
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    function withdrawSettlement(Offer calldata offer) external {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireOpen(orderId, order.status);
        (address proposer, , ) = _proposalInForce(orderId, offer, order);
        if (msg.sender != proposer) revert NotProposer(orderId, msg.sender, proposer);
        delete _settlements[orderId];
        emit SettlementWithdrawn(orderId, proposer);
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    function acceptSettlement(Offer calldata offer, uint256 buyerAmount) external nonReentrant {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireOpen(orderId, order.status);
        (address proposer, uint256 proposed, address sellerSide) = _proposalInForce(orderId, offer, order);
        // The other party; the proposer itself never, even where it is both (a payout assigned to the buyer).
        if (msg.sender == proposer || msg.sender != (proposer == order.buyer ? sellerSide : order.buyer))
            revert NotParty(orderId, msg.sender);
        if (buyerAmount != proposed) revert SettlementMismatch(orderId, proposed, buyerAmount);
        _settle(offer, orderId, order, proposer, buyerAmount);
    }

    /**
     * @notice See {IWaybillEscrow}. Runs in the escrow's context.
     * @dev The signer is whichever party the caller is not, so a party can never settle on its own
     * signature, and a seller side's signature lapses once the payout is assigned (the new holder is
     * the signer then). The digest names the order, and its domain the chain and this escrow.
     */
    function settleWithSignature(
        Offer calldata offer,
        uint256 buyerAmount,
        uint40 deadline,
        bytes calldata signature
    ) external nonReentrant {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireOpen(orderId, order.status);
        address sellerSide = _requireSettlementParty(orderId, offer, order);
        address signer = msg.sender == order.buyer ? sellerSide : order.buyer;
        // A buyer that also holds the payout would otherwise settle on its own signature.
        if (signer == msg.sender) revert NotParty(orderId, msg.sender);
        if (block.timestamp > deadline) revert SettlementExpired(orderId, deadline);
        bytes32 digest = _settlementDigest(orderId, buyerAmount, deadline);
        if (_cancelledSettlements[keccak256(abi.encode(signer, digest))])
            revert SettlementSignatureCancelled(orderId, signer);
        if (!SignatureChecker.isValidSignatureNowCalldata(signer, digest, signature))
            revert InvalidSettlementSignature(orderId, signer);
        _settle(offer, orderId, order, signer, buyerAmount);
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    function cancelSettlementSignature(Offer calldata offer, uint256 buyerAmount, uint40 deadline) external {
        (bytes32 orderId, Order memory order) = _load(offer);
        _requireOpen(orderId, order.status);
        _requireSettlementParty(orderId, offer, order);
        _cancelledSettlements[
            keccak256(abi.encode(msg.sender, _settlementDigest(orderId, buyerAmount, deadline)))
        ] = true;
        emit SettlementSignatureRevoked(orderId, msg.sender, buyerAmount, deadline);
    }

    /// @dev Reverts unless the caller is the buyer or the seller side; returns the seller side.
    function _requireSettlementParty(
        bytes32 orderId,
        Offer calldata offer,
        Order memory order
    ) private view returns (address sellerSide) {
        sellerSide = _sellerSideOf(offer, orderId, order);
        if (msg.sender != order.buyer && msg.sender != sellerSide) revert NotParty(orderId, msg.sender);
    }

    /// @dev The order's proposal, reverting when there is none or it is void (its proposer is neither
    /// the buyer nor the current seller side: a seller side that lost the payout since).
    function _proposalInForce(
        bytes32 orderId,
        Offer calldata offer,
        Order memory order
    ) private view returns (address proposer, uint256 buyerAmount, address sellerSide) {
        SettlementProposal memory proposal = _settlements[orderId];
        sellerSide = _sellerSideOf(offer, orderId, order);
        proposer = proposal.proposer;
        if (proposer == address(0) || (proposer != order.buyer && proposer != sellerSide))
            revert NoSettlementProposal(orderId);
        buyerAmount = proposal.buyerAmount;
    }

    /// @dev Ends the order Resolved on the agreed terms, clearing any on-chain proposal.
    function _settle(
        Offer calldata offer,
        bytes32 orderId,
        Order memory order,
        address proposer,
        uint256 buyerAmount
    ) private {
        delete _settlements[orderId];
        (address holder, uint256 sellerAmount, uint256 fee) = _close(
            offer,
            orderId,
            order,
            Status.Resolved,
            buyerAmount
        );
        emit OrderSettled(orderId, proposer, msg.sender, buyerAmount, sellerAmount, fee);
        _disburse(offer, orderId, order, holder, sellerAmount, buyerAmount);
    }

    /**
     * @notice See {IWaybillEscrow}. Runs in the escrow's context.
     * @dev A proposal is void when its proposer is not the buyer and the payout was assigned to
     * someone else since: while unassigned, the only other party able to propose is the merchant,
     * the seller side then ({_proposalInForce} applies the same rule with the offer at hand).
     */
    function settlementOf(bytes32 orderId) external view returns (address proposer, uint256 buyerAmount) {
        Order memory order = _orders[orderId];
        if (order.status < Status.Paid || order.status > Status.Disputed) return (address(0), 0);
        SettlementProposal memory proposal = _settlements[orderId];
        address assigned = _extras[orderId].payoutHolder;
        if (proposal.proposer != order.buyer && assigned != address(0) && proposal.proposer != assigned)
            return (address(0), 0);
        return (proposal.proposer, proposal.buyerAmount);
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    function settlementDigest(
        bytes32 orderId,
        uint256 buyerAmount,
        uint40 deadline
    ) external view returns (bytes32) {
        return _settlementDigest(orderId, buyerAmount, deadline);
    }

    /**
     * @notice See {IWaybillEscrow}. Runs in the escrow's context.
     * @dev Only orders whose delivery the escrow recorded may be reviewed: an order confirmed straight
     * from Paid proves no sale, and a merchant paying its own offers could otherwise rate itself. A
     * buyer that is the order's merchant or payee is refused outright for the same reason.
     */
    function review(Offer calldata offer, uint8 rating, string calldata text) external {
        (bytes32 orderId, Order memory order) = _load(offer);
        if (order.status != Status.Released && order.status != Status.Resolved) {
            revert InvalidOrderStatus(orderId, order.status);
        }
        _requireBuyer(orderId, order);
        if (msg.sender == offer.merchant || msg.sender == offer.payee) revert SelfReview(orderId, msg.sender);
        if (order.flags & FLAG_REVIEWED != 0) revert AlreadyReviewed(orderId);
        if (order.flags & FLAG_DELIVERED == 0 && !_registryShowsDelivery(offer, orderId, order))
            revert ReviewNotAllowed(orderId);
        if (rating == 0 || rating > 5) revert InvalidRating(rating);
        _requireTextLength(text);
        order.flags |= FLAG_REVIEWED;
        _store(orderId, order);
        Rating storage merchantRating = _ratings[offer.merchant];
        // One review per order and at most 5 per review: 2^128 reviews cannot be reached.
        unchecked {
            merchantRating.count += 1;
            merchantRating.sum += rating;
        }
        emit Reviewed(orderId, offer.merchant, rating, text);
    }

    function _requireTextLength(string calldata text) private pure {
        uint256 length = bytes(text).length;
        if (length > MAX_TEXT_BYTES) revert TextTooLong(length, MAX_TEXT_BYTES);
    }

    /**
     * @dev Whether the registry shows a delivery that {markDelivered} would have accepted for this
     * order: Delivered, recorded by a key and held by a carrier that are neither party, that carrier
     * not suspended now, and dated at or after the payment (the stamp is still paid-at: an order
     * completed without a recorded delivery never changed it). Read only here, lazily, so a buyer
     * who confirmed straight away keeps the review and nobody pays for a {markDelivered} call.
     */
    function _registryShowsDelivery(
        Offer calldata offer,
        bytes32 orderId,
        Order memory order
    ) private view returns (bool) {
        (, IShipmentRegistry.FinalEvent memory delivery) = _evidenceOf(offer.merchant, orderId);
        return
            delivery.status == IShipmentRegistry.ShipmentStatus.Delivered &&
            _isIndependent(offer, order.buyer, delivery) &&
            delivery.occurredAt >= order.stamp;
    }

    /**
     * @notice See {IWaybillEscrow}. Runs in the escrow's context.
     * @dev Bounded by the registry's `MAX_PASSPORTS` (50). Moves only the units whose hand-over
     * this order's completion recorded as refused ({_pendingHandOvers}): a unit handed over since,
     * or one that left and came back in custody on a newer order (even by the same merchant),
     * carries no record for this order, so an old order can never take it. Each record is cleared
     * before its transfer and written again if the passport contract refuses once more.
     */
    function retryPassportHandOver(Offer calldata offer) external nonReentrant {
        (bytes32 orderId, Order memory order) = _load(offer);
        Status status = order.status;
        if (status != Status.Released && status != Status.Resolved && status != Status.Refunded)
            revert InvalidOrderStatus(orderId, status);
        if (order.flags & FLAG_PASSPORTS == 0) revert NoPassportsInCustody(orderId);
        bool toBuyer = order.flags & FLAG_SELLER_PAID != 0;
        address to = toBuyer ? order.buyer : offer.merchant;
        uint256[] memory ids = _passportsOf(REGISTRY.shipmentIdOf(offer.merchant, orderId));
        mapping(uint256 tokenId => bool) storage pending = _pendingHandOvers[orderId];
        bool retried;
        for (uint256 i = 0; i < ids.length; ++i) {
            uint256 tokenId = ids[i];
            if (!pending[tokenId]) continue;
            retried = true;
            delete pending[tokenId];
            try PASSPORTS.transferFrom(address(this), to, tokenId) {
                if (toBuyer) emit PassportHandedOver(orderId, tokenId, to);
                else emit PassportReturned(orderId, tokenId, to);
            } catch {
                pending[tokenId] = true;
                if (toBuyer) emit PassportHandOverFailed(orderId, tokenId);
                else emit PassportReturnFailed(orderId, tokenId);
            }
        }
        if (!retried) revert NoPassportsInCustody(orderId);
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    function withdrawCredit(address token, address to) external nonReentrant {
        if (to == address(0) || to == address(this)) revert InvalidRecipient(to);
        _sendCredit(token, msg.sender, to);
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    /// @dev Anyone may call: the credit can only go to its owner, so a passive contract (a splitter,
    /// a vault) that cannot call {withdrawCredit} gets it once the freeze that caused it is lifted.
    function pushCredit(address token, address account) external nonReentrant {
        _sendCredit(token, account, account);
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    function withdrawFees(address token) external nonReentrant {
        TokenState storage state = _tokens[token];
        uint256 amount = state.accruedFees;
        address treasury = _config.treasury;
        if (amount == 0) revert NothingToWithdraw(token, treasury);
        state.accruedFees = 0;
        emit FeesWithdrawn(token, treasury, amount);
        IERC20(token).safeTransfer(treasury, amount);
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    function setFeeBps(uint16 newFeeBps) external onlyRole(FEE_MANAGER_ROLE) {
        if (newFeeBps > MAX_FEE_BPS) revert FeeTooHigh(newFeeBps, MAX_FEE_BPS);
        emit FeeUpdated(_config.feeBps, newFeeBps);
        _config.feeBps = newFeeBps;
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    function setTreasury(address newTreasury) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newTreasury == address(0) || newTreasury == address(this)) revert InvalidRecipient(newTreasury);
        emit TreasuryUpdated(_config.treasury, newTreasury);
        _config.treasury = newTreasury;
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    function setTokenAllowed(address token, bool allowed) external onlyRole(TOKEN_MANAGER_ROLE) {
        _setAllowed(token, allowed);
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    /// @dev The loop is bounded by the caller's own calldata, and only the token manager calls it.
    function setTokensPlain(address[] calldata tokens, bool plain) external onlyRole(TOKEN_MANAGER_ROLE) {
        for (uint256 i = 0; i < tokens.length; ++i) {
            address token = tokens[i];
            TokenState storage state = _tokens[token];
            if (state.mode == 0) revert TokenNotAllowed(token);
            state.mode = plain ? TOKEN_PLAIN : TOKEN_MEASURED;
            emit TokenPlainUpdated(token, plain);
        }
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    /// @dev The loop is bounded by the caller's own calldata, and only the token manager calls it.
    function setTokensAllowed(address[] calldata tokens, bool allowed) external onlyRole(TOKEN_MANAGER_ROLE) {
        for (uint256 i = 0; i < tokens.length; ++i) _setAllowed(tokens[i], allowed);
    }

    /**
     * @dev Allows `token` (measured) or disallows it for new orders. A token allowed for the first
     * time joins {_listedTokens}, reverting with {TooManyTokens} when {MAX_LISTED_TOKENS} are
     * listed already, and copies the suspension time release checks (see {TokenState}). It stays
     * listed when disallowed, since its open orders still release, so allowing it again never
     * lists it twice. The slot is read and written whole (one SSTORE for all three fields, and
     * less code than Solidity's member by member update, which the init code has no room for).
     */
    function _setAllowed(address token, bool allowed) private {
        TokenState storage state = _tokens[token];
        uint256 word;
        assembly ("memory-safe") {
            word := sload(state.slot)
        }
        if (allowed && word & TOKEN_LISTED_BIT == 0) {
            if (_listedTokens.length >= MAX_LISTED_TOKENS) revert TooManyTokens(token, MAX_LISTED_TOKENS);
            if (token.code.length == 0) revert TokenHasNoCode(token);
            _listedTokens.push(token);
            Config storage cfg = _config;
            uint256 checkFrom = cfg.registryLinked ? cfg.lastCarrierSuspensionAt : type(uint40).max;
            // A token never listed has an empty slot: nothing to clear before the copy.
            word |= TOKEN_LISTED_BIT | (checkFrom << TOKEN_CHECK_FROM_SHIFT);
        }
        // Replace the mode byte (bits 0-7).
        word = ((word >> 8) << 8) | (allowed ? TOKEN_MEASURED : 0);
        assembly ("memory-safe") {
            sstore(state.slot, word)
        }
        emit TokenAllowlistUpdated(token, allowed);
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    function pause() external onlyRole(PAUSER_ROLE) {
        _config.paused = true;
        emit Paused(msg.sender);
    }

    /// @notice See {IWaybillEscrow}. Runs in the escrow's context.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _config.paused = false;
        emit Unpaused(msg.sender);
    }

    /**
     * @notice See {IRegistryListener}. Runs in the escrow's context. Only {REGISTRY}, from its
     * `setEscrow` naming this escrow (once): it reports every suspension from then on.
     * @dev Counts the link as a suspension: any suspension before it went unreported, so a
     * delivery recorded up to now keeps the registry read in {WaybillEscrow-release}. Not
     * `nonReentrant` and never reverting for the registry: a suspension must always reach here,
     * even one made inside another escrow call.
     */
    function recordRegistryLink() external {
        _requireRegistry();
        _config.registryLinked = true;
        _recordSuspensionTime();
        emit RegistryLinked(msg.sender);
    }

    /**
     * @notice See {IRegistryListener}. Runs in the escrow's context. Only {REGISTRY}, from its
     * `suspendCarrier`.
     * @dev Recorded whether linked or not (unlinked, release reads the registry anyway). Not
     * `nonReentrant`, for the reason given at {recordRegistryLink}.
     */
    function recordCarrierSuspension(address carrier) external {
        _requireRegistry();
        _recordSuspensionTime();
        emit CarrierSuspensionRecorded(carrier);
    }

    /**
     * @dev Records now as the latest suspension in {Config} and, once linked, in every listed
     * token's copy that release reads ({TokenState}); unlinked, the copies stay at the maximum.
     * A stale copy would let release skip the registry after a suspension, so this must finish
     * within the registry's guaranteed `ESCROW_NOTICE_GAS`: at most {MAX_LISTED_TOKENS} rounds of
     * a cold list slot read and a cold token slot rewritten (~7,300 gas each; the whole notice
     * measured 71,860 with all of them listed), under half of it (tested).
     */
    function _recordSuspensionTime() private {
        uint40 now_ = uint40(block.timestamp);
        Config storage cfg = _config;
        cfg.lastCarrierSuspensionAt = now_;
        if (!cfg.registryLinked) return;
        uint256 count = _listedTokens.length;
        for (uint256 i = 0; i < count; ++i) _tokens[_listedTokens[i]].suspensionCheckFrom = now_;
    }

    /// @dev Reverts with {NotRegistry} unless the caller is the escrow's registry.
    function _requireRegistry() private view {
        if (msg.sender != address(REGISTRY)) revert NotRegistry(msg.sender, address(REGISTRY));
    }

    /// @dev Sends `account`'s whole credit of `token` to `to`, emitting {CreditWithdrawn} (with
    /// `to == account` and the caller in {CreditPushed} when someone else pushed it).
    function _sendCredit(address token, address account, address to) internal {
        uint256 amount = _credits[token][account];
        if (amount == 0) revert NothingToWithdraw(token, account);
        delete _credits[token][account];
        if (msg.sender != account) emit CreditPushed(token, account, msg.sender, amount);
        else emit CreditWithdrawn(token, account, to, amount);
        IERC20(token).safeTransfer(to, amount);
    }
}
