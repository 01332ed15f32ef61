import { expect } from "chai";
import { ZeroAddress, id } from "ethers";
import { network } from "hardhat";

import {
  ARBITRATION_PERIOD,
  FEE_BPS,
  OrderStatus,
  PRICE,
  UNIT_1,
  UNIT_2,
  deployWaybillWorld,
} from "./helpers.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

/** A delivered order carrying UNIT_1 and UNIT_2 that the buyer disputed inside the window. */
async function disputedPassportOrderFixture() {
  const w = await deployWaybillWorld(connection);
  const offer = await w.makeOffer();
  const { orderId, shipmentId } = await w.payAndShip(offer, [UNIT_1, UNIT_2]);
  await w.recordJourney(shipmentId);
  await w.escrow.markDelivered(offer);
  await w.escrow.connect(w.buyer).openDispute(offer);
  const disputedAt = (await w.escrow.getOrder(orderId)).stamp;
  return { ...w, offer, orderId, shipmentId, disputedAt };
}

async function waybillFixture() {
  return deployWaybillWorld(connection);
}

function split(buyerAmount: bigint) {
  const sellerPart = PRICE - buyerAmount;
  const fee = (sellerPart * FEE_BPS) / 10_000n;
  return { sellerAmount: sellerPart - fee, fee };
}

