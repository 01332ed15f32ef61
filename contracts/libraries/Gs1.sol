// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title Gs1
 * @notice GS1 identifier rules shared by {ProductPassport} (which validates what it stores) and
 * {PassportReader} (which decodes token ids for buyers): GTIN-14 check digits, the character set
 * 82 of serials (AI 21) and lot numbers (AI 10), and the token id layout of {IProductPassport}.
 * @dev Internal functions only, so each contract inlines exactly what it uses and nothing is linked.
 */
library Gs1 {
    /// @notice Longest GS1 serial (AI 21) and lot number (AI 10), in characters.
    uint256 internal constant MAX_TEXT_LENGTH = 20;
    /// @dev 10^14: every GTIN-14 is below it.
    uint64 internal constant GTIN_LIMIT = 1e14;
    /// @dev Bit c is set when byte c belongs to the GS1 AI encodable character set 82:
    /// ! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z. Bytes >= 128 shift to zero.
    uint256 internal constant CSET82 = 0x7fffffe87fffffeffffffe600000000;

    /// @dev The serial's bytes left-aligned in the low 160 bits, the GTIN above them.
    function tokenIdOf(uint64 gtin, string calldata serial) internal pure returns (uint256) {
        return (uint256(gtin) << 160) | uint160(bytes20(bytes(serial)));
    }

    /// @dev GS1 mod-10: from the digit left of the check digit leftwards, weights 3, 1, 3, 1, ...
    function isValidGtin(uint64 gtin) internal pure returns (bool) {
        if (gtin == 0 || gtin >= GTIN_LIMIT) return false;
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
    function isGs1Text(bytes calldata text) internal pure returns (bool) {
        uint256 length = text.length;
        if (length == 0 || length > MAX_TEXT_LENGTH) return false;
        for (uint256 i; i < length; ++i) {
            if ((CSET82 >> uint8(text[i])) & 1 == 0) return false;
        }
        return true;
    }

    /// @dev The GTIN and serial `tokenId` encodes, or `ok` false when it is not a valid GS1 id.
    function tryDecode(uint256 tokenId) internal pure returns (bool ok, uint64 gtin, string memory serial) {
        uint256 high = tokenId >> 160;
        if (high >= GTIN_LIMIT || !isValidGtin(uint64(high))) return (false, 0, "");
        gtin = uint64(high);
        bytes20 word = bytes20(uint160(tokenId));
        uint256 length = MAX_TEXT_LENGTH;
        while (length > 0 && word[length - 1] == 0) --length;
        if (length == 0) return (false, 0, "");
        bytes memory text = new bytes(length);
        for (uint256 i; i < length; ++i) {
            bytes1 c = word[i];
            if ((CSET82 >> uint8(c)) & 1 == 0) return (false, 0, "");
            text[i] = c;
        }
        return (true, gtin, string(text));
    }
}
