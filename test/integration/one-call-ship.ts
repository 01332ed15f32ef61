import { expect } from "chai";
import { type ContractTransactionResponse, id } from "ethers";
import { network } from "hardhat";

import { findLastShipment } from "@waybill/sdk";
import {
  EventCode,
  FEE,
  HAMBURG,
  OrderStatus,
  PRICE,
  SHANGHAI,
  SHIP_WITHIN,
  ShipmentStatus,
  UNIT_1,
  UNIT_2,
  UNIT_3,
  ZeroAddress,
  deployWaybillWorld,
} from "./helpers.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function waybillFixture() {
  return deployWaybillWorld(connection);
}

/** A paid order the merchant has not shipped yet. */
async function paidOrderFixture() {
  const w = await deployWaybillWorld(connection);
  const offer = await w.makeOffer();
  const orderId = await w.payWithPermit(offer);
  return { ...w, offer, orderId, shipmentId: await w.shipmentIdOf(offer) };
}

/** An order shipped in one call with UNIT_1 and UNIT_2, and a theft desk (the admin). */
async function shippedPassportOrderFixture() {
  const w = await deployWaybillWorld(connection);
  const offer = await w.makeOffer();
  const { orderId, shipmentId } = await w.payAndShipInOneCall(offer, [UNIT_1, UNIT_2]);
  await w.passports.grantRole(await w.passports.THEFT_REGISTRAR_ROLE(), w.admin.address);
  return { ...w, offer, orderId, shipmentId };
}

