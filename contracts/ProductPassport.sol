// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC165} from "@openzeppelin/contracts/interfaces/IERC165.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";

import {IPassportCustody} from "./interfaces/IPassportCustody.sol";
import {IProductPassport} from "./interfaces/IProductPassport.sol";
import {Gs1} from "./libraries/Gs1.sol";
import {PassportLots} from "./PassportLots.sol";
import {PassportReader} from "./PassportReader.sol";
import {PassportStorage} from "./PassportStorage.sol";

/**
 * @title ProductPassport
 * @notice ERC-721 product passports keyed by GS1 GTIN-14 + serial; see {IProductPassport} for the
 * token id scheme, roles and lifecycle.
 * @dev Cost model: minting a unit compares the lot's manufacturer, re-reads the one owner slot
 * of the company prefix the lot was created under (a revoked or reassigned prefix mints nothing
 * more), validates the serial and writes ONE fresh slot, the packed {Unit} that holds the
 * ERC-721 owner together with the lot id and status.
 * OpenZeppelin's ERC721 keeps approvals, safe-transfer checks, errors and metadata;
 * its own owner and balance slots are left unused: {_ownerOf}, {_update} and {balanceOf} are
 * overridden onto {Unit} and {_holdings}, the extension point ERC721Consecutive also uses.
 * Every unit's tokenURI is its lot's URI, so no per-token URI is stored.
 * Split by responsibility to stay well below the EIP-170 size limit, with no linking and one
 * deployment: the constructor deploys a stateless {PassportReader} (GS1 decoding and {verify},
 * reached by staticcall) and {PassportLots} (prefix assignment, lot creation and editing: rare
 * calls, reached by delegatecall on this contract's storage, laid out once in
 * {PassportStorage}). Callers only ever talk to this contract.
 */
