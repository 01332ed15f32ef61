// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm} from "./Vm.sol";

/**
 * @title Test
 * @notice The slice of forge-std's `Test` that Waybill's Solidity tests need: the cheatcode
 * handle, assertions that revert with both values on failure, `bound` for fuzz inputs and
 * the target lists that the invariant runner reads.
 */
abstract contract Test {
    // forge-std's name, kept for familiarity
    // solhint-disable-next-line const-name-snakecase
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @dev Raised by every failed assertion, so the runner's report shows what differed.
    error AssertionFailed(string message, uint256 left, uint256 right);
    error AssertionFailedAddress(string message, address left, address right);
    error AssertionFailedBytes32(string message, bytes32 left, bytes32 right);

    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targetedContracts;
    address[] private _targetedSenders;
    address[] private _excludedSenders;
    FuzzSelector[] private _targetedSelectors;

    // ---------------------------------------------------------------- invariant targets

    /// @dev Read by the invariant runner: only these contracts receive random calls.
    function targetContracts() public view returns (address[] memory) {
        return _targetedContracts;
    }

    /// @dev Read by the invariant runner: only these selectors of a target are called.
    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetedSelectors;
    }

    /// @dev Read by the invariant runner: random calls come from these senders.
    function targetSenders() public view returns (address[] memory) {
        return _targetedSenders;
    }

    /// @dev Read by the invariant runner: random calls never come from these senders.
    function excludeSenders() public view returns (address[] memory) {
        return _excludedSenders;
    }

    function targetContract(address target) internal {
        _targetedContracts.push(target);
    }

    function targetSelector(FuzzSelector memory selector) internal {
        _targetedSelectors.push(selector);
    }

    function targetSender(address sender) internal {
        _targetedSenders.push(sender);
    }

    function excludeSender(address sender) internal {
        _excludedSenders.push(sender);
    }

    // ---------------------------------------------------------------------- assertions

    function assertTrue(bool condition, string memory message) internal pure {
        if (!condition) revert AssertionFailed(message, 0, 1);
    }

    function assertFalse(bool condition, string memory message) internal pure {
        if (condition) revert AssertionFailed(message, 1, 0);
    }

    function assertEq(uint256 left, uint256 right, string memory message) internal pure {
        if (left != right) revert AssertionFailed(message, left, right);
    }

    function assertEq(address left, address right, string memory message) internal pure {
        if (left != right) revert AssertionFailedAddress(message, left, right);
    }

    function assertEq(bytes32 left, bytes32 right, string memory message) internal pure {
        if (left != right) revert AssertionFailedBytes32(message, left, right);
    }

    function assertLe(uint256 left, uint256 right, string memory message) internal pure {
        if (left > right) revert AssertionFailed(message, left, right);
    }

    function assertGe(uint256 left, uint256 right, string memory message) internal pure {
        if (left < right) revert AssertionFailed(message, left, right);
    }

    // ------------------------------------------------------------------------- helpers

    /// @dev Maps any fuzzed `x` into [min, max] without discarding runs (forge-std's `bound`).
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        if (min > max) revert AssertionFailed("bound: min > max", min, max);
        if (x >= min && x <= max) return x;
        uint256 size = max - min + 1;
        return min + (x % size);
    }
}
