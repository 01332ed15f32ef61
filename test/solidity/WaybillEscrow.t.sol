// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

import {IRegistryListener} from "../../contracts/interfaces/IRegistryListener.sol";
import {IShipmentRegistry} from "../../contracts/interfaces/IShipmentRegistry.sol";
import {IWaybillEscrowTypes} from "../../contracts/interfaces/IWaybillEscrowTypes.sol";
import {MockPassports} from "../../contracts/test/MockPassports.sol";
import {MockShipmentRegistry} from "../../contracts/test/MockShipmentRegistry.sol";
import {MockStablecoin} from "../../contracts/test/MockStablecoin.sol";
import {WaybillEscrow} from "../../contracts/WaybillEscrow.sol";
import {Test} from "./utils/Test.sol";

/// @dev Drives random orders through the escrow: payments by random buyers to random merchants,
/// shipments (some carrying passports, some re-listing a unit another order may hold or a buyer
/// may have sold back to its merchant), registry
/// statuses recorded by independent carriers or by a party (as the carrier or as its key),
/// suspended carriers, late and pre-payment deliveries, disputes, rulings, refunds, partial
/// refunds, payout assignments to financiers (frozen ones too), settlements proposed and accepted
/// or signed, frozen accounts, pushed credits, fee changes and time, in two stablecoins: one allowed
/// before the registry linked the escrow, one the token manager allows (and delists, and allows
/// again) only during the run, after whatever suspensions came first. Every call the escrow rejects is simply
/// skipped (failOnRevert is off); the trust checks record a violation in a ghost flag instead.
contract WaybillEscrowHandler is Test {
    uint256 public constant MAX_ORDERS = 24;
    uint256 private constant ACTORS = 3;
    address private constant INDEPENDENT_CARRIER = address(0xCA1);
    address private constant INDEPENDENT_KEY = address(0xCA1CE);

    /// @notice Set when the escrow accepted a final event recorded by a party, by a suspended
    /// carrier, or dated before the payment.
    bool public partyEvidenceAccepted;
    /// @notice Set when the buyer of a late delivery was refused a refund within the window.
    bool public lateRefundRefused;
    /// @notice Set when a hand-over retry moved a unit the escrow held for another order.
    bool public retryTookForeignUnit;
    /// @notice Set when a release paid on a delivery whose carrier is suspended now.
    bool public suspendedCarrierReleased;
    /// @notice Set when a pushed credit did not reach its owner in full.
    bool public pushedCreditMissed;
    uint256 public pushedCredits;
    /// @notice How many of the v2 calls went through (a check that the handler reaches them).
    uint256 public partialRefunds;
    uint256 public assignments;
    uint256 public settlements;

    WaybillEscrow public immutable escrow;
    MockStablecoin public immutable token;
    /// @notice Not allowed until {toggleAllowed} first allows it.
    MockStablecoin public immutable lateToken;
    MockShipmentRegistry public immutable registry;
    MockPassports public immutable passports;

    IWaybillEscrowTypes.Offer[] private _offers;
    address[] public accounts; // every merchant, payee and buyer, for credit sums
    uint256 private _salt;
    uint256 private _lastPassport;
    /// @dev The order that last took each unit into the escrow's custody: while the escrow holds a
    /// unit, it holds it for that order and no other.
    mapping(uint256 tokenId => bytes32 orderId) private _custodyOrderOf;
    /// @dev The merchant each unit was minted to, who may buy it back from a buyer.
    mapping(uint256 tokenId => address merchant) private _merchantOf;

    constructor(
        WaybillEscrow escrow_,
        MockStablecoin token_,
        MockStablecoin lateToken_,
        MockShipmentRegistry registry_,
        MockPassports passports_
    ) {
        escrow = escrow_;
        token = token_;
        lateToken = lateToken_;
        registry = registry_;
        passports = passports_;
        for (uint256 i = 0; i < ACTORS; ++i) {
            accounts.push(vm.addr(_merchantKey(i)));
            accounts.push(_payee(i));
            accounts.push(_buyer(i));
            accounts.push(_financier(i));
            vm.prank(vm.addr(_merchantKey(i)));
            passports.setApprovalForAll(address(escrow), true);
        }
    }

    // ------------------------------------------------------------------ actions

    function pay(
        uint256 merchantSeed,
        uint256 buyerSeed,
        uint96 price,
        uint32 shipWithin,
        uint32 deliverExtra,
        uint8 passportSeed,
        bool inLateToken
    ) external {
        if (_offers.length >= MAX_ORDERS) return;
        uint256 m = merchantSeed % ACTORS;
        address buyer = _buyer(buyerSeed);
        MockStablecoin payToken = _token(inLateToken);
        price = uint96(bound(price, 1, 1e12));
        shipWithin = uint32(bound(shipWithin, 0, 10 days));
        uint32 deliverWithin = shipWithin + uint32(bound(deliverExtra, 0, 30 days));
        IWaybillEscrowTypes.Offer memory offer = IWaybillEscrowTypes.Offer({
            merchant: vm.addr(_merchantKey(m)),
            payee: _payee(m),
            buyer: address(0),
            token: address(payToken),
            price: price,
            detailsHash: keccak256(abi.encode(_salt)),
            shipWithin: shipWithin,
            deliverWithin: deliverWithin,
            inspectionPeriod: uint32(bound(uint256(price) >> 3, 1 days, 7 days)),
            maxFeeBps: price % 2 == 0 ? 1000 : 500,
            expiry: uint40(block.timestamp + 1 days),
            salt: ++_salt
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(_merchantKey(m), escrow.orderIdOf(offer));
        if (payToken.isBlocklisted(buyer)) return;
        payToken.mint(buyer, price);
        vm.prank(buyer);
        payToken.approve(address(escrow), price);
        vm.prank(buyer);
        escrow.pay(offer, abi.encodePacked(r, s, v));
        _offers.push(offer);
        _listPassports(offer, passportSeed);
    }

    function markShipped(uint256 orderSeed) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        bytes32 shipmentId = _shipmentId(offer);
        if (registry.getShipment(shipmentId).status == IShipmentRegistry.ShipmentStatus.None) {
            registry.setShipment(shipmentId, IShipmentRegistry.ShipmentStatus.Created, 0);
        }
        vm.prank(offer.merchant);
        escrow.markShipped(offer);
        _recordCustody(offer);
    }

    /// @dev The one-call ship: the shipment is created (in the mock) with the listed passports and
    /// linked, custody taken, in one call.
    function ship(uint256 orderSeed, bool wrongRef) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        bytes32 orderId = escrow.orderIdOf(offer);
        IShipmentRegistry.NewShipment memory shipment = IShipmentRegistry.NewShipment({
            shipperRef: wrongRef ? keccak256(abi.encode(orderId)) : orderId,
            carrier: INDEPENDENT_CARRIER,
            origin: bytes5("CNSHA"),
            destination: bytes5("DEHAM"),
            documentsHash: orderId,
            passportIds: registry.passportsOf(_shipmentId(offer))
        });
        vm.prank(offer.merchant);
        escrow.ship(offer, shipment);
        _recordCustody(offer);
    }

    /// @dev The holder of a unit outside the escrow (a buyer it was handed to) sells it back to the
    /// merchant it was minted to, who may list it on a newer order and bring it back into custody.
    function sellBack(uint256 tokenSeed) external {
        if (_lastPassport == 0) return;
        uint256 tokenId = 1 + (tokenSeed % _lastPassport);
        address holder = passports.ownerOf(tokenId);
        address merchant = _merchantOf[tokenId];
        if (holder == address(escrow) || holder == merchant) return;
        vm.prank(holder);
        passports.transferFrom(holder, merchant, tokenId);
    }

    /// @dev Locks or unlocks a unit, as a theft flag and its clearing do on the real passport: a
    /// locked unit in custody makes the completion's hand-over fail and strands it.
    function toggleLock(uint256 tokenSeed) external {
        if (_lastPassport == 0) return;
        uint256 tokenId = 1 + (tokenSeed % _lastPassport);
        passports.setLocked(tokenId, !passports.locked(tokenId));
    }

    /// @dev Anyone retries the hand-over of a final order; a unit the escrow holds for another
    /// order (one that left and came back on a newer order) must never move.
    function retryPassportHandOver(uint256 orderSeed) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        bytes32 orderId = escrow.orderIdOf(offer);
        uint256[] memory ids = registry.passportsOf(_shipmentId(offer));
        address[] memory owners = new address[](ids.length);
        for (uint256 i = 0; i < ids.length; ++i) owners[i] = passports.ownerOf(ids[i]);
        escrow.retryPassportHandOver(offer);
        for (uint256 i = 0; i < ids.length; ++i) {
            if (_custodyOrderOf[ids[i]] != orderId && passports.ownerOf(ids[i]) != owners[i])
                retryTookForeignUnit = true;
        }
    }

    /// @dev Moves an order one step down the path (ship; deliver, recorded by a random carrier or
    /// party and possibly backdated; refund a late delivery or dispute), so short random sequences
    /// still reach the deep states where money could get stuck or evidence could be misused.
    function advance(uint256 orderSeed, bool byMerchant, uint8 whoSeed, uint32 backdate) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        bytes32 orderId = escrow.orderIdOf(offer);
        IWaybillEscrowTypes.Order memory order = escrow.getOrder(orderId);
        bytes32 shipmentId = _shipmentId(offer);
        if (order.status == IWaybillEscrowTypes.Status.Paid) {
            registry.setShipment(shipmentId, IShipmentRegistry.ShipmentStatus.InTransit, 0);
            vm.prank(offer.merchant);
            escrow.markShipped(offer);
            _recordCustody(offer);
        } else if (order.status == IWaybillEscrowTypes.Status.Shipped) {
            registry.setShipment(
                shipmentId,
                IShipmentRegistry.ShipmentStatus.Delivered,
                // Between payment and now (late if enough time passed), one in eight just before payment.
                backdate % 8 == 0
                    ? order.stamp - 1
                    : uint40(order.stamp + bound(backdate, 0, block.timestamp - order.stamp))
            );
            this.setRecorder(orderSeed, whoSeed);
            this.markDelivered(orderSeed);
        } else if (order.status == IWaybillEscrowTypes.Status.Delivered) {
            if (order.flags & 8 != 0 && !byMerchant) {
                this.claimRefundOfLateDelivery(orderSeed);
                return;
            }
            vm.prank(byMerchant ? offer.merchant : order.buyer);
            escrow.openDispute(offer);
        }
    }

    /// @dev Sets a status dated now or up to 40 days back: a backdated Delivered can be late for the
    /// order's deliver-by, or even dated before its payment.
    function setShipmentStatus(uint256 orderSeed, uint8 statusSeed, uint32 backdate) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        IShipmentRegistry.ShipmentStatus status = IShipmentRegistry.ShipmentStatus(1 + (statusSeed % 6));
        uint256 at = block.timestamp - bound(backdate, 0, 40 days);
        registry.setShipment(_shipmentId(offer), status, uint40(at));
    }

    /// @dev Who recorded the shipment's final event: an independent carrier itself or its key, or a
    /// party to the order as the carrier or as the key of the independent carrier.
    function setRecorder(uint256 orderSeed, uint8 whoSeed) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        address buyer = escrow.getOrder(escrow.orderIdOf(offer)).buyer;
        uint256 who = whoSeed % 7;
        address carrier = INDEPENDENT_CARRIER;
        address key = who == 0 ? INDEPENDENT_CARRIER : INDEPENDENT_KEY;
        if (who == 2) key = offer.merchant;
        else if (who == 3) key = offer.payee;
        else if (who == 4) key = buyer;
        else if (who == 5) (carrier, key) = (offer.merchant, offer.merchant);
        else if (who == 6) carrier = buyer;
        registry.setRecorder(_shipmentId(offer), carrier, key);
    }

    function toggleSuspension(bool independent, uint256 orderSeed) external {
        address carrier = INDEPENDENT_CARRIER;
        if (!independent && _offers.length != 0) carrier = _offer(orderSeed).merchant;
        registry.setSuspended(carrier, !registry.suspended(carrier));
    }

    /// @dev Records the delivery, and flags a violation if the escrow accepted evidence that must not count.
    function markDelivered(uint256 orderSeed) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        IWaybillEscrowTypes.Order memory order = escrow.getOrder(escrow.orderIdOf(offer));
        bool counts = order.status == IWaybillEscrowTypes.Status.Shipped && _deliveryCounts(offer, order);
        try escrow.markDelivered(offer) {
            if (!counts) partyEvidenceAccepted = true;
        } catch {}
    }

    /// @dev A late delivery within its window: the buyer's refund must go through.
    function claimRefundOfLateDelivery(uint256 orderSeed) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        IWaybillEscrowTypes.Order memory order = escrow.getOrder(escrow.orderIdOf(offer));
        if (
            order.status != IWaybillEscrowTypes.Status.Delivered ||
            order.flags & 8 == 0 ||
            block.timestamp >= uint256(order.stamp) + offer.inspectionPeriod
        ) return;
        vm.prank(order.buyer);
        try escrow.claimRefund(offer) {} catch {
            lateRefundRefused = true;
        }
    }

    /// @dev A stranger pushes an account's credit: it must arrive in full at that account.
    function pushCredit(uint256 accountSeed, bool late) external {
        MockStablecoin t = _token(late);
        address account = accounts[accountSeed % accounts.length];
        uint256 credit = escrow.credits(address(t), account);
        if (credit == 0) return;
        // The freeze that caused the credit is lifted; the account itself never calls.
        if (t.isBlocklisted(account)) t.unblocklist(account);
        uint256 before = t.balanceOf(account);
        vm.prank(address(0x57A2));
        escrow.pushCredit(address(t), account);
        if (t.balanceOf(account) - before != credit || escrow.credits(address(t), account) != 0)
            pushedCreditMissed = true;
        pushedCredits += credit;
    }

    /// @dev The seller side (the merchant, or the holder once assigned) gives part of what is held back.
    function partialRefund(uint256 orderSeed, uint256 amount) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        bytes32 orderId = escrow.orderIdOf(offer);
        (address holder, uint256 refunded) = escrow.orderExtrasOf(orderId);
        uint256 held = offer.price - refunded;
        if (held < 2) return;
        vm.prank(holder == address(0) ? offer.merchant : holder);
        escrow.partialRefund(offer, bound(amount, 1, held - 1));
        ++partialRefunds;
    }

    /// @dev The payout holder (the payee until assigned) assigns the payout to a financier, which
    /// the issuer may have frozen already (its payouts are then credited).
    function assignPayout(uint256 orderSeed, uint256 toSeed, bool frozen) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        (address holder, ) = escrow.orderExtrasOf(escrow.orderIdOf(offer));
        address to = _financier(toSeed);
        MockStablecoin t = MockStablecoin(offer.token);
        if (frozen && !t.isBlocklisted(to)) t.blocklist(to);
        vm.prank(holder == address(0) ? offer.payee : holder);
        escrow.assignPayout(offer, to);
        ++assignments;
    }

    function proposeSettlement(uint256 orderSeed, uint256 buyerAmount, bool byBuyer) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        bytes32 orderId = escrow.orderIdOf(offer);
        (, uint256 refunded) = escrow.orderExtrasOf(orderId);
        vm.prank(byBuyer ? escrow.getOrder(orderId).buyer : _sellerSide(offer, orderId));
        escrow.proposeSettlement(offer, bound(buyerAmount, 0, offer.price - refunded));
    }

    /// @dev The other party accepts the proposal in force, if any.
    function acceptSettlement(uint256 orderSeed) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        bytes32 orderId = escrow.orderIdOf(offer);
        (address proposer, uint256 buyerAmount) = escrow.settlementOf(orderId);
        if (proposer == address(0)) return;
        address buyer = escrow.getOrder(orderId).buyer;
        vm.prank(proposer == buyer ? _sellerSide(offer, orderId) : buyer);
        escrow.acceptSettlement(offer, buyerAmount);
        ++settlements;
    }

    /// @dev The buyer submits the merchant's signed settlement (while the merchant is the seller side).
    function settleWithSignature(uint256 orderSeed, uint256 buyerAmount) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        bytes32 orderId = escrow.orderIdOf(offer);
        (, uint256 refunded) = escrow.orderExtrasOf(orderId);
        buyerAmount = bound(buyerAmount, 0, offer.price - refunded);
        uint40 deadline = uint40(block.timestamp + 1 days);
        uint256 key;
        for (uint256 i = 0; i < ACTORS; ++i)
            if (vm.addr(_merchantKey(i)) == offer.merchant) key = _merchantKey(i);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            key,
            escrow.settlementDigest(orderId, buyerAmount, deadline)
        );
        vm.prank(escrow.getOrder(orderId).buyer);
        escrow.settleWithSignature(offer, buyerAmount, deadline, abi.encodePacked(r, s, v));
        ++settlements;
    }

    function confirmReceipt(uint256 orderSeed) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        vm.prank(escrow.getOrder(escrow.orderIdOf(offer)).buyer);
        escrow.confirmReceipt(offer);
    }

    /// @dev Flags a release paid while the delivering carrier is suspended. Only the independent
    /// carrier can have recorded a delivery the escrow accepted; the mock may swap a shipment's
    /// carrier afterwards (a real final event never changes), so only that carrier is judged.
    /// `atWindowEnd` first moves the clock to the end of a delivered order's inspection window,
    /// so that short runs reach releases, on both sides of the suspensions between.
    function release(uint256 orderSeed, bool atWindowEnd) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        IWaybillEscrowTypes.Order memory order = escrow.getOrder(escrow.orderIdOf(offer));
        uint256 endsAt = uint256(order.stamp) + offer.inspectionPeriod;
        if (atWindowEnd && order.status == IWaybillEscrowTypes.Status.Delivered && block.timestamp < endsAt)
            vm.warp(endsAt);
        (address carrier, bool isSuspended) = registry.carrierStandingOf(
            offer.merchant,
            escrow.orderIdOf(offer)
        );
        escrow.release(offer);
        if (isSuspended && carrier == INDEPENDENT_CARRIER) suspendedCarrierReleased = true;
    }

    /// @dev A shipped order's end game in one call, so that short runs reach it between whatever
    /// listings, delistings and suspensions came before: the independent carrier's delivery
    /// recorded now, that carrier suspended a moment later or not, the release at the window's end.
    function deliverAndRelease(uint256 orderSeed, uint32 gap, bool suspend) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        if (escrow.getOrder(escrow.orderIdOf(offer)).status != IWaybillEscrowTypes.Status.Shipped) return;
        bytes32 shipmentId = _shipmentId(offer);
        registry.setShipment(shipmentId, IShipmentRegistry.ShipmentStatus.Delivered, uint40(block.timestamp));
        registry.setRecorder(shipmentId, INDEPENDENT_CARRIER, INDEPENDENT_CARRIER);
        this.markDelivered(orderSeed);
        vm.warp(block.timestamp + bound(gap, 1, 3 days));
        if (suspend && !registry.suspended(INDEPENDENT_CARRIER))
            registry.setSuspended(INDEPENDENT_CARRIER, true);
        this.release(orderSeed, true);
    }

    function refund(uint256 orderSeed) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        vm.prank(_sellerSide(offer, escrow.orderIdOf(offer)));
        escrow.refund(offer);
    }

    function claimRefund(uint256 orderSeed) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        vm.prank(escrow.getOrder(escrow.orderIdOf(offer)).buyer);
        escrow.claimRefund(offer);
    }

    function openDispute(uint256 orderSeed, bool byMerchant) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        vm.prank(byMerchant ? offer.merchant : escrow.getOrder(escrow.orderIdOf(offer)).buyer);
        escrow.openDispute(offer);
    }

    function resolveDispute(uint256 orderSeed, uint256 buyerAmount) external {
        if (_offers.length == 0) return;
        IWaybillEscrowTypes.Offer memory offer = _offer(orderSeed);
        (, uint256 refunded) = escrow.orderExtrasOf(escrow.orderIdOf(offer));
        escrow.resolveDispute(offer, bound(buyerAmount, 0, offer.price - refunded));
    }

    function applyDefaultRuling(uint256 orderSeed) external {
        if (_offers.length == 0) return;
        escrow.applyDefaultRuling(_offer(orderSeed));
    }

    function toggleBlocklist(uint256 accountSeed, bool late) external {
        MockStablecoin t = _token(late);
        address account = accounts[accountSeed % accounts.length];
        if (t.isBlocklisted(account)) t.unblocklist(account);
        else t.blocklist(account);
    }

    function withdrawCredit(uint256 accountSeed, address to, bool late) external {
        MockStablecoin t = _token(late);
        if (to == address(0) || t.isBlocklisted(to) || to == address(escrow)) return;
        vm.prank(accounts[accountSeed % accounts.length]);
        escrow.withdrawCredit(address(t), to);
    }

    function withdrawFees(bool late) external {
        escrow.withdrawFees(address(_token(late)));
    }

    /// @dev The token manager allows a token, or delists it; the first allowing of {lateToken}
    /// lists it, copying the latest suspension the registry reported.
    function toggleAllowed(bool late) external {
        address t = address(_token(late));
        escrow.setTokenAllowed(t, !escrow.isTokenAllowed(t));
    }

    function setFee(uint16 feeBps) external {
        escrow.setFeeBps(uint16(bound(feeBps, 0, 1000)));
    }

    function warp(uint32 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 20 days));
    }

    // ------------------------------------------------------------------ checks

    /// @dev How many passports the open orders holding custody listed, plus the units final orders
    /// left stranded (a refused hand-over: still held, and held for that order): what the escrow
    /// must own.
    function sumOpenPassports() public view returns (uint256 sum) {
        for (uint256 i = 0; i < _offers.length; ++i) {
            IWaybillEscrowTypes.Order memory order = escrow.getOrder(escrow.orderIdOf(_offers[i]));
            if (order.flags & 1 == 0) continue;
            bytes32 orderId = escrow.orderIdOf(_offers[i]);
            uint256[] memory ids = registry.passportsOf(_shipmentId(_offers[i]));
            if (_isOpen(order.status)) {
                sum += ids.length;
                continue;
            }
            for (uint256 j = 0; j < ids.length; ++j) {
                if (passports.ownerOf(ids[j]) == address(escrow) && _custodyOrderOf[ids[j]] == orderId) ++sum;
            }
        }
    }

    function orderCount() external view returns (uint256) {
        return _offers.length;
    }

    /// @dev What the escrow must still hold for orders in `t`: the held amount (price less partial
    /// refunds) of every order not yet final.
    function sumOpenOrders(MockStablecoin t) public view returns (uint256 sum) {
        for (uint256 i = 0; i < _offers.length; ++i) {
            if (_offers[i].token != address(t)) continue;
            bytes32 orderId = escrow.orderIdOf(_offers[i]);
            if (!_isOpen(escrow.getOrder(orderId).status)) continue;
            (, uint256 refunded) = escrow.orderExtrasOf(orderId);
            sum += _offers[i].price - refunded;
        }
    }

    function sumCredits(MockStablecoin t) public view returns (uint256 sum) {
        for (uint256 i = 0; i < accounts.length; ++i) sum += escrow.credits(address(t), accounts[i]);
    }

    /**
     * @dev Takes every open order to a final state using only the permissionless paths and each
     * party's own rights after the deadlines, then withdraws every credit and the fees. Reverts (so
     * the invariant fails) if any step is refused.
     */
    function driveAllToTerminal() external {
        vm.warp(block.timestamp + 800 days);
        // A delivery recorded now opens a fresh inspection window, so every delivery the registry
        // shows is recorded first and the clock moved past the longest window before releasing.
        for (uint256 i = 0; i < _offers.length; ++i) {
            IWaybillEscrowTypes.Offer memory offer = _offers[i];
            IWaybillEscrowTypes.Order memory order = escrow.getOrder(escrow.orderIdOf(offer));
            // Evidence that does not count stays unrecorded: the deliver-by refund covers it below.
            if (order.status == IWaybillEscrowTypes.Status.Shipped && _deliveryCounts(offer, order))
                escrow.markDelivered(offer);
        }
        vm.warp(block.timestamp + escrow.MAX_PERIOD());
        for (uint256 i = 0; i < _offers.length; ++i) {
            IWaybillEscrowTypes.Offer memory offer = _offers[i];
            bytes32 orderId = escrow.orderIdOf(offer);
            IWaybillEscrowTypes.Status status = escrow.getOrder(orderId).status;
            // Refunds are pushed by a stranger: past the grace period they need no buyer at all.
            if (status == IWaybillEscrowTypes.Status.Paid) {
                escrow.claimRefund(offer);
            } else if (status == IWaybillEscrowTypes.Status.Shipped) {
                escrow.claimRefund(offer);
            } else if (status == IWaybillEscrowTypes.Status.Delivered) {
                // A suspended delivering carrier blocks release; the closed window opens the refund.
                if (_finalEvent(offer).carrierSuspended) escrow.claimRefund(offer);
                else escrow.release(offer);
            } else if (status == IWaybillEscrowTypes.Status.Disputed) {
                escrow.applyDefaultRuling(offer);
            }
            if (_isOpen(escrow.getOrder(orderId).status)) revert OrderStuck(orderId);
        }
        address rescue = address(0xD00D);
        for (uint256 k = 0; k < 2; ++k) {
            address t = address(_token(k == 1));
            for (uint256 i = 0; i < accounts.length; ++i) {
                if (escrow.credits(t, accounts[i]) == 0) continue;
                vm.prank(accounts[i]);
                escrow.withdrawCredit(t, rescue);
            }
            if (escrow.accruedFees(t) != 0) escrow.withdrawFees(t);
        }
        // Theft flags cleared: every stranded unit goes where its order's outcome sent it.
        for (uint256 id = 1; id <= _lastPassport; ++id) passports.setLocked(id, false);
        for (uint256 i = 0; i < _offers.length; ++i) {
            try escrow.retryPassportHandOver(_offers[i]) {} catch {}
        }
        if (passports.balanceOf(address(escrow)) != 0)
            revert PassportsStuck(passports.balanceOf(address(escrow)));
    }

    error OrderStuck(bytes32 orderId);
    error PassportsStuck(uint256 count);

    // ------------------------------------------------------------------ helpers

    /// @dev Lists on the order's shipment nothing (seed % 3 == 0), a fresh unit minted to the merchant,
    /// or a fresh unit plus the previous one, which another open order may hold or a buyer may own
    /// (so that markShipped must refuse it), or which came back to this merchant.
    function _listPassports(IWaybillEscrowTypes.Offer memory offer, uint8 seed) private {
        uint256 mode = seed % 3;
        if (mode == 0) return;
        uint256 fresh = ++_lastPassport;
        passports.mint(offer.merchant, fresh);
        _merchantOf[fresh] = offer.merchant;
        uint256[] memory ids = new uint256[](mode == 2 && fresh > 1 ? 2 : 1);
        ids[0] = fresh;
        if (ids.length == 2) ids[1] = fresh - 1;
        registry.setPassports(_shipmentId(offer), ids);
    }

    /// @dev After a markShipped or ship went through: the escrow now holds the units it took for this order.
    function _recordCustody(IWaybillEscrowTypes.Offer memory offer) private {
        bytes32 orderId = escrow.orderIdOf(offer);
        if (escrow.getOrder(orderId).flags & 1 == 0) return;
        uint256[] memory ids = registry.passportsOf(_shipmentId(offer));
        for (uint256 i = 0; i < ids.length; ++i) _custodyOrderOf[ids[i]] = orderId;
    }

    /// @dev The rule the escrow must apply: Delivered after the payment, by a key and a carrier that
    /// are not parties, and that carrier not suspended.
    function _deliveryCounts(
        IWaybillEscrowTypes.Offer memory offer,
        IWaybillEscrowTypes.Order memory order
    ) private view returns (bool) {
        IShipmentRegistry.FinalEvent memory ev = _finalEvent(offer);
        address[3] memory parties = [offer.merchant, offer.payee, order.buyer];
        for (uint256 i = 0; i < 3; ++i) {
            if (ev.recordedBy == parties[i] || ev.carrier == parties[i]) return false;
        }
        return
            ev.status == IShipmentRegistry.ShipmentStatus.Delivered &&
            !ev.carrierSuspended &&
            ev.occurredAt >= order.stamp;
    }

    function _finalEvent(
        IWaybillEscrowTypes.Offer memory offer
    ) private view returns (IShipmentRegistry.FinalEvent memory ev) {
        (, ev) = registry.finalEventOf(offer.merchant, escrow.orderIdOf(offer));
    }

    /// @dev The merchant until the payout is assigned, then its holder.
    function _sellerSide(
        IWaybillEscrowTypes.Offer memory offer,
        bytes32 orderId
    ) private view returns (address) {
        (address holder, ) = escrow.orderExtrasOf(orderId);
        return holder == address(0) ? offer.merchant : holder;
    }

    function _token(bool late) private view returns (MockStablecoin) {
        return late ? lateToken : token;
    }

    function _offer(uint256 seed) private view returns (IWaybillEscrowTypes.Offer memory) {
        return _offers[seed % _offers.length];
    }

    function _shipmentId(IWaybillEscrowTypes.Offer memory offer) private view returns (bytes32) {
        return registry.shipmentIdOf(offer.merchant, escrow.orderIdOf(offer));
    }

    function _isOpen(IWaybillEscrowTypes.Status status) private pure returns (bool) {
        return
            status == IWaybillEscrowTypes.Status.Paid ||
            status == IWaybillEscrowTypes.Status.Shipped ||
            status == IWaybillEscrowTypes.Status.Delivered ||
            status == IWaybillEscrowTypes.Status.Disputed;
    }

    function _merchantKey(uint256 i) private pure returns (uint256) {
        return 0xA11CE + i;
    }

    function _payee(uint256 i) private pure returns (address) {
        return address(uint160(0xFA1000 + i));
    }

    function _financier(uint256 seed) private pure returns (address) {
        return address(uint160(0xF17A000 + (seed % ACTORS)));
    }

    function _buyer(uint256 seed) private pure returns (address) {
        return address(uint160(0xB0B000 + (seed % ACTORS)));
    }
}

