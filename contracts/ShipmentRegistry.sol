// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IPassportCustody} from "./interfaces/IPassportCustody.sol";
import {IRegistryListener} from "./interfaces/IRegistryListener.sol";
import {IShipmentRegistry} from "./interfaces/IShipmentRegistry.sol";

/**
 * @title ShipmentRegistry
 * @notice Carriers record each step of a cross-border shipment, themselves or through
 * EIP-712 signed batches of events (one signature per batch) that any relayer submits. The
 * current state of a shipment lives in one storage slot; its history lives only in the event
 * log (see scripts/lib/timeline.ts). Signing model and relayer griefing: docs/shipment-events.md.
 * @dev Roles: the default admin (two-step transfer behind a delay) grants
 * {CARRIER_MANAGER_ROLE}, which registers, suspends and reinstates carriers. Carriers
 * authorise and revoke their own keys. Shippers need no role.
 */
contract ShipmentRegistry is IShipmentRegistry, AccessControlDefaultAdminRules, EIP712 {
    // ---------------------------------------------------------------------- constants

    /// @inheritdoc IShipmentRegistry
    bytes32 public constant CARRIER_MANAGER_ROLE = keccak256("CARRIER_MANAGER_ROLE");

    /// @inheritdoc IShipmentRegistry
    bytes32 public constant SHIPMENT_EVENT_TYPEHASH = keccak256(
        "ShipmentEvent(bytes32 shipmentId,uint8 code,bytes5 location,uint40 occurredAt,bytes32 evidenceHash,address nextCarrier,string evidenceURI)"
    );

    /// @inheritdoc IShipmentRegistry
    /// @dev The claimed `signer` is part of the signed struct: nonces are kept per signer, so
    /// signature bytes that validate for two signers of one carrier (a key EOA, and an ERC-1271
    /// carrier accepting that EOA's raw signature) must not be replayable under the other's nonces.
    bytes32 public constant EVENT_BATCH_TYPEHASH = keccak256(
        "EventBatch(address signer,ShipmentEvent[] events,uint256 nonce,uint40 deadline)ShipmentEvent(bytes32 shipmentId,uint8 code,bytes5 location,uint40 occurredAt,bytes32 evidenceHash,address nextCarrier,string evidenceURI)"
    );

    /// @inheritdoc IShipmentRegistry
    /// @dev A depot's scan list rarely exceeds a few dozen items. 256 events (about 12k to 20k
    /// gas each) keep any one signed batch well inside a block, so a signature can never be
    /// made that no block could carry, and signing tools have a fixed bound to split at.
    uint256 public constant MAX_BATCH_EVENTS = 256;

    /// @inheritdoc IShipmentRegistry
    uint256 public constant MAX_PASSPORTS = 50;

    /// @inheritdoc IShipmentRegistry
    /// @dev The escrow's own notice (a delegatecall to its extension, its config slot and its token
    /// list's length, then a cold list slot and a cold token slot rewritten per listed token, an
    /// event) uses 71,860 with its most tokens listed (`MAX_LISTED_TOKENS`, 8; measured): over
    /// twice that leaves room for repricings. A notice that ran out would leave the escrow a stale
    /// copy of the latest suspension, letting a release skip the registry read after it. A stingy
    /// transaction must not be able to starve the notice while the suspension itself succeeds (a
    /// wallet's gas estimate would find exactly that), hence the check before the call.
    uint256 public constant ESCROW_NOTICE_GAS = 150_000;

    /// @dev Bit `code` is set when `code` may follow a shipment in that status (see {EventCode}).
    uint256 private constant _FROM_CREATED = (1 << uint8(EventCode.PickedUp)) | (1 << uint8(EventCode.Lost));
    uint256 private constant _FROM_CUSTOMS_HOLD =
        (1 << uint8(EventCode.CustomsCleared)) |
            (1 << uint8(EventCode.Damaged)) |
            (1 << uint8(EventCode.Lost)) |
            (1 << uint8(EventCode.ReturnedToSender));
    uint256 private constant _FROM_IN_TRANSIT =
        (1 << uint8(EventCode.Departed)) |
            (1 << uint8(EventCode.Arrived)) |
            (1 << uint8(EventCode.CustomsHeld)) |
            (1 << uint8(EventCode.HandedOver)) |
            (1 << uint8(EventCode.OutForDelivery)) |
            (1 << uint8(EventCode.Delivered)) |
            (1 << uint8(EventCode.DeliveryFailed)) |
            (1 << uint8(EventCode.Damaged)) |
            (1 << uint8(EventCode.Lost)) |
            (1 << uint8(EventCode.ReturnedToSender));

    /// @dev The 16-bit mask of codes allowed from status `s`, at bit `16 * s`: Created is 1,
    /// InTransit 2, CustomsHold 3; nothing is allowed from None or a final status.
    uint256 private constant _ALLOWED_CODES =
        (_FROM_CREATED << 16) | (_FROM_IN_TRANSIT << 32) | (_FROM_CUSTOMS_HOLD << 48);

    /// @dev The status code `c` leads to, as the 4 bits at bit `4 * c`, zero meaning "unchanged".
    /// Nibbles from code 11 down to 0: ReturnedToSender→Returned (6), Lost→Lost (5), 0, 0,
    /// Delivered→Delivered (4), 0, 0, CustomsCleared→InTransit (2), CustomsHeld→CustomsHold (3),
    /// 0, 0, PickedUp→InTransit (2). A literal because, built from enum casts, it was not folded
    /// by the legacy code generator (measured 880 gas more per event); the transition tests
    /// exercise every (status, code) pair against it.
    uint256 private constant _NEXT_STATUS = 0x6500_4002_3002;

    /// @dev Bit `c` is set for each byte `c` allowed in a UN/LOCODE's country part (A-Z) and place part (A-Z, 2-9).
    uint256 private constant _LOCODE_COUNTRY = ((1 << 26) - 1) << 0x41;
    uint256 private constant _LOCODE_PLACE = _LOCODE_COUNTRY | (((1 << 8) - 1) << 0x32);

    /// @dev Where each field of a shipment record sits in its word (see {_shipments}).
    uint256 private constant _STATUS_SHIFT = 160;
    uint256 private constant _CODE_SHIFT = 168;
    uint256 private constant _AT_SHIFT = 176;
    uint256 private constant _COUNT_SHIFT = 216;
    /// @dev Set in a final record (Delivered, Lost, Returned) when a key of the carrier, not the
    /// carrier itself, recorded or signed the final event; the carrier field then holds that key.
    uint256 private constant _KEY_RECORDED_BIT = 1 << 248;

    // ------------------------------------------------------------------------ storage

    /// @dev What an address is to the registry, in one slot:
    /// carrier (160) + code (64) + suspended (8) + revoked (8) = 240 bits.
    /// A carrier's record points at itself and holds its code and suspension; a key's record
    /// points at its carrier; a revoked key's record keeps `revoked` forever.
    // 240 bits, already one slot: the rule misjudges bytes8 and bool fields.
    // solhint-disable-next-line gas-struct-packing
    struct Account {
        address carrier;
        bytes8 code;
        bool suspended;
        bool revoked;
    }

    /// @dev Zero when passports are not enabled.
    IPassportCustody private immutable _passports;

    /// @dev The hot record of a shipment, packed by hand into one word so an event costs one
    /// SLOAD and one SSTORE. A packed struct costs 1,441 gas more per signed event (measured):
    /// the legacy code generator copies it through memory and writes it back field by field,
    /// one SSTORE each. Bits: carrier 0-159, status 160-167,
    /// lastEventCode 168-175, lastEventAt 176-215 (uint40), eventCount 216-247 (uint32), and
    /// bit 248 ({_KEY_RECORDED_BIT}) once a key recorded the final event: the carrier field then
    /// holds that key, and the carrier is the key's (see {_carrierOfRecord}).
    /// The shipper is not stored: it is implied by the id, which the escrow recomputes.
    /// `deliveredAt` is not stored either: Delivered is final, so it equals `lastEventAt`.
    /// Written only by {_packShipment}; read by shifting out the field needed.
    mapping(bytes32 shipmentId => uint256 record) private _shipments;
    /// @dev The escrow that may create shipments for its merchants; set once by the admin.
    address private _escrow;
    /// @dev Written only for shipments that carry passports.
    mapping(bytes32 shipmentId => uint256[]) private _passportIds;
    mapping(address account => Account) private _accounts;
    /// @dev The carrier a revoked key served, written at revocation (a carrier's own action, not
    /// the event path), so a final event the key recorded still names its carrier.
    mapping(address key => address carrier) private _revokedKeyCarriers;
    /// @dev Which carrier holds an industry code, so no two carriers share one.
    mapping(bytes8 code => address carrier) private _carrierByCode;
    /// @dev Permit2-style unordered nonces: bit `nonce & 0xff` of word `nonce >> 8`.
    mapping(address signer => mapping(uint256 word => uint256 bits)) private _nonceBitmaps;

    // -------------------------------------------------------------------- constructor

    /**
     * @param initialAdmin Holder of the default admin role (grants {CARRIER_MANAGER_ROLE}).
     * @param adminTransferDelay Seconds a default-admin transfer waits before it can be accepted (e.g. 3 days).
     * @param passports The product-passport contract told about shipped passports, or zero to disable passports.
     */
    constructor(
        address initialAdmin,
        uint48 adminTransferDelay,
        address passports
    )
        AccessControlDefaultAdminRules(adminTransferDelay, initialAdmin)
        EIP712("Waybill ShipmentRegistry", "1")
    {
        _passports = IPassportCustody(passports);
    }

    // --------------------------------------------------------------------- carriers

    /// @inheritdoc IShipmentRegistry
    /// @dev Reverts with {InvalidAccount} for the zero address, {InvalidCarrierCode} for a zero
    /// code, {CarrierCodeTaken} when another carrier holds `code` (codes stay with their carrier,
    /// suspended or not, so a tracking page's code names one company), {CarrierAlreadyRegistered}, {KeyAlreadyAuthorized} when `carrier` is another
    /// carrier's key, and {KeyPreviouslyRevoked} when it is a revoked key.
    /// @param carrier The carrier's address (an EOA or a smart-contract wallet).
    /// @param code Its industry code, e.g. a SCAC.
    function registerCarrier(address carrier, bytes8 code) external onlyRole(CARRIER_MANAGER_ROLE) {
        if (carrier == address(0)) revert InvalidAccount(carrier);
        if (code == bytes8(0)) revert InvalidCarrierCode(code);
        Account storage account = _accounts[carrier];
        address current = account.carrier;
        if (current == carrier) revert CarrierAlreadyRegistered(carrier);
        if (current != address(0)) revert KeyAlreadyAuthorized(carrier, current);
        if (account.revoked) revert KeyPreviouslyRevoked(carrier);
        address holder = _carrierByCode[code];
        if (holder != address(0)) revert CarrierCodeTaken(code, holder);
        _carrierByCode[code] = carrier;
        account.carrier = carrier;
        account.code = code;
        emit CarrierRegistered(carrier, code);
    }

    /// @inheritdoc IShipmentRegistry
    /// @dev Its keys stop with it; signatures they made revive on reinstatement if still unexpired.
    /// @param carrier A registered, active carrier.
    function suspendCarrier(address carrier) external onlyRole(CARRIER_MANAGER_ROLE) {
        Account storage account = _registeredCarrier(carrier);
        if (account.suspended) revert CarrierNotActive(carrier);
        account.suspended = true;
        emit CarrierSuspended(carrier);
        address escrow_ = _escrow;
        if (escrow_ != address(0)) {
            _notifyEscrow(escrow_, abi.encodeCall(IRegistryListener.recordCarrierSuspension, (carrier)));
        }
    }

    /// @inheritdoc IShipmentRegistry
    /// @param carrier A registered, suspended carrier.
    function reinstateCarrier(address carrier) external onlyRole(CARRIER_MANAGER_ROLE) {
        Account storage account = _registeredCarrier(carrier);
        if (!account.suspended) revert CarrierNotSuspended(carrier);
        account.suspended = false;
        emit CarrierReinstated(carrier);
    }

    /// @inheritdoc IShipmentRegistry
    /// @dev The caller must be an active carrier. A key serves one carrier, cannot be a carrier
    /// itself ({CarrierAlreadyRegistered}) and cannot come back once revoked ({KeyPreviouslyRevoked}).
    /// @param key The depot or scanner address to authorise.
    function authorizeKey(address key) external {
        Account storage self = _registeredCarrier(msg.sender);
        if (self.suspended) revert CarrierNotActive(msg.sender);
        if (key == address(0)) revert InvalidAccount(key);
        Account storage account = _accounts[key];
        address current = account.carrier;
        if (current == key) revert CarrierAlreadyRegistered(key);
        if (current != address(0)) revert KeyAlreadyAuthorized(key, current);
        if (account.revoked) revert KeyPreviouslyRevoked(key);
        account.carrier = msg.sender;
        emit CarrierKeyAuthorized(msg.sender, key);
    }

    /// @inheritdoc IShipmentRegistry
    /// @dev Allowed while suspended, so a carrier can always cut off a compromised key.
    /// Reverts with {KeyNotAuthorized} unless `key` is a current key of the caller.
    /// @param key One of the caller's keys.
    function revokeKey(address key) external {
        Account storage account = _accounts[key];
        if (key == msg.sender || account.carrier != msg.sender) revert KeyNotAuthorized(key, msg.sender);
        account.carrier = address(0);
        account.revoked = true;
        // A final event this key recorded must still name its carrier (see {_carrierOfRecord}).
        _revokedKeyCarriers[key] = msg.sender;
        emit CarrierKeyRevoked(msg.sender, key);
    }

    /// @inheritdoc IShipmentRegistry
    /// @dev Anyone may cancel their own nonces; emits {NonceUsed}.
    /// @param nonce The nonce to burn.
    function cancelNonce(uint256 nonce) external {
        _useNonce(msg.sender, nonce);
    }

    // -------------------------------------------------------------------- shipments

    /// @inheritdoc IShipmentRegistry
    /// @dev Reverts with {ShipmentAlreadyExists}, {CarrierNotRegistered} / {CarrierNotActive}
    /// for the first carrier, {InvalidLocation}, {TooManyPassports}, {PassportsNotEnabled},
    /// {PassportIdsNotAscending} unless the ids are strictly ascending (the cheapest rule that
    /// rules out a duplicate, which would make the escrow's custody pull fail and the order
    /// unshippable), or whatever the passport contract reverts with (e.g. `PassportNotOwnedByShipper`).
    /// @param s The shipment to register.
    function createShipment(NewShipment calldata s) external returns (bytes32 shipmentId) {
        return _createShipment(msg.sender, s);
    }

    /// @inheritdoc IShipmentRegistry
    /// @dev Reverts with {NotEscrow} for any caller but the escrow, then as {createShipment}.
    function createShipmentFor(
        address shipper,
        NewShipment calldata s
    ) external returns (bytes32 shipmentId) {
        if (msg.sender != _escrow) revert NotEscrow(msg.sender);
        return _createShipment(shipper, s);
    }

    /// @inheritdoc IShipmentRegistry
    /// @dev Reverts with {InvalidAccount} for zero and {EscrowAlreadySet} once set: a later change
    /// could point shipment creation at a contract that does not restrict it to the merchant's own orders.
    function setEscrow(address escrow_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (escrow_ == address(0)) revert InvalidAccount(escrow_);
        if (_escrow != address(0)) revert EscrowAlreadySet(_escrow);
        _escrow = escrow_;
        emit EscrowSet(escrow_);
        _notifyEscrow(escrow_, abi.encodeCall(IRegistryListener.recordRegistryLink, ()));
    }

    /**
     * @dev Sends `notice` to the escrow with exactly {ESCROW_NOTICE_GAS}, and carries on whatever the
     * escrow does: the escrow is the admin's choice, and a reverting or gas-burning one must not be
     * able to stop a suspension (it only loses the notice, which it alone relies on). The gas is
     * checked first so that the caller cannot starve the call instead (EIP-150 forwards at most
     * 63/64 of what is left; 3,000 covers a cold account and the call's own cost). No return data is
     * copied, so a hostile escrow cannot make the registry pay for a large one.
     */
    function _notifyEscrow(address escrow_, bytes memory notice) private {
        uint256 needed = (ESCROW_NOTICE_GAS * 64) / 63 + 3_000;
        uint256 gasLeft = gasleft();
        if (gasLeft < needed) revert EscrowNoticeGasTooLow(gasLeft, needed);
        bool ok;
        assembly ("memory-safe") {
            ok := call(ESCROW_NOTICE_GAS, escrow_, 0, add(notice, 0x20), mload(notice), 0, 0)
        }
        if (!ok) emit EscrowNoticeFailed(escrow_, bytes4(notice));
    }

    /// @dev {createShipment} for `shipper`.
    function _createShipment(address shipper, NewShipment calldata s) private returns (bytes32 shipmentId) {
        shipmentId = _shipmentIdOf(shipper, s.shipperRef);
        if (_shipments[shipmentId] != 0) revert ShipmentAlreadyExists(shipmentId);
        _requireActiveCarrier(s.carrier);
        _requireLocode(s.origin);
        _requireLocode(s.destination);
        uint256 passportCount = s.passportIds.length;
        if (passportCount > MAX_PASSPORTS) revert TooManyPassports(passportCount, MAX_PASSPORTS);
        if (passportCount != 0 && address(_passports) == address(0)) revert PassportsNotEnabled();
        for (uint256 i = 1; i < passportCount; ++i) {
            if (s.passportIds[i] <= s.passportIds[i - 1]) revert PassportIdsNotAscending(i, s.passportIds[i]);
        }

        // lastEventCode is meaningless while Created; zero keeps the view's documented value.
        _shipments[shipmentId] = _packShipment(
            s.carrier,
            ShipmentStatus.Created,
            EventCode.PickedUp,
            uint40(block.timestamp),
            0
        );
        if (passportCount != 0) _passportIds[shipmentId] = s.passportIds;
        emit ShipmentCreated(
            shipmentId,
            shipper,
            s.carrier,
            s.shipperRef,
            s.origin,
            s.destination,
            s.documentsHash,
            s.passportIds
        );

        if (passportCount != 0) _passports.recordShipment(shipmentId, shipper, s.passportIds);
    }

    /// @inheritdoc IShipmentRegistry
    /// @dev Reverts with {ShipmentNotFound}, {NotShipmentCarrier}, {CarrierNotActive},
    /// {InvalidTransition}, {InvalidNextCarrier}, {InvalidLocation}, {EventInFuture} or
    /// {EventBeforePrevious}.
    /// @param ev The event; `ev.evidenceURI` is emitted, never stored.
    function recordEvent(ShipmentEvent calldata ev) external {
        (address carrier, bool suspended) = _actingFor(msg.sender);
        _record(ev, msg.sender, carrier, suspended);
    }

    /// @inheritdoc IShipmentRegistry
    /// @dev Batches are processed in array order. For each: {EmptyBatch} without events,
    /// {BatchTooLarge} above {MAX_BATCH_EVENTS}, {SignatureExpired} after its deadline,
    /// {NonceAlreadyUsed}, {InvalidSignature} unless `signer` signed {signedBatchDigest} of
    /// itself as signer and exactly these events in this order (ECDSA 65-byte or EIP-2098
    /// 64-byte for an EOA, ERC-1271 for a contract); only then is each event checked and recorded in order, with
    /// every check of {recordEvent} and `signer` as the recorder.
    /// ALL-OR-NOTHING across the whole call: the first bad batch or event reverts the
    /// transaction, so no event or nonce of any batch in it is recorded. A relayer cannot drop
    /// a failing event from a signed batch (the signature covers the list); the signer re-signs.
    /// The number of batches is bounded only by the submitter's gas, which the submitter pays.
    /// @param batches The signed batches, possibly from different signers and carriers.
    function recordEventsBySig(SignedEventBatch[] calldata batches) external {
        uint256 batchCount = batches.length;
        for (uint256 b; b < batchCount; ++b) {
            SignedEventBatch calldata batch = batches[b];
            address signer = batch.signer;
            uint256 nonce = batch.nonce;
            // Sized from calldata, before a too-large batch is decoded at the submitter's cost.
            uint256 count = batch.events.length;
            if (count == 0) revert EmptyBatch(signer, nonce);
            if (count > MAX_BATCH_EVENTS) revert BatchTooLarge(signer, nonce, count, MAX_BATCH_EVENTS);
            // Decoded (and validated) once into memory: hashing and recording then read each
            // field with an MLOAD instead of re-running the calldata decoder for every use
            // (measured: 908 gas less per event than reading the calldata struct).
            ShipmentEvent[] memory events = batch.events;
            uint40 deadline = batch.deadline;
            if (block.timestamp > deadline) revert SignatureExpired(deadline, block.timestamp);
            _useNonce(signer, nonce);
            bytes32 digest = _hashTypedDataV4(_batchHash(signer, events, nonce, deadline));
            if (!_isValidSignature(signer, digest, batch.signature)) revert InvalidSignature(signer, nonce);

            // Nothing in a batch can change who the signer acts for, so it is read once.
            (address carrier, bool suspended) = _actingFor(signer);
            for (uint256 i; i < count; ++i) {
                _record(events[i], signer, carrier, suspended);
            }
        }
    }

    // ------------------------------------------------------------------------ views

    /// @inheritdoc IShipmentRegistry
    /// @param shipper The shipment's creator.
    /// @param shipperRef Its reference (the escrow order id for escrowed orders).
    function shipmentIdOf(address shipper, bytes32 shipperRef) external pure returns (bytes32) {
        return _shipmentIdOf(shipper, shipperRef);
    }

    /// @inheritdoc IShipmentRegistry
    /// @dev An unknown id returns an all-zero view (status None) rather than reverting.
    /// @param shipmentId The shipment.
    /// @return view_ Status, carrier, last event, delivery time and event count.
    function getShipment(bytes32 shipmentId) external view returns (ShipmentView memory view_) {
        uint256 record = _shipments[shipmentId];
        ShipmentStatus status = ShipmentStatus(uint8(record >> _STATUS_SHIFT));
        uint40 lastEventAt = uint40(record >> _AT_SHIFT);
        view_ = ShipmentView({
            status: status,
            carrier: _carrierOfRecord(record),
            lastEventCode: EventCode(uint8(record >> _CODE_SHIFT)),
            lastEventAt: lastEventAt,
            deliveredAt: status == ShipmentStatus.Delivered ? lastEventAt : 0,
            eventCount: uint32(record >> _COUNT_SHIFT)
        });
    }

    /// @inheritdoc IShipmentRegistry
    /// @param shipper The shipment's creator (the escrow order's merchant).
    /// @param shipperRef Its reference (the escrow order id).
    function finalEventOf(
        address shipper,
        bytes32 shipperRef
    ) external view returns (bytes32 shipmentId, FinalEvent memory evidence) {
        shipmentId = _shipmentIdOf(shipper, shipperRef);
        uint256 record = _shipments[shipmentId];
        ShipmentStatus status = ShipmentStatus(uint8(record >> _STATUS_SHIFT));
        address carrier = _carrierOfRecord(record);
        address recordedBy;
        if (status >= ShipmentStatus.Delivered) recordedBy = address(uint160(record));
        evidence = FinalEvent({
            status: status,
            occurredAt: uint40(record >> _AT_SHIFT),
            carrier: carrier,
            recordedBy: recordedBy,
            carrierSuspended: _accounts[carrier].suspended
        });
    }

    /// @inheritdoc IShipmentRegistry
    /// @param shipper The shipment's creator (the escrow order's merchant).
    /// @param shipperRef Its reference (the escrow order id).
    function carrierStandingOf(
        address shipper,
        bytes32 shipperRef
    ) external view returns (address carrier, bool suspended) {
        carrier = _carrierOfRecord(_shipments[_shipmentIdOf(shipper, shipperRef)]);
        suspended = _accounts[carrier].suspended;
    }

    /// @inheritdoc IShipmentRegistry
    function escrow() external view returns (address) {
        return _escrow;
    }

    /// @inheritdoc IShipmentRegistry
    /// @param code An industry code.
    /// @return The carrier registered under it, zero when none.
    function carrierByCode(bytes8 code) external view returns (address) {
        return _carrierByCode[code];
    }

    /// @inheritdoc IShipmentRegistry
    /// @param shipmentId The shipment.
    /// @return The passport token ids it was created with (empty when none or unknown).
    function passportsOf(bytes32 shipmentId) external view returns (uint256[] memory) {
        return _passportIds[shipmentId];
    }

    /// @inheritdoc IShipmentRegistry
    /// @param key A carrier or key address.
    /// @return carrier The carrier `key` acts for (zero when none, e.g. revoked).
    /// @return active Whether that carrier is registered and not suspended.
    function carrierOf(address key) external view returns (address carrier, bool active) {
        carrier = _accounts[key].carrier;
        active = carrier != address(0) && !_accounts[carrier].suspended;
    }

    /// @inheritdoc IShipmentRegistry
    /// @param carrier A carrier address.
    /// @return Its registered code, zero when `carrier` is not a carrier.
    function carrierCode(address carrier) external view returns (bytes8) {
        return _accounts[carrier].code;
    }

    /// @inheritdoc IShipmentRegistry
    /// @param signer A signing key or contract carrier.
    /// @param nonce The nonce.
    /// @return Whether it was used or cancelled.
    function isNonceUsed(address signer, uint256 nonce) external view returns (bool) {
        return (_nonceBitmaps[signer][nonce >> 8] >> (nonce & 0xff)) & 1 == 1;
    }

    /// @inheritdoc IShipmentRegistry
    /// @dev Equals ethers' `TypedDataEncoder.hash(domain, EVENT_BATCH_TYPES, {signer, events, nonce, deadline})`.
    /// @param signer The `signer` the batch will be submitted under (a key or the carrier itself).
    /// @param events The events to sign, in the order they will be recorded.
    /// @param nonce An unused nonce of the signer.
    /// @param deadline The last second the signature may be submitted.
    /// @return The digest to sign (ECDSA) or to validate (ERC-1271).
    function signedBatchDigest(
        address signer,
        ShipmentEvent[] calldata events,
        uint256 nonce,
        uint40 deadline
    ) external view returns (bytes32) {
        return _hashTypedDataV4(_batchHash(signer, events, nonce, deadline));
    }

    /// @inheritdoc IShipmentRegistry
    /// @return The passport contract, or zero when passports are not enabled.
    function passportCustody() external view returns (address) {
        return address(_passports);
    }

    // --------------------------------------------------------------------- internals

    /// @dev The checks and effects shared by direct and signed recording. `actor` is the caller
    /// or signer, `actorCarrier` and `carrierSuspended` what {_actingFor} says of it.
    function _record(
        ShipmentEvent memory ev,
        address actor,
        address actorCarrier,
        bool carrierSuspended
    ) private {
        bytes32 shipmentId = ev.shipmentId;
        uint256 record = _shipments[shipmentId];
        ShipmentStatus status = ShipmentStatus(uint8(record >> _STATUS_SHIFT));
        if (status == ShipmentStatus.None) revert ShipmentNotFound(shipmentId);
        // Only a final record holds a key; it refuses every event below, with the carrier named.
        address current =
            record & _KEY_RECORDED_BIT == 0 ? address(uint160(record)) : _carrierOfRecord(record);
        // A revoked key or a stranger acts for nobody (zero), and no shipment has a zero carrier.
        if (actorCarrier != current) revert NotShipmentCarrier(shipmentId, actor, current);
        if (carrierSuspended) revert CarrierNotActive(current);
        EventCode code = ev.code;
        ShipmentStatus next = _nextStatus(shipmentId, status, code);
        address carrier = _carrierAfter(code, ev.nextCarrier, current);
        _requireLocode(ev.location);
        uint40 occurredAt = ev.occurredAt;
        if (occurredAt > block.timestamp) revert EventInFuture(occurredAt, block.timestamp);
        uint40 lastEventAt = uint40(record >> _AT_SHIFT);
        if (occurredAt < lastEventAt) revert EventBeforePrevious(occurredAt, lastEventAt);

        // A uint32 count would need 4 billion events on one shipment, each paid for in gas.
        unchecked {
            record = _packShipment(carrier, next, code, occurredAt, uint32(record >> _COUNT_SHIFT) + 1);
        }
        // Delivered, Lost and Returned are the only statuses at or above Delivered, and final: no
        // event can follow, so the carrier field is free to hold the recording key, whose account
        // (or, once revoked, {_revokedKeyCarriers}) names its carrier. No extra slot is written.
        if (uint8(next) >= uint8(ShipmentStatus.Delivered) && actor != carrier) {
            record = (record & ~uint256(type(uint160).max)) | uint256(uint160(actor)) | _KEY_RECORDED_BIT;
        }
        _shipments[shipmentId] = record;
        _emitRecorded(ev, carrier, code, actor);
    }

    /// @dev Emits {ShipmentEventRecorded}; a function of its own because {_record} has no stack
    /// slots left for the nine arguments.
    function _emitRecorded(ShipmentEvent memory ev, address carrier, EventCode code, address actor) private {
        emit ShipmentEventRecorded(
            ev.shipmentId,
            carrier,
            code,
            ev.location,
            ev.occurredAt,
            ev.evidenceHash,
            ev.nextCarrier,
            actor,
            ev.evidenceURI
        );
    }

    /// @dev The carrier `actor` records for (itself, the carrier of its unrevoked key, or zero)
    /// and whether that carrier is suspended.
    function _actingFor(address actor) private view returns (address carrier, bool suspended) {
        Account memory account = _accounts[actor];
        carrier = account.carrier;
        // The actor's own slot already holds the suspension flag when the actor is the carrier.
        suspended = carrier == actor ? account.suspended : _accounts[carrier].suspended;
    }

    /// @dev The carrier holding the shipment after `ev`: `ev.nextCarrier` for a hand-over, which
    /// must be another registered active carrier; otherwise `carrier`, and `ev.nextCarrier` must be zero.
    function _carrierAfter(
        EventCode code,
        address nextCarrier,
        address carrier
    ) private view returns (address) {
        if (code != EventCode.HandedOver) {
            if (nextCarrier != address(0)) revert InvalidNextCarrier(nextCarrier);
            return carrier;
        }
        Account storage next = _accounts[nextCarrier];
        if (
            nextCarrier == address(0) ||
            nextCarrier == carrier ||
            next.carrier != nextCarrier ||
            next.suspended
        ) {
            revert InvalidNextCarrier(nextCarrier);
        }
        return nextCarrier;
    }

    /// @dev The carrier of a record: its carrier field, or the carrier of the key stored there
    /// once a key recorded the final event. A key serves one carrier for life (it can neither be
    /// re-authorised nor become a carrier), so the link read now is the one at the event.
    function _carrierOfRecord(uint256 record) private view returns (address carrier) {
        carrier = address(uint160(record));
        if (record & _KEY_RECORDED_BIT != 0) {
            address key = carrier;
            carrier = _accounts[key].carrier;
            if (carrier == address(0)) carrier = _revokedKeyCarriers[key];
        }
    }

    /// @dev A shipment record in the layout documented at {_shipments}.
    function _packShipment(
        address carrier,
        ShipmentStatus status,
        EventCode lastEventCode,
        uint40 lastEventAt,
        uint32 eventCount
    ) private pure returns (uint256) {
        return
            uint256(uint160(carrier)) |
            (uint256(status) << _STATUS_SHIFT) |
            (uint256(lastEventCode) << _CODE_SHIFT) |
            (uint256(lastEventAt) << _AT_SHIFT) |
            (uint256(eventCount) << _COUNT_SHIFT);
    }

    /// @dev The status after `code`, or {InvalidTransition} when `code` cannot follow `status`.
    function _nextStatus(
        bytes32 shipmentId,
        ShipmentStatus status,
        EventCode code
    ) private pure returns (ShipmentStatus) {
        uint256 allowed = _ALLOWED_CODES >> (uint256(status) << 4);
        if ((allowed >> uint8(code)) & 1 == 0) revert InvalidTransition(shipmentId, status, code);
        uint256 next = (_NEXT_STATUS >> (uint256(code) << 2)) & 0xf;
        return next == 0 ? status : ShipmentStatus(next);
    }

    /// @dev The EIP-712 struct hash of a signed batch (see {EVENT_BATCH_TYPEHASH}): an array of
    /// structs is encoded as the keccak of its members' struct hashes, concatenated in order.
    function _batchHash(
        address signer,
        ShipmentEvent[] memory events,
        uint256 nonce,
        uint40 deadline
    ) private pure returns (bytes32) {
        uint256 count = events.length;
        bytes32[] memory hashes = new bytes32[](count);
        for (uint256 i; i < count; ++i) {
            hashes[i] = _eventHash(events[i]);
        }
        return
            keccak256(
                abi.encode(EVENT_BATCH_TYPEHASH, signer, keccak256(abi.encodePacked(hashes)), nonce, deadline)
            );
    }

    /// @dev The EIP-712 struct hash of one event (see {SHIPMENT_EVENT_TYPEHASH}).
    function _eventHash(ShipmentEvent memory ev) private pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    SHIPMENT_EVENT_TYPEHASH,
                    ev.shipmentId,
                    ev.code,
                    ev.location,
                    ev.occurredAt,
                    ev.evidenceHash,
                    ev.nextCarrier,
                    keccak256(bytes(ev.evidenceURI))
                )
            );
    }

    /// @dev ECDSA (65-byte or EIP-2098 64-byte) for an account without code, ERC-1271 otherwise.
    /// OZ's {SignatureChecker-isValidSignatureNowCalldata} refuses 64-byte signatures, so the EOA
    /// branch parses both forms with {ECDSA-parseCalldata} and keeps ECDSA's malleability checks.
    function _isValidSignature(
        address signer,
        bytes32 digest,
        bytes calldata signature
    ) private view returns (bool) {
        if (signer.code.length != 0) {
            return SignatureChecker.isValidERC1271SignatureNowCalldata(signer, digest, signature);
        }
        (uint8 v, bytes32 r, bytes32 s) = ECDSA.parseCalldata(signature);
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(digest, v, r, s);
        return err == ECDSA.RecoverError.NoError && recovered == signer;
    }

    /// @dev Marks `nonce` of `signer` used, or reverts with {NonceAlreadyUsed}.
    function _useNonce(address signer, uint256 nonce) private {
        mapping(uint256 word => uint256 bits) storage bitmap = _nonceBitmaps[signer];
        uint256 bit = 1 << (nonce & 0xff);
        uint256 bits = bitmap[nonce >> 8];
        if (bits & bit != 0) revert NonceAlreadyUsed(signer, nonce);
        bitmap[nonce >> 8] = bits | bit;
        emit NonceUsed(signer, nonce);
    }

    /// @dev Reverts with {CarrierNotRegistered} unless `carrier` is a registered carrier.
    function _registeredCarrier(address carrier) private view returns (Account storage account) {
        account = _accounts[carrier];
        if (carrier == address(0) || account.carrier != carrier) revert CarrierNotRegistered(carrier);
    }

    /// @dev Reverts unless `carrier` is registered and not suspended.
    function _requireActiveCarrier(address carrier) private view {
        if (_registeredCarrier(carrier).suspended) revert CarrierNotActive(carrier);
    }

    /// @dev Reverts with {InvalidLocation} unless `location` is UN/LOCODE-shaped: two letters
    /// A-Z (ISO 3166 country) then three characters A-Z or 2-9 (the UN/LOCODE alphabet).
    /// Each byte is tested against a 256-bit set of allowed characters: no loop, no branches.
    function _requireLocode(bytes5 location) private pure {
        uint256 v = uint40(location);
        uint256 ok =
            (_LOCODE_COUNTRY >> (v >> 32)) &
                (_LOCODE_COUNTRY >> ((v >> 24) & 0xff)) &
                (_LOCODE_PLACE >> ((v >> 16) & 0xff)) &
                (_LOCODE_PLACE >> ((v >> 8) & 0xff)) &
                (_LOCODE_PLACE >> (v & 0xff));
        if (ok & 1 == 0) revert InvalidLocation(location);
    }

    function _shipmentIdOf(address shipper, bytes32 shipperRef) private pure returns (bytes32) {
        return keccak256(abi.encode(shipper, shipperRef));
    }
}
