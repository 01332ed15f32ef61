// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IPassportCustody} from "./interfaces/IPassportCustody.sol";
import {IShipmentRegistry} from "./interfaces/IShipmentRegistry.sol";

/**
 * @title ShipmentRegistry
 * @notice Carriers record each step of a cross-border shipment, themselves or through
 * EIP-712 signatures any relayer submits. The current state of a shipment lives in one
 * storage slot; its history lives only in the event log (see scripts/lib/timeline.ts).
 * @dev Roles: the default admin (two-step transfer behind a delay) grants
 * {CARRIER_MANAGER_ROLE}, which registers, suspends and reinstates carriers. Carriers
 * authorise and revoke their own keys. Shippers need no role.
 */
contract ShipmentRegistry is IShipmentRegistry, AccessControlDefaultAdminRules, EIP712 {
    // ---------------------------------------------------------------------- constants

    /// @inheritdoc IShipmentRegistry
    bytes32 public constant CARRIER_MANAGER_ROLE = keccak256("CARRIER_MANAGER_ROLE");

    /// @inheritdoc IShipmentRegistry
    bytes32 public constant SIGNED_EVENT_TYPEHASH = keccak256(
        "SignedShipmentEvent(bytes32 shipmentId,uint8 code,bytes5 location,uint40 occurredAt,bytes32 evidenceHash,address nextCarrier,string evidenceURI,uint256 nonce,uint40 deadline)"
    );

    /// @inheritdoc IShipmentRegistry
    uint256 public constant MAX_PASSPORTS = 50;

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

    /// @dev Bit `c` is set for each byte `c` allowed in a UN/LOCODE's country part (A-Z) and place part (A-Z, 2-9).
    uint256 private constant _LOCODE_COUNTRY = ((1 << 26) - 1) << 0x41;
    uint256 private constant _LOCODE_PLACE = _LOCODE_COUNTRY | (((1 << 8) - 1) << 0x32);

    // ------------------------------------------------------------------------ storage

    /// @dev The hot record of a shipment, all in one slot:
    /// carrier (160) + status (8) + lastEventCode (8) + lastEventAt (40) + eventCount (32) = 248 bits.
    /// The shipper is not stored: it is implied by the id, which the escrow recomputes.
    /// `deliveredAt` is not stored either: Delivered is final, so it equals `lastEventAt`.
    // 248 bits, already one slot: the rule misjudges enum and uint40 fields.
    // solhint-disable-next-line gas-struct-packing
    struct Shipment {
        address carrier;
        ShipmentStatus status;
        EventCode lastEventCode;
        uint40 lastEventAt;
        uint32 eventCount;
    }

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

    mapping(bytes32 shipmentId => Shipment) private _shipments;
    /// @dev Written only for shipments that carry passports.
    mapping(bytes32 shipmentId => uint256[]) private _passportIds;
    mapping(address account => Account) private _accounts;
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
    /// code, {CarrierAlreadyRegistered}, {KeyAlreadyAuthorized} when `carrier` is another
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
    /// for the first carrier, {InvalidLocation}, {TooManyPassports}, {PassportsNotEnabled}, or
    /// whatever the passport contract reverts with (e.g. `PassportNotOwnedByShipper`).
    /// @param s The shipment to register.
    function createShipment(NewShipment calldata s) external returns (bytes32 shipmentId) {
        shipmentId = _shipmentIdOf(msg.sender, s.shipperRef);
        Shipment storage shipment = _shipments[shipmentId];
        if (shipment.status != ShipmentStatus.None) revert ShipmentAlreadyExists(shipmentId);
        _requireActiveCarrier(s.carrier);
        _requireLocode(s.origin);
        _requireLocode(s.destination);
        uint256 passportCount = s.passportIds.length;
        if (passportCount > MAX_PASSPORTS) revert TooManyPassports(passportCount, MAX_PASSPORTS);
        if (passportCount != 0 && address(_passports) == address(0)) revert PassportsNotEnabled();

        shipment.carrier = s.carrier;
        shipment.status = ShipmentStatus.Created;
        shipment.lastEventAt = uint40(block.timestamp);
        if (passportCount != 0) _passportIds[shipmentId] = s.passportIds;
        emit ShipmentCreated(
            shipmentId,
            msg.sender,
            s.carrier,
            s.shipperRef,
            s.origin,
            s.destination,
            s.documentsHash,
            s.passportIds
        );

        if (passportCount != 0) _passports.recordShipment(shipmentId, msg.sender, s.passportIds);
    }

    /// @inheritdoc IShipmentRegistry
    /// @dev Reverts with {ShipmentNotFound}, {NotShipmentCarrier}, {CarrierNotActive},
    /// {InvalidTransition}, {InvalidNextCarrier}, {InvalidLocation}, {EventInFuture} or
    /// {EventBeforePrevious}.
    /// @param ev The event; `ev.evidenceURI` is emitted, never stored.
    function recordEvent(ShipmentEvent calldata ev) external {
        _record(ev, msg.sender);
    }

    /// @inheritdoc IShipmentRegistry
    /// @dev Each item is checked in order: {SignatureExpired} after its deadline,
    /// {NonceAlreadyUsed}, {InvalidSignature} unless `signer` signed {signedEventDigest} (ECDSA
    /// 65-byte or EIP-2098 64-byte for an EOA, ERC-1271 for a contract), then every check of
    /// {recordEvent} with `signer` as the recorder. ALL-OR-NOTHING: the first bad item reverts
    /// the whole transaction, so no event or nonce of the batch is recorded. The batch length is
    /// bounded only by the submitter's gas, which the submitter pays.
    /// @param events The signed events, recorded in array order.
    function recordEventsBySig(SignedShipmentEvent[] calldata events) external {
        uint256 count = events.length;
        for (uint256 i; i < count; ++i) {
            SignedShipmentEvent calldata item = events[i];
            ShipmentEvent calldata ev = item.ev;
            uint40 deadline = item.deadline;
            if (block.timestamp > deadline) revert SignatureExpired(deadline, block.timestamp);
            address signer = item.signer;
            uint256 nonce = item.nonce;
            _useNonce(signer, nonce);
            bytes32 digest = _hashTypedDataV4(_signedEventHash(ev, nonce, deadline));
            if (!_isValidSignature(signer, digest, item.signature))
                revert InvalidSignature(ev.shipmentId, signer);
            _record(ev, signer);
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
        Shipment memory s = _shipments[shipmentId];
        view_ = ShipmentView({
            status: s.status,
            carrier: s.carrier,
            lastEventCode: s.lastEventCode,
            lastEventAt: s.lastEventAt,
            deliveredAt: s.status == ShipmentStatus.Delivered ? s.lastEventAt : 0,
            eventCount: s.eventCount
        });
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
    /// @param ev The event to sign.
    /// @param nonce An unused nonce of the signer.
    /// @param deadline The last second the signature may be submitted.
    /// @return The digest to sign (ECDSA) or to validate (ERC-1271).
    function signedEventDigest(
        ShipmentEvent calldata ev,
        uint256 nonce,
        uint40 deadline
    ) external view returns (bytes32) {
        return _hashTypedDataV4(_signedEventHash(ev, nonce, deadline));
    }

    /// @inheritdoc IShipmentRegistry
    /// @return The passport contract, or zero when passports are not enabled.
    function passportCustody() external view returns (address) {
        return address(_passports);
    }

    // --------------------------------------------------------------------- internals

    /// @dev The checks and effects shared by direct and signed recording; `actor` is the caller or signer.
    function _record(ShipmentEvent calldata ev, address actor) private {
        bytes32 shipmentId = ev.shipmentId;
        Shipment storage shipment = _shipments[shipmentId];
        Shipment memory s = shipment;
        if (s.status == ShipmentStatus.None) revert ShipmentNotFound(shipmentId);
        _requireRecorder(shipmentId, s.carrier, actor);
        EventCode code = ev.code;
        ShipmentStatus next = _nextStatus(shipmentId, s.status, code);
        address carrier = _carrierAfter(ev, s.carrier);
        _requireLocode(ev.location);
        uint40 occurredAt = ev.occurredAt;
        if (occurredAt > block.timestamp) revert EventInFuture(occurredAt, block.timestamp);
        if (occurredAt < s.lastEventAt) revert EventBeforePrevious(occurredAt, s.lastEventAt);

        // A uint32 count would need 4 billion events on one shipment, each paid for in gas.
        unchecked {
            _storeShipment(shipment, Shipment(carrier, next, code, occurredAt, s.eventCount + 1));
        }
        _emitRecorded(ev, carrier, code, actor);
    }

    /// @dev Emits {ShipmentEventRecorded}. Its data repeats the fields of `ev` that {_record}
    /// has already read (so validated) through the ABI decoder: location, occurredAt,
    /// evidenceHash and nextCarrier are copied as the four words they occupy in calldata, then
    /// recordedBy and the evidence URI follow, as `abi.encode` would lay them out.
    function _emitRecorded(
        ShipmentEvent calldata ev,
        address carrier,
        EventCode code,
        address actor
    ) private {
        string calldata uri = ev.evidenceURI;
        bytes32 topic0 = ShipmentEventRecorded.selector;
        bytes32 shipmentId = ev.shipmentId;
        assembly ("memory-safe") {
            let m := mload(0x40)
            calldatacopy(m, add(ev, 0x40), 0x80)
            mstore(add(m, 0x80), actor)
            mstore(add(m, 0xa0), 0xc0)
            // The URI is copied with its zero padding to a whole word, as ABI encoding requires.
            let padded := and(add(uri.length, 0x1f), not(0x1f))
            mstore(add(m, 0xc0), 0)
            mstore(add(add(m, 0xc0), padded), 0)
            mstore(add(m, 0xc0), uri.length)
            calldatacopy(add(m, 0xe0), uri.offset, uri.length)
            log4(m, add(0xe0, padded), topic0, shipmentId, carrier, code)
        }
    }

    /// @dev Reverts unless `actor` is `carrier` or one of its unrevoked keys, and `carrier` is active.
    function _requireRecorder(bytes32 shipmentId, address carrier, address actor) private view {
        Account storage account = _accounts[actor];
        if (account.carrier != carrier) revert NotShipmentCarrier(shipmentId, actor, carrier);
        // The actor's own slot already holds the suspension flag when the actor is the carrier.
        bool suspended = actor == carrier ? account.suspended : _accounts[carrier].suspended;
        if (suspended) revert CarrierNotActive(carrier);
    }

    /// @dev The carrier holding the shipment after `ev`: `ev.nextCarrier` for a hand-over, which
    /// must be another registered active carrier; otherwise `carrier`, and `ev.nextCarrier` must be zero.
    function _carrierAfter(ShipmentEvent calldata ev, address carrier) private view returns (address) {
        address nextCarrier = ev.nextCarrier;
        if (ev.code != EventCode.HandedOver) {
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

    /// @dev Writes `s` into its slot with one SSTORE. The legacy code generator writes a packed
    /// struct field by field (measured: four SSTOREs and two extra SLOADs per event), so the
    /// word is assembled here in the layout Solidity itself uses for {Shipment}: carrier in bits
    /// 0-159, status 160-167, lastEventCode 168-175, lastEventAt 176-215, eventCount 216-247.
    /// {getShipment} reads the slot back through the Solidity struct, and the tests compare both.
    function _storeShipment(Shipment storage slot, Shipment memory s) private {
        uint256 word =
            uint256(uint160(s.carrier)) |
                (uint256(s.status) << 160) |
                (uint256(s.lastEventCode) << 168) |
                (uint256(s.lastEventAt) << 176) |
                (uint256(s.eventCount) << 216);
        assembly ("memory-safe") {
            sstore(slot.slot, word)
        }
    }

    /// @dev The status after `code`, or {InvalidTransition} when `code` cannot follow `status`.
    function _nextStatus(
        bytes32 shipmentId,
        ShipmentStatus status,
        EventCode code
    ) private pure returns (ShipmentStatus) {
        uint256 allowed;
        if (status == ShipmentStatus.InTransit) allowed = _FROM_IN_TRANSIT;
        else if (status == ShipmentStatus.CustomsHold) allowed = _FROM_CUSTOMS_HOLD;
        else if (status == ShipmentStatus.Created) allowed = _FROM_CREATED;
        if ((allowed >> uint8(code)) & 1 == 0) revert InvalidTransition(shipmentId, status, code);

        if (code == EventCode.PickedUp || code == EventCode.CustomsCleared) return ShipmentStatus.InTransit;
        if (code == EventCode.CustomsHeld) return ShipmentStatus.CustomsHold;
        if (code == EventCode.Delivered) return ShipmentStatus.Delivered;
        if (code == EventCode.Lost) return ShipmentStatus.Lost;
        if (code == EventCode.ReturnedToSender) return ShipmentStatus.Returned;
        return status;
    }

    /// @dev The EIP-712 struct hash of a signed event (see {SIGNED_EVENT_TYPEHASH}). The six
    /// static fields of `ev` sit in calldata exactly as EIP-712 encodes them (one word each), so
    /// they are copied in one go instead of being decoded and re-encoded field by field. Words
    /// with dirty high bits only change the hash, so such an item fails the signature check,
    /// and {_record} reads every field through the ABI decoder, which rejects them anyway.
    function _signedEventHash(
        ShipmentEvent calldata ev,
        uint256 nonce,
        uint40 deadline
    ) private pure returns (bytes32 structHash) {
        string calldata uri = ev.evidenceURI;
        bytes32 typehash = SIGNED_EVENT_TYPEHASH;
        assembly ("memory-safe") {
            // Scratch space past the free memory pointer; nothing here outlives this block.
            let m := mload(0x40)
            calldatacopy(m, uri.offset, uri.length)
            let uriHash := keccak256(m, uri.length)
            mstore(m, typehash)
            calldatacopy(add(m, 0x20), ev, 0xc0)
            mstore(add(m, 0xe0), uriHash)
            mstore(add(m, 0x100), nonce)
            mstore(add(m, 0x120), deadline)
            structHash := keccak256(m, 0x140)
        }
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
