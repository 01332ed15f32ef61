import { expect } from "chai";
import { network } from "hardhat";

import { findLastShipment, readLastShipment } from "@waybill/sdk";
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

describe("Integration: the escrow holds the passports while the order is open", function () {
  it("takes both units into custody at markShipped", async function () {
    const w = await networkHelpers.loadFixture(deliveredPassportOrderFixture);
    const escrowAddress = await w.escrow.getAddress();
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(escrowAddress);
    expect(await w.passports.ownerOf(UNIT_2)).to.equal(escrowAddress);
    expect((await findLastShipment(w.passports, UNIT_1))?.shipmentId).to.equal(w.shipmentId);
  });

  it("hands both units to the buyer even after the merchant revoked the escrow's approval", async function () {
    const w = await networkHelpers.loadFixture(deliveredPassportOrderFixture);
    await w.passports.connect(w.merchant).setApprovalForAll(await w.escrow.getAddress(), false);
    const confirm = w.escrow.connect(w.buyer).confirmReceipt(w.offer);
    await expect(confirm)
      .to.emit(w.escrow, "OrderReleased")
      .withArgs(w.orderId, w.payee.address, PRICE - FEE, FEE)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_1, w.buyer.address)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_2, w.buyer.address)
      .and.not.to.emit(w.escrow, "PassportHandOverFailed");
    await expect(confirm).to.changeTokenBalances(
      ethers,
      w.usdc,
      [w.payee, w.escrow],
      [PRICE - FEE, -(PRICE - FEE)],
    );
    expect((await w.escrow.getOrder(w.orderId)).status).to.equal(OrderStatus.Released);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.buyer.address);
    expect(await w.passports.ownerOf(UNIT_2)).to.equal(w.buyer.address);
  });

  it("stops the merchant transferring, burning or reporting stolen a unit in transit", async function () {
    const w = await networkHelpers.loadFixture(deliveredPassportOrderFixture);
    await expect(
      w.passports.connect(w.merchant).transferFrom(w.merchant.address, w.stranger.address, UNIT_2),
    )
      .to.be.revertedWithCustomError(w.passports, "ERC721InsufficientApproval")
      .withArgs(w.merchant.address, UNIT_2);
    await expect(w.passports.connect(w.merchant).burn(UNIT_2, 1))
      .to.be.revertedWithCustomError(w.passports, "ERC721InsufficientApproval")
      .withArgs(w.merchant.address, UNIT_2);
    await expect(w.passports.connect(w.merchant).reportStolen(UNIT_1))
      .to.be.revertedWithCustomError(w.passports, "NotUnitOwner")
      .withArgs(UNIT_1, w.merchant.address);
  });

  it("hands both units over on a keeper's release once the window that started on-chain closed", async function () {
    const w = await networkHelpers.loadFixture(deliveredPassportOrderFixture);
    const endsAt = (await w.escrow.getOrder(w.orderId)).stamp + INSPECTION;
    await networkHelpers.time.increaseTo(endsAt);
    const release = w.escrow.connect(w.keeper).release(w.offer);
    await expect(release)
      .to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_1, w.buyer.address)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_2, w.buyer.address)
      .and.to.emit(w.escrow, "OrderReleased")
      .withArgs(w.orderId, w.payee.address, PRICE - FEE, FEE);
    await expect(release).to.changeTokenBalance(ethers, w.usdc, w.payee, PRICE - FEE);
    const passport = await w.passports.verify(UNIT_1);
    expect(passport.owner).to.equal(w.buyer.address);
    expect(passport.status).to.equal(UnitStatus.Active);
    expect((await readLastShipment(w.passports, w.registry, UNIT_1))?.status).to.equal(
      ShipmentStatus.Delivered,
    );
  });

  it("returns both units to the merchant when the merchant refunds a shipped order", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const { orderId } = await w.payAndShip(offer, [UNIT_1, UNIT_2]);
    await expect(w.escrow.connect(w.merchant).refund(offer))
      .to.emit(w.escrow, "PassportReturned")
      .withArgs(orderId, UNIT_1, w.merchant.address)
      .and.to.emit(w.escrow, "PassportReturned")
      .withArgs(orderId, UNIT_2, w.merchant.address);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.merchant.address);
    expect(await w.passports.ownerOf(UNIT_2)).to.equal(w.merchant.address);
  });

  it("skips the passports a buyer confirms before the merchant linked the shipment", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const orderId = await w.payWithPermit(offer);
    await w.registry.connect(w.merchant).createShipment(w.newShipment(orderId, [UNIT_1]));
    await w.passports.connect(w.merchant).setApprovalForAll(await w.escrow.getAddress(), true);
    // Paid, not yet Shipped: the escrow never took the unit, so it moves no passport.
    await expect(w.escrow.connect(w.buyer).confirmReceipt(offer))
      .to.emit(w.escrow, "OrderReleased")
      .withArgs(orderId, w.payee.address, PRICE - FEE, FEE)
      .and.not.to.emit(w.escrow, "PassportHandedOver");
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.merchant.address);
  });
});

describe("Integration: one passport put on two orders' shipments", function () {
  it("refuses the second shipment at the registry once the escrow holds the unit", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const first = await w.makeOffer();
    const second = await w.makeOffer({ buyer: w.buyer2.address });
    await w.payAndShip(first, [UNIT_1]);
    const secondId = await w.payWithPermit(second, w.buyer2);
    await expect(w.registry.connect(w.merchant).createShipment(w.newShipment(secondId, [UNIT_1])))
      .to.be.revertedWithCustomError(w.passports, "PassportNotOwnedByShipper")
      .withArgs(UNIT_1, w.merchant.address);
  });

  it("reverts the second markShipped when both shipments were created before either was linked", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const first = await w.makeOffer();
    const second = await w.makeOffer({ buyer: w.buyer2.address });
    const secondId = await w.payWithPermit(second, w.buyer2);
    await w.registry.connect(w.merchant).createShipment(w.newShipment(secondId, [UNIT_1]));
    const a = await w.payAndShip(first, [UNIT_1]);
    await expect(w.escrow.connect(w.merchant).markShipped(second))
      .to.be.revertedWithCustomError(w.passports, "ERC721IncorrectOwner")
      .withArgs(w.merchant.address, UNIT_1, await w.escrow.getAddress());
    expect((await w.escrow.getOrder(secondId)).status).to.equal(OrderStatus.Paid);
    await w.recordJourney(a.shipmentId);
    await expect(w.escrow.connect(w.buyer).confirmReceipt(first))
      .to.emit(w.escrow, "PassportHandedOver")
      .withArgs(a.orderId, UNIT_1, w.buyer.address);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.buyer.address);
  });
});