contract ProductPassport is IProductPassport, IPassportCustody, IERC4906, PassportStorage {
    /// @dev ERC-4906's interface id, which has no functions of its own to derive it from.
    bytes4 private constant _ERC4906_INTERFACE_ID = 0x49064906;

    /// @dev Answers {verify}, {tokenIdOf} and {decodeTokenId}; see the contract's @dev.
    address private immutable _READER = address(new PassportReader(MAX_CERTIFICATES));
    /// @dev Runs {assignPrefix}, {revokePrefix}, {createLot} and {setLotMetadata} by delegatecall.
    address private immutable _LOTS = address(new PassportLots());

    /**
     * @param admin The default admin (assigns prefixes, grants roles, sets the registry).
     * @param adminDelay Delay of a default-admin transfer, in seconds.
     */
    constructor(address admin, uint48 adminDelay) PassportStorage(admin, adminDelay) {}

    // ------------------------------------------------------------------- prefixes and lots

    /// @inheritdoc IProductPassport
    function assignPrefix(address, uint64, uint8) external {
        _delegateToLots();
    }

    /// @inheritdoc IProductPassport
    function revokePrefix(uint64, uint8) external {
        _delegateToLots();
    }

    /// @inheritdoc IProductPassport
    function createLot(NewLot calldata) external returns (uint64) {
        address lots = _LOTS;
        // Returns or reverts with the extension's output; see {_delegateToLots}.
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), lots, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) {
                revert(0, returndatasize())
            }
            return(0, returndatasize())
        }
    }

    /// @inheritdoc IProductPassport
    function setLotMetadata(uint64, bytes32, string calldata) external {
        _delegateToLots();
    }

    /// @inheritdoc IProductPassport
    function recallLot(uint64 lotId, bytes32 reasonHash) external {
        Lot storage lot = _existingLot(lotId);
        // The admin may recall any lot; a manufacturer only its own, and only while it holds the role.
        if (lot.manufacturer != msg.sender) {
            if (msg.sender != defaultAdmin()) revert NotLotManufacturer(lotId, msg.sender);
        } else if (!hasRole(MANUFACTURER_ROLE, msg.sender) && msg.sender != defaultAdmin()) {
            revert AccessControlUnauthorizedAccount(msg.sender, MANUFACTURER_ROLE);
        }
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
    function flagStolen(uint256 tokenId, bytes32 reportHash) external onlyRole(THEFT_REGISTRAR_ROLE) {
        address holder = _requireOwned(tokenId);
        Unit storage unit = _units[tokenId];
        // An owner's own report may be taken over (its holder could clear it); a flag only once.
        if (unit.registrarHold) revert UnitReportedStolen(tokenId);
        unit.status = UnitStatus.Stolen;
        unit.registrarHold = true;
        emit UnitStolenFlagged(tokenId, msg.sender, holder, reportHash);
        emit MetadataUpdate(tokenId);
    }

    /// @inheritdoc IProductPassport
    function clearStolen(uint256 tokenId) external {
        address owner = _requireOwned(tokenId);
        Unit storage unit = _units[tokenId];
        // A registrar's flag is cleared by a registrar or the admin, never by whoever holds the unit.
        if (
            (owner != msg.sender || unit.registrarHold) &&
            !hasRole(THEFT_REGISTRAR_ROLE, msg.sender) &&
            msg.sender != defaultAdmin()
        ) {
            if (owner != msg.sender) revert NotUnitOwner(tokenId, msg.sender);
            revert AccessControlUnauthorizedAccount(msg.sender, THEFT_REGISTRAR_ROLE);
        }
        if (unit.status != UnitStatus.Stolen) revert UnitNotStolen(tokenId);
        unit.status = UnitStatus.Active;
        unit.registrarHold = false;
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
    ) external returns (uint8 index) {
        uint32 accreditation = _requireAccreditation();
        UnitStatus status = _units[tokenId].status;
        if (status == UnitStatus.None || status == UnitStatus.Burned) revert UnitNotFound(tokenId);
        return _attest(accreditation, SubjectKind.Unit, tokenId, certType, documentHash, expiresAt, uri);
    }

    /// @inheritdoc IProductPassport
    function attestLot(
        uint64 lotId,
        bytes8 certType,
        bytes32 documentHash,
        uint32 expiresAt,
        string calldata uri
    ) external returns (uint8 index) {
        uint32 accreditation = _requireAccreditation();
        _existingLot(lotId);
        return _attest(accreditation, SubjectKind.Lot, lotId, certType, documentHash, expiresAt, uri);
    }

    /// @inheritdoc IProductPassport
    function revokeCertificate(SubjectKind kind, uint256 subjectId, uint8 index) external {
        Certificate storage cert = _certificates[kind][subjectId][index];
        uint32 accreditation = cert.accreditation;
        if (accreditation == 0 || cert.expiresAt == 0) revert CertificateNotFound(kind, subjectId, index);
        if (_accreditedCertifiers[accreditation] != msg.sender && msg.sender != defaultAdmin()) {
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
            emit PassportShipped(tokenId, shipmentId);
        }
    }

    // ----------------------------------------------------------------------- views

    /// @inheritdoc IProductPassport
    function tokenIdOf(uint64, string calldata) external view returns (uint256) {
        address reader = _READER;
        // Returns or reverts with the reader's output; see {_delegateToLots}.
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := staticcall(gas(), reader, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) {
                revert(0, returndatasize())
            }
            return(0, returndatasize())
        }
    }

    /// @inheritdoc IProductPassport
    function decodeTokenId(uint256) external view returns (uint64, string memory) {
        address reader = _READER;
        // Returns or reverts with the reader's output; see {_delegateToLots}.
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := staticcall(gas(), reader, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) {
                revert(0, returndatasize())
            }
            return(0, returndatasize())
        }
    }

    /// @inheritdoc IProductPassport
    function verify(uint256) external view returns (PassportView memory) {
        address reader = _READER;
        // Returns or reverts with the reader's output; see {_delegateToLots}.
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := staticcall(gas(), reader, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) {
                revert(0, returndatasize())
            }
            return(0, returndatasize())
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
    function shipmentRegistry() external view returns (address) {
        return _shipmentRegistry;
    }

    /// @inheritdoc IProductPassport
    function unitOf(uint256 tokenId) external view returns (address owner, uint64 lotId, UnitStatus status) {
        Unit storage unit = _units[tokenId];
        return (unit.owner, unit.lotId, unit.status);
    }

    /// @inheritdoc IProductPassport
    function certificateAt(
        SubjectKind kind,
        uint256 subjectId,
        uint8 index
    ) external view returns (address certifier, bytes8 certType, uint32 expiresAt, bool valid) {
        Certificate memory cert = _certificates[kind][subjectId][index];
        certifier = _accreditedCertifiers[cert.accreditation];
        valid = cert.expiresAt > block.timestamp && _isCurrentAccreditation(cert.accreditation);
        return (certifier, cert.certType, cert.expiresAt, valid);
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
    ) public view override(PassportStorage, IERC165) returns (bool) {
        return interfaceId == _ERC4906_INTERFACE_ID || PassportStorage.supportsInterface(interfaceId);
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

    function _requireMintableLot(uint64 lotId, address to) private view returns (uint64) {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        Lot storage lot = _lots[lotId];
        address manufacturer = lot.manufacturer;
        if (manufacturer == address(0)) revert LotNotFound(lotId);
        if (manufacturer != msg.sender) revert NotLotManufacturer(lotId, msg.sender);
        if (lot.recalled) revert LotIsRecalled(lotId);
        _checkRole(MANUFACTURER_ROLE);
        // The prefix may have been revoked or handed to someone else since the lot was created.
        uint64 gtin = lot.gtin;
        if (_gtinPrefixOwner(gtin, lot.prefixLength) != manufacturer)
            revert PrefixNotAssigned(gtin, manufacturer);
        return gtin;
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
        if (!Gs1.isGs1Text(bytes(serial))) revert InvalidSerial(serial);
        tokenId = Gs1.tokenIdOf(gtin, serial);
        if (_units[tokenId].status != UnitStatus.None) revert UnitAlreadyMinted(tokenId);
        _units[tokenId] = Unit({owner: to, lotId: lotId, status: UnitStatus.Active, registrarHold: false});
        emit Transfer(address(0), to, tokenId);
        emit UnitMinted(tokenId, lotId, to);
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
        uint32 accreditation,
        SubjectKind kind,
        uint256 subjectId,
        bytes8 certType,
        bytes32 documentHash,
        uint32 expiresAt,
        string calldata uri
    ) private returns (uint8 index) {
        if (expiresAt <= block.timestamp) revert InvalidExpiry(expiresAt, block.timestamp);
        mapping(uint256 => Certificate) storage slots = _certificates[kind][subjectId];
        // A free slot's expiry is zero, a revoked one's too, an expired one's past; a slot whose
        // certificate outlived its issuer's accreditation is lapsed as well.
        while (
            slots[index].expiresAt > block.timestamp && _isCurrentAccreditation(slots[index].accreditation)
        ) {
            if (++index == MAX_CERTIFICATES) revert TooManyCertificates(kind, subjectId, MAX_CERTIFICATES);
        }
        slots[index] = Certificate(accreditation, certType, expiresAt);
        emit CertificateAttested(kind, subjectId, msg.sender, index, certType, documentHash, expiresAt, uri);
    }

    /// @dev The caller's current accreditation number; reverts as `onlyRole(CERTIFIER_ROLE)` would,
    /// since a certifier holds a number exactly while it holds the role.
    function _requireAccreditation() private view returns (uint32 accreditation) {
        accreditation = _accreditations[msg.sender];
        if (accreditation == 0) revert AccessControlUnauthorizedAccount(msg.sender, CERTIFIER_ROLE);
    }

    /// @dev Whether accreditation number `accreditation` still lasts (zero, a free slot's, never does).
    function _isCurrentAccreditation(uint32 accreditation) private view returns (bool) {
        address certifier = _accreditedCertifiers[accreditation];
        return certifier != address(0) && _accreditations[certifier] == accreditation;
    }

    /// @dev Every CERTIFIER_ROLE grant starts a new accreditation (see {_accreditations}).
    function _grantRole(bytes32 role, address account) internal override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (granted && role == CERTIFIER_ROLE) {
            uint32 accreditation = ++_accreditationCount;
            _accreditations[account] = accreditation;
            _accreditedCertifiers[accreditation] = account;
        }
    }

    /// @dev Revoking or renouncing CERTIFIER_ROLE ends the accreditation for good: the certificates
    /// issued under it stop holding and their slots become free, even if the role comes back.
    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        if (revoked && role == CERTIFIER_ROLE) delete _accreditations[account];
    }

    /**
     * @dev Runs the call's own calldata as {PassportLots} code on this contract's storage and
     * answers with its output or revert: the same ABI, so the same result as running it here.
     * {createLot} and the reader's three calls ({verify}, {tokenIdOf}, {decodeTokenId}, by
     * staticcall to the stateless {PassportReader}) inline the same block, because a function
     * with outputs must end in the assembly `return` itself to leave them visibly assigned.
     * The block overwrites memory from zero and is not memory-safe, which is harmless: it never
     * returns to Solidity code.
     */
    function _delegateToLots() private {
        address lots = _LOTS;
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), lots, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) {
                revert(0, returndatasize())
            }
            return(0, returndatasize())
        }
    }
}
