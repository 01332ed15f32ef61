// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC165} from "@openzeppelin/contracts/interfaces/IERC165.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

import {IPassportCustody} from "./interfaces/IPassportCustody.sol";
import {IProductPassport} from "./interfaces/IProductPassport.sol";
import {IShipmentRegistry} from "./interfaces/IShipmentRegistry.sol";

/**
 * @title ProductPassport
 * @notice ERC-721 product passports keyed by GS1 GTIN-14 + serial; see {IProductPassport} for the
 * token id scheme, roles and lifecycle.
 * @dev Cost model: the GS1 company prefix is checked once per lot in {createLot}; minting a unit
 * only compares the lot's manufacturer, validates the serial and writes ONE fresh slot, the
 * packed {Unit} that holds the ERC-721 owner together with the lot id and status.
 * OpenZeppelin's ERC721 keeps approvals, safe-transfer checks, errors and metadata;
 * its own owner and balance slots are left unused: {_ownerOf}, {_update} and {balanceOf} are
 * overridden onto {Unit} and {_holdings}, the extension point ERC721Consecutive also uses.
 * Every unit's tokenURI is its lot's URI, so no per-token URI is stored.
 */
contract ProductPassport is
    IProductPassport,
    IPassportCustody,
    IERC4906,
    ERC721,
    AccessControlDefaultAdminRules
{
    // --------------------------------------------------------------------- constants

    /// @notice May create lots under its assigned company prefixes and mint their units.
    bytes32 public constant MANUFACTURER_ROLE = keccak256("MANUFACTURER_ROLE");
    /// @notice Inspection bodies, customs, chambers of commerce: attest certificates.
    bytes32 public constant CERTIFIER_ROLE = keccak256("CERTIFIER_ROLE");

    /// @notice Most units one {mintBatch} call may mint.
    uint256 public constant MAX_BATCH = 200;
    /// @notice Most live certificates per unit and per lot, keeping {verify} bounded. A revoked or
    /// expired certificate's slot is reused by the next attestation.
    uint256 public constant MAX_CERTIFICATES = 8;
    /// @notice Longest GS1 serial (AI 21) and lot number (AI 10), in characters.
    uint256 public constant MAX_GS1_TEXT_LENGTH = 20;

    /// @dev Bit c is set when byte c belongs to the GS1 AI encodable character set 82:
    /// ! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z. Bytes >= 128 shift to zero.
    uint256 private constant _CSET82 = 0x7fffffe87fffffeffffffe600000000;
    /// @dev 10^14: every GTIN-14 is below it.
    uint64 private constant _GTIN_LIMIT = 1e14;
    /// @dev ERC-4906's interface id, which has no functions of its own to derive it from.
    bytes4 private constant _ERC4906_INTERFACE_ID = 0x49064906;

    // ----------------------------------------------------------------------- storage

    /// @dev One slot: owner (20) + lotId (8) + status (1). Never deleted, so
    /// a burned id keeps status Burned and can never be minted again; a transfer rewrites this
    /// one slot, and the stolen check reads the slot the owner lookup already loaded.
    struct Unit {
        address owner;
        uint64 lotId;
        UnitStatus status;
    }

    /// @dev Slot 0: manufacturer (20) + gtin (8) + recalled (1) + originCountry (2), everything
    /// {mint} and {recallLot} read. Slot 1: productionDate (5). Then the two hashes and the URI.
    struct Lot {
        address manufacturer;
        uint64 gtin;
        bool recalled;
        bytes2 originCountry;
        uint40 productionDate;
        bytes32 lotNumberHash;
        bytes32 contentHash;
        string uri;
    }

    /// @dev One slot: certifier (20) + certType (8) + expiresAt (4). A zero certifier marks a free
    /// slot; a zero expiry a revoked one (attesting requires a future expiry). The document hash
    /// and URI live in {CertificateAttested} only, which keeps attesting to a single slot write.
    /// Slots fill from index 0 and never become free again (a lapsed certificate is overwritten,
    /// not cleared), so the first free slot ends the list.
    // 20 + 8 + 4 bytes fill exactly one slot; the linter's packing heuristic miscounts it.
    // solhint-disable-next-line gas-struct-packing
    struct Certificate {
        address certifier;
        bytes8 certType;
        uint32 expiresAt;
    }

    mapping(uint256 tokenId => Unit) private _units;
    /// @dev ERC-721 balances, replacing OpenZeppelin's private ones (see the contract's @dev).
    mapping(address owner => uint256 count) private _holdings;
    mapping(uint64 lotId => Lot) private _lots;
    /// @dev keccak256(gtin, lotNumber) → lotId, so a lot number is used once per GTIN.
    mapping(bytes32 lotKey => uint64 lotId) private _lotIds;
    /// @dev (length << 64 | prefix) → manufacturer.
    mapping(uint256 prefixKey => address manufacturer) private _prefixOwners;
    /// @dev Subject is a token id or a lot id, by kind.
    mapping(SubjectKind kind => mapping(uint256 subjectId => mapping(uint256 index => Certificate)))
        private _certificates;
    /// @dev A full slot of its own: a shipment id is a 32-byte hash and cannot pack with {Unit}.
    mapping(uint256 tokenId => bytes32 shipmentId) private _lastShipments;

    uint64 private _lotCount;
    address private _shipmentRegistry;

    // ------------------------------------------------------------------- constructor

    /**
     * @param admin The default admin (assigns prefixes, grants roles, sets the registry).
     * @param adminDelay Delay of a default-admin transfer, in seconds.
     */
    constructor(
        address admin,
        uint48 adminDelay
    ) ERC721("Waybill Product Passport", "WPASS") AccessControlDefaultAdminRules(adminDelay, admin) {}

    // ------------------------------------------------------------------- prefixes

    /// @inheritdoc IProductPassport
    function assignPrefix(
        address manufacturer,
        uint64 prefix,
        uint8 length
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (manufacturer == address(0)) revert InvalidManufacturer(manufacturer);
        if (length < 6 || length > 12 || prefix >= 10 ** length) revert InvalidPrefix(prefix, length);
        uint256 key = _prefixKey(prefix, length);
        address current = _prefixOwners[key];
        if (current != address(0)) revert PrefixAlreadyAssigned(prefix, length, current);
        _prefixOwners[key] = manufacturer;
        emit PrefixAssigned(prefix, length, manufacturer);
    }

    /// @inheritdoc IProductPassport
    function revokePrefix(uint64 prefix, uint8 length) external onlyRole(DEFAULT_ADMIN_ROLE) {
        uint256 key = _prefixKey(prefix, length);
        address current = _prefixOwners[key];
        if (current == address(0)) revert PrefixNotFound(prefix, length);
        delete _prefixOwners[key];
        emit PrefixRevoked(prefix, length, current);
    }

    // ------------------------------------------------------------------------ lots

    /// @inheritdoc IProductPassport
    function createLot(NewLot calldata lot) external onlyRole(MANUFACTURER_ROLE) returns (uint64 lotId) {
        _requireValidGtin(lot.gtin);
        if (!_isGs1Text(bytes(lot.lotNumber))) revert InvalidLotNumber(lot.lotNumber);
        if (!_isCountryCode(lot.originCountry)) revert InvalidCountry(lot.originCountry);
        if (lot.productionDate > block.timestamp)
            revert ProductionDateInFuture(lot.productionDate, block.timestamp);
        uint8 length = lot.prefixLength;
        if (
            length < 6 ||
            length > 12 ||
            _prefixOwners[_prefixKey(uint64((lot.gtin / 10 ** (13 - length)) % 10 ** length), length)] !=
                msg.sender
        ) revert PrefixNotAssigned(lot.gtin, msg.sender);
        bytes32 lotKey = keccak256(abi.encode(lot.gtin, lot.lotNumber));
        uint64 existing = _lotIds[lotKey];
        if (existing != 0) revert LotAlreadyExists(lot.gtin, lot.lotNumber, existing);

        lotId = ++_lotCount;
        _lotIds[lotKey] = lotId;
        Lot storage stored = _lots[lotId];
        stored.manufacturer = msg.sender;
        stored.gtin = lot.gtin;
        stored.originCountry = lot.originCountry;
        stored.productionDate = lot.productionDate;
        stored.lotNumberHash = keccak256(bytes(lot.lotNumber));
        stored.contentHash = lot.contentHash;
        stored.uri = lot.uri;
        emit LotCreated(
            lotId,
            lot.gtin,
            msg.sender,
            lot.lotNumber,
            lot.originCountry,
            lot.productionDate,
            lot.contentHash,
            lot.uri
        );
    }

    /// @inheritdoc IProductPassport
    function setLotMetadata(uint64 lotId, bytes32 contentHash, string calldata uri) external {
        Lot storage lot = _existingLot(lotId);
        if (lot.manufacturer != msg.sender) revert NotLotManufacturer(lotId, msg.sender);
        lot.contentHash = contentHash;
        lot.uri = uri;
        emit LotMetadataUpdated(lotId, contentHash, uri);
        _emitGtinRangeUpdate(lot.gtin);
    }

    /// @inheritdoc IProductPassport
    function recallLot(uint64 lotId, bytes32 reasonHash) external {
        Lot storage lot = _existingLot(lotId);
        if (lot.manufacturer != msg.sender && msg.sender != defaultAdmin())
            revert NotLotManufacturer(lotId, msg.sender);
        if (lot.recalled) revert LotIsRecalled(lotId);
        lot.recalled = true;
        emit LotRecalled(lotId, msg.sender, reasonHash);
        _emitGtinRangeUpdate(lot.gtin);
    }

    // ----------------------------------------------------------------------- units

    /// @inheritdoc IProductPassport
    function mint(uint64 lotId, string calldata serial, address to) external returns (uint256 tokenId) {
        uint64 gtin = _requireMintableLot(lotId, to);
        tokenId = _mintUnit(lotId, gtin, serial, to);
        // Cannot overflow: one per minted unit, far below 2^256.
        unchecked {
            ++_holdings[to];
        }
    }

    /// @inheritdoc IProductPassport
    function mintBatch(uint64 lotId, string[] calldata serials, address to) external {
        uint256 count = serials.length;
        if (count == 0 || count > MAX_BATCH) revert InvalidBatchSize(count, MAX_BATCH);
        uint64 gtin = _requireMintableLot(lotId, to);
        for (uint256 i; i < count; ++i) {
            _mintUnit(lotId, gtin, serials[i], to);
        }
        // Cannot overflow: one per minted unit, far below 2^256. One write for the whole batch.
        unchecked {
            _holdings[to] += count;
        }
    }

    /// @inheritdoc IProductPassport
    function reportStolen(uint256 tokenId) external {
        if (_requireOwned(tokenId) != msg.sender) revert NotUnitOwner(tokenId, msg.sender);
        Unit storage unit = _units[tokenId];
        if (unit.status == UnitStatus.Stolen) revert UnitReportedStolen(tokenId);
        unit.status = UnitStatus.Stolen;
        emit UnitStolenReported(tokenId, msg.sender);
        emit MetadataUpdate(tokenId);
    }

    /// @inheritdoc IProductPassport
    function clearStolen(uint256 tokenId) external {
        if (_requireOwned(tokenId) != msg.sender && msg.sender != defaultAdmin()) {
            revert NotUnitOwner(tokenId, msg.sender);
        }
        Unit storage unit = _units[tokenId];
        if (unit.status != UnitStatus.Stolen) revert UnitNotStolen(tokenId);
        unit.status = UnitStatus.Active;
        emit UnitStolenCleared(tokenId, msg.sender);
        emit MetadataUpdate(tokenId);
    }

    /// @inheritdoc IProductPassport
    function burn(uint256 tokenId, BurnReason reason) external {
        // _update checks that the caller is the owner or approved and that the unit is not
        // stolen, and marks it Burned.
        address owner = _update(address(0), tokenId, msg.sender);
        emit UnitBurned(tokenId, owner, reason);
    }

    // ---------------------------------------------------------------- certificates

    /// @inheritdoc IProductPassport
    function attestUnit(
        uint256 tokenId,
        bytes8 certType,
        bytes32 documentHash,
        uint32 expiresAt,
        string calldata uri
    ) external onlyRole(CERTIFIER_ROLE) returns (uint8 index) {
        UnitStatus status = _units[tokenId].status;
        if (status == UnitStatus.None || status == UnitStatus.Burned) revert UnitNotFound(tokenId);
        return _attest(SubjectKind.Unit, tokenId, certType, documentHash, expiresAt, uri);
    }

    /// @inheritdoc IProductPassport
    function attestLot(
        uint64 lotId,
        bytes8 certType,
        bytes32 documentHash,
        uint32 expiresAt,
        string calldata uri
    ) external onlyRole(CERTIFIER_ROLE) returns (uint8 index) {
        _existingLot(lotId);
        return _attest(SubjectKind.Lot, lotId, certType, documentHash, expiresAt, uri);
    }

    /// @inheritdoc IProductPassport
    function revokeCertificate(SubjectKind kind, uint256 subjectId, uint8 index) external {
        Certificate storage cert = _certificates[kind][subjectId][index];
        address certifier = cert.certifier;
        if (certifier == address(0) || cert.expiresAt == 0)
            revert CertificateNotFound(kind, subjectId, index);
        if (certifier != msg.sender && msg.sender != defaultAdmin()) {
            revert NotCertificateIssuer(kind, subjectId, index, msg.sender);
        }
        // A zero expiry marks the slot revoked: the next attestation may overwrite it, which is
        // why an index names a certificate only while it is live.
        cert.expiresAt = 0;
        emit CertificateRevoked(kind, subjectId, index, msg.sender);
    }

    // --------------------------------------------------------------------- custody

    /// @inheritdoc IProductPassport
    function setShipmentRegistry(address registry) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (registry == address(0)) revert InvalidShipmentRegistry();
        if (_shipmentRegistry != address(0)) revert ShipmentRegistryAlreadySet(_shipmentRegistry);
        _shipmentRegistry = registry;
        emit ShipmentRegistrySet(registry);
    }

    /**
     * @inheritdoc IPassportCustody
     * @dev A unit reported stolen cannot be put on a shipment. The registry bounds `tokenIds`.
     */
    function recordShipment(bytes32 shipmentId, address shipper, uint256[] calldata tokenIds) external {
        if (msg.sender != _shipmentRegistry) revert NotShipmentRegistry(msg.sender);
        for (uint256 i; i < tokenIds.length; ++i) {
            uint256 tokenId = tokenIds[i];
            Unit storage unit = _units[tokenId];
            // The zero shipper would otherwise "own" every unminted and burned id.
            if (unit.owner != shipper || shipper == address(0))
                revert PassportNotOwnedByShipper(tokenId, shipper);
            if (unit.status == UnitStatus.Stolen) revert UnitReportedStolen(tokenId);
            _lastShipments[tokenId] = shipmentId;
            emit PassportShipped(tokenId, shipmentId);
        }
    }

    // ----------------------------------------------------------------------- views

    /// @inheritdoc IProductPassport
    function tokenIdOf(uint64 gtin, string calldata serial) external pure returns (uint256) {
        _requireValidGtin(gtin);
        if (!_isGs1Text(bytes(serial))) revert InvalidSerial(serial);
        return _tokenIdOf(gtin, serial);
    }

    /// @inheritdoc IProductPassport
    function decodeTokenId(uint256 tokenId) external pure returns (uint64 gtin, string memory serial) {
        bool ok;
        (ok, gtin, serial) = _tryDecode(tokenId);
        if (!ok) revert InvalidTokenId(tokenId);
    }

    /// @inheritdoc IProductPassport
    function verify(uint256 tokenId) external view returns (PassportView memory v) {
        // A malformed id leaves gtin zero and serial empty; it can never have been minted.
        (, v.gtin, v.serial) = _tryDecode(tokenId);
        Unit memory unit = _units[tokenId];
        v.status = unit.status;
        v.exists = unit.status != UnitStatus.None;
        v.genuine = unit.status == UnitStatus.Active;
        if (!v.exists) return v;
        v.owner = unit.owner;
        v.lotId = unit.lotId;
        v.lot = _lotView(unit.lotId);
        (v.certificates, v.issuedCertificateCount) = _validCertificates(tokenId, unit.lotId);
        v.lastShipmentId = _lastShipments[tokenId];
        address registry = _shipmentRegistry;
        if (v.lastShipmentId != bytes32(0) && registry != address(0)) {
            try IShipmentRegistry(registry).getShipment(v.lastShipmentId) returns (
                IShipmentRegistry.ShipmentView memory shipment
            ) {
                v.lastShipmentStatus = shipment.status;
            } catch {
                v.lastShipmentStatus = IShipmentRegistry.ShipmentStatus.None;
            }
        }
    }

    /// @inheritdoc IProductPassport
    function lotOf(uint64 lotId) external view returns (LotView memory) {
        _existingLot(lotId);
        return _lotView(lotId);
    }

    /// @inheritdoc IProductPassport
    function prefixOwner(uint64 prefix, uint8 length) external view returns (address) {
        return _prefixOwners[_prefixKey(prefix, length)];
    }

    /// @inheritdoc IProductPassport
    function unitStatus(uint256 tokenId) external view returns (UnitStatus) {
        return _units[tokenId].status;
    }

    /// @inheritdoc IProductPassport
    function isRecalled(uint256 tokenId) external view returns (bool) {
        return _lots[_units[tokenId].lotId].recalled;
    }

    /// @inheritdoc IProductPassport
    function lastShipmentOf(uint256 tokenId) external view returns (bytes32) {
        return _lastShipments[tokenId];
    }

    /// @inheritdoc IProductPassport
    function shipmentRegistry() external view returns (address) {
        return _shipmentRegistry;
    }

    /**
     * @notice The number of passports `owner` holds.
     * @dev Reverts with {IERC721Errors-ERC721InvalidOwner} for the zero address, as OpenZeppelin does.
     * @param owner The holder.
     * @return The count.
     */
    function balanceOf(address owner) public view override(ERC721, IERC721) returns (uint256) {
        if (owner == address(0)) revert ERC721InvalidOwner(address(0));
        return _holdings[owner];
    }

    /**
     * @notice The unit's lot passport document URI: every unit of a lot shares it.
     * @dev Reverts with {IERC721Errors-ERC721NonexistentToken} for an unminted or burned unit.
     * @param tokenId The unit.
     * @return The lot's URI.
     */
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return _lots[_units[tokenId].lotId].uri;
    }

    /**
     * @notice ERC-165: ERC-721, ERC-721 Metadata, ERC-4906, AccessControl, AccessControlDefaultAdminRules.
     * @param interfaceId The interface id.
     * @return Whether it is supported.
     */
    function supportsInterface(
        bytes4 interfaceId
    ) public view override(ERC721, AccessControlDefaultAdminRules, IERC165) returns (bool) {
        return
            interfaceId == _ERC4906_INTERFACE_ID ||
            ERC721.supportsInterface(interfaceId) ||
            AccessControlDefaultAdminRules.supportsInterface(interfaceId);
    }

    // -------------------------------------------------------------------- internal

    /// @dev Ownership lives in the packed {Unit}.
    function _ownerOf(uint256 tokenId) internal view override returns (address) {
        return _units[tokenId].owner;
    }

    /**
     * @dev OpenZeppelin's {ERC721-_update} on the packed {Unit}: every transfer and burn passes
     * here. Minting never does (so `from` is zero only for an id that does not exist, which
     * {_checkAuthorized} rejects): {_mintUnit} writes the whole slot at once, and OpenZeppelin's
     * `_mint`/`_safeMint` are never called. A stolen unit cannot move; a unit moved to the zero
     * address becomes Burned and keeps its lot id.
     */
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        Unit storage unit = _units[tokenId];
        from = unit.owner;
        if (unit.status == UnitStatus.Stolen) revert UnitReportedStolen(tokenId);
        if (auth != address(0)) _checkAuthorized(from, auth, tokenId);
        if (from != address(0)) {
            // Clears the single-token approval without an Approval event, as OpenZeppelin does.
            _approve(address(0), tokenId, address(0), false);
            // Cannot underflow: `from` owns this token, so it holds at least one.
            unchecked {
                --_holdings[from];
            }
        }
        if (to != address(0)) {
            // Cannot overflow: one per existing unit, far below 2^256.
            unchecked {
                ++_holdings[to];
            }
        } else {
            unit.status = UnitStatus.Burned;
        }
        unit.owner = to;
        emit Transfer(from, to, tokenId);
    }

    function _requireMintableLot(uint64 lotId, address to) private view returns (uint64 gtin) {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        Lot storage lot = _lots[lotId];
        address manufacturer = lot.manufacturer;
        if (manufacturer == address(0)) revert LotNotFound(lotId);
        if (manufacturer != msg.sender) revert NotLotManufacturer(lotId, msg.sender);
        if (lot.recalled) revert LotIsRecalled(lotId);
        _checkRole(MANUFACTURER_ROLE);
        return lot.gtin;
    }

    /// @dev The GTIN was validated when the lot was created, so only the serial is checked here.
    /// Writes the unit's one slot; the caller credits the recipient's balance. No receiver hook
    /// is called: the manufacturer mints to its own custody address.
    function _mintUnit(
        uint64 lotId,
        uint64 gtin,
        string calldata serial,
        address to
    ) private returns (uint256 tokenId) {
        if (!_isGs1Text(bytes(serial))) revert InvalidSerial(serial);
        tokenId = _tokenIdOf(gtin, serial);
        if (_units[tokenId].status != UnitStatus.None) revert UnitAlreadyMinted(tokenId);
        _units[tokenId] = Unit({owner: to, lotId: lotId, status: UnitStatus.Active});
        emit Transfer(address(0), to, tokenId);
        emit UnitMinted(tokenId, lotId, to);
    }

    function _existingLot(uint64 lotId) private view returns (Lot storage lot) {
        lot = _lots[lotId];
        if (lot.manufacturer == address(0)) revert LotNotFound(lotId);
    }

    function _lotView(uint64 lotId) private view returns (LotView memory) {
        Lot storage lot = _lots[lotId];
        return
            LotView({
                manufacturer: lot.manufacturer,
                gtin: lot.gtin,
                recalled: lot.recalled,
                originCountry: lot.originCountry,
                productionDate: lot.productionDate,
                lotNumberHash: lot.lotNumberHash,
                contentHash: lot.contentHash,
                uri: lot.uri
            });
    }

    /**
     * @dev Stores a certificate in the subject's first slot that is free or holds a lapsed
     * (revoked or expired) certificate, so certificates that no longer hold, junk from a rogue
     * certifier once revoked included, cannot lock a subject out of certification. A live
     * certificate's slot is never taken. Finding the slot costs one cold read per live
     * certificate before it, cheaper than keeping a counter (a 2,900-gas write on every
     * attestation) while a subject holds few certificates, which is the common case.
     */
    function _attest(
        SubjectKind kind,
        uint256 subjectId,
        bytes8 certType,
        bytes32 documentHash,
        uint32 expiresAt,
        string calldata uri
    ) private returns (uint8 index) {
        if (expiresAt <= block.timestamp) revert InvalidExpiry(expiresAt, block.timestamp);
        mapping(uint256 => Certificate) storage slots = _certificates[kind][subjectId];
        // The expiry alone tells: a free slot's is zero, a revoked one's too, an expired one's past.
        while (slots[index].expiresAt > block.timestamp) {
            if (++index == MAX_CERTIFICATES) revert TooManyCertificates(kind, subjectId, MAX_CERTIFICATES);
        }
        slots[index] = Certificate(msg.sender, certType, expiresAt);
        emit CertificateAttested(kind, subjectId, msg.sender, index, certType, documentHash, expiresAt, uri);
    }

    /// @dev Reads at most 2 * MAX_CERTIFICATES slots: the unit's, then its lot's. `issued` counts
    /// occupied slots: live certificates plus lapsed ones not yet overwritten.
    function _validCertificates(
        uint256 tokenId,
        uint64 lotId
    ) private view returns (CertificateView[] memory valid, uint8 issued) {
        valid = new CertificateView[](2 * MAX_CERTIFICATES);
        uint256 n;
        for (uint256 k; k < 2; ++k) {
            SubjectKind kind = k == 0 ? SubjectKind.Unit : SubjectKind.Lot;
            mapping(uint256 => Certificate) storage slots = _certificates[kind][k == 0 ? tokenId : lotId];
            for (uint256 i; i < MAX_CERTIFICATES; ++i) {
                Certificate memory cert = slots[i];
                if (cert.certifier == address(0)) break;
                ++issued;
                if (cert.expiresAt > block.timestamp && hasRole(CERTIFIER_ROLE, cert.certifier)) {
                    valid[n++] = CertificateView({
                        certifier: cert.certifier,
                        certType: cert.certType,
                        expiresAt: cert.expiresAt,
                        kind: kind,
                        index: uint8(i)
                    });
                }
            }
        }
        // Hides the slots of certificates that do not hold now: lowering a memory array's
        // length only shortens what is ABI-encoded, the memory stays allocated.
        assembly ("memory-safe") {
            mstore(valid, n)
        }
    }

    /// @dev A prefix has at most 12 digits (below 2^40), so placing the length above bit 64
    /// keeps "0614141" (7 digits) and "614141" (6 digits) apart without collisions.
    function _prefixKey(uint64 prefix, uint8 length) private pure returns (uint256) {
        return (uint256(length) << 64) | prefix;
    }

    /// @dev ERC-4906 signal for a lot change. A lot's units are not contiguous, but every id of
    /// `gtin` is, so the range covers the lot (and its GTIN siblings) in one event.
    function _emitGtinRangeUpdate(uint64 gtin) private {
        uint256 first = uint256(gtin) << 160;
        emit BatchMetadataUpdate(first, first | type(uint160).max);
    }

    function _tokenIdOf(uint64 gtin, string calldata serial) private pure returns (uint256) {
        return (uint256(gtin) << 160) | uint160(bytes20(bytes(serial)));
    }

    function _requireValidGtin(uint64 gtin) private pure {
        if (!_isValidGtin(gtin)) revert InvalidGtin(gtin);
    }

    /// @dev GS1 mod-10: from the digit left of the check digit leftwards, weights 3, 1, 3, 1, ...
    function _isValidGtin(uint64 gtin) private pure returns (bool) {
        if (gtin == 0 || gtin >= _GTIN_LIMIT) return false;
        uint256 rest = gtin / 10;
        uint256 sum;
        // Cannot overflow: 13 digits of at most 9, weighted by at most 3, sum below 400.
        unchecked {
            for (uint256 i; i < 13; ++i) {
                sum += (rest % 10) * (i % 2 == 0 ? 3 : 1);
                rest /= 10;
            }
        }
        return (10 - (sum % 10)) % 10 == gtin % 10;
    }

    /// @dev 1..20 bytes, each in the GS1 character set 82 (shared by AI 21 serials and AI 10 lots).
    function _isGs1Text(bytes calldata text) private pure returns (bool) {
        uint256 length = text.length;
        if (length == 0 || length > MAX_GS1_TEXT_LENGTH) return false;
        for (uint256 i; i < length; ++i) {
            if ((_CSET82 >> uint8(text[i])) & 1 == 0) return false;
        }
        return true;
    }

    function _isCountryCode(bytes2 country) private pure returns (bool) {
        return country[0] >= 0x41 && country[0] <= 0x5A && country[1] >= 0x41 && country[1] <= 0x5A;
    }

    function _tryDecode(uint256 tokenId) private pure returns (bool ok, uint64 gtin, string memory serial) {
        uint256 high = tokenId >> 160;
        if (high >= _GTIN_LIMIT || !_isValidGtin(uint64(high))) return (false, 0, "");
        gtin = uint64(high);
        bytes20 word = bytes20(uint160(tokenId));
        uint256 length = MAX_GS1_TEXT_LENGTH;
        while (length > 0 && word[length - 1] == 0) --length;
        if (length == 0) return (false, 0, "");
        bytes memory text = new bytes(length);
        for (uint256 i; i < length; ++i) {
            bytes1 c = word[i];
            if ((_CSET82 >> uint8(c)) & 1 == 0) return (false, 0, "");
            text[i] = c;
        }
        return (true, gtin, string(text));
    }
}