describe("Integration: one-call ship", function () {
  it("creates the merchant's registry shipment for the order and links it in one transaction", async function () {
    const w = await networkHelpers.loadFixture(paidOrderFixture);
    const shipment = w.newShipment(w.orderId);
    const tx = w.escrow.connect(w.merchant).ship(w.offer, shipment);
    await expect(tx)
      .to.emit(w.registry, "ShipmentCreated")
      .withArgs(
        w.shipmentId,
        w.merchant.address,
        w.carrierA.address,
        w.orderId,
        SHANGHAI,
        HAMBURG,
        shipment.documentsHash,
        [],
      )
      .and.to.emit(w.escrow, "OrderShipped")
      .withArgs(w.orderId, w.shipmentId, false);
    // The id is the one anyone derives from public data: the merchant and the order id.
    expect(w.shipmentId).to.equal(await w.registry.shipmentIdOf(w.merchant.address, w.orderId));
    expect((await w.registry.getShipment(w.shipmentId)).status).to.equal(ShipmentStatus.Created);
    const order = await w.escrow.getOrder(w.orderId);
    expect(order.status).to.equal(OrderStatus.Shipped);
    expect(order.flags).to.equal(0n);
  });

  it("lets carriers record on it as on any shipment, up to a keeper's release", async function () {
    const w = await networkHelpers.loadFixture(paidOrderFixture);
    await w.escrow.connect(w.merchant).ship(w.offer, w.newShipment(w.orderId));
    await w.recordJourney(w.shipmentId);
    await w.escrow.connect(w.keeper).markDelivered(w.offer);
    await networkHelpers.time.increase(8n * 24n * 3600n);
    await expect(w.escrow.connect(w.keeper).release(w.offer))
      .to.emit(w.escrow, "OrderReleased")
      .withArgs(w.orderId, w.payee.address, PRICE - FEE, FEE);
  });

  it("takes the passports into custody in the same call, after the passport contract checked the merchant owns them", async function () {
    const w = await networkHelpers.loadFixture(paidOrderFixture);
    await w.passports.connect(w.merchant).setApprovalForAll(await w.escrow.getAddress(), true);
    const tx = w.escrow
      .connect(w.merchant)
      .ship(w.offer, w.newShipment(w.orderId, [UNIT_1, UNIT_2]));
    await expect(tx)
      .to.emit(w.passports, "PassportShipped")
      .withArgs(UNIT_1, w.shipmentId)
      .and.to.emit(w.passports, "PassportShipped")
      .withArgs(UNIT_2, w.shipmentId)
      .and.to.emit(w.escrow, "OrderShipped")
      .withArgs(w.orderId, w.shipmentId, true);
    const escrowAddress = await w.escrow.getAddress();
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(escrowAddress);
    expect(await w.passports.ownerOf(UNIT_2)).to.equal(escrowAddress);
    expect((await findLastShipment(w.passports, UNIT_1))?.shipmentId).to.equal(w.shipmentId);
    expect((await w.escrow.getOrder(w.orderId)).flags).to.equal(1n);
  });

  it("refuses a caller that is not the offer's merchant", async function () {
    const w = await networkHelpers.loadFixture(paidOrderFixture);
    await expect(w.escrow.connect(w.stranger).ship(w.offer, w.newShipment(w.orderId)))
      .to.be.revertedWithCustomError(w.escrow, "NotMerchant")
      .withArgs(w.orderId, w.stranger.address, w.merchant.address);
  });

  it("refuses an unpaid offer and an order already shipped", async function () {
    const w = await networkHelpers.loadFixture(paidOrderFixture);
    const unpaid = await w.makeOffer();
    const unpaidId = await w.orderIdOf(unpaid);
    await expect(w.escrow.connect(w.merchant).ship(unpaid, w.newShipment(unpaidId)))
      .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
      .withArgs(unpaidId, OrderStatus.None);
    await w.escrow.connect(w.merchant).ship(w.offer, w.newShipment(w.orderId));
    await expect(w.escrow.connect(w.merchant).ship(w.offer, w.newShipment(w.orderId)))
      .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
      .withArgs(w.orderId, OrderStatus.Shipped);
  });

  it("refuses to ship after the ship-by deadline", async function () {
    const w = await networkHelpers.loadFixture(paidOrderFixture);
    const paidAt = (await w.escrow.getOrder(w.orderId)).stamp;
    await networkHelpers.time.increaseTo(paidAt + SHIP_WITHIN + 1n);
    await expect(w.escrow.connect(w.merchant).ship(w.offer, w.newShipment(w.orderId)))
      .to.be.revertedWithCustomError(w.escrow, "ShipByDeadlinePassed")
      .withArgs(w.orderId, paidAt + SHIP_WITHIN);
  });

  it("refuses a shipment whose reference is not the order id, so the id stays derivable", async function () {
    const w = await networkHelpers.loadFixture(paidOrderFixture);
    const other = id("another reference");
    await expect(w.escrow.connect(w.merchant).ship(w.offer, w.newShipment(other)))
      .to.be.revertedWithCustomError(w.escrow, "ShipmentRefNotOrder")
      .withArgs(w.orderId, other);
  });

  it("refuses passports the escrow is not approved for, and units the merchant does not own", async function () {
    const w = await networkHelpers.loadFixture(paidOrderFixture);
    await expect(w.escrow.connect(w.merchant).ship(w.offer, w.newShipment(w.orderId, [UNIT_1])))
      .to.be.revertedWithCustomError(w.escrow, "PassportsNotApproved")
      .withArgs(w.merchant.address);
    await w.passports.connect(w.merchant).setApprovalForAll(await w.escrow.getAddress(), true);
    await w.passports
      .connect(w.merchant)
      .transferFrom(w.merchant.address, w.stranger.address, UNIT_3);
    await expect(
      w.escrow.connect(w.merchant).ship(w.offer, w.newShipment(w.orderId, [UNIT_1, UNIT_3])),
    )
      .to.be.revertedWithCustomError(w.passports, "PassportNotOwnedByShipper")
      .withArgs(UNIT_3, w.merchant.address);
    expect((await w.escrow.getOrder(w.orderId)).status).to.equal(OrderStatus.Paid);
  });

  it("refuses when the merchant already created the shipment elsewhere (markShipped links that one)", async function () {
    const w = await networkHelpers.loadFixture(paidOrderFixture);
    await w.registry.connect(w.merchant).createShipment(w.newShipment(w.orderId));
    await expect(w.escrow.connect(w.merchant).ship(w.offer, w.newShipment(w.orderId)))
      .to.be.revertedWithCustomError(w.registry, "ShipmentAlreadyExists")
      .withArgs(w.shipmentId);
    await expect(w.escrow.connect(w.merchant).markShipped(w.offer))
      .to.emit(w.escrow, "OrderShipped")
      .withArgs(w.orderId, w.shipmentId, false);
  });
});

