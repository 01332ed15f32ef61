// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IShipmentRegistry} from "../../contracts/interfaces/IShipmentRegistry.sol";
import {ShipmentRegistry} from "../../contracts/ShipmentRegistry.sol";
import {Test} from "./utils/Test.sol";

/// @dev Shared actors: three carriers, one key each for the first two, a stranger. Private
/// keys are known so the handler can sign events as any of them.
abstract contract RegistryActors is Test {
    uint256 internal constant ACTOR_COUNT = 6;
    bytes5 internal constant SHANGHAI = "CNSHA";

    function _actorKey(uint256 index) internal pure returns (uint256) {
        // carriers C1, C2, C3, keys K1 (of C1), K2 (of C2), stranger
        return [uint256(0xC1), 0xC2, 0xC3, 0xA1, 0xA2, 0x5][index];
    }

    function _actor(uint256 index) internal pure returns (address) {
        return vm.addr(_actorKey(index));
    }
}

/// @dev Drives random events (direct, and signed batches of one to three events), hand-overs,
/// suspensions, revocations and time jumps against a few shipments, and checks every outcome
/// against its own model of the registry. Reverts are swallowed by the runner, so violations
/// are counted, not thrown.
contract ShipmentRegistryHandler is RegistryActors {
    struct Model {
        IShipmentRegistry.ShipmentStatus status;
        address carrier;
        uint40 lastEventAt;
        uint32 eventCount;
        // The key that recorded or signed the final event (zero before one): what the escrow
        // compares with an order's parties, so a party recording as carrier or key is caught.
        address finalRecorder;
    }

    ShipmentRegistry public immutable registry;
    bytes32[] public shipmentIds;
    mapping(bytes32 shipmentId => Model) public model;
    mapping(address carrier => bool) public suspended;
    mapping(address key => address carrier) public keyCarrier;
    mapping(address key => bool) public revoked;
    mapping(address signer => uint256) public nextNonce;

    /// @dev Counters the invariants require to stay zero (or to match the registry).
    uint256 public unexpectedOutcomes;
    uint256 public finalStatusChanges;
    uint256 public lastEventAtDecreases;
    uint256 public unauthorisedWrites;
    uint256 public successfulEvents;
    uint256 public partialBatches;
    uint256 public successfulBatches;

    constructor(ShipmentRegistry registry_, bytes32[] memory ids) {
        registry = registry_;
        shipmentIds = ids;
        keyCarrier[_actor(0)] = _actor(0);
        keyCarrier[_actor(1)] = _actor(1);
        keyCarrier[_actor(2)] = _actor(2);
        keyCarrier[_actor(3)] = _actor(0);
        keyCarrier[_actor(4)] = _actor(1);
        for (uint256 i; i < ids.length; ++i) {
            IShipmentRegistry.ShipmentView memory v = registry_.getShipment(ids[i]);
            model[ids[i]] = Model(v.status, v.carrier, v.lastEventAt, 0, address(0));
        }
    }

    function shipmentCount() external view returns (uint256) {
        return shipmentIds.length;
    }

    // ------------------------------------------------------------------ actions

    function recordEvent(
        uint256 shipmentSeed,
        uint8 codeSeed,
        uint256 callerSeed,
        uint256 timeSeed,
        uint256 nextSeed
    ) external {
        bytes32 id = shipmentIds[shipmentSeed % shipmentIds.length];
        address caller = _actor(_pickActor(id, callerSeed));
        IShipmentRegistry.ShipmentEvent memory ev = _event(id, model[id], codeSeed, timeSeed, nextSeed);
        IShipmentRegistry.ShipmentView memory before = registry.getShipment(id);

        vm.prank(caller);
        bool ok;
        try registry.recordEvent(ev) {
            ok = true;
        } catch {}
        _check(id, ev, caller, ok, before, _expectSuccess(model[id], ev, caller));
    }

    /// @dev One signed batch of one to three events, on the same or different shipments. The
    /// model replays the events in order on a copy of itself: the call must succeed exactly when
    /// every event is valid after the ones before it (and the nonce is fresh), and a failed call
    /// must leave every shipment as it was.
    function recordEventsBySig(
        uint256 shipmentSeed,
        uint256 signerSeed,
        uint256 eventSeed,
        uint8 sizeSeed,
        bool replay
    ) external {
        uint256 signerIndex = _pickActor(shipmentIds[shipmentSeed % shipmentIds.length], signerSeed);
        address signer = _actor(signerIndex);
        (Model[] memory sim, IShipmentRegistry.ShipmentView[] memory before) = _snapshot();
        (IShipmentRegistry.ShipmentEvent[] memory events, bool valid, bool authorised) = _simulateBatch(
            sim,
            signer,
            shipmentSeed,
            eventSeed,
            sizeSeed
        );

        // A replay reuses the signer's last nonce, which must fail if that nonce was ever used.
        uint256 nonce = replay && nextNonce[signer] > 0 ? nextNonce[signer] - 1 : nextNonce[signer];
        bool expected = valid && !registry.isNonceUsed(signer, nonce);
        IShipmentRegistry.SignedEventBatch[] memory batches = new IShipmentRegistry.SignedEventBatch[](1);
        batches[0] = _signedBatch(events, signerIndex, nonce);

        bool ok;
        try registry.recordEventsBySig(batches) {
            ok = true;
        } catch {}
        if (ok != expected) ++unexpectedOutcomes;
        if (ok && !authorised) ++unauthorisedWrites;
        _checkBatch(before, sim, ok);
        if (ok) {
            successfulEvents += events.length;
            ++successfulBatches;
            nextNonce[signer] = nonce + 1;
        }
    }

    /// @dev The model and the registry's views of every shipment, before a batch.
    function _snapshot()
        private
        view
        returns (Model[] memory sim, IShipmentRegistry.ShipmentView[] memory before)
    {
        uint256 n = shipmentIds.length;
        sim = new Model[](n);
        before = new IShipmentRegistry.ShipmentView[](n);
        for (uint256 j; j < n; ++j) {
            sim[j] = model[shipmentIds[j]];
            before[j] = registry.getShipment(shipmentIds[j]);
        }
    }

    /// @dev Builds one to three events from the seeds and replays them on `sim`; `valid` is
    /// false from the first event the model refuses; `authorised` is false when the signer was
    /// not the current active carrier or its live key for some event.
    function _simulateBatch(
        Model[] memory sim,
        address signer,
        uint256 shipmentSeed,
        uint256 eventSeed,
        uint8 sizeSeed
    ) private view returns (IShipmentRegistry.ShipmentEvent[] memory events, bool valid, bool authorised) {
        events = new IShipmentRegistry.ShipmentEvent[](1 + (sizeSeed % 3));
        valid = true;
        authorised = true;
        for (uint256 i; i < events.length; ++i) {
            // Every other batch stays on one shipment, so repeated events of one shipment occur.
            uint256 j = (shipmentSeed + i * ((sizeSeed >> 2) % 2)) % sim.length;
            events[i] = _event(
                shipmentIds[j],
                sim[j],
                uint8(uint256(keccak256(abi.encode(eventSeed, i, "code")))),
                uint256(keccak256(abi.encode(eventSeed, i, "time"))),
                uint256(keccak256(abi.encode(eventSeed, i, "next")))
            );
            address holder = sim[j].carrier;
            bool liveKey = keyCarrier[signer] == holder && !revoked[signer];
            if ((signer != holder && !liveKey) || suspended[holder]) authorised = false;
            if (valid && _expectSuccess(sim[j], events[i], signer)) _apply(sim[j], events[i], signer);
            else valid = false;
        }
    }

    /// @dev After a signed batch: a failed call changed nothing; a successful one commits the model.
    function _checkBatch(
        IShipmentRegistry.ShipmentView[] memory before,
        Model[] memory sim,
        bool ok
    ) private {
        for (uint256 j; j < sim.length; ++j) {
            IShipmentRegistry.ShipmentView memory after_ = registry.getShipment(shipmentIds[j]);
            bool changed = keccak256(abi.encode(before[j])) != keccak256(abi.encode(after_));
            if (!ok && changed) ++partialBatches;
            if (changed && uint8(before[j].status) >= uint8(IShipmentRegistry.ShipmentStatus.Delivered)) {
                ++finalStatusChanges;
            }
            if (after_.lastEventAt < before[j].lastEventAt) ++lastEventAtDecreases;
            if (ok) model[shipmentIds[j]] = sim[j];
        }
    }

    function toggleSuspension(uint256 carrierSeed) external {
        address carrier = _actor(carrierSeed % 3);
        if (suspended[carrier]) registry.reinstateCarrier(carrier);
        else registry.suspendCarrier(carrier);
        suspended[carrier] = !suspended[carrier];
    }

    function revokeKey(uint256 keySeed) external {
        address key = _actor(3 + (keySeed % 2));
        if (revoked[key]) return;
        vm.prank(keyCarrier[key]);
        registry.revokeKey(key);
        revoked[key] = true;
    }

    function warp(uint256 secondsSeed) external {
        vm.warp(block.timestamp + bound(secondsSeed, 0, 2 days));
    }

    // ---------------------------------------------------------------- the model

    function _event(
        bytes32 id,
        Model memory m,
        uint8 codeSeed,
        uint256 timeSeed,
        uint256 nextSeed
    ) private view returns (IShipmentRegistry.ShipmentEvent memory ev) {
        IShipmentRegistry.EventCode code = _pickCode(m.status, codeSeed);
        // Mostly valid times, sometimes just before the last event or just in the future.
        uint256 last = m.lastEventAt;
        uint256 occurredAt = bound(timeSeed, last > 5 ? last - 5 : 0, block.timestamp + 5);
        // Hand-overs usually name a carrier; other codes usually name nobody.
        address next;
        if ((nextSeed & 3) != 0) {
            next = code == IShipmentRegistry.EventCode.HandedOver ? _actor((nextSeed >> 2) % 3) : address(0);
        } else {
            next = _actor((nextSeed >> 2) % ACTOR_COUNT);
        }
        ev = IShipmentRegistry.ShipmentEvent(
            id,
            code,
            SHANGHAI,
            uint40(occurredAt),
            keccak256("e"),
            next,
            ""
        );
    }

    function _signedBatch(
        IShipmentRegistry.ShipmentEvent[] memory events,
        uint256 signerIndex,
        uint256 nonce
    ) private view returns (IShipmentRegistry.SignedEventBatch memory) {
        uint40 deadline = uint40(block.timestamp + 1 hours);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            _actorKey(signerIndex),
            registry.signedBatchDigest(_actor(signerIndex), events, nonce, deadline)
        );
        return
            IShipmentRegistry.SignedEventBatch(
                events,
                nonce,
                deadline,
                _actor(signerIndex),
                abi.encodePacked(r, s, v)
            );
    }

    /// @dev Three times in four the shipment's carrier or its key, otherwise anyone.
    function _pickActor(bytes32 id, uint256 seed) private view returns (uint256) {
        if (seed % 4 == 0) return (seed >> 2) % ACTOR_COUNT;
        address carrier = model[id].carrier;
        uint256 index =
            carrier == _actor(0)
                ? 0
                : carrier == _actor(1)
                    ? 1
                    : 2;
        // C1 and C2 have keys (K1, K2); half of their events come from the key.
        if (index < 2 && (seed >> 2) % 2 == 1) return index + 3;
        return index;
    }

    /// @dev Three times in four a code the status allows, otherwise any code.
    function _pickCode(
        IShipmentRegistry.ShipmentStatus status,
        uint8 seed
    ) private pure returns (IShipmentRegistry.EventCode) {
        uint8 pick = seed >> 2;
        if (seed % 4 != 0) {
            if (status == IShipmentRegistry.ShipmentStatus.Created) {
                return IShipmentRegistry.EventCode(pick % 2 == 0 ? 0 : 10);
            }
            if (status == IShipmentRegistry.ShipmentStatus.InTransit) {
                uint8[10] memory codes = [1, 2, 3, 5, 6, 7, 8, 9, 10, 11];
                return IShipmentRegistry.EventCode(codes[pick % 10]);
            }
            if (status == IShipmentRegistry.ShipmentStatus.CustomsHold) {
                uint8[4] memory codes = [4, 9, 10, 11];
                return IShipmentRegistry.EventCode(codes[pick % 4]);
            }
        }
        return IShipmentRegistry.EventCode(pick % 12);
    }

    function _expectSuccess(
        Model memory m,
        IShipmentRegistry.ShipmentEvent memory ev,
        address actor
    ) private view returns (bool) {
        bool isCarrier = actor == m.carrier;
        bool isKey = keyCarrier[actor] == m.carrier && actor != m.carrier && !revoked[actor];
        if (!isCarrier && !isKey) return false;
        if (suspended[m.carrier]) return false;
        if (!_allowed(m.status, ev.code)) return false;
        if (ev.code == IShipmentRegistry.EventCode.HandedOver) {
            bool registered =
                ev.nextCarrier == _actor(0) || ev.nextCarrier == _actor(1) || ev.nextCarrier == _actor(2);
            if (!registered || ev.nextCarrier == m.carrier || suspended[ev.nextCarrier]) return false;
        } else if (ev.nextCarrier != address(0)) {
            return false;
        }
        return ev.occurredAt <= block.timestamp && ev.occurredAt >= m.lastEventAt;
    }

    /// @dev The transition table, written out independently of the contract's bitmasks.
    function _allowed(
        IShipmentRegistry.ShipmentStatus s,
        IShipmentRegistry.EventCode c
    ) private pure returns (bool) {
        uint8 code = uint8(c);
        if (s == IShipmentRegistry.ShipmentStatus.Created) return code == 0 || code == 10;
        if (s == IShipmentRegistry.ShipmentStatus.InTransit) return code != 0 && code != 4;
        if (s == IShipmentRegistry.ShipmentStatus.CustomsHold) return code == 4 || code >= 9;
        return false;
    }

    function _next(
        IShipmentRegistry.ShipmentStatus s,
        IShipmentRegistry.EventCode c
    ) private pure returns (IShipmentRegistry.ShipmentStatus) {
        if (c == IShipmentRegistry.EventCode.PickedUp || c == IShipmentRegistry.EventCode.CustomsCleared) {
            return IShipmentRegistry.ShipmentStatus.InTransit;
        }
        if (c == IShipmentRegistry.EventCode.CustomsHeld) return IShipmentRegistry.ShipmentStatus.CustomsHold;
        if (c == IShipmentRegistry.EventCode.Delivered) return IShipmentRegistry.ShipmentStatus.Delivered;
        if (c == IShipmentRegistry.EventCode.Lost) return IShipmentRegistry.ShipmentStatus.Lost;
        if (c == IShipmentRegistry.EventCode.ReturnedToSender)
            return IShipmentRegistry.ShipmentStatus.Returned;
        return s;
    }

    function _check(
        bytes32 id,
        IShipmentRegistry.ShipmentEvent memory ev,
        address actor,
        bool ok,
        IShipmentRegistry.ShipmentView memory before,
        bool expected
    ) private {
        IShipmentRegistry.ShipmentView memory after_ = registry.getShipment(id);
        if (ok != expected) ++unexpectedOutcomes;
        if (uint8(before.status) >= uint8(IShipmentRegistry.ShipmentStatus.Delivered)) {
            if (ok || keccak256(abi.encode(before)) != keccak256(abi.encode(after_))) ++finalStatusChanges;
        }
        if (after_.lastEventAt < before.lastEventAt) ++lastEventAtDecreases;
        if (!ok) return;

        Model storage m = model[id];
        bool liveKey = keyCarrier[actor] == m.carrier && !revoked[actor];
        if ((actor != m.carrier && !liveKey) || suspended[m.carrier]) ++unauthorisedWrites;
        ++successfulEvents;
        Model memory updated = m;
        _apply(updated, ev, actor);
        model[id] = updated;
    }

    /// @dev The model's effect of one successful event recorded or signed by `actor`.
    function _apply(Model memory m, IShipmentRegistry.ShipmentEvent memory ev, address actor) private pure {
        m.status = _next(m.status, ev.code);
        if (uint8(m.status) >= uint8(IShipmentRegistry.ShipmentStatus.Delivered)) m.finalRecorder = actor;
        if (ev.code == IShipmentRegistry.EventCode.HandedOver) m.carrier = ev.nextCarrier;
        m.lastEventAt = ev.occurredAt;
        ++m.eventCount;
    }
}

