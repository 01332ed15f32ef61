// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title FalseReturningToken
 * @notice Hostile token for tests: `transfer` and `transferFrom` return `false` without
 * moving anything when the sender lacks balance or allowance, instead of reverting (the
 * old ERC-20 style some tokens still use). Code that ignores the return value credits
 * payments that never happened; `SafeERC20` must turn the `false` into a revert.
 * @dev Switch `failTransfers` on to make every transfer return `false`.
 */
contract FalseReturningToken {
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    // ERC-20 names these getters

    // solhint-disable const-name-snakecase
    string public constant name = "False Returning";
    string public constant symbol = "FALSE";
    uint8 public constant decimals = 6;
    // solhint-enable const-name-snakecase

    uint256 public totalSupply;
    bool public failTransfers;
    mapping(address account => uint256) public balanceOf;
    mapping(address owner => mapping(address spender => uint256)) public allowance;

    /// @notice Mints `amount` to `to`; anyone may call, it is a test token.
    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    /// @notice Makes every later transfer return `false` (or behave again).
    function setFailTransfers(bool fail) external {
        failTransfers = fail;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        return _move(msg.sender, to, amount);
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        if (allowance[from][msg.sender] < amount) return false;
        if (!_move(from, to, amount)) return false;
        allowance[from][msg.sender] -= amount;
        return true;
    }

    function _move(address from, address to, uint256 amount) private returns (bool) {
        if (failTransfers || balanceOf[from] < amount) return false;
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
        return true;
    }
}
