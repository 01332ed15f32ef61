// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IProductPassport} from "./interfaces/IProductPassport.sol";
import {Gs1} from "./libraries/Gs1.sol";
import {PassportStorage} from "./PassportStorage.sol";

/**
 * @title PassportLots
 * @notice Who may make what: GS1 company prefix assignment and lot creation and editing for
 * {ProductPassport}, which deploys this contract in its constructor and runs {assignPrefix},
 * {revokePrefix}, {createLot} and {setLotMetadata} here by delegatecall.
 * @dev Runs only in the passport's context: storage, roles, `msg.sender` and emitted events are
 * the passport's. Called directly, it acts on its own empty storage, where nobody holds a role
 * (its admin is the passport, which never calls it), so every function reverts.
 */
contract PassportLots is PassportStorage {
    constructor() PassportStorage(msg.sender, 0) {}

    // ------------------------------------------------------------------- prefixes

    /// @notice See {IProductPassport-assignPrefix}. Runs in the passport's context.
    function assignPrefix(
        address manufacturer,
        uint64 prefix,
        uint8 length
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (manufacturer == address(0)) revert IProductPassport.InvalidManufacturer(manufacturer);
        if (length < _MIN_PREFIX_LENGTH || length > _MAX_PREFIX_LENGTH || prefix >= 10 ** length)
            revert IProductPassport.InvalidPrefix(prefix, length);
        uint256 key = _prefixKey(prefix, length);
        address current = _prefixOwners[key];
        if (current != address(0)) revert IProductPassport.PrefixAlreadyAssigned(prefix, length, current);
        uint256 extensions = _assignedExtensions[key];
        if (extensions != 0) revert IProductPassport.PrefixHasAssignedExtensions(prefix, length, extensions);
        _markTruncations(prefix, length, true);
        _prefixOwners[key] = manufacturer;
        emit IProductPassport.PrefixAssigned(prefix, length, manufacturer);
    }

    /// @notice See {IProductPassport-revokePrefix}. Runs in the passport's context.
    function revokePrefix(uint64 prefix, uint8 length) external onlyRole(DEFAULT_ADMIN_ROLE) {
        uint256 key = _prefixKey(prefix, length);
        address current = _prefixOwners[key];
        if (current == address(0)) revert IProductPassport.PrefixNotFound(prefix, length);
        delete _prefixOwners[key];
        // Undo {assignPrefix}'s marks, so the space can be assigned again, shorter or longer.
        _markTruncations(prefix, length, false);
        emit IProductPassport.PrefixRevoked(prefix, length, current);
    }

    // ------------------------------------------------------------------------ lots

    /// @notice See {IProductPassport-createLot}. Runs in the passport's context.
    function createLot(
        IProductPassport.NewLot calldata lot
    ) external onlyRole(MANUFACTURER_ROLE) returns (uint64 lotId) {
        if (!Gs1.isValidGtin(lot.gtin)) revert IProductPassport.InvalidGtin(lot.gtin);
        if (!Gs1.isGs1Text(bytes(lot.lotNumber))) revert IProductPassport.InvalidLotNumber(lot.lotNumber);
        if (!_isCountryCode(lot.originCountry)) revert IProductPassport.InvalidCountry(lot.originCountry);
        if (lot.productionDate > block.timestamp)
            revert IProductPassport.ProductionDateInFuture(lot.productionDate, block.timestamp);
        uint8 length = lot.prefixLength;
        if (
            length < _MIN_PREFIX_LENGTH ||
            length > _MAX_PREFIX_LENGTH ||
            _gtinPrefixOwner(lot.gtin, length) != msg.sender
        ) revert IProductPassport.PrefixNotAssigned(lot.gtin, msg.sender);
        bytes32 lotKey = keccak256(abi.encode(lot.gtin, lot.lotNumber));
        uint64 existing = _lotIds[lotKey];
        if (existing != 0) revert IProductPassport.LotAlreadyExists(lot.gtin, lot.lotNumber, existing);

        lotId = ++_lotCount;
        _lotIds[lotKey] = lotId;
        Lot storage stored = _lots[lotId];
        stored.manufacturer = msg.sender;
        stored.gtin = lot.gtin;
        stored.originCountry = lot.originCountry;
        stored.prefixLength = length;
        stored.productionDate = lot.productionDate;
        stored.lotNumberHash = keccak256(bytes(lot.lotNumber));
        stored.contentHash = lot.contentHash;
        stored.uri = lot.uri;
        emit IProductPassport.LotCreated(
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

    /// @notice See {IProductPassport-setLotMetadata}. Runs in the passport's context.
    function setLotMetadata(uint64 lotId, bytes32 contentHash, string calldata uri) external {
        Lot storage lot = _existingLot(lotId);
        if (lot.manufacturer != msg.sender) revert IProductPassport.NotLotManufacturer(lotId, msg.sender);
        _checkRole(MANUFACTURER_ROLE);
        lot.contentHash = contentHash;
        lot.uri = uri;
        emit IProductPassport.LotMetadataUpdated(lotId, contentHash, uri);
        _emitGtinRangeUpdate(lot.gtin);
    }

    // -------------------------------------------------------------------- internal

    function _isCountryCode(bytes2 country) private pure returns (bool) {
        return country[0] >= 0x41 && country[0] <= 0x5A && country[1] >= 0x41 && country[1] <= 0x5A;
    }

    /**
     * @dev Walks the at most six shorter truncations of an assigned or revoked prefix (dividing
     * by ten drops the last digit; the length keeps leading zeros apart). Assigning refuses if a
     * truncation is assigned itself and counts the new prefix as its extension; revoking uncounts
     * it. Unchecked: lengths stay within 6..12, and a count only drops after it rose for the same
     * prefix.
     */
    function _markTruncations(uint64 prefix, uint8 length, bool assigning) private {
        unchecked {
            uint64 shorter = prefix;
            for (uint8 digits = length - 1; digits >= _MIN_PREFIX_LENGTH; --digits) {
                shorter /= 10;
                uint256 key = _prefixKey(shorter, digits);
                if (!assigning) {
                    --_assignedExtensions[key];
                } else {
                    if (_prefixOwners[key] != address(0))
                        revert IProductPassport.PrefixOverlaps(prefix, length, shorter, digits);
                    ++_assignedExtensions[key];
                }
            }
        }
    }
}