describe("Integration: the registry's trust in the escrow", function () {
  it("names the escrow set at deployment", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    expect(await w.registry.escrow()).to.equal(await w.escrow.getAddress());
  });

  it("lets nobody but the escrow create a shipment in another shipper's name", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    await expect(
      w.registry
        .connect(w.stranger)
        .createShipmentFor(w.merchant.address, w.newShipment(id("ref"))),
    )
      .to.be.revertedWithCustomError(w.registry, "NotEscrow")
      .withArgs(w.stranger.address);
  });

  it("sets the escrow once, to a non-zero address, by the admin only", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const escrowAddress = await w.escrow.getAddress();
    await expect(w.registry.setEscrow(w.stranger.address))
      .to.be.revertedWithCustomError(w.registry, "EscrowAlreadySet")
      .withArgs(escrowAddress);
    const fresh = await ethers.deployContract("ShipmentRegistry", [
      w.admin.address,
      0,
      ZeroAddress,
    ]);
    await expect(fresh.connect(w.stranger).setEscrow(escrowAddress))
      .to.be.revertedWithCustomError(fresh, "AccessControlUnauthorizedAccount")
      .withArgs(w.stranger.address, await fresh.DEFAULT_ADMIN_ROLE());
    await expect(fresh.setEscrow(ZeroAddress))
      .to.be.revertedWithCustomError(fresh, "InvalidAccount")
      .withArgs(ZeroAddress);
    await expect(fresh.setEscrow(escrowAddress))
      .to.emit(fresh, "EscrowSet")
      .withArgs(escrowAddress);
    expect(await fresh.escrow()).to.equal(escrowAddress);
  });

  it("answers release's lean question: the carrier behind the shipment and whether it is suspended", async function () {
    const w = await networkHelpers.loadFixture(paidOrderFixture);
    await w.escrow.connect(w.merchant).ship(w.offer, w.newShipment(w.orderId));
    await w.recordJourney(w.shipmentId);
    expect(await w.registry.carrierStandingOf(w.merchant.address, w.orderId)).to.deep.equal([
      w.carrierB.address,
      false,
    ]);
    await w.registry.suspendCarrier(w.carrierB.address);
    expect(await w.registry.carrierStandingOf(w.merchant.address, w.orderId)).to.deep.equal([
      w.carrierB.address,
      true,
    ]);
  });
});

