// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IProductPassport
 * @notice One ERC-721 passport per physical product unit, identified exactly as its label is:
 * a GS1 GTIN-14 plus a GS1 serial (AI 21). A buyer's phone scans the label, computes the
 * token id and calls {verify} to learn whether the unit is genuine, who made it, where and
 * when, whether it was recalled, reported stolen or consumed and which certificates hold now.
 * The shipments that carried a unit are in its {IPassportCustody-PassportShipped} log, indexed
 * by token id: the passport keeps no storage for them, which would cost every shipment a fresh
 * slot per unit.
 * @dev Token id scheme (reversible, computed by any scanner without a chain call):
 *
 *     tokenId = (uint256(gtin14) << 160) | uint160(bytes20(bytes(serial)))
 *
 * The serial's bytes sit left-aligned in the low 160 bits (at most 20 bytes), so decoding
 * strips trailing zero bytes; the GS1 character set 82 has no NUL, so this is unambiguous.
 * All units of one GTIN occupy the contiguous range [gtin << 160, ((gtin + 1) << 160) - 1],
 * which is what the ERC-4906 `BatchMetadataUpdate` of a lot change covers.
 *
 * Roles: DEFAULT_ADMIN_ROLE (delayed two-step transfer) assigns GS1 company prefixes, grants
 * MANUFACTURER_ROLE, CERTIFIER_ROLE and THEFT_REGISTRAR_ROLE, sets the shipment registry once,
 * may revoke any certificate, recall any lot and clear any stolen report or flag.
 * MANUFACTURER_ROLE creates lots under the prefixes it holds and, while it still holds both the
 * role and the lot's prefix, mints into them; while it holds the role it may also rewrite its
 * lots' documents and recall them. THEFT_REGISTRAR_ROLE flags a unit stolen on its victim's
 * report ({flagStolen}) and clears reports and flags; only it or the admin can lift a flag.
 *
 * Prefixes: assigned prefixes never overlap. A prefix is refused while a shorter prefix made of
 * its first digits is assigned ({PrefixOverlaps}) or a longer one starting with its digits is
 * ({PrefixHasAssignedExtensions}); digits and length together name a prefix, so 614141 and
 * 0614141 are different and do not overlap. A lot is bound to the prefix it was created under.
 *
 * Accreditation: every CERTIFIER_ROLE grant is a new accreditation and a revocation or
 * renunciation ends it. A certificate holds only while the accreditation it was issued under
 * lasts: granting the role again never revives older certificates.
 *
 * Certificates: each unit and each lot has MAX_CERTIFICATES slots. An attestation takes the first
 * slot that is free or holds a revoked or expired certificate, or one whose issuer's accreditation
 * has ended; a valid certificate's slot is never taken. An index therefore identifies a certificate only while it is live: once revoked or
 * expired, the same index may name a newer certificate. The {CertificateAttested} and
 * {CertificateRevoked} event log keeps the full history.
 */
interface IProductPassport {
    // ------------------------------------------------------------------------- types

    /// @notice Lifecycle of one unit. Burned is final, and a burned unit can never be minted again.
    enum UnitStatus {
        None, // never minted
        Active, // minted, transferable
        Stolen, // reported by its owner or flagged by the theft registrar: no transfer or burn until cleared
        Burned // consumed or destroyed (final)
    }

    /// @notice Why a unit was burned; kept in the {UnitBurned} event.
    enum BurnReason {
        Consumed, // used up by the end customer
        Destroyed, // destroyed (damage, disposal of recalled goods)
        Recycled, // taken back into a recycling scheme
        Other
    }

    /// @notice What a certificate is attached to.
    enum SubjectKind {
        Unit, // one token id
        Lot // every unit of a lot
    }

    /// @notice Arguments of {createLot}.
    // Calldata only, never stored: slot packing does not apply.
    // solhint-disable-next-line gas-struct-packing
    struct NewLot {
        uint64 gtin; // GTIN-14 as a number (leading zeros implied)
        uint8 prefixLength; // length of the caller's GS1 company prefix inside the GTIN (6..12)
        bytes2 originCountry; // ISO 3166-1 alpha-2, upper case, e.g. "DE"
        uint40 productionDate; // unix seconds, not in the future
        bytes32 contentHash; // hash of the lot's passport document (EU DPP style)
        string lotNumber; // GS1 AI 10: 1..20 characters of the GS1 character set 82
        string uri; // where the passport document lives; also every unit's tokenURI
    }