describe("Integration: disputes over an order with passports", function () {
  it("takes evidence from the parties only and refuses a release while the order is disputed", async function () {
    const w = await networkHelpers.loadFixture(disputedPassportOrderFixture);
    const order = await w.escrow.getOrder(w.orderId);
    expect(order.status).to.equal(OrderStatus.Disputed);
    const evidence = id("photo of the damaged parcel");
    await expect(
      w.escrow
        .connect(w.merchant)
        .submitEvidence(
          w.offer,
          evidence,
          "ipfs://bafy-proof",
          "The parcel left our warehouse intact; see the courier's scan.",
        ),
    )
      .to.emit(w.escrow, "Evidence")
      .withArgs(
        w.orderId,
        w.merchant.address,
        evidence,
        "ipfs://bafy-proof",
        "The parcel left our warehouse intact; see the courier's scan.",
      );
    await expect(w.escrow.connect(w.carrierB).submitEvidence(w.offer, evidence, "", ""))
      .to.be.revertedWithCustomError(w.escrow, "NotParty")
      .withArgs(w.orderId, w.carrierB.address);
    await expect(w.escrow.connect(w.buyer).release(w.offer))
      .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
      .withArgs(w.orderId, OrderStatus.Disputed);
  });

  it("emits Dispute with a ruling deadline ARBITRATION_PERIOD after the buyer disputes", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShip(offer, []);
    await w.recordJourney(shipmentId);
    await w.escrow.markDelivered(offer);
    const tx = await w.escrow.connect(w.buyer).openDispute(offer);
    const at = BigInt((await tx.getBlock())!.timestamp);
    await expect(tx)
      .to.emit(w.escrow, "Dispute")
      .withArgs(orderId, w.buyer.address, at + ARBITRATION_PERIOD);
  });

  it("splits a ruling below the price and moves both passports to the buyer, who keeps the goods", async function () {
    const w = await networkHelpers.loadFixture(disputedPassportOrderFixture);
    const buyerAmount = 10_000_000n;
    const { sellerAmount, fee } = split(buyerAmount);
    const ruling = w.escrow.connect(w.admin).resolveDispute(w.offer, buyerAmount);
    await expect(ruling)
      .to.emit(w.escrow, "DisputeResolved")
      .withArgs(w.orderId, w.admin.address, buyerAmount, sellerAmount, fee)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_1, w.buyer.address)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_2, w.buyer.address);
    await expect(ruling).to.changeTokenBalances(
      ethers,
      w.usdc,
      [w.buyer, w.payee, w.escrow],
      [buyerAmount, sellerAmount, -(buyerAmount + sellerAmount)],
    );
    expect(await w.escrow.accruedFees(await w.usdc.getAddress())).to.equal(fee);
    expect((await w.escrow.getOrder(w.orderId)).status).to.equal(OrderStatus.Resolved);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.buyer.address);
    expect(await w.passports.ownerOf(UNIT_2)).to.equal(w.buyer.address);
    await expect(w.escrow.connect(w.buyer).review(w.offer, 2, "arrived damaged"))
      .to.emit(w.escrow, "Reviewed")
      .withArgs(w.orderId, w.merchant.address, 2, "arrived damaged");
  });

  it("moves the passports even when the seller's part is a single unit", async function () {
    const w = await networkHelpers.loadFixture(disputedPassportOrderFixture);
    await expect(w.escrow.connect(w.admin).resolveDispute(w.offer, PRICE - 1n))
      .to.emit(w.escrow, "DisputeResolved")
      .withArgs(w.orderId, w.admin.address, PRICE - 1n, 1n, 0n)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_1, w.buyer.address);
    expect(await w.passports.ownerOf(UNIT_2)).to.equal(w.buyer.address);
  });

  it("refunds the full price on a full ruling for the buyer and leaves the passports with the merchant", async function () {
    const w = await networkHelpers.loadFixture(disputedPassportOrderFixture);
    const ruling = w.escrow.connect(w.admin).resolveDispute(w.offer, PRICE);
    await expect(ruling)
      .to.emit(w.escrow, "DisputeResolved")
      .withArgs(w.orderId, w.admin.address, PRICE, 0n, 0n)
      .and.not.to.emit(w.escrow, "PassportHandedOver");
    await expect(ruling).to.changeTokenBalances(
      ethers,
      w.usdc,
      [w.buyer, w.payee, w.escrow],
      [PRICE, 0n, -PRICE],
    );
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.merchant.address);
    expect(await w.passports.ownerOf(UNIT_2)).to.equal(w.merchant.address);
  });

  it("reverts with BuyerAmountTooHigh above the price, and lets only an arbiter rule", async function () {
    const w = await networkHelpers.loadFixture(disputedPassportOrderFixture);
    await expect(w.escrow.connect(w.admin).resolveDispute(w.offer, PRICE + 1n))
      .to.be.revertedWithCustomError(w.escrow, "BuyerAmountTooHigh")
      .withArgs(PRICE + 1n, PRICE);
    await expect(w.escrow.connect(w.buyer).resolveDispute(w.offer, PRICE))
      .to.be.revertedWithCustomError(w.escrow, "AccessControlUnauthorizedAccount")
      .withArgs(w.buyer.address, await w.escrow.ARBITER_ROLE());
  });

  it("applies the default even split after the arbitration period and hands the passports to the buyer", async function () {
    const w = await networkHelpers.loadFixture(disputedPassportOrderFixture);
    const endsAt = w.disputedAt + ARBITRATION_PERIOD;
    await networkHelpers.time.increaseTo(endsAt - 2n);
    await expect(w.escrow.connect(w.keeper).applyDefaultRuling(w.offer))
      .to.be.revertedWithCustomError(w.escrow, "ArbitrationPeriodRunning")
      .withArgs(w.orderId, endsAt);
    await networkHelpers.time.increaseTo(endsAt - 1n);
    const buyerAmount = PRICE / 2n;
    const { sellerAmount, fee } = split(buyerAmount);
    const ruling = w.escrow.connect(w.keeper).applyDefaultRuling(w.offer);
    await expect(ruling)
      .to.emit(w.escrow, "DisputeResolved")
      .withArgs(w.orderId, ZeroAddress, buyerAmount, sellerAmount, fee)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_1, w.buyer.address)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_2, w.buyer.address);
    await expect(ruling).to.changeTokenBalances(
      ethers,
      w.usdc,
      [w.buyer, w.payee, w.keeper],
      [buyerAmount, sellerAmount, 0n],
    );
    expect((await w.escrow.getOrder(w.orderId)).status).to.equal(OrderStatus.Resolved);
    await expect(w.escrow.connect(w.admin).resolveDispute(w.offer, 0n))
      .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
      .withArgs(w.orderId, OrderStatus.Resolved);
  });
});
