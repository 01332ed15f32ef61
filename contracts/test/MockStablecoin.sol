// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC3009} from "@openzeppelin/contracts/token/ERC20/extensions/draft-ERC3009.sol";

/**
 * @title MockStablecoin
 * @notice A USDC-like token for tests and local demos: 6 decimals, ERC-2612 `permit`,
 * ERC-3009 `transferWithAuthorization` / `receiveWithAuthorization` with random 32-byte
 * nonces (as Circle's FiatToken does), an owner-managed blocklist and an owner mint.
 * @dev Never deploy to a public network: the owner can mint at will.
 */
contract MockStablecoin is ERC20Permit, ERC3009, Ownable {
    /// @dev An address on the blocklist tried to send, or was about to receive, tokens.
    error Blocklisted(address account);

    /// @dev Emitted when `account` is frozen, like Circle's `Blacklisted` event.
    event AccountBlocklisted(address indexed account);
    /// @dev Emitted when `account` is unfrozen.
    event AccountUnblocklisted(address indexed account);

    mapping(address account => bool) public isBlocklisted;

    /**
     * @param name_ Token name, also the EIP-712 domain name (Circle uses "USDC" / "EURC").
     * @param symbol_ Token symbol.
     * @param owner_ The account allowed to mint and manage the blocklist.
     */
    constructor(
        string memory name_,
        string memory symbol_,
        address owner_
    ) ERC20(name_, symbol_) ERC20Permit(name_) Ownable(owner_) {}

    /// @notice Six decimals, like USDC and EURC.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Mints `amount` to `to`. Owner only.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    /// @notice Freezes `account`: it can neither send nor receive. Owner only.
    function blocklist(address account) external onlyOwner {
        isBlocklisted[account] = true;
        emit AccountBlocklisted(account);
    }

    /// @notice Unfreezes `account`. Owner only.
    function unblocklist(address account) external onlyOwner {
        isBlocklisted[account] = false;
        emit AccountUnblocklisted(account);
    }

    /// @inheritdoc ERC20Permit
    function nonces(address owner) public view override returns (uint256) {
        return super.nonces(owner);
    }

    /// @dev Frozen accounts can neither send nor receive, as with USDC.
    function _update(address from, address to, uint256 value) internal override {
        if (isBlocklisted[from]) revert Blocklisted(from);
        if (isBlocklisted[to]) revert Blocklisted(to);
        super._update(from, to, value);
    }
}