contract WaybillEscrowTest is Test {
    uint256 private constant MERCHANT_KEY = 0x5E11E2;
    address private constant BUYER = address(0xB7);
    address private constant PAYEE = address(0xFEE);
    address private constant TREASURY = address(0x7EA5);
    address private constant CARRIER = address(0xCA11);

    /// @dev Where EscrowStorage keeps `_tokens` (after EIP712's two strings, `_config`, `_orders`).
    uint256 private constant TOKENS_SLOT = 4;

    WaybillEscrow private escrow;
    MockStablecoin private token;
    MockStablecoin private lateToken;
    MockShipmentRegistry private registry;
    MockPassports private passports;
    WaybillEscrowHandler private handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        token = new MockStablecoin("USD Coin", "USDC", address(this));
        lateToken = new MockStablecoin("EURC", "EURC", address(this));
        registry = new MockShipmentRegistry();
        passports = new MockPassports();
        escrow = new WaybillEscrow(
            IShipmentRegistry(address(registry)),
            IERC721(address(passports)),
            14 days,
            0,
            address(this),
            TREASURY,
            250
        );
        escrow.grantRole(escrow.TOKEN_MANAGER_ROLE(), address(this));
        escrow.setTokenAllowed(address(token), true);

        // Linked, so suspensions reach the escrow and release takes its fast path between them.
        registry.linkEscrow(IRegistryListener(address(escrow)));
        handler = new WaybillEscrowHandler(escrow, token, lateToken, registry, passports);
        escrow.grantRole(escrow.ARBITER_ROLE(), address(handler));
        escrow.grantRole(escrow.FEE_MANAGER_ROLE(), address(handler));
        escrow.grantRole(escrow.TOKEN_MANAGER_ROLE(), address(handler));
        // The handler mints and freezes from now on; the fuzz tests below borrow its ownership.
        token.mint(BUYER, 1e18);
        token.transferOwnership(address(handler));
        lateToken.transferOwnership(address(handler));
        targetContract(address(handler));
    }

    /// @dev Per token: balance == open orders' held amounts + credited payouts + unclaimed fees
    /// (the fees now share the token's slot with its mode and suspension copy).
    function invariant_accountingBalances() public view {
        MockStablecoin[2] memory tokens = [token, lateToken];
        for (uint256 i = 0; i < 2; ++i) {
            assertEq(
                tokens[i].balanceOf(address(escrow)),
                handler.sumOpenOrders(tokens[i]) +
                    handler.sumCredits(tokens[i]) +
                    escrow.accruedFees(address(tokens[i])),
                "escrow balance != open orders + credits + fees"
            );
        }
    }

    /// @dev The copy release reads: every listed token's is the config's latest suspension while
    /// linked (the maximum while not), whenever it was listed and however often delisted; a token
    /// never allowed has an empty slot.
    function invariant_tokenCopiesMirrorTheConfig() public view {
        (bool linked, uint256 lastSuspensionAt) = escrow.registryLink();
        uint256 expected = linked ? lastSuspensionAt : type(uint40).max;
        MockStablecoin[2] memory tokens = [token, lateToken];
        for (uint256 i = 0; i < 2; ++i) {
            address t = address(tokens[i]);
            uint256 word = uint256(vm.load(address(escrow), keccak256(abi.encode(t, TOKENS_SLOT))));
            assertTrue((word & 0xff != 0) == escrow.isTokenAllowed(t), "mode is not the allow-list");
            if ((word >> 8) & 0xff == 0) {
                assertEq(word, 0, "an unlisted token has state");
                continue;
            }
            assertEq((word >> 16) & type(uint40).max, expected, "stale suspension copy");
            assertEq(word >> 56, escrow.accruedFees(t), "fees are not the slot's");
        }
    }

    /// @dev Custody: the escrow owns exactly the passports listed by the open orders that took them
    /// into custody; every unit leaves with the order that brought it in.
    function invariant_passportCustodyMatchesOpenOrders() public view {
        assertEq(
            passports.balanceOf(address(escrow)),
            handler.sumOpenPassports(),
            "escrow passports != passports of open orders in custody"
        );
    }

    /// @dev Retries: a hand-over retry never moves a unit the escrow holds for another order.
    function invariant_retryNeverTakesAnotherOrdersUnit() public view {
        assertFalse(handler.retryTookForeignUnit(), "a retry moved a unit of another order's shipment");
    }

    /// @dev Self-dealing recorders: no final event recorded by a party, a suspended carrier or
    /// before the payment ever became an order's delivery.
    function invariant_partyEvidenceNeverCounts() public view {
        assertFalse(handler.partyEvidenceAccepted(), "the escrow accepted evidence that must not count");
    }

    /// @dev Late deliveries: within the window, the buyer of a late delivery can always refund.
    /// @dev Issue 9 item 3 with the release fast path: a suspension after the delivery was recorded
    /// always reaches release, however the suspensions, deliveries and reinstatements interleave.
    function invariant_suspendedCarrierBlocksRelease() public view {
        assertFalse(handler.suspendedCarrierReleased(), "release paid on a suspended carrier's delivery");
    }

    function invariant_lateDeliveryKeepsTheRefund() public view {
        assertFalse(handler.lateRefundRefused(), "a late delivery's buyer was refused a refund");
    }

    /// @dev Pushed credits: a credit pushed by a stranger always reaches its owner in full.
    function invariant_pushedCreditsReachTheirOwner() public view {
        assertFalse(handler.pushedCreditMissed(), "a pushed credit did not reach its owner");
    }

    /// @dev No stuck money: far in the future every open order reaches a final state through
    /// permissionless or own-party calls, and afterwards every credit and fee can be withdrawn,
    /// leaving the escrow empty of tokens and passports. The state is restored afterwards.
    function invariant_everyOpenOrderCanTerminate() public {
        uint256 snapshot = vm.snapshotState();
        handler.driveAllToTerminal();
        assertEq(token.balanceOf(address(escrow)), 0, "escrow still holds tokens after every exit");
        assertEq(lateToken.balanceOf(address(escrow)), 0, "escrow still holds late tokens after every exit");
        vm.revertToState(snapshot);
    }

    /// @dev Fuzz: a ruling's parts add up to the price, the fee is rounded down and within the cap.
    function testFuzz_resolveDispute_splitsExactly(uint96 price, uint16 feeBps, uint256 buyerAmount) public {
        price = uint96(bound(price, 1, 1e15));
        feeBps = uint16(bound(feeBps, 0, 1000));
        buyerAmount = bound(buyerAmount, 0, price);
        escrow.grantRole(escrow.FEE_MANAGER_ROLE(), address(this));
        escrow.grantRole(escrow.ARBITER_ROLE(), address(this));
        escrow.setFeeBps(feeBps);
        IWaybillEscrowTypes.Offer memory offer = _deliveredOrder(price, token);
        vm.prank(BUYER);
        escrow.openDispute(offer);

        uint256 buyerBefore = token.balanceOf(BUYER);
        escrow.resolveDispute(offer, buyerAmount);
        uint256 sellerGot = token.balanceOf(PAYEE);
        uint256 fee = escrow.accruedFees(address(token));
        uint256 sellerPart = price - buyerAmount;

        assertEq(token.balanceOf(BUYER) - buyerBefore, buyerAmount, "buyer part");
        assertEq(sellerGot + fee + buyerAmount, price, "parts do not add up to the price");
        assertEq(fee, (sellerPart * feeBps) / 10_000, "fee not rounded down");
        assertLe(fee * 10_000, sellerPart * 1000, "fee above the cap");
        assertEq(token.balanceOf(address(escrow)), fee, "escrow keeps more than the fee");
    }

    /// @dev Fuzz: a release pays price - floor(price * fee / 10_000) and never more than the price.
    function testFuzz_release_feeRoundsDown(uint96 price, uint16 feeBps) public {
        price = uint96(bound(price, 1, type(uint96).max / 2));
        feeBps = uint16(bound(feeBps, 0, 1000));
        escrow.grantRole(escrow.FEE_MANAGER_ROLE(), address(this));
        escrow.setFeeBps(feeBps);
        IWaybillEscrowTypes.Offer memory offer = _deliveredOrder(price, token);
        vm.prank(BUYER);
        escrow.confirmReceipt(offer);
        uint256 fee = escrow.accruedFees(address(token));
        assertEq(fee, (uint256(price) * feeBps) / 10_000, "fee not rounded down");
        assertEq(token.balanceOf(PAYEE) + fee, price, "payout + fee != price");
        assertLe(token.balanceOf(PAYEE), price, "payout above the order");
    }

    /// @dev Fuzz: after a partial refund, a settlement divides what is held exactly; the fee is on the
    /// seller's part only and the buyer ends with the refund plus its part.
    function testFuzz_settle_afterPartialRefund_splitsHeld(
        uint96 price,
        uint16 feeBps,
        uint256 refunded,
        uint256 buyerAmount
    ) public {
        price = uint96(bound(price, 2, 1e15));
        feeBps = uint16(bound(feeBps, 0, 1000));
        refunded = bound(refunded, 1, price - 1);
        uint256 held = price - refunded;
        buyerAmount = bound(buyerAmount, 0, held);
        escrow.grantRole(escrow.FEE_MANAGER_ROLE(), address(this));
        escrow.setFeeBps(feeBps);
        IWaybillEscrowTypes.Offer memory offer = _deliveredOrder(price, token);
        uint256 buyerBefore = token.balanceOf(BUYER);
        vm.prank(offer.merchant);
        escrow.partialRefund(offer, refunded);
        vm.prank(BUYER);
        escrow.proposeSettlement(offer, buyerAmount);
        vm.prank(offer.merchant);
        escrow.acceptSettlement(offer, buyerAmount);
        uint256 fee = escrow.accruedFees(address(token));
        assertEq(token.balanceOf(BUYER) - buyerBefore, refunded + buyerAmount, "buyer's refund + part");
        assertEq(token.balanceOf(PAYEE) + fee + buyerAmount, held, "parts do not add up to what was held");
        assertEq(fee, ((held - buyerAmount) * feeBps) / 10_000, "fee not on the seller's part");
        assertEq(token.balanceOf(address(escrow)), fee, "escrow keeps more than the fee");
    }

    /// @dev The handler's v2 actions go through on a plain sequence, so the invariant runs reach them.
    function test_handler_reachesPartialRefundsAssignmentsAndSettlements() public {
        handler.pay(0, 0, 1e9, 1 days, 1 days, 0, false);
        handler.pay(1, 1, 1e9, 1 days, 1 days, 0, false);
        handler.partialRefund(0, 1e6);
        handler.assignPayout(0, 0, true);
        handler.partialRefund(0, 1e6);
        handler.proposeSettlement(0, 5e8, true);
        handler.acceptSettlement(0);
        handler.settleWithSignature(1, 1e8);
        assertEq(handler.partialRefunds(), 2, "partial refunds");
        assertEq(handler.assignments(), 1, "assignments");
        assertEq(handler.settlements(), 2, "settlements");
        invariant_accountingBalances();
    }

    /// @dev The handler lists the late token after a suspension and completes an order in it on
    /// its copy; delisting keeps it listed and its copy in step.
    function test_handler_reachesTheLateToken() public {
        handler.toggleSuspension(true, 0);
        handler.toggleSuspension(true, 0);
        handler.warp(1 days);
        handler.toggleAllowed(true);
        assertTrue(escrow.isTokenAllowed(address(lateToken)), "late token not allowed");
        invariant_tokenCopiesMirrorTheConfig();
        handler.pay(0, 0, 1e9, 1 days, 1 days, 0, true);
        handler.advance(0, false, 0, 1); // shipped
        handler.advance(0, false, 0, 1); // delivered, recorded by the independent carrier
        handler.warp(8 days);
        handler.release(0, false);
        handler.toggleAllowed(true);
        assertFalse(escrow.isTokenAllowed(address(lateToken)), "late token still allowed");
        handler.toggleSuspension(true, 0);
        assertEq(escrow.accruedFees(address(lateToken)), (1e9 * 250) / 10_000, "late token's fee");
        assertEq(lateToken.balanceOf(address(escrow)), (1e9 * 250) / 10_000, "late token's balance");
        invariant_tokenCopiesMirrorTheConfig();
        invariant_accountingBalances();
    }

    /// @dev Concrete example paired with the fuzz test: 10 units at 9.99% pay a fee of 0.
    function test_release_tinyOrderPaysNoFee() public {
        escrow.grantRole(escrow.FEE_MANAGER_ROLE(), address(this));
        escrow.setFeeBps(999);
        IWaybillEscrowTypes.Offer memory offer = _deliveredOrder(10, token);
        vm.prank(BUYER);
        escrow.confirmReceipt(offer);
        assertEq(escrow.accruedFees(address(token)), 0, "fee on 10 units at 9.99%");
        assertEq(token.balanceOf(PAYEE), 10, "payee not paid in full");
    }

    /// @dev Fuzz, issue 9 item 3 on the release fast path: a carrier suspended at any second after
    /// the escrow recorded its delivery (the same second included) blocks release until reinstated.
    /// The delivery comes after the link, so that only the reported suspension can send release to
    /// the registry, in the token allowed before the link or in one first allowed after it.
    function testFuzz_release_refusedWhileCarrierSuspendedSinceDelivery(
        uint32 wait,
        bool reinstate,
        bool inLateToken
    ) public {
        vm.warp(block.timestamp + 1 hours);
        MockStablecoin payToken = token;
        if (inLateToken) {
            escrow.setTokenAllowed(address(lateToken), true);
            payToken = lateToken;
        }
        IWaybillEscrowTypes.Offer memory offer = _deliveredOrder(1e6, payToken);
        vm.warp(block.timestamp + bound(wait, 0, 3 days));
        registry.setSuspended(CARRIER, true);
        vm.warp(block.timestamp + 3 days);
        bytes32 orderId = escrow.orderIdOf(offer);
        if (reinstate) {
            registry.setSuspended(CARRIER, false);
            escrow.release(offer);
            assertEq(
                uint8(escrow.getOrder(orderId).status),
                uint8(IWaybillEscrowTypes.Status.Released),
                "not released"
            );
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IWaybillEscrowTypes.EvidenceCarrierSuspended.selector,
                    orderId,
                    CARRIER
                )
            );
            escrow.release(offer);
        }
    }

    function _deliveredOrder(
        uint96 price,
        MockStablecoin payToken
    ) private returns (IWaybillEscrowTypes.Offer memory offer) {
        offer = IWaybillEscrowTypes.Offer({
            merchant: vm.addr(MERCHANT_KEY),
            payee: PAYEE,
            buyer: address(0),
            token: address(payToken),
            price: price,
            detailsHash: bytes32(0),
            shipWithin: 1 days,
            deliverWithin: 10 days,
            inspectionPeriod: 3 days,
            maxFeeBps: 1000,
            expiry: uint40(block.timestamp + 1 days),
            salt: price
        });
        bytes32 orderId = escrow.orderIdOf(offer);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(MERCHANT_KEY, orderId);
        vm.prank(payToken.owner());
        payToken.mint(BUYER, price);
        vm.prank(BUYER);
        payToken.approve(address(escrow), price);
        vm.prank(BUYER);
        escrow.pay(offer, abi.encodePacked(r, s, v));
        bytes32 shipmentId = registry.shipmentIdOf(offer.merchant, orderId);
        registry.setShipment(shipmentId, IShipmentRegistry.ShipmentStatus.InTransit, 0);
        vm.prank(offer.merchant);
        escrow.markShipped(offer);
        registry.setShipment(shipmentId, IShipmentRegistry.ShipmentStatus.Delivered, uint40(block.timestamp));
        registry.setRecorder(shipmentId, CARRIER, CARRIER);
        escrow.markDelivered(offer);
    }
}
