import { expect } from "chai";
import { network } from "hardhat";

import {
  FEE,
  INSPECTION,
  OrderStatus,
  PRICE,
  ShipmentStatus,
  UNIT_1,
  UNIT_2,
  UnitStatus,
  deployWaybillWorld,
} from "./helpers.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function waybillFixture() {
  return deployWaybillWorld(connection);
}

/** A delivered order carrying UNIT_1 and UNIT_2, recorded Delivered on the escrow. */
async function deliveredPassportOrderFixture() {
  const w = await deployWaybillWorld(connection);
  const offer = await w.makeOffer();
  const { orderId, shipmentId } = await w.payAndShip(offer, [UNIT_1, UNIT_2]);
  await w.recordJourney(shipmentId);
  await w.escrow.markDelivered(offer);
  return { ...w, offer, orderId, shipmentId };
}

describe("Integration: a failed passport hand-over never blocks the payout", function () {
  it("pays the seller and reports both ids when the merchant revoked the escrow's approval after shipping", async function () {
    const w = await networkHelpers.loadFixture(deliveredPassportOrderFixture);
    await w.passports.connect(w.merchant).setApprovalForAll(await w.escrow.getAddress(), false);
    const confirm = w.escrow.connect(w.buyer).confirmReceipt(w.offer);
    await expect(confirm)
      .to.emit(w.escrow, "OrderReleased")
      .withArgs(w.orderId, w.payee.address, PRICE - FEE, FEE)
      .and.to.emit(w.escrow, "PassportHandOverFailed")
      .withArgs(w.orderId, UNIT_1)
      .and.to.emit(w.escrow, "PassportHandOverFailed")
      .withArgs(w.orderId, UNIT_2)
      .and.not.to.emit(w.escrow, "PassportHandedOver");
    await expect(confirm).to.changeTokenBalances(
      ethers,
      w.usdc,
      [w.payee, w.escrow],
      [PRICE - FEE, -(PRICE - FEE)],
    );
    expect((await w.escrow.getOrder(w.orderId)).status).to.equal(OrderStatus.Released);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.merchant.address);
    expect(await w.passports.ownerOf(UNIT_2)).to.equal(w.merchant.address);
  });

  it("hands over the unit still held and reports the one the merchant transferred away", async function () {
    const w = await networkHelpers.loadFixture(deliveredPassportOrderFixture);
    await w.passports
      .connect(w.merchant)
      .transferFrom(w.merchant.address, w.stranger.address, UNIT_2);
    const confirm = w.escrow.connect(w.buyer).confirmReceipt(w.offer);
    await expect(confirm)
      .to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_1, w.buyer.address)
      .and.to.emit(w.escrow, "PassportHandOverFailed")
      .withArgs(w.orderId, UNIT_2)
      .and.to.emit(w.escrow, "OrderReleased")
      .withArgs(w.orderId, w.payee.address, PRICE - FEE, FEE);
    await expect(confirm).to.changeTokenBalance(ethers, w.usdc, w.payee, PRICE - FEE);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.buyer.address);
    expect(await w.passports.ownerOf(UNIT_2)).to.equal(w.stranger.address);
  });

  it("hands over the other unit and reports the one the merchant reported stolen, on a keeper's release", async function () {
    const w = await networkHelpers.loadFixture(deliveredPassportOrderFixture);
    await w.passports.connect(w.merchant).reportStolen(UNIT_1);
    const { deliveredAt } = await w.registry.getShipment(w.shipmentId);
    await networkHelpers.time.increaseTo(deliveredAt + INSPECTION);
    const release = w.escrow.connect(w.keeper).release(w.offer);
    await expect(release)
      .to.emit(w.escrow, "PassportHandOverFailed")
      .withArgs(w.orderId, UNIT_1)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_2, w.buyer.address)
      .and.to.emit(w.escrow, "OrderReleased")
      .withArgs(w.orderId, w.payee.address, PRICE - FEE, FEE);
    await expect(release).to.changeTokenBalance(ethers, w.usdc, w.payee, PRICE - FEE);
    const stolen = await w.passports.verify(UNIT_1);
    expect(stolen.owner).to.equal(w.merchant.address);
    expect(stolen.status).to.equal(UnitStatus.Stolen);
    expect(stolen.genuine).to.equal(false);
    expect(stolen.lastShipmentStatus).to.equal(ShipmentStatus.Delivered);
    expect(await w.passports.ownerOf(UNIT_2)).to.equal(w.buyer.address);
  });

  it("pays the seller and reports the id when the merchant burned a unit after shipping", async function () {
    const w = await networkHelpers.loadFixture(deliveredPassportOrderFixture);
    await w.passports.connect(w.merchant).burn(UNIT_2, 1);
    await expect(w.escrow.connect(w.buyer).confirmReceipt(w.offer))
      .to.emit(w.escrow, "PassportHandOverFailed")
      .withArgs(w.orderId, UNIT_2)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_1, w.buyer.address)
      .and.to.emit(w.escrow, "OrderReleased")
      .withArgs(w.orderId, w.payee.address, PRICE - FEE, FEE);
    expect((await w.passports.verify(UNIT_2)).status).to.equal(UnitStatus.Burned);
  });

  it("skips the passports a buyer confirms before the merchant linked the shipment", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const orderId = await w.payWithPermit(offer);
    await w.registry.connect(w.merchant).createShipment(w.newShipment(orderId, [UNIT_1]));
    await w.passports.connect(w.merchant).setApprovalForAll(await w.escrow.getAddress(), true);
    // Paid, not yet Shipped: the escrow never read the shipment, so it moves no passport.
    await expect(w.escrow.connect(w.buyer).confirmReceipt(offer))
      .to.emit(w.escrow, "OrderReleased")
      .withArgs(orderId, w.payee.address, PRICE - FEE, FEE)
      .and.not.to.emit(w.escrow, "PassportHandedOver");
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.merchant.address);
  });
});

describe("Integration: one passport put on two orders' shipments", function () {
  it("hands the unit to the first buyer and reports it failed for the second, whose payout still goes ahead", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const first = await w.makeOffer();
    const second = await w.makeOffer({ buyer: w.buyer2.address });
    const a = await w.payAndShip(first, [UNIT_1]);
    // Nothing stops the merchant from listing the same unit on a second open order's shipment.
    const b = await w.payAndShip(second, [UNIT_1], w.buyer2);
    expect(await w.passports.lastShipmentOf(UNIT_1)).to.equal(b.shipmentId);
    await w.recordJourney(a.shipmentId);
    await w.recordJourney(b.shipmentId);
    await expect(w.escrow.connect(w.buyer).confirmReceipt(first))
      .to.emit(w.escrow, "PassportHandedOver")
      .withArgs(a.orderId, UNIT_1, w.buyer.address);
    await expect(w.escrow.connect(w.buyer2).confirmReceipt(second))
      .to.emit(w.escrow, "PassportHandOverFailed")
      .withArgs(b.orderId, UNIT_1)
      .and.to.emit(w.escrow, "OrderReleased")
      .withArgs(b.orderId, w.payee.address, PRICE - FEE, FEE);
    // The passport names the second order's shipment as its last, though it travelled in the first.
    const passport = await w.passports.verify(UNIT_1);
    expect(passport.owner).to.equal(w.buyer.address);
    expect(passport.lastShipmentId).to.equal(b.shipmentId);
  });
});
