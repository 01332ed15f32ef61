import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import { GTIN_A, Reason, Status, deployPassport, idOf } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const RECALL_NOTICE = keccak256(toUtf8Bytes("recall notice 2026-11"));

describe("ProductPassport: recall, theft and burning", function () {
  async function passportFixture() {
    return deployPassport(ethers);
  }

  describe("recallLot", function () {
    it("recalls the lot in one call, emitting LotRecalled and BatchMetadataUpdate over the GTIN's id range", async function () {
      const { passport, maker, lotId, unit1 } = await networkHelpers.loadFixture(passportFixture);
      const first = GTIN_A << 160n;
      await expect(passport.connect(maker).recallLot(lotId, RECALL_NOTICE))
        .to.emit(passport, "LotRecalled")
        .withArgs(lotId, maker.address, RECALL_NOTICE)
        .and.to.emit(passport, "BatchMetadataUpdate")
        .withArgs(first, first | ((1n << 160n) - 1n));
      const v = await passport.verify(unit1);
      expect(v.lot.recalled).to.equal(true);
      expect(v.genuine).to.equal(true);
    });

    it("covers every serial of the GTIN with the emitted range", async function () {
      const { unit1 } = await networkHelpers.loadFixture(passportFixture);
      const first = GTIN_A << 160n;
      const last = first | ((1n << 160n) - 1n);
      for (const serial of ["!", "zzzzzzzzzzzzzzzzzzzz", "00000000000000000000"]) {
        const id = idOf(GTIN_A, serial);
        expect(id >= first && id <= last, serial).to.equal(true);
      }
      expect(unit1 >= first && unit1 <= last).to.equal(true);
    });

    it("lets the admin recall any lot", async function () {
      const { passport, admin, lotId } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(admin).recallLot(lotId, RECALL_NOTICE))
        .to.emit(passport, "LotRecalled")
        .withArgs(lotId, admin.address, RECALL_NOTICE);
    });

    it("reverts with NotLotManufacturer when another manufacturer recalls", async function () {
      const { passport, maker2, lotId } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(maker2).recallLot(lotId, RECALL_NOTICE))
        .to.be.revertedWithCustomError(passport, "NotLotManufacturer")
        .withArgs(lotId, maker2.address);
    });

    it("reverts with LotIsRecalled when recalled twice, and LotNotFound for an unknown lot", async function () {
      const { passport, maker, lotId } = await networkHelpers.loadFixture(passportFixture);
      await passport.connect(maker).recallLot(lotId, RECALL_NOTICE);
      await expect(passport.connect(maker).recallLot(lotId, RECALL_NOTICE))
        .to.be.revertedWithCustomError(passport, "LotIsRecalled")
        .withArgs(lotId);
      await expect(passport.connect(maker).recallLot(3n, RECALL_NOTICE))
        .to.be.revertedWithCustomError(passport, "LotNotFound")
        .withArgs(3n);
    });

    it("reverts mint and mintBatch with LotIsRecalled after a recall", async function () {
      const { passport, maker, lotId } = await networkHelpers.loadFixture(passportFixture);
      await passport.connect(maker).recallLot(lotId, RECALL_NOTICE);
      await expect(passport.connect(maker).mint(lotId, "NEW", maker.address))
        .to.be.revertedWithCustomError(passport, "LotIsRecalled")
        .withArgs(lotId);
      await expect(passport.connect(maker).mintBatch(lotId, ["NEW"], maker.address))
        .to.be.revertedWithCustomError(passport, "LotIsRecalled")
        .withArgs(lotId);
    });

    it("still lets recalled units move, so they can be returned", async function () {
      const { passport, maker, alice, lotId, unit1 } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.connect(maker).recallLot(lotId, RECALL_NOTICE);
      await passport.connect(alice).transferFrom(alice.address, maker.address, unit1);
      expect(await passport.ownerOf(unit1)).to.equal(maker.address);
    });
  });

  describe("reportStolen / clearStolen", function () {
    it("marks the unit stolen, emitting UnitStolenReported and MetadataUpdate", async function () {
      const { passport, alice, unit1 } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(alice).reportStolen(unit1))
        .to.emit(passport, "UnitStolenReported")
        .withArgs(unit1, alice.address)
        .and.to.emit(passport, "MetadataUpdate")
        .withArgs(unit1);
      expect(await passport.unitStatus(unit1)).to.equal(Status.Stolen);
      const v = await passport.verify(unit1);
      expect(v.genuine).to.equal(false);
      expect(v.status).to.equal(Status.Stolen);
    });

    it("blocks transferFrom, safeTransferFrom, operator transfers and burning with UnitReportedStolen", async function () {
      const { passport, alice, bob, carol, unit1 } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.connect(alice).setApprovalForAll(carol.address, true);
      await passport.connect(alice).reportStolen(unit1);
      await expect(passport.connect(alice).transferFrom(alice.address, bob.address, unit1))
        .to.be.revertedWithCustomError(passport, "UnitReportedStolen")
        .withArgs(unit1);
      await expect(
        passport
          .connect(alice)
          ["safeTransferFrom(address,address,uint256)"](alice.address, bob.address, unit1),
      )
        .to.be.revertedWithCustomError(passport, "UnitReportedStolen")
        .withArgs(unit1);
      await expect(passport.connect(carol).transferFrom(alice.address, bob.address, unit1))
        .to.be.revertedWithCustomError(passport, "UnitReportedStolen")
        .withArgs(unit1);
      await expect(passport.connect(alice).burn(unit1, Reason.Consumed))
        .to.be.revertedWithCustomError(passport, "UnitReportedStolen")
        .withArgs(unit1);
    });

    it("leaves the owner's other units transferable", async function () {
      const { passport, alice, bob, unit1, unit2 } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.connect(alice).reportStolen(unit1);
      await passport.connect(alice).transferFrom(alice.address, bob.address, unit2);
      expect(await passport.ownerOf(unit2)).to.equal(bob.address);
    });

    it("lets the owner clear the report, emitting UnitStolenCleared and MetadataUpdate, and transfers resume", async function () {
      const { passport, alice, bob, unit1 } = await networkHelpers.loadFixture(passportFixture);
      await passport.connect(alice).reportStolen(unit1);
      await expect(passport.connect(alice).clearStolen(unit1))
        .to.emit(passport, "UnitStolenCleared")
        .withArgs(unit1, alice.address)
        .and.to.emit(passport, "MetadataUpdate")
        .withArgs(unit1);
      expect(await passport.unitStatus(unit1)).to.equal(Status.Active);
      await passport.connect(alice).transferFrom(alice.address, bob.address, unit1);
      expect(await passport.ownerOf(unit1)).to.equal(bob.address);
    });

    it("lets the admin clear a report", async function () {
      const { passport, admin, alice, unit1 } = await networkHelpers.loadFixture(passportFixture);
      await passport.connect(alice).reportStolen(unit1);
      await expect(passport.connect(admin).clearStolen(unit1))
        .to.emit(passport, "UnitStolenCleared")
        .withArgs(unit1, admin.address);
    });

    it("reverts with NotUnitOwner when someone else reports or clears", async function () {
      const { passport, alice, carol, unit1 } = await networkHelpers.loadFixture(passportFixture);
      // Even an operator of the owner cannot report: the report is the owner's statement.
      await passport.connect(alice).setApprovalForAll(carol.address, true);
      await expect(passport.connect(carol).reportStolen(unit1))
        .to.be.revertedWithCustomError(passport, "NotUnitOwner")
        .withArgs(unit1, carol.address);
      await passport.connect(alice).reportStolen(unit1);
      await expect(passport.connect(carol).clearStolen(unit1))
        .to.be.revertedWithCustomError(passport, "NotUnitOwner")
        .withArgs(unit1, carol.address);
    });

    it("reverts with UnitReportedStolen when reported twice and UnitNotStolen when clearing an active unit", async function () {
      const { passport, alice, unit1 } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(alice).clearStolen(unit1))
        .to.be.revertedWithCustomError(passport, "UnitNotStolen")
        .withArgs(unit1);
      await passport.connect(alice).reportStolen(unit1);
      await expect(passport.connect(alice).reportStolen(unit1))
        .to.be.revertedWithCustomError(passport, "UnitReportedStolen")
        .withArgs(unit1);
    });

    it("reverts with ERC721NonexistentToken for an unminted unit", async function () {
      const { passport, alice, admin } = await networkHelpers.loadFixture(passportFixture);
      const id = idOf(GTIN_A, "GHOST");
      await expect(passport.connect(alice).reportStolen(id))
        .to.be.revertedWithCustomError(passport, "ERC721NonexistentToken")
        .withArgs(id);
      await expect(passport.connect(admin).clearStolen(id))
        .to.be.revertedWithCustomError(passport, "ERC721NonexistentToken")
        .withArgs(id);
    });
  });

  describe("burn", function () {
    it("burns for the owner, emitting Transfer to zero and UnitBurned with the reason", async function () {
      const { passport, alice, unit1 } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(alice).burn(unit1, Reason.Consumed))
        .to.emit(passport, "Transfer")
        .withArgs(alice.address, ethers.ZeroAddress, unit1)
        .and.to.emit(passport, "UnitBurned")
        .withArgs(unit1, alice.address, Reason.Consumed);
      expect(await passport.unitStatus(unit1)).to.equal(Status.Burned);
      expect(await passport.balanceOf(alice.address)).to.equal(1n);
      await expect(passport.ownerOf(unit1))
        .to.be.revertedWithCustomError(passport, "ERC721NonexistentToken")
        .withArgs(unit1);
    });

    it("lets an approved operator burn with any reason", async function () {
      const { passport, alice, carol, unit2 } = await networkHelpers.loadFixture(passportFixture);
      await passport.connect(alice).setApprovalForAll(carol.address, true);
      await expect(passport.connect(carol).burn(unit2, Reason.Recycled))
        .to.emit(passport, "UnitBurned")
        .withArgs(unit2, alice.address, Reason.Recycled);
    });

    it("reverts with ERC721InsufficientApproval when a stranger burns", async function () {
      const { passport, stranger, unit1 } = await networkHelpers.loadFixture(passportFixture);
      await expect(passport.connect(stranger).burn(unit1, Reason.Destroyed))
        .to.be.revertedWithCustomError(passport, "ERC721InsufficientApproval")
        .withArgs(stranger.address, unit1);
    });

    it("reverts with ERC721NonexistentToken when burning twice", async function () {
      const { passport, alice, unit1 } = await networkHelpers.loadFixture(passportFixture);
      await passport.connect(alice).burn(unit1, Reason.Other);
      await expect(passport.connect(alice).burn(unit1, Reason.Other))
        .to.be.revertedWithCustomError(passport, "ERC721NonexistentToken")
        .withArgs(unit1);
    });

    it("keeps a burned id un-mintable: reverts with UnitAlreadyMinted", async function () {
      const { passport, maker, alice, lotId, unit1 } =
        await networkHelpers.loadFixture(passportFixture);
      await passport.connect(alice).burn(unit1, Reason.Destroyed);
      await expect(passport.connect(maker).mint(lotId, "SN-1", maker.address))
        .to.be.revertedWithCustomError(passport, "UnitAlreadyMinted")
        .withArgs(unit1);
      await expect(passport.connect(maker).mintBatch(lotId, ["SN-9", "SN-1"], maker.address))
        .to.be.revertedWithCustomError(passport, "UnitAlreadyMinted")
        .withArgs(unit1);
    });

    it("reports a burned unit as existing but not genuine, with no owner", async function () {
      const { passport, alice, lotId, unit1 } = await networkHelpers.loadFixture(passportFixture);
      await passport.connect(alice).burn(unit1, Reason.Consumed);
      const v = await passport.verify(unit1);
      expect(v.exists).to.equal(true);
      expect(v.genuine).to.equal(false);
      expect(v.status).to.equal(Status.Burned);
      expect(v.owner).to.equal(ethers.ZeroAddress);
      expect(v.lotId).to.equal(lotId);
    });
  });
});
