// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

import {EscrowStorage} from "../../contracts/EscrowStorage.sol";
import {IShipmentRegistry} from "../../contracts/interfaces/IShipmentRegistry.sol";
import {Test} from "./utils/Test.sol";

/// @dev The escrow's storage alone: writes a {EscrowStorage-TokenState} member by member, as
/// Solidity lays it out, and returns the raw slot word the extension reads and writes whole.
contract EscrowStorageProbe is EscrowStorage {
    constructor() EscrowStorage(IShipmentRegistry(address(1)), IERC721(address(0)), 1) {}

    function storeToken(address token, uint8 mode, bool listed, uint40 checkFrom, uint200 fees) external {
        TokenState storage state = _tokens[token];
        state.mode = mode;
        state.listed = listed;
        state.suspensionCheckFrom = checkFrom;
        state.accruedFees = fees;
    }

    function tokenWord(address token) external view returns (uint256 word) {
        TokenState storage state = _tokens[token];
        assembly ("memory-safe") {
            word := sload(state.slot)
        }
    }

    function listedBit() external pure returns (uint256) {
        return TOKEN_LISTED_BIT;
    }

    function checkFromShift() external pure returns (uint256) {
        return TOKEN_CHECK_FROM_SHIFT;
    }
}

contract EscrowStorageLayoutTest is Test {
    EscrowStorageProbe private probe;

    function setUp() public {
        probe = new EscrowStorageProbe();
    }

    /// @dev The shifts the extension's whole-slot update uses are Solidity's own layout of
    /// TokenState, and so is the layout the mocha tests decode: mode in bits 0-7, listed at bit 8,
    /// suspensionCheckFrom in bits 16-55, accruedFees from bit 56.
    function testFuzz_tokenStateShiftsMatchSolidityLayout(
        address token,
        uint8 mode,
        bool listed,
        uint40 checkFrom,
        uint200 fees
    ) public {
        probe.storeToken(token, mode, listed, checkFrom, fees);
        uint256 word = probe.tokenWord(token);
        assertEq(word & 0xff, mode, "mode");
        assertTrue((word & probe.listedBit() != 0) == listed, "listed");
        assertEq((word >> 8) & 0xff, listed ? 1 : 0, "listed byte");
        assertEq(uint40(word >> probe.checkFromShift()), checkFrom, "suspensionCheckFrom");
        assertEq(word >> 56, fees, "accruedFees");
    }
}
