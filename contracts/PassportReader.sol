// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IProductPassport} from "./interfaces/IProductPassport.sol";
import {Gs1} from "./libraries/Gs1.sol";

/**
 * @title PassportReader
 * @notice The read side of {ProductPassport}: GS1 token id encoding and decoding and the buyer's
 * one-call {IProductPassport-verify}. The passport deploys it in its constructor and forwards
 * those three calls to it unchanged, so callers only ever talk to the passport.
 * @dev Split out by responsibility to keep the passport well below the EIP-170 size limit: this
 * contract holds no state and no rights, it only reads the passport's public views, so whatever
 * it reports a wallet could also assemble itself from those views.
 */
contract PassportReader {
    /// @notice The passport this reader reads (its deployer).
    IProductPassport public immutable PASSPORT;
    /// @dev The passport's MAX_CERTIFICATES: certificate slots per unit and per lot.
    uint256 private immutable _MAX_CERTIFICATES;

    /// @param maxCertificates The passport's MAX_CERTIFICATES.
    constructor(uint256 maxCertificates) {
        PASSPORT = IProductPassport(msg.sender);
        _MAX_CERTIFICATES = maxCertificates;
    }

    /**
     * @notice See {IProductPassport-tokenIdOf}.
     * @param gtin GTIN-14 as a number.
     * @param serial GS1 AI 21 serial.
     * @return The token id.
     */
    function tokenIdOf(uint64 gtin, string calldata serial) external pure returns (uint256) {
        if (!Gs1.isValidGtin(gtin)) revert IProductPassport.InvalidGtin(gtin);
        if (!Gs1.isGs1Text(bytes(serial))) revert IProductPassport.InvalidSerial(serial);
        return Gs1.tokenIdOf(gtin, serial);
    }

    /**
     * @notice See {IProductPassport-decodeTokenId}.
     * @param tokenId The token id.
     * @return gtin GTIN-14 as a number.
     * @return serial The serial.
     */
    function decodeTokenId(uint256 tokenId) external pure returns (uint64 gtin, string memory serial) {
        bool ok;
        (ok, gtin, serial) = Gs1.tryDecode(tokenId);
        if (!ok) revert IProductPassport.InvalidTokenId(tokenId);
    }

    /**
     * @notice See {IProductPassport-verify}. Never reverts for an unknown id.
     * @param tokenId The scanned unit.
     * @return v The passport.
     */
    function verify(uint256 tokenId) external view returns (IProductPassport.PassportView memory v) {
        // A malformed id leaves gtin zero and serial empty; it can never have been minted.
        (, v.gtin, v.serial) = Gs1.tryDecode(tokenId);
        IProductPassport passport = PASSPORT;
        (v.owner, v.lotId, v.status) = passport.unitOf(tokenId);
        v.exists = v.status != IProductPassport.UnitStatus.None;
        v.genuine = v.status == IProductPassport.UnitStatus.Active;
        if (!v.exists) return v;
        v.lot = passport.lotOf(v.lotId);
        (v.certificates, v.issuedCertificateCount) = _validCertificates(passport, tokenId, v.lotId);
    }

    /// @dev Reads at most 2 * MAX_CERTIFICATES slots: the unit's, then its lot's. `issued` counts
    /// occupied slots: valid certificates plus lapsed ones (revoked, expired, or issued under an
    /// accreditation that has ended) not yet overwritten.
    function _validCertificates(
        IProductPassport passport,
        uint256 tokenId,
        uint64 lotId
    ) private view returns (IProductPassport.CertificateView[] memory valid, uint8 issued) {
        uint256 max = _MAX_CERTIFICATES;
        valid = new IProductPassport.CertificateView[](2 * max);
        uint256 n;
        for (uint256 k; k < 2; ++k) {
            IProductPassport.SubjectKind kind =
                k == 0 ? IProductPassport.SubjectKind.Unit : IProductPassport.SubjectKind.Lot;
            uint256 subjectId = k == 0 ? tokenId : lotId;
            for (uint256 i; i < max; ++i) {
                (address certifier, bytes8 certType, uint32 expiresAt, bool valid_) = passport.certificateAt(
                    kind,
                    subjectId,
                    uint8(i)
                );
                if (certifier == address(0)) break;
                ++issued;
                if (valid_) {
                    valid[n++] = IProductPassport.CertificateView({
                        certifier: certifier,
                        certType: certType,
                        expiresAt: expiresAt,
                        kind: kind,
                        index: uint8(i)
                    });
                }
            }
        }
        // Hides the unused tail: lowering a memory array's length only shortens what is
        // ABI-encoded, the memory stays allocated.
        assembly ("memory-safe") {
            mstore(valid, n)
        }
    }
}
