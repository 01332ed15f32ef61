import { expect } from "chai";
import { network } from "hardhat";

import { signPermit, signReceiveAuthorization } from "@waybill/sdk";

const { ethers, networkHelpers } = await network.create();

describe("Test tokens", function () {
  async function deployTokens() {
    const [owner, buyer, merchant, stranger] = await ethers.getSigners();
    const usdc = await ethers.deployContract("MockStablecoin", ["USD Coin", "USDC", owner.address]);
    await usdc.mint(buyer.address, 1_000_000_000n);
    const feeToken = await ethers.deployContract("FeeOnTransferToken");
    const falseToken = await ethers.deployContract("FalseReturningToken");
    const reentrantToken = await ethers.deployContract("ReentrantToken");
    return { owner, buyer, merchant, stranger, usdc, feeToken, falseToken, reentrantToken };
  }

  describe("MockStablecoin", function () {
    it("has USDC's six decimals", async function () {
      const { usdc } = await networkHelpers.loadFixture(deployTokens);
      expect(await usdc.decimals()).to.equal(6n);
    });

    it("reverts with OwnableUnauthorizedAccount when a stranger mints", async function () {
      const { usdc, stranger } = await networkHelpers.loadFixture(deployTokens);
      await expect(usdc.connect(stranger).mint(stranger.address, 1n))
        .to.be.revertedWithCustomError(usdc, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
    });

    it("emits AccountBlocklisted and then refuses transfers to the frozen account", async function () {
      const { usdc, buyer, merchant } = await networkHelpers.loadFixture(deployTokens);
      await expect(usdc.blocklist(merchant.address))
        .to.emit(usdc, "AccountBlocklisted")
        .withArgs(merchant.address);
      await expect(usdc.connect(buyer).transfer(merchant.address, 1n))
        .to.be.revertedWithCustomError(usdc, "Blocklisted")
        .withArgs(merchant.address);
      await expect(usdc.unblocklist(merchant.address))
        .to.emit(usdc, "AccountUnblocklisted")
        .withArgs(merchant.address);
      await expect(usdc.connect(buyer).transfer(merchant.address, 1n)).to.changeTokenBalances(
        ethers,
        usdc,
        [buyer, merchant],
        [-1n, 1n],
      );
    });

    it("accepts a permit signed with the shared signing helper", async function () {
      const { usdc, buyer, merchant } = await networkHelpers.loadFixture(deployTokens);
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      const { v, r, s } = await signPermit(usdc, buyer, merchant.address, 5_000_000n, deadline);
      await expect(usdc.permit(buyer.address, merchant.address, 5_000_000n, deadline, v, r, s))
        .to.emit(usdc, "Approval")
        .withArgs(buyer.address, merchant.address, 5_000_000n);
    });

    it("accepts a receive authorization signed with the shared helper, only from the payee", async function () {
      const { usdc, buyer, merchant, stranger } = await networkHelpers.loadFixture(deployTokens);
      const auth = await signReceiveAuthorization(usdc, buyer, {
        to: merchant.address,
        value: 7_000_000n,
        validAfter: 0n,
        validBefore: BigInt(await networkHelpers.time.latest()) + 3600n,
        nonce: ethers.id("order-42"),
      });
      const args = [
        auth.from,
        auth.to,
        auth.value,
        auth.validAfter,
        auth.validBefore,
        auth.nonce,
        auth.v,
        auth.r,
        auth.s,
      ] as const;
      await expect(usdc.connect(stranger).receiveWithAuthorization(...args))
        .to.be.revertedWithCustomError(usdc, "ERC20InvalidReceiver")
        .withArgs(merchant.address);
      await expect(usdc.connect(merchant).receiveWithAuthorization(...args))
        .to.emit(usdc, "AuthorizationUsed")
        .withArgs(buyer.address, auth.nonce);
      expect(await usdc.balanceOf(merchant.address)).to.equal(7_000_000n);
    });
  });

  describe("hostile tokens", function () {
    it("FeeOnTransferToken delivers 1% less than was sent", async function () {
      const { feeToken, buyer, merchant } = await networkHelpers.loadFixture(deployTokens);
      await feeToken.mint(buyer.address, 10_000n);
      await feeToken.connect(buyer).transfer(merchant.address, 10_000n);
      expect(await feeToken.balanceOf(merchant.address)).to.equal(9_900n);
    });

    it("FalseReturningToken returns false instead of reverting when it cannot pay", async function () {
      const { falseToken, buyer, merchant } = await networkHelpers.loadFixture(deployTokens);
      await falseToken.mint(buyer.address, 100n);
      expect(await falseToken.connect(buyer).transfer.staticCall(merchant.address, 101n)).to.equal(
        false,
      );
      expect(
        await falseToken
          .connect(merchant)
          .transferFrom.staticCall(buyer.address, merchant.address, 1n),
      ).to.equal(false);
      await falseToken.setFailTransfers(true);
      expect(await falseToken.connect(buyer).transfer.staticCall(merchant.address, 1n)).to.equal(
        false,
      );
    });

    it("ReentrantToken calls its armed target before moving tokens, once", async function () {
      const { reentrantToken, usdc, buyer, merchant } =
        await networkHelpers.loadFixture(deployTokens);
      await reentrantToken.mint(buyer.address, 100n);
      const callback = usdc.interface.encodeFunctionData("decimals");
      await reentrantToken.arm(await usdc.getAddress(), callback, true);
      await expect(reentrantToken.connect(buyer).transfer(merchant.address, 1n))
        .to.emit(reentrantToken, "Reentered")
        .withArgs(await usdc.getAddress(), true);
      await expect(reentrantToken.connect(buyer).transfer(merchant.address, 1n)).not.to.emit(
        reentrantToken,
        "Reentered",
      );
    });

    it("ReentrantToken bubbles up the target's revert when told to", async function () {
      const { reentrantToken, usdc, buyer, merchant } =
        await networkHelpers.loadFixture(deployTokens);
      await reentrantToken.mint(buyer.address, 100n);
      const callback = usdc.interface.encodeFunctionData("mint", [buyer.address, 1n]);
      await reentrantToken.arm(await usdc.getAddress(), callback, true);
      await expect(reentrantToken.connect(buyer).transfer(merchant.address, 1n))
        .to.be.revertedWithCustomError(usdc, "OwnableUnauthorizedAccount")
        .withArgs(await reentrantToken.getAddress());
    });
  });
});
