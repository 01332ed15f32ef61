// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/**
 * @title MockPassports
 * @notice A bare ERC-721 standing in for the passport contract in escrow hand-over tests.
 */
contract MockPassports is ERC721 {
    constructor() ERC721("Mock Passport", "MPASS") {}

    /// @notice Mints `tokenId` to `to`; anyone may call, it is a test token.
    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }
}
