// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC3009} from "@openzeppelin/contracts/token/ERC20/extensions/draft-ERC3009.sol";

import {MockStablecoin} from "../../contracts/test/MockStablecoin.sol";
import {Test} from "./utils/Test.sol";

/// @dev Drives random mints, transfers, approvals, pulls and freezes for the invariant run,
/// and remembers every address that ever held tokens so the test can sum their balances.
contract MockStablecoinHandler is Test {
    MockStablecoin public immutable token;
    address[] public actors;

    constructor(MockStablecoin token_) {
        token = token_;
        for (uint256 i = 1; i <= 4; ++i) actors.push(address(uint160(0xA000 + i)));
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function mint(uint256 actorSeed, uint256 amount) external {
        amount = bound(amount, 0, 1e15);
        vm.prank(token.owner());
        token.mint(_actor(actorSeed), amount);
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        amount = bound(amount, 0, token.balanceOf(from));
        if (token.isBlocklisted(from) || token.isBlocklisted(_actor(toSeed))) return;
        vm.prank(from);
        token.transfer(_actor(toSeed), amount);
    }

    function approveAndPull(uint256 ownerSeed, uint256 spenderSeed, uint256 amount) external {
        address owner = _actor(ownerSeed);
        address spender = _actor(spenderSeed);
        amount = bound(amount, 0, token.balanceOf(owner));
        if (token.isBlocklisted(owner) || token.isBlocklisted(spender)) return;
        vm.prank(owner);
        token.approve(spender, amount);
        vm.prank(spender);
        token.transferFrom(owner, spender, amount);
    }

    function toggleBlocklist(uint256 actorSeed) external {
        address account = _actor(actorSeed);
        vm.prank(token.owner());
        if (token.isBlocklisted(account)) token.unblocklist(account);
        else token.blocklist(account);
    }

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % actors.length];
    }
}

contract MockStablecoinTest is Test {
    uint256 private constant BUYER_KEY = 0xB0B;
    bytes32 private constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant RECEIVE_TYPEHASH = keccak256(
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );

    MockStablecoin private token;
    MockStablecoinHandler private handler;
    address private buyer;

    function setUp() public {
        token = new MockStablecoin("USD Coin", "USDC", address(this));
        buyer = vm.addr(BUYER_KEY);
        token.mint(buyer, 1_000_000e6);
        vm.warp(1_800_000_000);

        handler = new MockStablecoinHandler(token);
        token.transferOwnership(address(handler));
        targetContract(address(handler));
    }

    /// @dev Invariant: however tokens move, the supply is exactly the sum of all balances.
    function invariant_totalSupplyEqualsSumOfBalances() public view {
        uint256 sum = token.balanceOf(buyer) + token.balanceOf(address(this));
        uint256 count = handler.actorCount();
        for (uint256 i = 0; i < count; ++i) sum += token.balanceOf(handler.actors(i));
        assertEq(token.totalSupply(), sum, "total supply != sum of balances");
    }

    /// @dev Fuzz: a permit works once; replaying the same signature fails on the used nonce.
    function testFuzz_permit_rejectsReplay(address spender, uint256 value, uint256 deadlineOffset) public {
        vm.assume(spender != address(0));
        uint256 deadline = block.timestamp + bound(deadlineOffset, 0, 365 days);
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(spender, value, 0, deadline);

        token.permit(buyer, spender, value, deadline, v, r, s);
        assertEq(token.allowance(buyer, spender), value, "permit did not set the allowance");
        assertEq(token.nonces(buyer), 1, "permit did not consume the nonce");

        // The digest now expects nonce 1, so the replayed signature recovers another signer.
        bytes32 replayDigest = _permitDigest(spender, value, 1, deadline);
        vm.expectRevert(
            abi.encodeWithSelector(
                ERC20Permit.ERC2612InvalidSigner.selector,
                _recover(replayDigest, v, r, s),
                buyer
            )
        );
        token.permit(buyer, spender, value, deadline, v, r, s);
    }

    /// @dev Fuzz: an expired permit is refused whatever its other fields.
    function testFuzz_permit_rejectsExpired(address spender, uint256 value, uint256 age) public {
        vm.assume(spender != address(0));
        uint256 deadline = block.timestamp - bound(age, 1, 365 days);
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(spender, value, 0, deadline);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        token.permit(buyer, spender, value, deadline, v, r, s);
    }

    /// @dev Fuzz: an ERC-3009 authorization moves funds once and its nonce can never be reused.
    function testFuzz_receiveWithAuthorization_rejectsReplay(uint256 value, bytes32 nonce) public {
        value = bound(value, 0, token.balanceOf(buyer));
        uint256 validBefore = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signReceive(address(this), value, 0, validBefore, nonce);

        token.receiveWithAuthorization(buyer, address(this), value, 0, validBefore, nonce, v, r, s);
        assertEq(token.balanceOf(address(this)), value, "authorization did not move the funds");
        assertTrue(token.authorizationState(buyer, nonce), "nonce not marked used");

        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009UsedAuthorization.selector, buyer, nonce));
        token.receiveWithAuthorization(buyer, address(this), value, 0, validBefore, nonce, v, r, s);
    }

    /// @dev A receive authorization can only be submitted by its payee, so a front-runner
    /// cannot burn it by submitting it somewhere else.
    function test_receiveWithAuthorization_rejectsOtherCaller() public {
        bytes32 nonce = keccak256("order-1");
        uint256 validBefore = block.timestamp + 1 hours;
        address payee = address(0xBEEF);
        (uint8 v, bytes32 r, bytes32 s) = _signReceive(payee, 1e6, 0, validBefore, nonce);
        vm.expectRevert(abi.encodeWithSignature("ERC20InvalidReceiver(address)", payee));
        token.receiveWithAuthorization(buyer, payee, 1e6, 0, validBefore, nonce, v, r, s);
    }

    /// @dev A frozen account can neither send nor receive.
    function test_blocklist_freezesBothDirections() public {
        address frozen = address(0xF00);
        vm.prank(address(handler));
        token.blocklist(frozen);

        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(MockStablecoin.Blocklisted.selector, frozen));
        token.transfer(frozen, 1);

        vm.prank(frozen);
        vm.expectRevert(abi.encodeWithSelector(MockStablecoin.Blocklisted.selector, frozen));
        token.transfer(buyer, 0);
    }

    function _signPermit(
        address spender,
        uint256 value,
        uint256 nonce,
        uint256 deadline
    ) private view returns (uint8, bytes32, bytes32) {
        return vm.sign(BUYER_KEY, _permitDigest(spender, value, nonce, deadline));
    }

    function _permitDigest(
        address spender,
        uint256 value,
        uint256 nonce,
        uint256 deadline
    ) private view returns (bytes32) {
        address owner = vm.addr(BUYER_KEY);
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonce, deadline));
        return keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash));
    }

    function _signReceive(
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce
    ) private view returns (uint8, bytes32, bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(RECEIVE_TYPEHASH, buyer, to, value, validAfter, validBefore, nonce)
        );
        return
            vm.sign(BUYER_KEY, keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash)));
    }

    function _recover(bytes32 digest, uint8 v, bytes32 r, bytes32 s) private pure returns (address) {
        return ecrecover(digest, v, r, s);
    }
}