    /// @notice A lot as {verify} and {lotOf} report it.
    struct LotView {
        address manufacturer;
        uint64 gtin;
        bool recalled;
        bytes2 originCountry;
        uint40 productionDate;
        bytes32 lotNumberHash; // keccak256(bytes(lotNumber)); the number itself is in {LotCreated}
        bytes32 contentHash;
        string uri;
    }

    /// @notice A certificate that holds now: not revoked, not expired, and the accreditation it was
    /// issued under still lasts.
    // A view's return value, never stored: slot packing does not apply.
    // solhint-disable-next-line gas-struct-packing
    struct CertificateView {
        address certifier;
        bytes8 certType; // short ASCII code, e.g. "ORGANIC", "CE", "COO" (certificate of origin)
        uint32 expiresAt; // unix seconds; document hash and URI are in {CertificateAttested}
        SubjectKind kind; // attached to the unit itself or to its whole lot
        uint8 index; // slot under its subject: the key for {revokeCertificate}
    }

    /// @notice Everything a buyer's phone shows for one scanned unit.
    // A view's return value, never stored: slot packing does not apply.
    // solhint-disable-next-line gas-struct-packing
    struct PassportView {
        bool exists; // minted at some point (true also after burning)
        bool genuine; // exists, not burned, not reported or flagged stolen
        uint64 gtin; // decoded from the token id (zero when the id is not a valid GS1 id)
        string serial; // decoded from the token id (empty when the id is not a valid GS1 id)
        UnitStatus status;
        address owner; // zero when never minted or burned
        uint64 lotId;
        LotView lot;
        // Unit and lot certificates on record: the valid ones plus lapsed ones (revoked, expired or
        // de-accredited) whose slot no newer certificate has taken yet. Not a lifetime total.
        uint8 issuedCertificateCount;
        CertificateView[] certificates; // valid now, the unit's first, then the lot's
    }

    // ------------------------------------------------------------------------ events

    /// @notice The admin assigned GS1 company prefix `prefix` (of `length` digits) to `manufacturer`.
    event PrefixAssigned(uint64 indexed prefix, uint8 indexed length, address indexed manufacturer);
    /// @notice The admin withdrew a prefix; lots already created keep their manufacturer.
    event PrefixRevoked(uint64 indexed prefix, uint8 indexed length, address indexed manufacturer);
    /// @notice A manufacturer created a lot.
    event LotCreated(
        uint64 indexed lotId,
        uint64 indexed gtin,
        address indexed manufacturer,
        string lotNumber,
        bytes2 originCountry,
        uint40 productionDate,
        bytes32 contentHash,
        string uri
    );
    /// @notice A lot's passport document changed (a new revision of the same lot).
    event LotMetadataUpdated(uint64 indexed lotId, bytes32 contentHash, string uri);
    /// @notice A lot was recalled by `recalledBy` (its manufacturer or the admin).
    event LotRecalled(uint64 indexed lotId, address indexed recalledBy, bytes32 reasonHash);
    /// @notice A unit was minted into a lot.
    event UnitMinted(uint256 indexed tokenId, uint64 indexed lotId, address indexed to);
    /// @notice The owner reported a unit stolen: it cannot move until cleared.
    event UnitStolenReported(uint256 indexed tokenId, address indexed reportedBy);
    /// @notice The theft registrar `registrar` flagged a unit stolen on its victim's report while
    /// `holder` held it: it cannot move until a registrar or the admin clears it.
    event UnitStolenFlagged(
        uint256 indexed tokenId,
        address indexed registrar,
        address indexed holder,
        bytes32 reportHash
    );
    /// @notice A stolen report or flag was cleared by the owner (its own report only), a theft
    /// registrar or the admin.
    event UnitStolenCleared(uint256 indexed tokenId, address indexed clearedBy);
    /// @notice A unit was consumed or destroyed; its id stays un-mintable.
    event UnitBurned(uint256 indexed tokenId, address indexed owner, BurnReason reason);
    /// @notice A certifier attested a certificate to a unit or a lot. `index` may be a slot a
    /// revoked or expired certificate held before; this log is the certificates' history.
    event CertificateAttested(
        SubjectKind indexed kind,
        uint256 indexed subjectId,
        address indexed certifier,
        uint8 index,
        bytes8 certType,
        bytes32 documentHash,
        uint32 expiresAt,
        string uri
    );
    /// @notice A certificate was revoked by its certifier or the admin.
    event CertificateRevoked(
        SubjectKind indexed kind,
        uint256 indexed subjectId,
        uint8 indexed index,
        address revokedBy
    );
    /// @notice The admin set the shipment registry (once).
    event ShipmentRegistrySet(address indexed registry);