describe("Integration: a buyer who confirms straight away keeps the review", function () {
  it("reviews an order confirmed while the registry shows an independent delivery, without markDelivered", async function () {
    const w = await networkHelpers.loadFixture(paidOrderFixture);
    await w.escrow.connect(w.merchant).ship(w.offer, w.newShipment(w.orderId));
    await w.recordJourney(w.shipmentId);
    await w.escrow.connect(w.buyer).confirmReceipt(w.offer);
    expect((await w.escrow.getOrder(w.orderId)).flags & 4n).to.equal(0n);
    await expect(w.escrow.connect(w.buyer).review(w.offer, 5, "great"))
      .to.emit(w.escrow, "Reviewed")
      .withArgs(w.orderId, w.merchant.address, 5, "great");
    expect(await w.escrow.ratingOf(w.merchant.address)).to.deep.equal([1n, 5n]);
    await expect(w.escrow.connect(w.buyer).review(w.offer, 4, "again"))
      .to.be.revertedWithCustomError(w.escrow, "AlreadyReviewed")
      .withArgs(w.orderId);
  });

  it("refuses the review while the registry shows no delivery, and while the delivering carrier is suspended", async function () {
    const w = await networkHelpers.loadFixture(paidOrderFixture);
    await w.escrow.connect(w.merchant).ship(w.offer, w.newShipment(w.orderId));
    await w.escrow.connect(w.buyer).confirmReceipt(w.offer);
    await expect(w.escrow.connect(w.buyer).review(w.offer, 5, "early"))
      .to.be.revertedWithCustomError(w.escrow, "ReviewNotAllowed")
      .withArgs(w.orderId);
    await w.recordJourney(w.shipmentId);
    await w.registry.suspendCarrier(w.carrierB.address);
    await expect(w.escrow.connect(w.buyer).review(w.offer, 5, "suspended"))
      .to.be.revertedWithCustomError(w.escrow, "ReviewNotAllowed")
      .withArgs(w.orderId);
    await w.registry.reinstateCarrier(w.carrierB.address);
    await expect(w.escrow.connect(w.buyer).review(w.offer, 5, "now")).to.emit(w.escrow, "Reviewed");
  });

  it("refuses the review of a delivery dated before the payment", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const orderId = await w.orderIdOf(offer);
    // The order id is known before payment, so a shipment can be created and delivered first.
    await w.registry.connect(w.merchant).createShipment(w.newShipment(orderId));
    await w.recordJourney(await w.shipmentIdOf(offer));
    await w.payWithPermit(offer);
    await w.escrow.connect(w.buyer).confirmReceipt(offer);
    await expect(w.escrow.connect(w.buyer).review(offer, 5, "old parcel"))
      .to.be.revertedWithCustomError(w.escrow, "ReviewNotAllowed")
      .withArgs(orderId);
  });

  it("refuses the review of a delivery recorded by the order's own merchant acting as a carrier", async function () {
    const w = await networkHelpers.loadFixture(paidOrderFixture);
    await w.registry.registerCarrier(w.merchant.address, "0x4d45524300000000");
    const shipment = { ...w.newShipment(w.orderId), carrier: w.merchant.address };
    await w.escrow.connect(w.merchant).ship(w.offer, shipment);
    await w.record(w.shipmentId, w.merchant, [
      { code: EventCode.PickedUp, location: SHANGHAI },
      { code: EventCode.Delivered, location: HAMBURG },
    ]);
    await w.escrow.connect(w.buyer).confirmReceipt(w.offer);
    await expect(w.escrow.connect(w.buyer).review(w.offer, 5, "self"))
      .to.be.revertedWithCustomError(w.escrow, "ReviewNotAllowed")
      .withArgs(w.orderId);
  });
});

/** The units named by the escrow's `name` events in a transaction's receipt, in log order. */
async function unitsIn(
  w: Awaited<ReturnType<typeof shippedPassportOrderFixture>>,
  tx: Promise<ContractTransactionResponse>,
  name: string,
): Promise<bigint[]> {
  const receipt = await (await tx).wait();
  return receipt!.logs
    .map((log) => w.escrow.interface.parseLog(log))
    .filter((event) => event?.name === name)
    .map((event) => event!.args.tokenId as bigint);
}