contract ShipmentRegistryTest is RegistryActors {
    uint256 private constant SHIPMENTS = 4;
    address private constant SHIPPER = address(0x5A1E);

    ShipmentRegistry private registry;
    ShipmentRegistryHandler private handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        registry = new ShipmentRegistry(address(this), 3 days, address(0));
        registry.grantRole(registry.CARRIER_MANAGER_ROLE(), address(this));
        for (uint256 i; i < 3; ++i)
            registry.registerCarrier(_actor(i), bytes8(uint64(0x4341520000000000 + i)));
        vm.prank(_actor(0));
        registry.authorizeKey(_actor(3));
        vm.prank(_actor(1));
        registry.authorizeKey(_actor(4));

        bytes32[] memory ids = new bytes32[](SHIPMENTS);
        for (uint256 i; i < SHIPMENTS; ++i) {
            vm.prank(SHIPPER);
            ids[i] = registry.createShipment(
                IShipmentRegistry.NewShipment(
                    bytes32(i),
                    _actor(i % 3),
                    SHANGHAI,
                    "DEHAM",
                    keccak256("docs"),
                    new uint256[](0)
                )
            );
        }
        handler = new ShipmentRegistryHandler(registry, ids);
        registry.grantRole(registry.CARRIER_MANAGER_ROLE(), address(handler));
        targetContract(address(handler));
        bytes4[] memory actions = new bytes4[](5);
        actions[0] = ShipmentRegistryHandler.recordEvent.selector;
        actions[1] = ShipmentRegistryHandler.recordEventsBySig.selector;
        actions[2] = ShipmentRegistryHandler.toggleSuspension.selector;
        actions[3] = ShipmentRegistryHandler.revokeKey.selector;
        actions[4] = ShipmentRegistryHandler.warp.selector;
        targetSelector(FuzzSelector(address(handler), actions));
    }

    // ---------------------------------------------------------------- invariants

    /// @dev Every call succeeded exactly when the model said it should.
    function invariant_outcomesMatchModel() public view {
        assertEq(handler.unexpectedOutcomes(), 0, "a call's success differed from the model");
    }

    /// @dev Delivered, Lost and Returned never change once reached.
    function invariant_finalStatusesNeverChange() public view {
        assertEq(handler.finalStatusChanges(), 0, "a final shipment changed");
    }

    /// @dev A shipment's last event time never goes backwards.
    function invariant_lastEventAtNeverDecreases() public view {
        assertEq(handler.lastEventAtDecreases(), 0, "lastEventAt decreased");
    }

    /// @dev A signed batch that fails changes no shipment (all-or-nothing).
    function invariant_failedBatchesChangeNothing() public view {
        assertEq(handler.partialBatches(), 0, "a failed signed batch changed a shipment");
    }

    /// @dev Only the current carrier or one of its keys ever writes an event.
    function invariant_onlyCurrentCarrierWrites() public view {
        assertEq(handler.unauthorisedWrites(), 0, "an event was written by someone else");
    }

    /// @dev Registry state equals the model's, including who recorded each final event (direct
    /// caller or batch signer, never the relayer); event counts sum to the successful calls.
    function invariant_stateMatchesModel() public view {
        uint256 total;
        for (uint256 i; i < SHIPMENTS; ++i) {
            bytes32 id = handler.shipmentIds(i);
            IShipmentRegistry.ShipmentView memory v = registry.getShipment(id);
            (
                IShipmentRegistry.ShipmentStatus status,
                address carrier,
                uint40 lastEventAt,
                uint32 count,
                address finalRecorder
            ) = handler.model(id);
            (bytes32 evidenceId, IShipmentRegistry.FinalEvent memory evidence) = registry.finalEventOf(
                SHIPPER,
                bytes32(i)
            );
            assertEq(evidenceId, id, "finalEventOf names another shipment");
            assertEq(evidence.recordedBy, finalRecorder, "final recorder differs from the model");
            assertEq(evidence.carrier, carrier, "final-event carrier differs from the model");
            assertTrue(
                evidence.carrierSuspended == handler.suspended(carrier),
                "suspension differs from the model"
            );
            assertEq(uint8(v.status), uint8(status), "status differs from the model");
            assertEq(v.carrier, carrier, "carrier differs from the model");
            assertEq(v.lastEventAt, lastEventAt, "lastEventAt differs from the model");
            assertEq(v.eventCount, count, "eventCount differs from the model");
            assertEq(
                v.deliveredAt,
                v.status == IShipmentRegistry.ShipmentStatus.Delivered ? v.lastEventAt : 0,
                "deliveredAt is not the delivery time"
            );
            total += v.eventCount;
        }
        assertEq(total, handler.successfulEvents(), "event counts do not sum to successful events");
    }

    // ---------------------------------------------------------------------- fuzz

    /// @dev Fuzz: the contract accepts a location exactly when it is UN/LOCODE-shaped.
    function testFuzz_locationValidation(bytes5 location) public {
        bool valid = true;
        for (uint256 i; i < 5; ++i) {
            bytes1 c = location[i];
            bool letter = c >= "A" && c <= "Z";
            bool digit = c >= "2" && c <= "9";
            if (!(letter || (i >= 2 && digit))) valid = false;
        }
        IShipmentRegistry.NewShipment memory s = IShipmentRegistry.NewShipment(
            keccak256(abi.encode(location)),
            _actor(0),
            location,
            "DEHAM",
            bytes32(0),
            new uint256[](0)
        );
        if (!valid)
            vm.expectRevert(abi.encodeWithSelector(IShipmentRegistry.InvalidLocation.selector, location));
        registry.createShipment(s);
    }

    /// @dev Fuzz: a signed batch is recorded once; the same signature fails on its nonce after.
    function testFuzz_signedBatch_rejectsReplay(uint256 nonce, uint40 age, bytes32 evidence) public {
        vm.warp(block.timestamp + 2 days);
        bytes32 id = registry.shipmentIdOf(address(0x5A1E), bytes32(0));
        uint40 occurredAt = uint40(block.timestamp - bound(age, 0, 1 days));
        IShipmentRegistry.ShipmentEvent[] memory events = new IShipmentRegistry.ShipmentEvent[](2);
        events[0] = IShipmentRegistry.ShipmentEvent(
            id,
            IShipmentRegistry.EventCode.PickedUp,
            SHANGHAI,
            occurredAt,
            evidence,
            address(0),
            ""
        );
        events[1] = IShipmentRegistry.ShipmentEvent(
            id,
            IShipmentRegistry.EventCode.Departed,
            SHANGHAI,
            occurredAt,
            evidence,
            address(0),
            "ipfs://scan"
        );
        IShipmentRegistry.SignedEventBatch[] memory batches = new IShipmentRegistry.SignedEventBatch[](1);
        batches[0] = _signed(events, 3, nonce);

        registry.recordEventsBySig(batches);
        assertTrue(registry.isNonceUsed(_actor(3), nonce), "nonce not marked used");
        assertEq(registry.getShipment(id).eventCount, 2, "events not recorded");

        vm.expectRevert(
            abi.encodeWithSelector(IShipmentRegistry.NonceAlreadyUsed.selector, _actor(3), nonce)
        );
        registry.recordEventsBySig(batches);
    }

    /// @dev Fuzz: changing any one byte of a signed batch's events makes its signature invalid.
    function testFuzz_signedBatch_rejectsTamperedEvent(
        bytes32 evidence,
        bytes32 otherEvidence,
        bool second
    ) public {
        vm.assume(evidence != otherEvidence);
        bytes32 id = registry.shipmentIdOf(address(0x5A1E), bytes32(0));
        IShipmentRegistry.ShipmentEvent[] memory events = new IShipmentRegistry.ShipmentEvent[](2);
        events[0] = IShipmentRegistry.ShipmentEvent(
            id,
            IShipmentRegistry.EventCode.PickedUp,
            SHANGHAI,
            uint40(block.timestamp),
            evidence,
            address(0),
            ""
        );
        events[1] = events[0];
        events[1].code = IShipmentRegistry.EventCode.Departed;
        IShipmentRegistry.SignedEventBatch[] memory batches = new IShipmentRegistry.SignedEventBatch[](1);
        batches[0] = _signed(events, 3, 7);
        // Copy before tampering: the batch holds the same memory events.
        IShipmentRegistry.ShipmentEvent[] memory tampered = new IShipmentRegistry.ShipmentEvent[](2);
        tampered[0] = events[0];
        tampered[1] = events[1];
        tampered[second ? 1 : 0] = IShipmentRegistry.ShipmentEvent(
            id,
            events[second ? 1 : 0].code,
            SHANGHAI,
            uint40(block.timestamp),
            otherEvidence,
            address(0),
            ""
        );
        batches[0].events = tampered;

        vm.expectRevert(abi.encodeWithSelector(IShipmentRegistry.InvalidSignature.selector, _actor(3), 7));
        registry.recordEventsBySig(batches);
    }

    function _signed(
        IShipmentRegistry.ShipmentEvent[] memory events,
        uint256 signerIndex,
        uint256 nonce
    ) private view returns (IShipmentRegistry.SignedEventBatch memory) {
        uint40 deadline = uint40(block.timestamp + 1 hours);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            _actorKey(signerIndex),
            registry.signedBatchDigest(_actor(signerIndex), events, nonce, deadline)
        );
        return
            IShipmentRegistry.SignedEventBatch(
                events,
                nonce,
                deadline,
                _actor(signerIndex),
                abi.encodePacked(r, s, v)
            );
    }
}
