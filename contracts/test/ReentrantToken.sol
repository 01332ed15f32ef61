// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title ReentrantToken
 * @notice Hostile token for tests: once armed, its next transfer calls back into `target`
 * with `data` before moving the tokens, the way an ERC-777 hook or a malicious token
 * would. The callback's revert reason is bubbled up so tests can assert the guard's error.
 */
contract ReentrantToken is ERC20 {
    /// @dev Emitted when the token has made its re-entrant call.
    event Reentered(address indexed target, bool success);

    address public callbackTarget;
    bytes public callbackData;
    /// @dev When false, a failed callback is recorded but the transfer goes on.
    bool public bubbleRevert = true;

    constructor() ERC20("Reentrant", "REENTER") {}

    /// @notice Mints `amount` to `to`; anyone may call, it is a test token.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the token: the next transfer calls `target_` with `data_`.
    function arm(address target_, bytes calldata data_, bool bubbleRevert_) external {
        callbackTarget = target_;
        callbackData = data_;
        bubbleRevert = bubbleRevert_;
    }

    function _update(address from, address to, uint256 value) internal override {
        address callee = callbackTarget;
        if (callee != address(0) && from != address(0)) {
            callbackTarget = address(0);
            // solhint-disable-next-line avoid-low-level-calls
            (bool success, bytes memory result) = callee.call(callbackData);
            if (!success && bubbleRevert) {
                assembly ("memory-safe") {
                    revert(add(result, 0x20), mload(result))
                }
            }
            emit Reentered(callee, success);
        }
        super._update(from, to, value);
    }
}
