import { expect } from "chai";
import { network } from "hardhat";

import { LOT_URI, deployPassport, idOf, GTIN_A } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

describe("ProductPassport: ERC-721 behaviour", function () {
  async function passportFixture() {
    const base = await deployPassport(ethers);
    const receiver = await ethers.deployContract("PassportReceiver", [true]);
    const rejecter = await ethers.deployContract("PassportReceiver", [false]);
    const nonReceiver = await ethers.deployContract("NonReceiver");
    return { ...base, receiver, rejecter, nonReceiver };
  }

  describe("metadata and ERC-165", function () {
    it("reports its name and symbol", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      expect(await passport.name()).to.equal("Waybill Product Passport");
      expect(await passport.symbol()).to.equal("WPASS");
    });

    it("supports ERC-165, ERC-721, ERC-721 Metadata, ERC-4906 and both AccessControl interfaces", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      for (const id of [
        "0x01ffc9a7",
        "0x80ac58cd",
        "0x5b5e139f",
        "0x49064906",
        "0x7965db0b",
        "0x31498786",
      ]) {
        expect(await passport.supportsInterface(id), id).to.equal(true);
      }
    });

    it("does not support ERC-721 Enumerable, ERC-1155 or the 0xffffffff id", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      for (const id of ["0x780e9d63", "0xd9b67a26", "0xffffffff"]) {
        expect(await passport.supportsInterface(id), id).to.equal(false);
      }
    });

    it("returns the lot's URI as every unit's tokenURI", async function () {
      const { passport, unit1, unit2 } = await networkHelpers.loadFixture(passportFixture);
      expect(await passport.tokenURI(unit1)).to.equal(LOT_URI);
      expect(await passport.tokenURI(unit2)).to.equal(LOT_URI);
    });

    it("reverts tokenURI with ERC721NonexistentToken for an unminted unit", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      const id = idOf(GTIN_A, "NOPE");
      await expect(passport.tokenURI(id))
        .to.be.revertedWithCustomError(passport, "ERC721NonexistentToken")
        .withArgs(id);
    });
  });

  describe("balances and ownership", function () {
    it("counts balances and owners after minting", async function () {
      const { passport, alice, unit1 } = await networkHelpers.loadFixture(passportFixture);
      expect(await passport.balanceOf(alice.address)).to.equal(2n);
      expect(await passport.ownerOf(unit1)).to.equal(alice.address);
    });

    it("reverts balanceOf with ERC721InvalidOwner for the zero address", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.balanceOf(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(passport, "ERC721InvalidOwner")
        .withArgs(ethers.ZeroAddress);
    });

    it("reverts ownerOf with ERC721NonexistentToken for an unminted unit", async function () {
      const { passport } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.ownerOf(123n))
        .to.be.revertedWithCustomError(passport, "ERC721NonexistentToken")
        .withArgs(123n);
    });
  });

  describe("transferFrom", function () {
    it("lets the owner transfer, moving balance and emitting Transfer", async function () {
      const { passport, alice, bob, unit1 } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(alice).transferFrom(alice.address, bob.address, unit1))
        .to.emit(passport, "Transfer")
        .withArgs(alice.address, bob.address, unit1);
      expect(await passport.ownerOf(unit1)).to.equal(bob.address);
      expect(await passport.balanceOf(alice.address)).to.equal(1n);
      expect(await passport.balanceOf(bob.address)).to.equal(1n);
    });

    it("lets an approved address transfer once and clears the approval", async function () {
      const { passport, alice, bob, carol, unit1 } =
        await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(alice).approve(carol.address, unit1))
        .to.emit(passport, "Approval")
        .withArgs(alice.address, carol.address, unit1);
      expect(await passport.getApproved(unit1)).to.equal(carol.address);
      await passport.connect(carol).transferFrom(alice.address, bob.address, unit1);
      expect(await passport.ownerOf(unit1)).to.equal(bob.address);
      expect(await passport.getApproved(unit1)).to.equal(ethers.ZeroAddress);
    });

    it("lets an operator approved for all transfer every unit of the owner", async function () {
      const { passport, alice, bob, carol, unit1, unit2 } =
        await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(alice).setApprovalForAll(carol.address, true))
        .to.emit(passport, "ApprovalForAll")
        .withArgs(alice.address, carol.address, true);
      expect(await passport.isApprovedForAll(alice.address, carol.address)).to.equal(true);
      await passport.connect(carol).transferFrom(alice.address, bob.address, unit1);
      await passport.connect(carol).transferFrom(alice.address, bob.address, unit2);
      expect(await passport.balanceOf(bob.address)).to.equal(2n);
    });

    it("lets an operator approve a single unit for someone else", async function () {
      const { passport, alice, bob, carol, unit1 } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.connect(alice).setApprovalForAll(carol.address, true);
      await passport.connect(carol).approve(bob.address, unit1);
      expect(await passport.getApproved(unit1)).to.equal(bob.address);
    });

    it("reverts with ERC721InsufficientApproval when a stranger transfers", async function () {
      const { passport, alice, stranger, unit1 } =
        await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(stranger).transferFrom(alice.address, stranger.address, unit1))
        .to.be.revertedWithCustomError(passport, "ERC721InsufficientApproval")
        .withArgs(stranger.address, unit1);
    });

    it("reverts with ERC721InsufficientApproval after an operator approval is withdrawn", async function () {
      const { passport, alice, carol, unit1 } = await networkHelpers.loadFixture(passportFixture);
      await passport.connect(alice).setApprovalForAll(carol.address, true);
      await passport.connect(alice).setApprovalForAll(carol.address, false);
      await expect(passport.connect(carol).transferFrom(alice.address, carol.address, unit1))
        .to.be.revertedWithCustomError(passport, "ERC721InsufficientApproval")
        .withArgs(carol.address, unit1);
    });

    it("reverts with ERC721IncorrectOwner when from is not the owner", async function () {
      const { passport, alice, bob, unit1 } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(alice).transferFrom(bob.address, alice.address, unit1))
        .to.be.revertedWithCustomError(passport, "ERC721IncorrectOwner")
        .withArgs(bob.address, unit1, alice.address);
    });

    it("reverts with ERC721InvalidReceiver when transferring to the zero address", async function () {
      const { passport, alice, unit1 } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(alice).transferFrom(alice.address, ethers.ZeroAddress, unit1))
        .to.be.revertedWithCustomError(passport, "ERC721InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
    });

    it("reverts approve with ERC721InvalidApprover when a stranger approves", async function () {
      const { passport, stranger, unit1 } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(stranger).approve(stranger.address, unit1))
        .to.be.revertedWithCustomError(passport, "ERC721InvalidApprover")
        .withArgs(stranger.address);
    });

    it("reverts setApprovalForAll with ERC721InvalidOperator for the zero address", async function () {
      const { passport, alice } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(alice).setApprovalForAll(ethers.ZeroAddress, true))
        .to.be.revertedWithCustomError(passport, "ERC721InvalidOperator")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("safeTransferFrom", function () {
    it("transfers to an EOA", async function () {
      const { passport, alice, bob, unit1 } = await networkHelpers.loadFixture(passportFixture);
      await expect(
        passport
          .connect(alice)
          ["safeTransferFrom(address,address,uint256)"](alice.address, bob.address, unit1),
      )
        .to.emit(passport, "Transfer")
        .withArgs(alice.address, bob.address, unit1);
      expect(await passport.ownerOf(unit1)).to.equal(bob.address);
    });

    it("transfers to a receiver contract, passing operator, sender, id and data", async function () {
      const { passport, alice, carol, receiver, unit1 } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.connect(alice).setApprovalForAll(carol.address, true);
      const target = await receiver.getAddress();
      await expect(
        passport
          .connect(carol)
          ["safeTransferFrom(address,address,uint256,bytes)"](
            alice.address,
            target,
            unit1,
            "0xbeef",
          ),
      )
        .to.emit(receiver, "Received")
        .withArgs(carol.address, alice.address, unit1, "0xbeef");
      expect(await passport.ownerOf(unit1)).to.equal(target);
    });

    it("transfers to a receiver contract with empty data through the 3-argument overload", async function () {
      const { passport, alice, receiver, unit1 } =
        await networkHelpers.loadFixture(passportFixture);
      const target = await receiver.getAddress();
      await expect(
        passport
          .connect(alice)
          ["safeTransferFrom(address,address,uint256)"](alice.address, target, unit1),
      )
        .to.emit(receiver, "Received")
        .withArgs(alice.address, alice.address, unit1, "0x");
    });

    it("bubbles the receiver's own error when it rejects the unit", async function () {
      const { passport, alice, rejecter, unit1 } =
        await networkHelpers.loadFixture(passportFixture);
      await expect(
        passport
          .connect(alice)
          ["safeTransferFrom(address,address,uint256)"](
            alice.address,
            await rejecter.getAddress(),
            unit1,
          ),
      )
        .to.be.revertedWithCustomError(rejecter, "ReceiverRejected")
        .withArgs(unit1);
    });

    it("reverts with ERC721InvalidReceiver for a contract without the receiver hook", async function () {
      const { passport, alice, nonReceiver, unit1 } =
        await networkHelpers.loadFixture(passportFixture);
      const target = await nonReceiver.getAddress();
      await expect(
        passport
          .connect(alice)
          ["safeTransferFrom(address,address,uint256)"](alice.address, target, unit1),
      )
        .to.be.revertedWithCustomError(passport, "ERC721InvalidReceiver")
        .withArgs(target);
    });

    it("lets plain transferFrom deliver to a non-receiver contract (no hook is called)", async function () {
      const { passport, alice, nonReceiver, unit1 } =
        await networkHelpers.loadFixture(passportFixture);
      const target = await nonReceiver.getAddress();
      await passport.connect(alice).transferFrom(alice.address, target, unit1);
      expect(await passport.ownerOf(unit1)).to.equal(target);
    });
  });
});