    // ------------------------------------------------------------------------ errors

    /// @dev `gtin` is zero, longer than 14 digits or has a wrong GS1 mod-10 check digit.
    error InvalidGtin(uint64 gtin);
    /// @dev `serial` is empty, longer than 20 bytes or has a byte outside the GS1 character set 82.
    error InvalidSerial(string serial);
    /// @dev `lotNumber` is empty, longer than 20 bytes or has a byte outside the GS1 character set 82.
    error InvalidLotNumber(string lotNumber);
    /// @dev `tokenId` does not decode to a valid GTIN-14 and serial.
    error InvalidTokenId(uint256 tokenId);
    /// @dev The zero address cannot hold a company prefix.
    error InvalidManufacturer(address manufacturer);
    /// @dev A company prefix must have 6 to 12 digits and fit in them.
    error InvalidPrefix(uint64 prefix, uint8 length);
    /// @dev The prefix is already assigned to `manufacturer`.
    error PrefixAlreadyAssigned(uint64 prefix, uint8 length, address manufacturer);
    /// @dev `prefix` starts with the digits of `assignedPrefix`, which is assigned: they would overlap.
    error PrefixOverlaps(uint64 prefix, uint8 length, uint64 assignedPrefix, uint8 assignedLength);
    /// @dev `count` assigned prefixes are longer and start with the digits of `prefix`: they would overlap.
    error PrefixHasAssignedExtensions(uint64 prefix, uint8 length, uint256 count);
    /// @dev The prefix is not assigned to anyone.
    error PrefixNotFound(uint64 prefix, uint8 length);
    /// @dev The company prefix inside `gtin` (the lot's, when minting) is not assigned to `manufacturer`.
    error PrefixNotAssigned(uint64 gtin, address manufacturer);
    /// @dev `country` is not two upper-case ASCII letters.
    error InvalidCountry(bytes2 country);
    /// @dev The production date lies after the current block.
    error ProductionDateInFuture(uint40 productionDate, uint256 blockTime);
    /// @dev This manufacturer already created a lot with this GTIN and lot number.
    error LotAlreadyExists(uint64 gtin, string lotNumber, uint64 lotId);
    /// @dev No lot has this id.
    error LotNotFound(uint64 lotId);
    /// @dev `caller` is not the lot's manufacturer (nor, where allowed, the admin).
    error NotLotManufacturer(uint64 lotId, address caller);
    /// @dev The lot was recalled: no more units may be minted into it.
    error LotIsRecalled(uint64 lotId);
    /// @dev Batch size is zero or above the cap.
    error InvalidBatchSize(uint256 size, uint256 max);
    /// @dev This (GTIN, serial) was minted before, possibly then burned: a cloned label.
    error UnitAlreadyMinted(uint256 tokenId);
    /// @dev The unit does not exist now (never minted or burned).
    error UnitNotFound(uint256 tokenId);
    /// @dev The unit is reported stolen: it cannot move.
    error UnitReportedStolen(uint256 tokenId);
    /// @dev The unit is not reported stolen.
    error UnitNotStolen(uint256 tokenId);
    /// @dev Only the unit's owner may do this (the admin too, where stated).
    error NotUnitOwner(uint256 tokenId, address caller);
    /// @dev The certificate's expiry is not in the future.
    error InvalidExpiry(uint32 expiresAt, uint256 blockTime);
    /// @dev Every slot of the subject holds a valid (unrevoked, unexpired, still accredited) certificate.
    error TooManyCertificates(SubjectKind kind, uint256 subjectId, uint256 max);
    /// @dev No unrevoked certificate sits in this slot.
    error CertificateNotFound(SubjectKind kind, uint256 subjectId, uint8 index);
    /// @dev `caller` neither issued the certificate nor is the admin.
    error NotCertificateIssuer(SubjectKind kind, uint256 subjectId, uint8 index, address caller);
    /// @dev The shipment registry is already set.
    error ShipmentRegistryAlreadySet(address registry);
    /// @dev The zero address cannot be the shipment registry.
    error InvalidShipmentRegistry();

    // ------------------------------------------------------------------- operations

    /**
     * @notice Assigns a GS1 company prefix to a manufacturer. Admin only. Refused when it would
     * overlap an assigned prefix ({PrefixOverlaps}, {PrefixHasAssignedExtensions}).
     * @param manufacturer The brand owner's address (must also hold MANUFACTURER_ROLE to create lots).
     * @param prefix The prefix's digits as a number (leading zeros are carried by `length`).
     * @param length Number of digits, 6..12.
     */
    function assignPrefix(address manufacturer, uint64 prefix, uint8 length) external;