describe("Integration: retrying a passport hand-over the passport contract refused", function () {
  it("hands a unit flagged stolen in custody to the buyer once the flag is cleared, and only that unit, once", async function () {
    const w = await networkHelpers.loadFixture(shippedPassportOrderFixture);
    await w.passports.flagStolen(UNIT_1, id("police report 1"));
    await expect(w.escrow.connect(w.buyer).confirmReceipt(w.offer))
      .to.emit(w.escrow, "PassportHandOverFailed")
      .withArgs(w.orderId, UNIT_1)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_2, w.buyer.address);
    // Still flagged: the retry reports the failure again, keeps the unit and its record.
    const refused = w.escrow.connect(w.stranger).retryPassportHandOver(w.offer);
    await expect(refused)
      .to.emit(w.escrow, "PassportHandOverFailed")
      .withArgs(w.orderId, UNIT_1)
      .and.not.to.emit(w.escrow, "PassportHandedOver");
    expect(await unitsIn(w, refused, "PassportHandOverFailed")).to.deep.equal([UNIT_1]);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(await w.escrow.getAddress());
    await w.passports.clearStolen(UNIT_1);
    const retry = w.escrow.connect(w.stranger).retryPassportHandOver(w.offer);
    await expect(retry)
      .to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_1, w.buyer.address)
      .and.not.to.emit(w.escrow, "PassportHandOverFailed");
    // UNIT_2, handed over at completion, is not tried again.
    expect(await unitsIn(w, retry, "PassportHandedOver")).to.deep.equal([UNIT_1]);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.buyer.address);
    await expect(w.escrow.connect(w.stranger).retryPassportHandOver(w.offer))
      .to.be.revertedWithCustomError(w.escrow, "NoPassportsInCustody")
      .withArgs(w.orderId);
  });

  it("retries every unit refused at completion and keeps pending only those refused again", async function () {
    const w = await networkHelpers.loadFixture(shippedPassportOrderFixture);
    await w.passports.flagStolen(UNIT_1, id("police report 1"));
    await w.passports.flagStolen(UNIT_2, id("police report 2"));
    await w.escrow.connect(w.buyer).confirmReceipt(w.offer);
    await w.passports.clearStolen(UNIT_2);
    const first = w.escrow.connect(w.stranger).retryPassportHandOver(w.offer);
    await expect(first)
      .to.emit(w.escrow, "PassportHandOverFailed")
      .withArgs(w.orderId, UNIT_1)
      .and.to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_2, w.buyer.address);
    await w.passports.clearStolen(UNIT_1);
    const second = w.escrow.connect(w.stranger).retryPassportHandOver(w.offer);
    expect(await unitsIn(w, second, "PassportHandedOver")).to.deep.equal([UNIT_1]);
    expect(await w.passports.balanceOf(w.buyer.address)).to.equal(2n);
  });

  it("returns the unit to the merchant when the order was refunded", async function () {
    const w = await networkHelpers.loadFixture(shippedPassportOrderFixture);
    await w.passports.flagStolen(UNIT_2, id("police report 2"));
    await expect(w.escrow.connect(w.merchant).refund(w.offer))
      .to.emit(w.escrow, "PassportReturnFailed")
      .withArgs(w.orderId, UNIT_2);
    await w.passports.clearStolen(UNIT_2);
    await expect(w.escrow.connect(w.keeper).retryPassportHandOver(w.offer))
      .to.emit(w.escrow, "PassportReturned")
      .withArgs(w.orderId, UNIT_2, w.merchant.address);
    expect(await w.passports.ownerOf(UNIT_2)).to.equal(w.merchant.address);
  });

  it("returns the units to the merchant after a full-refund ruling, and to the buyer after a split", async function () {
    const w = await networkHelpers.loadFixture(shippedPassportOrderFixture);
    await w.recordJourney(w.shipmentId);
    await w.escrow.connect(w.buyer).openDispute(w.offer);
    await w.passports.flagStolen(UNIT_1, id("police report 1"));
    await expect(w.escrow.resolveDispute(w.offer, PRICE))
      .to.emit(w.escrow, "PassportReturnFailed")
      .withArgs(w.orderId, UNIT_1);
    await w.passports.clearStolen(UNIT_1);
    await expect(w.escrow.connect(w.stranger).retryPassportHandOver(w.offer))
      .to.emit(w.escrow, "PassportReturned")
      .withArgs(w.orderId, UNIT_1, w.merchant.address);

    const split = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShipInOneCall(split, [UNIT_3]);
    await w.recordJourney(shipmentId);
    await w.escrow.connect(w.buyer).openDispute(split);
    await w.passports.flagStolen(UNIT_3, id("police report 3"));
    await expect(w.escrow.resolveDispute(split, PRICE / 2n))
      .to.emit(w.escrow, "PassportHandOverFailed")
      .withArgs(orderId, UNIT_3);
    await w.passports.clearStolen(UNIT_3);
    await expect(w.escrow.connect(w.stranger).retryPassportHandOver(split))
      .to.emit(w.escrow, "PassportHandedOver")
      .withArgs(orderId, UNIT_3, w.buyer.address);
  });

  it("never takes a unit handed over at completion and shipped again on a newer order, even back in the escrow's custody", async function () {
    const w = await networkHelpers.loadFixture(shippedPassportOrderFixture);
    await w.passports.flagStolen(UNIT_2, id("police report 2"));
    await w.escrow.connect(w.buyer).confirmReceipt(w.offer);
    // UNIT_1 reached the buyer, who sells it back; the merchant ships it again on a new order.
    await w.passports.connect(w.buyer).transferFrom(w.buyer.address, w.merchant.address, UNIT_1);
    const next = await w.makeOffer({ buyer: w.buyer2.address });
    const { shipmentId: nextShipment } = await w.payAndShipInOneCall(next, [UNIT_1], w.buyer2);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(await w.escrow.getAddress());
    await w.passports.clearStolen(UNIT_2);
    const retry = w.escrow.connect(w.stranger).retryPassportHandOver(w.offer);
    await expect(retry)
      .to.emit(w.escrow, "PassportHandedOver")
      .withArgs(w.orderId, UNIT_2, w.buyer.address);
    expect(await unitsIn(w, retry, "PassportHandedOver")).to.deep.equal([UNIT_2]);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(await w.escrow.getAddress());
    expect((await findLastShipment(w.passports, UNIT_1))?.shipmentId).to.equal(nextShipment);
  });

  it("never takes a unit once refused, retried, sold back and shipped again on a newer order", async function () {
    const w = await networkHelpers.loadFixture(shippedPassportOrderFixture);
    const escrowAddress = await w.escrow.getAddress();
    await w.passports.flagStolen(UNIT_1, id("police report 1"));
    await w.escrow.connect(w.buyer).confirmReceipt(w.offer);
    await w.passports.clearStolen(UNIT_1);
    await w.escrow.connect(w.stranger).retryPassportHandOver(w.offer);
    // Both units reach the buyer, who sells them back; the merchant ships them on a new order.
    for (const unit of [UNIT_1, UNIT_2])
      await w.passports.connect(w.buyer).transferFrom(w.buyer.address, w.merchant.address, unit);
    const next = await w.makeOffer({ buyer: w.buyer2.address });
    const { orderId: nextId } = await w.payAndShipInOneCall(next, [UNIT_1, UNIT_2], w.buyer2);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(escrowAddress);
    await expect(w.escrow.connect(w.stranger).retryPassportHandOver(w.offer))
      .to.be.revertedWithCustomError(w.escrow, "NoPassportsInCustody")
      .withArgs(w.orderId);
    // Refused again on the newer order: pending for that order only, never for the old one.
    await w.passports.flagStolen(UNIT_1, id("police report 3"));
    await expect(w.escrow.connect(w.buyer2).confirmReceipt(next))
      .to.emit(w.escrow, "PassportHandOverFailed")
      .withArgs(nextId, UNIT_1);
    await w.passports.clearStolen(UNIT_1);
    await expect(w.escrow.connect(w.stranger).retryPassportHandOver(w.offer))
      .to.be.revertedWithCustomError(w.escrow, "NoPassportsInCustody")
      .withArgs(w.orderId);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(escrowAddress);
    await expect(w.escrow.connect(w.stranger).retryPassportHandOver(next))
      .to.emit(w.escrow, "PassportHandedOver")
      .withArgs(nextId, UNIT_1, w.buyer2.address);
    expect(await w.passports.ownerOf(UNIT_1)).to.equal(w.buyer2.address);
  });

  it("refuses an order that is not final, a final order with nothing pending, and one that carried no passports", async function () {
    const w = await networkHelpers.loadFixture(shippedPassportOrderFixture);
    await expect(w.escrow.retryPassportHandOver(w.offer))
      .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
      .withArgs(w.orderId, OrderStatus.Shipped);
    // Every unit handed over at completion: the escrow recorded nothing to retry.
    await w.escrow.connect(w.buyer).confirmReceipt(w.offer);
    await expect(w.escrow.connect(w.stranger).retryPassportHandOver(w.offer))
      .to.be.revertedWithCustomError(w.escrow, "NoPassportsInCustody")
      .withArgs(w.orderId);
    const plain = await w.makeOffer();
    const { orderId } = await w.payAndShipInOneCall(plain);
    await w.escrow.connect(w.buyer).confirmReceipt(plain);
    await expect(w.escrow.retryPassportHandOver(plain))
      .to.be.revertedWithCustomError(w.escrow, "NoPassportsInCustody")
      .withArgs(orderId);
  });
});
