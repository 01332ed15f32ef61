import { expect } from "chai";
import { network } from "hardhat";

import {
  ADMIN_DELAY,
  ARBITRATION_PERIOD,
  FEE_BPS,
  INSPECTION,
  NEVER,
  PRICE,
  SHIP_WITHIN,
  Status,
  deployEscrow,
  listedTokensOf,
  tokenStateOf,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

async function escrowFixture() {
  return deployEscrow(ethers);
}

const FEE = (PRICE * FEE_BPS) / 10_000n;

describe("WaybillEscrow: administration, credits and hostile receivers", function () {
  describe("constructor", function () {
    it("stores its immutable dependencies and initial configuration", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      expect(await w.escrow.REGISTRY()).to.equal(await w.registry.getAddress());
      expect(await w.escrow.PASSPORTS()).to.equal(await w.passports.getAddress());
      expect(await w.escrow.ARBITRATION_PERIOD()).to.equal(ARBITRATION_PERIOD);
      expect(await w.escrow.config()).to.deep.equal([FEE_BPS, w.treasury.address, false]);
      expect(await w.escrow.defaultAdmin()).to.equal(w.admin.address);
      expect(await w.escrow.defaultAdminDelay()).to.equal(ADMIN_DELAY);
      expect(await w.escrow.MAX_FEE_BPS()).to.equal(1000n);
    });

    it("reverts with ZeroAddress, InvalidArbitrationPeriod or FeeTooHigh for bad arguments", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const registry = await w.registry.getAddress();
      const factory = await ethers.getContractFactory("WaybillEscrow");
      const deploy = (
        o: { registry?: string; period?: bigint; treasury?: string; fee?: bigint } = {},
      ) =>
        factory.deploy(
          o.registry ?? registry,
          ethers.ZeroAddress,
          o.period ?? ARBITRATION_PERIOD,
          ADMIN_DELAY,
          w.admin.address,
          o.treasury ?? w.treasury.address,
          o.fee ?? FEE_BPS,
        );
      await expect(deploy({ registry: ethers.ZeroAddress })).to.be.revertedWithCustomError(
        w.escrow,
        "ZeroAddress",
      );
      await expect(deploy({ treasury: ethers.ZeroAddress })).to.be.revertedWithCustomError(
        w.escrow,
        "ZeroAddress",
      );
      await expect(deploy({ period: 0n }))
        .to.be.revertedWithCustomError(w.escrow, "InvalidArbitrationPeriod")
        .withArgs(0n);
      await expect(deploy({ period: 365n * 86400n + 1n }))
        .to.be.revertedWithCustomError(w.escrow, "InvalidArbitrationPeriod")
        .withArgs(365n * 86400n + 1n);
      await expect(deploy({ fee: 1001n }))
        .to.be.revertedWithCustomError(w.escrow, "FeeTooHigh")
        .withArgs(1001n, 1000n);
    });
  });

  describe("fees", function () {
    it("changes the fee for new orders only, keeping each order's rate", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const old = await w.makeOffer();
      await w.pay(old);
      await expect(w.escrow.setFeeBps(1000))
        .to.emit(w.escrow, "FeeUpdated")
        .withArgs(FEE_BPS, 1000n);
      const fresh = await w.makeOffer({ maxFeeBps: 1000n });
      const freshId = await w.pay(fresh);
      expect((await w.escrow.getOrder(freshId)).feeBps).to.equal(1000n);
      await expect(w.escrow.connect(w.buyer).confirmReceipt(old))
        .to.emit(w.escrow, "OrderReleased")
        .withArgs(await w.orderId(old), w.payee.address, PRICE - FEE, FEE);
    });

    it("reverts with FeeTooHigh above MAX_FEE_BPS and AccessControlUnauthorizedAccount for others", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      await expect(w.escrow.setFeeBps(1001))
        .to.be.revertedWithCustomError(w.escrow, "FeeTooHigh")
        .withArgs(1001n, 1000n);
      await expect(w.escrow.connect(w.stranger).setFeeBps(0))
        .to.be.revertedWithCustomError(w.escrow, "AccessControlUnauthorizedAccount")
        .withArgs(w.stranger.address, await w.escrow.FEE_MANAGER_ROLE());
    });

    it("rounds the fee down so a one-unit sale pays no fee", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer({ price: 39n });
      const orderId = await w.pay(offer);
      await expect(w.escrow.connect(w.buyer).confirmReceipt(offer))
        .to.emit(w.escrow, "OrderReleased")
        .withArgs(orderId, w.payee.address, 39n, 0n);
    });

    it("sends accrued fees to the treasury on withdrawFees, for anyone", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await w.pay(offer);
      await w.escrow.connect(w.buyer).confirmReceipt(offer);
      const token = await w.usdc.getAddress();
      const tx = w.escrow.connect(w.stranger).withdrawFees(token);
      await expect(tx).to.emit(w.escrow, "FeesWithdrawn").withArgs(token, w.treasury.address, FEE);
      await expect(tx).to.changeTokenBalances(ethers, w.usdc, [w.treasury, w.escrow], [FEE, -FEE]);
      await expect(w.escrow.withdrawFees(token))
        .to.be.revertedWithCustomError(w.escrow, "NothingToWithdraw")
        .withArgs(token, w.treasury.address);
      // Only the fee bits of the token's slot are cleared.
      expect(await tokenStateOf(ethers, w.escrow, token)).to.deep.equal({
        mode: 1n,
        listed: true,
        suspensionCheckFrom: NEVER,
        accruedFees: 0n,
      });
      expect(await w.escrow.isTokenAllowed(token)).to.equal(true);
    });

    it("sets the treasury (admin only, never zero)", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      await expect(w.escrow.setTreasury(w.stranger.address))
        .to.emit(w.escrow, "TreasuryUpdated")
        .withArgs(w.treasury.address, w.stranger.address);
      await expect(w.escrow.setTreasury(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(w.escrow, "InvalidRecipient")
        .withArgs(ethers.ZeroAddress);
      await expect(w.escrow.setTreasury(await w.escrow.getAddress()))
        .to.be.revertedWithCustomError(w.escrow, "InvalidRecipient")
        .withArgs(await w.escrow.getAddress());
      await expect(w.escrow.connect(w.stranger).setTreasury(w.stranger.address))
        .to.be.revertedWithCustomError(w.escrow, "AccessControlUnauthorizedAccount")
        .withArgs(w.stranger.address, ethers.ZeroHash);
    });
  });

  describe("allow-list and pause", function () {
    it("allow-lists and delists tokens (token manager only)", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const token = await w.usdc.getAddress();
      await expect(w.escrow.setTokenAllowed(token, false))
        .to.emit(w.escrow, "TokenAllowlistUpdated")
        .withArgs(token, false);
      expect(await w.escrow.isTokenAllowed(token)).to.equal(false);
      await expect(w.escrow.connect(w.stranger).setTokenAllowed(token, true))
        .to.be.revertedWithCustomError(w.escrow, "AccessControlUnauthorizedAccount")
        .withArgs(w.stranger.address, await w.escrow.TOKEN_MANAGER_ROLE());
    });

    it("flags allowed tokens plain and measured again (token manager only), and re-allowing measures again", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const token = await w.usdc.getAddress();
      expect(await w.escrow.isTokenPlain(token)).to.equal(false);
      await expect(w.escrow.setTokensPlain([token], true))
        .to.emit(w.escrow, "TokenPlainUpdated")
        .withArgs(token, true);
      expect(await w.escrow.isTokenPlain(token)).to.equal(true);
      expect(await w.escrow.isTokenAllowed(token)).to.equal(true);
      await expect(w.escrow.setTokensPlain([token], false))
        .to.emit(w.escrow, "TokenPlainUpdated")
        .withArgs(token, false);
      expect(await w.escrow.isTokenPlain(token)).to.equal(false);
      await w.escrow.setTokensPlain([token], true);
      await w.escrow.setTokenAllowed(token, true);
      expect(await w.escrow.isTokenPlain(token)).to.equal(false);
      await expect(w.escrow.connect(w.stranger).setTokensPlain([token], true))
        .to.be.revertedWithCustomError(w.escrow, "AccessControlUnauthorizedAccount")
        .withArgs(w.stranger.address, await w.escrow.TOKEN_MANAGER_ROLE());
    });

    it("refuses to flag plain a token that is not allow-listed, and delisting clears the flag", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const token = await w.usdc.getAddress();
      await w.escrow.setTokensPlain([token], true);
      await w.escrow.setTokenAllowed(token, false);
      expect(await w.escrow.isTokenPlain(token)).to.equal(false);
      await expect(w.escrow.setTokensPlain([token], true))
        .to.be.revertedWithCustomError(w.escrow, "TokenNotAllowed")
        .withArgs(token);
    });

    it("allow-lists several tokens at once, one event each (token manager only)", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const usdc = await w.usdc.getAddress();
      const eurc = await (
        await ethers.deployContract("MockStablecoin", ["EURC", "EURC", w.admin.address])
      ).getAddress();
      await expect(w.escrow.setTokensAllowed([usdc, eurc], true))
        .to.emit(w.escrow, "TokenAllowlistUpdated")
        .withArgs(usdc, true)
        .and.to.emit(w.escrow, "TokenAllowlistUpdated")
        .withArgs(eurc, true);
      expect(await w.escrow.isTokenAllowed(eurc)).to.equal(true);
      await w.escrow.setTokensAllowed([usdc, eurc], false);
      expect(await w.escrow.isTokenAllowed(usdc)).to.equal(false);
      expect(await w.escrow.isTokenAllowed(eurc)).to.equal(false);
      await expect(w.escrow.connect(w.stranger).setTokensAllowed([usdc], true))
        .to.be.revertedWithCustomError(w.escrow, "AccessControlUnauthorizedAccount")
        .withArgs(w.stranger.address, await w.escrow.TOKEN_MANAGER_ROLE());
    });

    it("reads the token slot where Solidity lays it out: mode, listed, suspension copy, fees", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const token = await w.usdc.getAddress();
      await w.escrow.setTokensPlain([token], true);
      const offer = await w.makeOffer();
      await w.pay(offer);
      await w.escrow.connect(w.buyer).confirmReceipt(offer);
      const state = await tokenStateOf(ethers, w.escrow, token);
      expect(state.mode).to.equal(2n);
      expect(await w.escrow.isTokenPlain(token)).to.equal(true);
      expect(state.listed).to.equal(true);
      expect(state.suspensionCheckFrom).to.equal(NEVER); // the mock registry never linked it
      expect(state.accruedFees)
        .to.equal(FEE)
        .and.to.equal(await w.escrow.accruedFees(token));
      expect(await listedTokensOf(ethers, w.escrow)).to.deep.equal([token]);
    });

    it("pauses and unpauses new payments (pauser only)", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      await expect(w.escrow.pause()).to.emit(w.escrow, "Paused").withArgs(w.admin.address);
      expect((await w.escrow.config()).paused).to.equal(true);
      await expect(w.escrow.unpause()).to.emit(w.escrow, "Unpaused").withArgs(w.admin.address);
      expect((await w.escrow.config()).paused).to.equal(false);
      await expect(w.escrow.connect(w.stranger).pause())
        .to.be.revertedWithCustomError(w.escrow, "AccessControlUnauthorizedAccount")
        .withArgs(w.stranger.address, await w.escrow.PAUSER_ROLE());
      await expect(w.escrow.connect(w.stranger).unpause())
        .to.be.revertedWithCustomError(w.escrow, "AccessControlUnauthorizedAccount")
        .withArgs(w.stranger.address, await w.escrow.PAUSER_ROLE());
    });

    it("lets existing orders refund, release and resolve after pause, delisting and arbiter revocation", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const toRefund = await w.makeOffer();
      await w.pay(toRefund);
      const toRelease = await w.makeOffer();
      await w.deliver(toRelease);
      const toResolve = await w.makeOffer();
      await w.deliver(toResolve);
      await w.escrow.connect(w.buyer).openDispute(toResolve);

      await w.escrow.pause();
      await w.escrow.setTokenAllowed(await w.usdc.getAddress(), false);
      await w.escrow.revokeRole(await w.escrow.ARBITER_ROLE(), w.arbiter.address);
      await w.escrow.setFeeBps(1000);

      await networkHelpers.time.increase(ARBITRATION_PERIOD + INSPECTION + SHIP_WITHIN);
      await expect(w.escrow.connect(w.buyer).claimRefund(toRefund)).to.emit(
        w.escrow,
        "OrderRefunded",
      );
      await expect(w.escrow.release(toRelease))
        .to.emit(w.escrow, "OrderReleased")
        .withArgs(await w.orderId(toRelease), w.payee.address, PRICE - FEE, FEE);
      await expect(w.escrow.applyDefaultRuling(toResolve)).to.emit(w.escrow, "DisputeResolved");
      expect(await w.usdc.balanceOf(await w.escrow.getAddress())).to.equal(
        await w.escrow.accruedFees(await w.usdc.getAddress()),
      );
    });
  });

  describe("the token list (MAX_LISTED_TOKENS)", function () {
    /** Fresh stablecoins, not yet allowed. */
    async function newTokens(w: Awaited<ReturnType<typeof escrowFixture>>, count: number) {
      const tokens: string[] = [];
      for (let i = 0; i < count; i++) {
        const token = await ethers.deployContract("MockStablecoin", [
          `T${i}`,
          `T${i}`,
          w.admin.address,
        ]);
        tokens.push(await token.getAddress());
      }
      return tokens;
    }

    it("lists a token once, when first allowed: delisted it keeps its place, and allowing it again does not list it twice", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const usdc = await w.usdc.getAddress();
      const [eurc, never] = await newTokens(w, 2);
      expect(await w.escrow.MAX_LISTED_TOKENS()).to.equal(8n);
      await w.escrow.setTokenAllowed(usdc, false);
      expect(await listedTokensOf(ethers, w.escrow)).to.deep.equal([usdc]);
      expect((await tokenStateOf(ethers, w.escrow, usdc)).listed).to.equal(true);
      await w.escrow.setTokenAllowed(usdc, true);
      await w.escrow.setTokensAllowed([eurc, usdc, eurc], true);
      await w.escrow.setTokensAllowed([usdc, eurc], false);
      await w.escrow.setTokensAllowed([eurc], true);
      expect(await listedTokensOf(ethers, w.escrow)).to.deep.equal([usdc, eurc]);
      // Disallowing a token never allowed lists nothing.
      await expect(w.escrow.setTokenAllowed(never, false))
        .to.emit(w.escrow, "TokenAllowlistUpdated")
        .withArgs(never, false);
      expect(await listedTokensOf(ethers, w.escrow)).to.deep.equal([usdc, eurc]);
      expect(await tokenStateOf(ethers, w.escrow, never)).to.deep.equal({
        mode: 0n,
        listed: false,
        suspensionCheckFrom: 0n,
        accruedFees: 0n,
      });
    });

    it("refuses to list an address without code (TokenHasNoCode), so a typo takes no place; delisting one is harmless", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const before = await listedTokensOf(ethers, w.escrow);
      for (const noCode of [ethers.ZeroAddress, w.buyer.address]) {
        await expect(w.escrow.setTokenAllowed(noCode, true))
          .to.be.revertedWithCustomError(w.escrow, "TokenHasNoCode")
          .withArgs(noCode);
        await expect(w.escrow.setTokensAllowed([await w.usdc.getAddress(), noCode], true))
          .to.be.revertedWithCustomError(w.escrow, "TokenHasNoCode")
          .withArgs(noCode);
        await expect(w.escrow.setTokenAllowed(noCode, false))
          .to.emit(w.escrow, "TokenAllowlistUpdated")
          .withArgs(noCode, false);
      }
      expect(await listedTokensOf(ethers, w.escrow)).to.deep.equal(before);
    });

    it("refuses a ninth token with TooManyTokens, alone or in a batch, and a delisted token keeps its place", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const usdc = await w.usdc.getAddress();
      const max = await w.escrow.MAX_LISTED_TOKENS();
      const [ninth, ...others] = await newTokens(w, Number(max));
      await w.escrow.setTokensAllowed(others, true);
      expect(await listedTokensOf(ethers, w.escrow)).to.deep.equal([usdc, ...others]);
      await expect(w.escrow.setTokenAllowed(ninth, true))
        .to.be.revertedWithCustomError(w.escrow, "TooManyTokens")
        .withArgs(ninth, max);
      // The whole batch reverts, the listed token in it included.
      await w.escrow.setTokenAllowed(usdc, false);
      await expect(w.escrow.setTokensAllowed([usdc, ninth], true))
        .to.be.revertedWithCustomError(w.escrow, "TooManyTokens")
        .withArgs(ninth, max);
      expect(await w.escrow.isTokenAllowed(usdc)).to.equal(false);
      // Delisting frees no place: its open orders still release.
      await expect(w.escrow.setTokenAllowed(ninth, true))
        .to.be.revertedWithCustomError(w.escrow, "TooManyTokens")
        .withArgs(ninth, max);
      await w.escrow.setTokenAllowed(usdc, true);
      expect(await w.escrow.isTokenAllowed(usdc)).to.equal(true);
      expect(await w.escrow.isTokenAllowed(ninth)).to.equal(false);
      expect(await listedTokensOf(ethers, w.escrow)).to.have.length(Number(max));
    });

    it("copies the suspension time into a token first allowed: the maximum while unlinked, the latest reported suspension once linked", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const usdc = await w.usdc.getAddress();
      const [eurc, late] = await newTokens(w, 2);
      const copyOf = async (token: string) =>
        (await tokenStateOf(ethers, w.escrow, token)).suspensionCheckFrom;
      expect(await copyOf(usdc)).to.equal(NEVER);

      // A suspension notice while unlinked (the registry's link notice failed, say) moves the
      // config but no copy: an unlinked escrow's release always reads the registry.
      const registry = await w.registry.getAddress();
      await networkHelpers.impersonateAccount(registry);
      await networkHelpers.setBalance(registry, 10n ** 18n);
      await w.escrow
        .connect(await ethers.getSigner(registry))
        .recordCarrierSuspension(w.relayer.address);
      await networkHelpers.stopImpersonatingAccount(registry);
      expect(await w.escrow.registryLink()).to.deep.equal([false, await w.now()]);
      expect(await copyOf(usdc)).to.equal(NEVER);
      await w.escrow.setTokenAllowed(eurc, true);
      expect(await copyOf(eurc)).to.equal(NEVER);

      await networkHelpers.time.increase(3600);
      await w.registry.linkEscrow(await w.escrow.getAddress());
      const linkedAt = await w.now();
      expect(await copyOf(usdc)).to.equal(linkedAt);
      expect(await copyOf(eurc)).to.equal(linkedAt);

      await networkHelpers.time.increase(3600);
      await w.registry.setSuspended(w.relayer.address, true);
      const suspendedAt = await w.now();
      expect(await copyOf(usdc)).to.equal(suspendedAt);
      expect(await copyOf(eurc)).to.equal(suspendedAt);

      // Allowed later, a token copies the latest suspension, not its own listing time.
      await networkHelpers.time.increase(3600);
      await w.escrow.setTokenAllowed(late, true);
      expect(await copyOf(late)).to.equal(suspendedAt);
      // Delisting and allowing again leave the copy alone.
      await w.escrow.setTokenAllowed(usdc, false);
      await w.escrow.setTokenAllowed(usdc, true);
      expect(await copyOf(usdc)).to.equal(suspendedAt);
      expect(await w.escrow.registryLink()).to.deep.equal([true, suspendedAt]);
    });
  });

  describe("blocklisted receivers and credits", function () {
    it("credits a frozen payee's payout and lets it withdraw to a new address", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      await w.usdc.blocklist(w.payee.address);
      const token = await w.usdc.getAddress();
      await expect(w.escrow.connect(w.buyer).confirmReceipt(offer))
        .to.emit(w.escrow, "PayoutCredited")
        .withArgs(token, w.payee.address, PRICE - FEE)
        .and.to.emit(w.escrow, "OrderReleased")
        .withArgs(orderId, w.payee.address, PRICE - FEE, FEE);
      expect(await w.escrow.credits(token, w.payee.address)).to.equal(PRICE - FEE);
      const tx = w.escrow.connect(w.payee).withdrawCredit(token, w.stranger.address);
      await expect(tx)
        .to.emit(w.escrow, "CreditWithdrawn")
        .withArgs(token, w.payee.address, w.stranger.address, PRICE - FEE);
      await expect(tx).to.changeTokenBalances(
        ethers,
        w.usdc,
        [w.stranger, w.escrow],
        [PRICE - FEE, -(PRICE - FEE)],
      );
      expect(await w.escrow.credits(token, w.payee.address)).to.equal(0n);
    });

    it("credits a frozen buyer's refund without blocking the merchant", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      await w.usdc.blocklist(w.buyer.address);
      await expect(w.escrow.connect(w.merchant).refund(offer))
        .to.emit(w.escrow, "PayoutCredited")
        .withArgs(await w.usdc.getAddress(), w.buyer.address, PRICE);
      expect((await w.escrow.getOrder(orderId)).status).to.equal(Status.Refunded);
    });

    it("pays the seller's part of a ruling when the buyer is frozen", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await w.deliver(offer);
      await w.escrow.connect(w.buyer).openDispute(offer);
      await w.usdc.blocklist(w.buyer.address);
      const tx = w.escrow.connect(w.arbiter).resolveDispute(offer, 1_000_000n);
      await expect(tx)
        .to.emit(w.escrow, "PayoutCredited")
        .withArgs(await w.usdc.getAddress(), w.buyer.address, 1_000_000n);
      const sellerPart = PRICE - 1_000_000n;
      const fee = (sellerPart * FEE_BPS) / 10_000n;
      await expect(tx).to.changeTokenBalance(ethers, w.usdc, w.payee, sellerPart - fee);
    });

    it("reverts with NothingToWithdraw or InvalidRecipient on an empty or misaddressed withdrawal", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const token = await w.usdc.getAddress();
      await expect(w.escrow.connect(w.payee).withdrawCredit(token, w.payee.address))
        .to.be.revertedWithCustomError(w.escrow, "NothingToWithdraw")
        .withArgs(token, w.payee.address);
      await expect(w.escrow.connect(w.payee).withdrawCredit(token, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(w.escrow, "InvalidRecipient")
        .withArgs(ethers.ZeroAddress);
      const escrowAddress = await w.escrow.getAddress();
      await expect(w.escrow.connect(w.payee).withdrawCredit(token, escrowAddress))
        .to.be.revertedWithCustomError(w.escrow, "InvalidRecipient")
        .withArgs(escrowAddress);
    });

    it("credits a payout the token refuses by returning false, and the withdrawal then fails loudly", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const bad = await ethers.deployContract("FalseReturningToken");
      const token = await bad.getAddress();
      await w.escrow.setTokenAllowed(token, true);
      await bad.mint(w.buyer.address, PRICE);
      await bad.connect(w.buyer).approve(await w.escrow.getAddress(), PRICE);
      const offer = await w.makeOffer({ token });
      await w.pay(offer);
      await bad.setFailTransfers(true);
      await expect(w.escrow.connect(w.merchant).refund(offer))
        .to.emit(w.escrow, "PayoutCredited")
        .withArgs(token, w.buyer.address, PRICE);
      await expect(w.escrow.connect(w.buyer).withdrawCredit(token, w.buyer.address))
        .to.be.revertedWithCustomError(w.escrow, "SafeERC20FailedOperation")
        .withArgs(token);
    });
  });

  describe("re-entrancy during payouts", function () {
    async function reentrantFixture() {
      const w = await deployEscrow(ethers);
      const evil = await ethers.deployContract("ReentrantToken");
      await w.escrow.setTokenAllowed(await evil.getAddress(), true);
      await evil.mint(w.buyer.address, 10n * PRICE);
      await evil.connect(w.buyer).approve(await w.escrow.getAddress(), ethers.MaxUint256);
      const offer = await w.makeOffer({ token: await evil.getAddress() });
      const orderId = await w.pay(offer);
      return { ...w, evil, offer, orderId };
    }

    it("blocks a re-entrant release from the payout hook (guard error swallowed into a credit)", async function () {
      const w = await networkHelpers.loadFixture(reentrantFixture);
      await w.evil.arm(
        await w.escrow.getAddress(),
        w.escrow.interface.encodeFunctionData("withdrawFees", [await w.evil.getAddress()]),
        true,
      );
      await expect(w.escrow.connect(w.buyer).confirmReceipt(w.offer))
        .to.emit(w.escrow, "PayoutCredited")
        .withArgs(await w.evil.getAddress(), w.payee.address, PRICE - FEE);
      expect((await w.escrow.getOrder(w.orderId)).status).to.equal(Status.Released);
    });

    it("reports the re-entrant call failed when the hook does not bubble, and pays normally", async function () {
      const w = await networkHelpers.loadFixture(reentrantFixture);
      await w.evil.arm(
        await w.escrow.getAddress(),
        w.escrow.interface.encodeFunctionData("refund", [w.offer]),
        false,
      );
      await expect(w.escrow.connect(w.buyer).confirmReceipt(w.offer))
        .to.emit(w.evil, "Reentered")
        .withArgs(await w.escrow.getAddress(), false);
      expect(await w.evil.balanceOf(w.payee.address)).to.equal(PRICE - FEE);
    });

    it("reverts with ReentrancyGuardReentrantCall when the hook re-enters withdrawCredit", async function () {
      const w = await networkHelpers.loadFixture(reentrantFixture);
      await w.evil.arm(
        await w.escrow.getAddress(),
        w.escrow.interface.encodeFunctionData("withdrawFees", [await w.evil.getAddress()]),
        true,
      );
      await w.escrow.connect(w.buyer).confirmReceipt(w.offer);
      await w.evil.arm(
        await w.escrow.getAddress(),
        w.escrow.interface.encodeFunctionData("withdrawFees", [await w.evil.getAddress()]),
        true,
      );
      await expect(
        w.escrow.connect(w.payee).withdrawCredit(await w.evil.getAddress(), w.payee.address),
      ).to.be.revertedWithCustomError(w.escrow, "ReentrancyGuardReentrantCall");
    });
  });
});