    /**
     * @notice Withdraws a company prefix. Admin only. Units already minted are unaffected, but no
     * more units can be minted into the lots created under it; the space it covered may be
     * assigned again, shorter or longer.
     * @param prefix The prefix's digits as a number.
     * @param length Number of digits, 6..12.
     */
    function revokePrefix(uint64 prefix, uint8 length) external;

    /**
     * @notice Creates a lot of one GTIN. MANUFACTURER_ROLE; the GTIN's company prefix must be
     * assigned to the caller. The lot stays bound to that prefix: minting checks it again.
     * @param lot The lot's data; see {NewLot}.
     * @return lotId The new lot's id (sequential from 1).
     */
    function createLot(NewLot calldata lot) external returns (uint64 lotId);

    /**
     * @notice Replaces a lot's passport document (content hash and URI). Lot manufacturer, while
     * it holds MANUFACTURER_ROLE.
     * @param lotId The lot.
     * @param contentHash The new document's hash.
     * @param uri The new document's location.
     */
    function setLotMetadata(uint64 lotId, bytes32 contentHash, string calldata uri) external;

    /**
     * @notice Recalls a whole lot in O(1). Lot manufacturer (while it holds MANUFACTURER_ROLE)
     * or the admin, who may recall any lot. Final.
     * @param lotId The lot.
     * @param reasonHash Hash of the recall notice.
     */
    function recallLot(uint64 lotId, bytes32 reasonHash) external;

    /**
     * @notice Mints one unit of a lot to `to`. Lot manufacturer only, while it still holds
     * MANUFACTURER_ROLE and the company prefix the lot was created under ({PrefixNotAssigned}).
     * @param lotId The lot.
     * @param serial GS1 AI 21 serial: 1..20 characters of the GS1 character set 82.
     * @param to The first owner.
     * @return tokenId {tokenIdOf}(lot GTIN, serial).
     */
    function mint(uint64 lotId, string calldata serial, address to) external returns (uint256 tokenId);

    /**
     * @notice Mints up to {MAX_BATCH} units of a lot to `to`. Same rules as {mint}; all or nothing.
     * @param lotId The lot.
     * @param serials The serials.
     * @param to The first owner of every unit.
     */
    function mintBatch(uint64 lotId, string[] calldata serials, address to) external;

    /**
     * @notice The owner reports a unit stolen; transfers and burning are blocked until cleared.
     * @param tokenId The unit.
     */
    function reportStolen(uint256 tokenId) external;

    /**
     * @notice Flags a unit stolen on its victim's report, whoever holds it now (a phished
     * operator's key may have moved it). THEFT_REGISTRAR_ROLE. Takes over an owner's own report,
     * which its holder could otherwise clear. Reverts with {UnitReportedStolen} if already flagged.
     * @param tokenId The unit.
     * @param reportHash Hash of the victim's report (e.g. the police report), kept in {UnitStolenFlagged}.
     */
    function flagStolen(uint256 tokenId, bytes32 reportHash) external;

    /**
     * @notice Clears a stolen report or flag. A theft registrar or the admin; the unit's owner
     * only for its own report, never for a registrar's flag.
     * @param tokenId The unit.
     */
    function clearStolen(uint256 tokenId) external;

    /**
     * @notice Consumes or destroys a unit. Owner or an approved address. The id can never be minted again.
     * @param tokenId The unit.
     * @param reason Why; kept in {UnitBurned}.
     */
    function burn(uint256 tokenId, BurnReason reason) external;

    /**
     * @notice Attests a certificate to one existing unit. CERTIFIER_ROLE.
     * @param tokenId The unit.
     * @param certType Short ASCII type code.
     * @param documentHash Hash of the certificate document (event only).
     * @param expiresAt Unix seconds, in the future.
     * @param uri Location of the certificate document (event only).
     * @return index The certificate's slot under the unit: the first free or lapsed one. It names
     * this certificate only while it is live.
     */
    function attestUnit(
        uint256 tokenId,
        bytes8 certType,
        bytes32 documentHash,
        uint32 expiresAt,
        string calldata uri
    ) external returns (uint8 index);

