// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/**
 * @title MockPassports
 * @notice A bare ERC-721 standing in for the passport contract in escrow custody tests, with a
 * per-unit lock that makes every transfer of that unit revert, as the real passport does for a unit
 * reported stolen, and a recall flag read through {IProductPassport-isRecalled}.
 */
contract MockPassports is ERC721 {
    mapping(uint256 tokenId => bool) public locked;
    /// @notice Whether a unit's lot is recalled, as {IProductPassport-isRecalled} reports it.
    mapping(uint256 tokenId => bool) public isRecalled;

    /// @dev `tokenId` is locked and cannot move.
    error UnitLocked(uint256 tokenId);

    constructor() ERC721("Mock Passport", "MPASS") {}

    /// @notice Mints `tokenId` to `to`; anyone may call, it is a test token.
    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }

    /// @notice Locks or unlocks `tokenId`; anyone may call, it is a test token.
    function setLocked(uint256 tokenId, bool isLocked) external {
        locked[tokenId] = isLocked;
    }

    /// @notice Marks `tokenId` recalled or not; anyone may call, it is a test token.
    function setRecalled(uint256 tokenId, bool recalled) external {
        isRecalled[tokenId] = recalled;
    }

    /// @dev Blocks every move of a locked unit (minting is not a move).
    function _update(address to, uint256 tokenId, address auth) internal override returns (address) {
        if (locked[tokenId]) revert UnitLocked(tokenId);
        return super._update(to, tokenId, auth);
    }
}
