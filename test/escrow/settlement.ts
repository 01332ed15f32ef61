import { expect } from "chai";
import { TypedDataEncoder } from "ethers";
import { network } from "hardhat";

import { escrowDomain, orderIdOf } from "@waybill/sdk";

import {
  INSPECTION,
  PRICE,
  SETTLEMENT_TYPES,
  Status,
  deployEscrow,
  feeOn,
  signSettlement,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

const SPLIT = 10_000_000n; // 10 USDC to the buyer, 15 to the seller side
const DAY = 24n * 3600n;

async function escrowFixture() {
  return deployEscrow(ethers);
}

/** A shipped order (passports none) with the merchant's on-chain proposal of SPLIT to the buyer. */
async function proposedFixture() {
  const w = await deployEscrow(ethers);
  const offer = await w.makeOffer();
  const orderId = await w.ship(offer);
  await w.escrow.connect(w.merchant).proposeSettlement(offer, SPLIT);
  return { ...w, offer, orderId };
}

/** A delivered, disputed order: the arbiter may rule, and the parties may still settle. */
async function disputedFixture() {
  const w = await deployEscrow(ethers);
  const offer = await w.makeOffer();
  const orderId = await w.deliver(offer);
  await w.escrow.connect(w.buyer).openDispute(offer);
  await w.escrow.connect(w.buyer).proposeSettlement(offer, SPLIT);
  return { ...w, offer, orderId };
}

describe("WaybillEscrow: settlements between the parties", function () {
  describe("proposeSettlement", function () {
    it("records the buyer's proposal, then the merchant's replaces it, each with SettlementProposed", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      await expect(w.escrow.connect(w.buyer).proposeSettlement(offer, PRICE))
        .to.emit(w.escrow, "SettlementProposed")
        .withArgs(orderId, w.buyer.address, PRICE);
      expect(await w.escrow.settlementOf(orderId)).to.deep.equal([w.buyer.address, PRICE]);
      await expect(w.escrow.connect(w.merchant).proposeSettlement(offer, 0n))
        .to.emit(w.escrow, "SettlementProposed")
        .withArgs(orderId, w.merchant.address, 0n);
      expect(await w.escrow.settlementOf(orderId)).to.deep.equal([w.merchant.address, 0n]);
    });

    it("reverts with NotParty for a stranger and for the payee, which is not the seller side until it is assigned", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      for (const caller of [w.stranger, w.payee]) {
        await expect(w.escrow.connect(caller).proposeSettlement(offer, SPLIT))
          .to.be.revertedWithCustomError(w.escrow, "NotParty")
          .withArgs(orderId, caller.address);
      }
    });

    it("reverts with BuyerAmountTooHigh above the held amount, which partial refunds lower", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      await expect(w.escrow.connect(w.buyer).proposeSettlement(offer, PRICE + 1n))
        .to.be.revertedWithCustomError(w.escrow, "BuyerAmountTooHigh")
        .withArgs(PRICE + 1n, PRICE);
      await w.escrow.connect(w.merchant).partialRefund(offer, 5_000_000n);
      await expect(w.escrow.connect(w.buyer).proposeSettlement(offer, PRICE))
        .to.be.revertedWithCustomError(w.escrow, "BuyerAmountTooHigh")
        .withArgs(PRICE, PRICE - 5_000_000n);
      await expect(w.escrow.connect(w.buyer).proposeSettlement(offer, PRICE - 5_000_000n))
        .to.emit(w.escrow, "SettlementProposed")
        .withArgs(orderId, w.buyer.address, PRICE - 5_000_000n);
    });

    it("reverts with InvalidOrderStatus for an unpaid offer and a final order", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await expect(w.escrow.connect(w.buyer).proposeSettlement(offer, SPLIT))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(await w.orderId(offer), Status.None);
      const orderId = await w.pay(offer);
      await w.escrow.connect(w.buyer).confirmReceipt(offer);
      await expect(w.escrow.connect(w.buyer).proposeSettlement(offer, SPLIT))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Released);
      expect(await w.escrow.settlementOf(orderId)).to.deep.equal([ethers.ZeroAddress, 0n]);
    });
  });

  describe("withdrawSettlement", function () {
    it("lets the proposer withdraw with SettlementWithdrawn; the proposal can no longer be accepted", async function () {
      const w = await networkHelpers.loadFixture(proposedFixture);
      await expect(w.escrow.connect(w.merchant).withdrawSettlement(w.offer))
        .to.emit(w.escrow, "SettlementWithdrawn")
        .withArgs(w.orderId, w.merchant.address);
      expect(await w.escrow.settlementOf(w.orderId)).to.deep.equal([ethers.ZeroAddress, 0n]);
      await expect(w.escrow.connect(w.buyer).acceptSettlement(w.offer, SPLIT))
        .to.be.revertedWithCustomError(w.escrow, "NoSettlementProposal")
        .withArgs(w.orderId);
      await expect(w.escrow.connect(w.merchant).withdrawSettlement(w.offer))
        .to.be.revertedWithCustomError(w.escrow, "NoSettlementProposal")
        .withArgs(w.orderId);
    });

    it("reverts with NotProposer for the other party and InvalidOrderStatus once final", async function () {
      const w = await networkHelpers.loadFixture(proposedFixture);
      await expect(w.escrow.connect(w.buyer).withdrawSettlement(w.offer))
        .to.be.revertedWithCustomError(w.escrow, "NotProposer")
        .withArgs(w.orderId, w.buyer.address, w.merchant.address);
      await w.escrow.connect(w.merchant).refund(w.offer);
      await expect(w.escrow.connect(w.merchant).withdrawSettlement(w.offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(w.orderId, Status.Refunded);
      // A proposal left on a final order is not in force.
      expect(await w.escrow.settlementOf(w.orderId)).to.deep.equal([ethers.ZeroAddress, 0n]);
    });
  });

  describe("acceptSettlement", function () {
    it("ends a shipped order Resolved: the buyer's part, the rest to the payee less the fee on that part only", async function () {
      const w = await networkHelpers.loadFixture(proposedFixture);
      const token = await w.usdc.getAddress();
      const sellerPart = PRICE - SPLIT;
      const tx = w.escrow.connect(w.buyer).acceptSettlement(w.offer, SPLIT);
      await expect(tx)
        .to.emit(w.escrow, "OrderSettled")
        .withArgs(
          w.orderId,
          w.merchant.address,
          w.buyer.address,
          SPLIT,
          sellerPart - feeOn(sellerPart),
          feeOn(sellerPart),
        );
      await expect(tx).to.not.emit(w.escrow, "DisputeResolved");
      await expect(tx).to.changeTokenBalances(
        ethers,
        w.usdc,
        [w.buyer, w.payee, w.escrow],
        [SPLIT, sellerPart - feeOn(sellerPart), -PRICE + feeOn(sellerPart)],
      );
      const order = await w.escrow.getOrder(w.orderId);
      expect(order.status).to.equal(Status.Resolved);
      expect(order.flags & 16n).to.equal(16n); // the seller was paid something
      expect(await w.escrow.accruedFees(token)).to.equal(feeOn(sellerPart));
      expect(await w.escrow.settlementOf(w.orderId)).to.deep.equal([ethers.ZeroAddress, 0n]);
      await expect(w.escrow.connect(w.buyer).acceptSettlement(w.offer, SPLIT))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(w.orderId, Status.Resolved);
    });

    it("settles a disputed order before the ruling, and the ruling then finds it Resolved", async function () {
      const w = await networkHelpers.loadFixture(disputedFixture);
      const sellerPart = PRICE - SPLIT;
      await expect(w.escrow.connect(w.merchant).acceptSettlement(w.offer, SPLIT))
        .to.emit(w.escrow, "OrderSettled")
        .withArgs(
          w.orderId,
          w.buyer.address,
          w.merchant.address,
          SPLIT,
          sellerPart - feeOn(sellerPart),
          feeOn(sellerPart),
        );
      await expect(w.escrow.connect(w.arbiter).resolveDispute(w.offer, 0n))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(w.orderId, Status.Resolved);
      await networkHelpers.time.increase(15n * DAY);
      await expect(w.escrow.applyDefaultRuling(w.offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(w.orderId, Status.Resolved);
    });

    it("loses the race to a ruling that lands first: the acceptance reverts and only the ruling paid", async function () {
      const w = await networkHelpers.loadFixture(disputedFixture);
      await expect(w.escrow.connect(w.arbiter).resolveDispute(w.offer, PRICE)).to.emit(
        w.escrow,
        "DisputeResolved",
      );
      await expect(w.escrow.connect(w.merchant).acceptSettlement(w.offer, SPLIT))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(w.orderId, Status.Resolved);
      expect(await w.usdc.balanceOf(await w.escrow.getAddress())).to.equal(0n);
      expect(await w.usdc.balanceOf(w.payee.address)).to.equal(0n);
    });

    it("loses the race to the default ruling too, when nobody ruled within the arbitration period", async function () {
      const w = await networkHelpers.loadFixture(disputedFixture);
      await networkHelpers.time.increase(15n * DAY);
      await w.escrow.connect(w.stranger).applyDefaultRuling(w.offer);
      await expect(w.escrow.connect(w.merchant).acceptSettlement(w.offer, SPLIT))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(w.orderId, Status.Resolved);
    });

    it("settles a delivered order even after the inspection window closed, when anyone could release", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      await networkHelpers.time.increase(INSPECTION + 1n);
      await w.escrow.connect(w.buyer).proposeSettlement(offer, 1n);
      await expect(w.escrow.connect(w.merchant).acceptSettlement(offer, 1n)).to.emit(
        w.escrow,
        "OrderSettled",
      );
      await expect(w.escrow.release(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Resolved);
    });

    it("reverts with NotParty when the proposer accepts its own proposal or a stranger tries", async function () {
      const w = await networkHelpers.loadFixture(proposedFixture);
      for (const caller of [w.merchant, w.stranger, w.payee]) {
        await expect(w.escrow.connect(caller).acceptSettlement(w.offer, SPLIT))
          .to.be.revertedWithCustomError(w.escrow, "NotParty")
          .withArgs(w.orderId, caller.address);
      }
    });

    it("reverts with SettlementMismatch when the proposal changed since the acceptor read it", async function () {
      const w = await networkHelpers.loadFixture(proposedFixture);
      // The merchant replaces its proposal just before the buyer's acceptance lands.
      await w.escrow.connect(w.merchant).proposeSettlement(w.offer, 1n);
      await expect(w.escrow.connect(w.buyer).acceptSettlement(w.offer, SPLIT))
        .to.be.revertedWithCustomError(w.escrow, "SettlementMismatch")
        .withArgs(w.orderId, 1n, SPLIT);
    });

    it("reverts with BuyerAmountTooHigh when a partial refund since the proposal left less held than it gives", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await w.pay(offer);
      await w.escrow.connect(w.buyer).proposeSettlement(offer, PRICE);
      await w.escrow.connect(w.merchant).partialRefund(offer, 1_000_000n);
      await expect(w.escrow.connect(w.merchant).acceptSettlement(offer, PRICE))
        .to.be.revertedWithCustomError(w.escrow, "BuyerAmountTooHigh")
        .withArgs(PRICE, PRICE - 1_000_000n);
    });

    it("reverts with NoSettlementProposal without a proposal", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      await expect(w.escrow.connect(w.buyer).acceptSettlement(offer, 0n))
        .to.be.revertedWithCustomError(w.escrow, "NoSettlementProposal")
        .withArgs(orderId);
    });

    it("returns the passports to the merchant when the buyer gets everything, and hands them over otherwise", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const all = await w.makeOffer();
      const allId = await w.shipWithPassports(all, [1n]);
      await w.escrow.connect(w.merchant).proposeSettlement(all, PRICE);
      await expect(w.escrow.connect(w.buyer).acceptSettlement(all, PRICE))
        .to.emit(w.escrow, "OrderSettled")
        .withArgs(allId, w.merchant.address, w.buyer.address, PRICE, 0n, 0n)
        .and.to.emit(w.escrow, "PassportReturned")
        .withArgs(allId, 1n, w.merchant.address);
      expect(await w.passports.ownerOf(1n)).to.equal(w.merchant.address);

      const some = await w.makeOffer();
      const someId = await w.shipWithPassports(some, [2n]);
      await w.escrow.connect(w.buyer).proposeSettlement(some, PRICE - 1n);
      await expect(w.escrow.connect(w.merchant).acceptSettlement(some, PRICE - 1n))
        .to.emit(w.escrow, "PassportHandedOver")
        .withArgs(someId, 2n, w.buyer.address);
      expect(await w.passports.ownerOf(2n)).to.equal(w.buyer.address);
    });

    it("voids the merchant's proposal once the payout is assigned; the holder settles instead and is paid", async function () {
      const w = await networkHelpers.loadFixture(proposedFixture);
      const holder = w.relayer;
      await w.escrow.connect(w.payee).assignPayout(w.offer, holder.address);
      expect(await w.escrow.settlementOf(w.orderId)).to.deep.equal([ethers.ZeroAddress, 0n]);
      await expect(w.escrow.connect(w.buyer).acceptSettlement(w.offer, SPLIT))
        .to.be.revertedWithCustomError(w.escrow, "NoSettlementProposal")
        .withArgs(w.orderId);
      await expect(w.escrow.connect(w.merchant).proposeSettlement(w.offer, SPLIT))
        .to.be.revertedWithCustomError(w.escrow, "NotParty")
        .withArgs(w.orderId, w.merchant.address);
      await w.escrow.connect(holder).proposeSettlement(w.offer, SPLIT);
      expect(await w.escrow.settlementOf(w.orderId)).to.deep.equal([holder.address, SPLIT]);
      const sellerPart = PRICE - SPLIT;
      const tx = w.escrow.connect(w.buyer).acceptSettlement(w.offer, SPLIT);
      await expect(tx)
        .to.emit(w.escrow, "OrderSettled")
        .withArgs(
          w.orderId,
          holder.address,
          w.buyer.address,
          SPLIT,
          sellerPart - feeOn(sellerPart),
          feeOn(sellerPart),
        );
      await expect(tx).to.changeTokenBalances(
        ethers,
        w.usdc,
        [w.buyer, holder, w.payee],
        [SPLIT, sellerPart - feeOn(sellerPart), 0n],
      );
    });

    it("keeps the buyer's proposal in force across an assignment, for the new holder to accept", async function () {
      const w = await networkHelpers.loadFixture(disputedFixture);
      await w.escrow.connect(w.payee).assignPayout(w.offer, w.relayer.address);
      expect(await w.escrow.settlementOf(w.orderId)).to.deep.equal([w.buyer.address, SPLIT]);
      await expect(w.escrow.connect(w.merchant).acceptSettlement(w.offer, SPLIT))
        .to.be.revertedWithCustomError(w.escrow, "NotParty")
        .withArgs(w.orderId, w.merchant.address);
      await expect(w.escrow.connect(w.relayer).acceptSettlement(w.offer, SPLIT))
        .to.emit(w.escrow, "OrderSettled")
        .withArgs(
          w.orderId,
          w.buyer.address,
          w.relayer.address,
          SPLIT,
          PRICE - SPLIT - feeOn(PRICE - SPLIT),
          feeOn(PRICE - SPLIT),
        );
    });
  });

  describe("settleWithSignature", function () {
    async function signedFixture() {
      const w = await deployEscrow(ethers);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      const deadline = (await w.now()) + DAY;
      const terms = { orderId, buyerAmount: SPLIT, deadline };
      return { ...w, offer, orderId, deadline, terms };
    }

    it("computes settlementDigest as the EIP-712 digest of Settlement in the escrow's domain", async function () {
      const w = await networkHelpers.loadFixture(signedFixture);
      const expected = TypedDataEncoder.hash(
        await escrowDomain(w.escrow, w.chainId),
        { Settlement: [...SETTLEMENT_TYPES.Settlement] },
        w.terms,
      );
      expect(await w.escrow.settlementDigest(w.orderId, SPLIT, w.deadline)).to.equal(expected);
    });

    it("settles when the buyer submits the merchant's signature", async function () {
      const w = await networkHelpers.loadFixture(signedFixture);
      const signature = await signSettlement(w, w.merchant, w.terms);
      const sellerPart = PRICE - SPLIT;
      const tx = w.escrow
        .connect(w.buyer)
        .settleWithSignature(w.offer, SPLIT, w.deadline, signature);
      await expect(tx)
        .to.emit(w.escrow, "OrderSettled")
        .withArgs(
          w.orderId,
          w.merchant.address,
          w.buyer.address,
          SPLIT,
          sellerPart - feeOn(sellerPart),
          feeOn(sellerPart),
        );
      await expect(tx).to.changeTokenBalances(
        ethers,
        w.usdc,
        [w.buyer, w.payee],
        [SPLIT, sellerPart - feeOn(sellerPart)],
      );
      // The same signature cannot be used again: the order is final.
      await expect(
        w.escrow.connect(w.buyer).settleWithSignature(w.offer, SPLIT, w.deadline, signature),
      )
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(w.orderId, Status.Resolved);
    });

    it("settles when the merchant submits the buyer's signature, clearing an on-chain proposal", async function () {
      const w = await networkHelpers.loadFixture(signedFixture);
      await w.escrow.connect(w.merchant).proposeSettlement(w.offer, 1n);
      const signature = await signSettlement(w, w.buyer, w.terms);
      await expect(
        w.escrow.connect(w.merchant).settleWithSignature(w.offer, SPLIT, w.deadline, signature),
      )
        .to.emit(w.escrow, "OrderSettled")
        .withArgs(
          w.orderId,
          w.buyer.address,
          w.merchant.address,
          SPLIT,
          PRICE - SPLIT - feeOn(PRICE - SPLIT),
          feeOn(PRICE - SPLIT),
        );
      expect(await w.escrow.settlementOf(w.orderId)).to.deep.equal([ethers.ZeroAddress, 0n]);
    });

    it("accepts an ERC-1271 merchant wallet's approval", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const wallet = await ethers.deployContract("MockERC1271Wallet", [w.merchant.address]);
      const offer = await w.makeOffer({ merchant: await wallet.getAddress() });
      await w.escrow.connect(w.buyer).pay(offer, await w.sign(offer));
      const orderId = await w.orderId(offer);
      const deadline = (await w.now()) + DAY;
      const terms = { orderId, buyerAmount: SPLIT, deadline };
      // The wallet's owner key signs; the wallet vouches for it through isValidSignature.
      const signature = await signSettlement(w, w.merchant, terms);
      await expect(w.escrow.connect(w.buyer).settleWithSignature(offer, SPLIT, deadline, signature))
        .to.emit(w.escrow, "OrderSettled")
        .withArgs(
          orderId,
          await wallet.getAddress(),
          w.buyer.address,
          SPLIT,
          PRICE - SPLIT - feeOn(PRICE - SPLIT),
          feeOn(PRICE - SPLIT),
        );
      // A key the wallet does not recognise is refused.
      const other = await w.makeOffer({ merchant: await wallet.getAddress() });
      await w.escrow.connect(w.buyer).pay(other, await w.sign(other));
      const otherId = await w.orderId(other);
      const forged = await signSettlement(w, w.stranger, { ...terms, orderId: otherId });
      await expect(w.escrow.connect(w.buyer).settleWithSignature(other, SPLIT, deadline, forged))
        .to.be.revertedWithCustomError(w.escrow, "InvalidSettlementSignature")
        .withArgs(otherId, await wallet.getAddress());
    });

    it("refuses a signature replayed on another order of the same parties", async function () {
      const w = await networkHelpers.loadFixture(signedFixture);
      const signature = await signSettlement(w, w.merchant, w.terms);
      const other = await w.makeOffer();
      const otherId = await w.pay(other);
      await expect(
        w.escrow.connect(w.buyer).settleWithSignature(other, SPLIT, w.deadline, signature),
      )
        .to.be.revertedWithCustomError(w.escrow, "InvalidSettlementSignature")
        .withArgs(otherId, w.merchant.address);
    });

    it("refuses a signature made for another escrow or another chain", async function () {
      const w = await networkHelpers.loadFixture(signedFixture);
      const domain = await escrowDomain(w.escrow, w.chainId);
      const otherEscrow = await signSettlement(w, w.merchant, w.terms, {
        ...domain,
        verifyingContract: await w.usdc.getAddress(),
      });
      const otherChain = await signSettlement(w, w.merchant, w.terms, {
        ...domain,
        chainId: w.chainId + 1n,
      });
      for (const signature of [otherEscrow, otherChain]) {
        await expect(
          w.escrow.connect(w.buyer).settleWithSignature(w.offer, SPLIT, w.deadline, signature),
        )
          .to.be.revertedWithCustomError(w.escrow, "InvalidSettlementSignature")
          .withArgs(w.orderId, w.merchant.address);
      }
    });

    it("refuses other terms than those signed, and a party's own signature", async function () {
      const w = await networkHelpers.loadFixture(signedFixture);
      const signature = await signSettlement(w, w.merchant, w.terms);
      await expect(
        w.escrow.connect(w.buyer).settleWithSignature(w.offer, SPLIT + 1n, w.deadline, signature),
      )
        .to.be.revertedWithCustomError(w.escrow, "InvalidSettlementSignature")
        .withArgs(w.orderId, w.merchant.address);
      // The merchant cannot submit its own signature: the signer is always the other party.
      await expect(
        w.escrow.connect(w.merchant).settleWithSignature(w.offer, SPLIT, w.deadline, signature),
      )
        .to.be.revertedWithCustomError(w.escrow, "InvalidSettlementSignature")
        .withArgs(w.orderId, w.buyer.address);
    });

    it("reverts with SettlementExpired after the deadline", async function () {
      const w = await networkHelpers.loadFixture(signedFixture);
      const signature = await signSettlement(w, w.merchant, w.terms);
      await networkHelpers.time.setNextBlockTimestamp(w.deadline + 1n);
      await expect(
        w.escrow.connect(w.buyer).settleWithSignature(w.offer, SPLIT, w.deadline, signature),
      )
        .to.be.revertedWithCustomError(w.escrow, "SettlementExpired")
        .withArgs(w.orderId, w.deadline);
    });

    it("reverts with NotParty for a stranger submitting a valid signature", async function () {
      const w = await networkHelpers.loadFixture(signedFixture);
      const signature = await signSettlement(w, w.merchant, w.terms);
      await expect(
        w.escrow.connect(w.stranger).settleWithSignature(w.offer, SPLIT, w.deadline, signature),
      )
        .to.be.revertedWithCustomError(w.escrow, "NotParty")
        .withArgs(w.orderId, w.stranger.address);
    });

    it("lets the signer revoke its signature (SettlementSignatureRevoked); the revoked terms then fail", async function () {
      const w = await networkHelpers.loadFixture(signedFixture);
      const signature = await signSettlement(w, w.merchant, w.terms);
      await expect(
        w.escrow.connect(w.merchant).cancelSettlementSignature(w.offer, SPLIT, w.deadline),
      )
        .to.emit(w.escrow, "SettlementSignatureRevoked")
        .withArgs(w.orderId, w.merchant.address, SPLIT, w.deadline);
      await expect(
        w.escrow.connect(w.buyer).settleWithSignature(w.offer, SPLIT, w.deadline, signature),
      )
        .to.be.revertedWithCustomError(w.escrow, "SettlementSignatureCancelled")
        .withArgs(w.orderId, w.merchant.address);
      // Revoking its own signature of some terms does not revoke the other party's of the same.
      const buyers = await signSettlement(w, w.buyer, w.terms);
      await expect(
        w.escrow.connect(w.merchant).settleWithSignature(w.offer, SPLIT, w.deadline, buyers),
      ).to.emit(w.escrow, "OrderSettled");
    });

    it("reverts cancelSettlementSignature with NotParty for a stranger and InvalidOrderStatus once final", async function () {
      const w = await networkHelpers.loadFixture(signedFixture);
      await expect(
        w.escrow.connect(w.stranger).cancelSettlementSignature(w.offer, SPLIT, w.deadline),
      )
        .to.be.revertedWithCustomError(w.escrow, "NotParty")
        .withArgs(w.orderId, w.stranger.address);
      await w.escrow.connect(w.buyer).confirmReceipt(w.offer);
      await expect(w.escrow.connect(w.buyer).cancelSettlementSignature(w.offer, SPLIT, w.deadline))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(w.orderId, Status.Released);
    });

    it("voids the merchant's signature once the payout is assigned: the holder must sign", async function () {
      const w = await networkHelpers.loadFixture(signedFixture);
      const merchants = await signSettlement(w, w.merchant, w.terms);
      await w.escrow.connect(w.payee).assignPayout(w.offer, w.relayer.address);
      await expect(
        w.escrow.connect(w.buyer).settleWithSignature(w.offer, SPLIT, w.deadline, merchants),
      )
        .to.be.revertedWithCustomError(w.escrow, "InvalidSettlementSignature")
        .withArgs(w.orderId, w.relayer.address);
      const holders = await signSettlement(w, w.relayer, w.terms);
      await expect(
        w.escrow.connect(w.buyer).settleWithSignature(w.offer, SPLIT, w.deadline, holders),
      )
        .to.emit(w.escrow, "OrderSettled")
        .withArgs(
          w.orderId,
          w.relayer.address,
          w.buyer.address,
          SPLIT,
          PRICE - SPLIT - feeOn(PRICE - SPLIT),
          feeOn(PRICE - SPLIT),
        );
    });

    it("races a ruling: whichever lands second reverts with InvalidOrderStatus", async function () {
      const w = await networkHelpers.loadFixture(disputedFixture);
      const deadline = (await w.now()) + DAY;
      const signature = await signSettlement(w, w.buyer, {
        orderId: w.orderId,
        buyerAmount: SPLIT,
        deadline,
      });
      await w.escrow.connect(w.arbiter).resolveDispute(w.offer, 0n);
      await expect(
        w.escrow.connect(w.merchant).settleWithSignature(w.offer, SPLIT, deadline, signature),
      )
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(w.orderId, Status.Resolved);
    });
  });

  describe("a payout assigned to the buyer", function () {
    it("never lets the buyer settle with itself: its own acceptance and its own signature are refused", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      await w.escrow.connect(w.payee).assignPayout(offer, w.buyer.address);
      await w.escrow.connect(w.buyer).proposeSettlement(offer, SPLIT);
      await expect(w.escrow.connect(w.buyer).acceptSettlement(offer, SPLIT))
        .to.be.revertedWithCustomError(w.escrow, "NotParty")
        .withArgs(orderId, w.buyer.address);
      const deadline = (await w.now()) + DAY;
      const own = await signSettlement(w, w.buyer, { orderId, buyerAmount: SPLIT, deadline });
      await expect(w.escrow.connect(w.buyer).settleWithSignature(offer, SPLIT, deadline, own))
        .to.be.revertedWithCustomError(w.escrow, "NotParty")
        .withArgs(orderId, w.buyer.address);
    });
  });

  describe("the extension called directly", function () {
    it("acts on its own empty storage and asks itself for roles, so it moves nothing and grants nothing", async function () {
      const w = await networkHelpers.loadFixture(proposedFixture);
      // The escrow's constructor deployed it: the escrow's first contract creation.
      const address = ethers.getCreateAddress({ from: await w.escrow.getAddress(), nonce: 1 });
      const extension = await ethers.getContractAt("WaybillEscrowExtension", address);
      expect(await ethers.provider.getCode(address)).to.not.equal("0x");
      await expect(
        extension.connect(w.arbiter).resolveDispute(w.offer, 0n),
      ).to.be.revertedWithoutReason(ethers);
      await expect(extension.connect(w.admin).setFeeBps(0)).to.be.revertedWithoutReason(ethers);
      await expect(extension.connect(w.buyer).acceptSettlement(w.offer, SPLIT))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(await orderIdOf(extension, w.offer, w.chainId), Status.None);
      expect(await extension.settlementOf(w.orderId)).to.deep.equal([ethers.ZeroAddress, 0n]);
    });
  });

  describe("re-entrancy and hostile tokens", function () {
    async function reentrantFixture() {
      const w = await deployEscrow(ethers);
      const evil = await ethers.deployContract("ReentrantToken");
      await w.escrow.setTokenAllowed(await evil.getAddress(), true);
      await evil.mint(w.buyer.address, 10n * PRICE);
      await evil.connect(w.buyer).approve(await w.escrow.getAddress(), ethers.MaxUint256);
      const offer = await w.makeOffer({ token: await evil.getAddress() });
      const orderId = await w.pay(offer);
      await w.escrow.connect(w.merchant).proposeSettlement(offer, SPLIT);
      return { ...w, evil, offer, orderId };
    }

    it("blocks a hook re-entering the settlement: the guard's revert becomes credits, paid once", async function () {
      const w = await networkHelpers.loadFixture(reentrantFixture);
      const evil = await w.evil.getAddress();
      // The hook re-enters on every payout (its disarming reverts with the failed transfer).
      await w.evil.arm(
        await w.escrow.getAddress(),
        w.escrow.interface.encodeFunctionData("acceptSettlement", [w.offer, SPLIT]),
        true,
      );
      const sellerPart = PRICE - SPLIT;
      await expect(w.escrow.connect(w.buyer).acceptSettlement(w.offer, SPLIT))
        .to.emit(w.escrow, "PayoutCredited")
        .withArgs(evil, w.payee.address, sellerPart - feeOn(sellerPart))
        .and.to.emit(w.escrow, "PayoutCredited")
        .withArgs(evil, w.buyer.address, SPLIT);
      expect((await w.escrow.getOrder(w.orderId)).status).to.equal(Status.Resolved);
      // Nothing left the escrow twice: it holds exactly the credits and the fee.
      expect(await w.evil.balanceOf(await w.escrow.getAddress())).to.equal(PRICE);
      expect(
        (await w.escrow.credits(evil, w.payee.address)) +
          (await w.escrow.credits(evil, w.buyer.address)) +
          (await w.escrow.accruedFees(evil)),
      ).to.equal(PRICE);
    });
  });
});