    /**
     * @notice Attests a certificate to every unit of a lot. CERTIFIER_ROLE.
     * @param lotId The lot.
     * @param certType Short ASCII type code.
     * @param documentHash Hash of the certificate document (event only).
     * @param expiresAt Unix seconds, in the future.
     * @param uri Location of the certificate document (event only).
     * @return index The certificate's slot under the lot: the first free or lapsed one. It names
     * this certificate only while it is live.
     */
    function attestLot(
        uint64 lotId,
        bytes8 certType,
        bytes32 documentHash,
        uint32 expiresAt,
        string calldata uri
    ) external returns (uint8 index);

    /**
     * @notice Revokes a certificate. Its certifier or the admin. Attesting to a unit or a lot
     * needs CERTIFIER_ROLE and ties the certificate to the caller's current accreditation. The next attestation to the
     * subject may reuse the slot, after which `index` names the newer certificate.
     * @param kind Unit or lot.
     * @param subjectId Token id or lot id.
     * @param index The certificate's slot.
     */
    function revokeCertificate(SubjectKind kind, uint256 subjectId, uint8 index) external;

    /**
     * @notice Sets the shipment registry allowed to call {IPassportCustody-recordShipment}. Admin, once.
     * @param registry The registry.
     */
    function setShipmentRegistry(address registry) external;

    // ------------------------------------------------------------------------ views

    /**
     * @notice The token id of a unit; reverts with {InvalidGtin} or {InvalidSerial}.
     * @param gtin GTIN-14 as a number.
     * @param serial GS1 AI 21 serial.
     * @return The token id.
     */
    function tokenIdOf(uint64 gtin, string calldata serial) external view returns (uint256);

    /**
     * @notice The GTIN and serial a token id encodes; reverts with {InvalidTokenId}.
     * @param tokenId The token id.
     * @return gtin GTIN-14 as a number.
     * @return serial The serial.
     */
    function decodeTokenId(uint256 tokenId) external view returns (uint64 gtin, string memory serial);

    /**
     * @notice Everything a buyer needs to judge a unit. Never reverts for an unknown id. `genuine`
     * means minted by the lot's manufacturer under a company prefix it held when it minted, and
     * neither burned nor reported or flagged stolen; certificates are listed only while
     * unrevoked, unexpired and their issuer's accreditation (the one they were issued under) lasts.
     * The unit's last shipment is not in it: it is the unit's latest
     * {IPassportCustody-PassportShipped} event.
     * @param tokenId The scanned unit.
     * @return The passport.
     */
    function verify(uint256 tokenId) external view returns (PassportView memory);

    /**
     * @notice A lot's data, for showing a lot before any unit is minted; reverts with {LotNotFound}.
     * @param lotId The lot.
     * @return The lot.
     */
    function lotOf(uint64 lotId) external view returns (LotView memory);

    /**
     * @notice The manufacturer a company prefix is assigned to (zero if none).
     * @param prefix The prefix's digits as a number.
     * @param length Number of digits.
     * @return The manufacturer.
     */
    function prefixOwner(uint64 prefix, uint8 length) external view returns (address);

    /**
     * @notice A unit's lifecycle status.
     * @param tokenId The unit.
     * @return The status (None if never minted).
     */
    function unitStatus(uint256 tokenId) external view returns (UnitStatus);

    /**
     * @notice Whether a unit's lot was recalled (false for an unknown unit): the escrow refuses
     * to take a recalled unit into custody, so it cannot be sold, while a plain shipment (a
     * return to the manufacturer) may still carry it.
     * @param tokenId The unit.
     * @return Whether its lot is recalled.
     */
    function isRecalled(uint256 tokenId) external view returns (bool);

    /**
     * @notice The shipment registry (zero until set).
     * @return The registry.
     */
    function shipmentRegistry() external view returns (address);

    /**
     * @notice A unit's record: what {verify} builds on.
     * @param tokenId The unit.
     * @return owner Its holder (zero if never minted or burned).
     * @return lotId Its lot (zero if never minted).
     * @return status Its lifecycle status.
     */
    function unitOf(uint256 tokenId) external view returns (address owner, uint64 lotId, UnitStatus status);

    /**
     * @notice One certificate slot of a unit or a lot.
     * @param kind Unit or lot.
     * @param subjectId Token id or lot id.
     * @param index The slot, below MAX_CERTIFICATES.
     * @return certifier Who issued the certificate in the slot (zero for a free slot).
     * @return certType Its type code.
     * @return expiresAt Its expiry (zero once revoked).
     * @return valid Whether it holds now: unrevoked, unexpired, and issued under its certifier's
     * current accreditation.
     */
    function certificateAt(
        SubjectKind kind,
        uint256 subjectId,
        uint8 index
    ) external view returns (address certifier, bytes8 certType, uint32 expiresAt, bool valid);
}
