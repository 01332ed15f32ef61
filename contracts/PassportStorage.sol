// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

import {IProductPassport} from "./interfaces/IProductPassport.sol";
import {Gs1} from "./libraries/Gs1.sol";

/**
 * @title PassportStorage
 * @notice The state of {ProductPassport}: its roles, constants, storage layout and the few
 * internal helpers both the passport and its {PassportLots} extension use.
 * @dev {ProductPassport} runs {PassportLots}' code by delegatecall (prefix assignment and lot
 * creation, rare calls that are kept out of the passport's bytecode for the EIP-170 limit), so
 * both must lay out storage identically: both inherit this contract and declare no state of
 * their own. Every state variable of either lives here.
 */
abstract contract PassportStorage is ERC721, AccessControlDefaultAdminRules {
    // --------------------------------------------------------------------- constants

    /// @notice May create lots under its assigned company prefixes and mint their units.
    bytes32 public constant MANUFACTURER_ROLE = keccak256("MANUFACTURER_ROLE");
    /// @notice Inspection bodies, customs, chambers of commerce: attest certificates.
    bytes32 public constant CERTIFIER_ROLE = keccak256("CERTIFIER_ROLE");
    /// @notice A theft desk: flags a unit stolen on its victim's report and clears such flags.
    bytes32 public constant THEFT_REGISTRAR_ROLE = keccak256("THEFT_REGISTRAR_ROLE");

    /// @notice Most units one {mintBatch} call may mint.
    uint256 public constant MAX_BATCH = 200;
    /// @notice Most live certificates per unit and per lot, keeping {verify} bounded. A revoked or
    /// expired certificate's slot is reused by the next attestation.
    uint256 public constant MAX_CERTIFICATES = 8;
    /// @notice Longest GS1 serial (AI 21) and lot number (AI 10), in characters.
    uint256 public constant MAX_GS1_TEXT_LENGTH = Gs1.MAX_TEXT_LENGTH;
    /// @dev Shortest and longest GS1 company prefix, in digits.
    uint8 internal constant _MIN_PREFIX_LENGTH = 6;
    uint8 internal constant _MAX_PREFIX_LENGTH = 12;

    // ----------------------------------------------------------------------- storage

    /// @dev One slot: owner (20) + lotId (8) + status (1) + registrarHold (1). Never deleted, so
    /// a burned id keeps status Burned and can never be minted again; a transfer rewrites this
    /// one slot, and the stolen check reads the slot the owner lookup already loaded.
    /// `registrarHold` marks a Stolen status set by the theft registrar: the holder, possibly
    /// the thief, cannot clear it.
    struct Unit {
        address owner;
        uint64 lotId;
        IProductPassport.UnitStatus status;
        bool registrarHold;
    }

    /// @dev Slot 0: manufacturer (20) + gtin (8) + recalled (1) + originCountry (2) +
    /// prefixLength (1), everything {mint} and {recallLot} read: the lot's company prefix is the
    /// GTIN's first `prefixLength` digits after the indicator digit. Slot 1: productionDate (5).
    /// Then the two hashes and the URI.
    struct Lot {
        address manufacturer;
        uint64 gtin;
        bool recalled;
        bytes2 originCountry;
        uint8 prefixLength;
        uint40 productionDate;
        bytes32 lotNumberHash;
        bytes32 contentHash;
        string uri;
    }

    /// @dev One slot: accreditation (4) + certType (8) + expiresAt (4). `accreditation` names the
    /// CERTIFIER_ROLE grant the certificate was issued under (see {_accreditations}); zero marks a
    /// free slot, a zero expiry a revoked one (attesting requires a future expiry). The document
    /// hash and URI live in {CertificateAttested} only, which keeps attesting to a single slot
    /// write. Slots fill from index 0 and never become free again (a lapsed certificate is
    /// overwritten, not cleared), so the first free slot ends the list.
    struct Certificate {
        uint32 accreditation;
        bytes8 certType;
        uint32 expiresAt;
    }

    mapping(uint256 tokenId => Unit) internal _units;
    /// @dev ERC-721 balances, replacing OpenZeppelin's private ones (see the contract's @dev).
    mapping(address owner => uint256 count) internal _holdings;
    mapping(uint64 lotId => Lot) internal _lots;
    /// @dev keccak256(gtin, lotNumber) → lotId, so a lot number is used once per GTIN.
    mapping(bytes32 lotKey => uint64 lotId) internal _lotIds;
    /// @dev (length << 64 | prefix) → manufacturer.
    mapping(uint256 prefixKey => address manufacturer) internal _prefixOwners;
    /// @dev prefixKey → how many assigned prefixes extend it (start with its digits and are
    /// longer). With {_prefixOwners} this keeps the assigned prefixes free of overlaps: a prefix
    /// is assignable only if none of its (at most six) shorter truncations is assigned and
    /// nothing assigned extends it.
    mapping(uint256 prefixKey => uint256 count) internal _assignedExtensions;
    /// @dev Certifier → the number of its current CERTIFIER_ROLE grant (zero while it holds none).
    /// Every grant takes a new number and every revocation or renunciation ends it, so a
    /// certificate, which stores the number it was issued under, holds only while that very
    /// accreditation lasts: re-granting the role never brings older certificates back.
    mapping(address certifier => uint32 accreditation) internal _accreditations;
    /// @dev Accreditation number → the certifier it was granted to (kept after it ends).
    mapping(uint32 accreditation => address certifier) internal _accreditedCertifiers;
    /// @dev Subject is a token id or a lot id, by kind.
    mapping(IProductPassport.SubjectKind kind => mapping(uint256 subjectId => mapping(uint256 index => Certificate)))
        internal _certificates;

    uint64 internal _lotCount;
    /// @dev CERTIFIER_ROLE grants so far; the last accreditation number.
    uint32 internal _accreditationCount;
    address internal _shipmentRegistry;

    // ------------------------------------------------------------------- constructor

    /**
     * @param admin The default admin (assigns prefixes, grants roles, sets the registry).
     * @param adminDelay Delay of a default-admin transfer, in seconds.
     */
    constructor(
        address admin,
        uint48 adminDelay
    ) ERC721("Waybill Product Passport", "WPASS") AccessControlDefaultAdminRules(adminDelay, admin) {}

    /**
     * @notice ERC-165: ERC-721, ERC-721 Metadata, AccessControl, AccessControlDefaultAdminRules.
     * @param interfaceId The interface id.
     * @return Whether it is supported.
     */
    function supportsInterface(
        bytes4 interfaceId
    ) public view virtual override(ERC721, AccessControlDefaultAdminRules) returns (bool) {
        return
            ERC721.supportsInterface(interfaceId) ||
            AccessControlDefaultAdminRules.supportsInterface(interfaceId);
    }

    // -------------------------------------------------------------------- internal

    function _existingLot(uint64 lotId) internal view returns (Lot storage lot) {
        lot = _lots[lotId];
        if (lot.manufacturer == address(0)) revert IProductPassport.LotNotFound(lotId);
    }

    /// @dev Who holds the company prefix made of `gtin`'s first `length` digits after the
    /// indicator digit (`length` is 6..12).
    function _gtinPrefixOwner(uint64 gtin, uint8 length) internal view returns (address) {
        // Unchecked: 13 - length and the powers of ten stay far inside their types.
        unchecked {
            return _prefixOwners[_prefixKey(uint64((gtin / 10 ** (13 - length)) % 10 ** length), length)];
        }
    }

    /// @dev A prefix has at most 12 digits (below 2^40), so placing the length above bit 64
    /// keeps "0614141" (7 digits) and "614141" (6 digits) apart without collisions.
    function _prefixKey(uint64 prefix, uint8 length) internal pure returns (uint256) {
        return (uint256(length) << 64) | prefix;
    }

    /// @dev ERC-4906 signal for a lot change. A lot's units are not contiguous, but every id of
    /// `gtin` is, so the range covers the lot (and its GTIN siblings) in one event.
    function _emitGtinRangeUpdate(uint64 gtin) internal {
        uint256 first = uint256(gtin) << 160;
        emit IERC4906.BatchMetadataUpdate(first, first | type(uint160).max);
    }
}
