import { expect } from "chai";
import { network } from "hardhat";

import type { Offer } from "@waybill/sdk";

import {
  ARBITRATION_PERIOD,
  DELIVER_WITHIN,
  INSPECTION,
  PRICE,
  Reason,
  Shipment,
  Status,
  type EscrowWorld,
  deployEscrow,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

async function escrowFixture() {
  return deployEscrow(ethers);
}

/** An order whose shipment carries units 1 and 2, shipped: the escrow holds both. */
async function custodyFixture() {
  const w = await deployEscrow(ethers);
  const offer = await w.makeOffer();
  const orderId = await w.shipWithPassports(offer, [1n, 2n]);
  return { ...w, offer, heldOrderId: orderId };
}

async function markRegistryDelivered(w: EscrowWorld, offer: Offer): Promise<void> {
  await w.registry.setShipment(await w.shipmentIdOf(offer), Shipment.Delivered, await w.now());
}

describe("WaybillEscrow: passport custody", function () {
  describe("markShipped", function () {
    it("takes the shipment's passports into custody and flags the order", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      const shipmentId = await w.shipmentIdOf(offer);
      const escrowAddress = await w.escrow.getAddress();
      await w.registry.setShipment(shipmentId, Shipment.Created, 0);
      await w.registry.setPassports(shipmentId, [7n, 8n]);
      await w.passports.mint(w.merchant.address, 7n);
      await w.passports.mint(w.merchant.address, 8n);
      await w.passports.connect(w.merchant).setApprovalForAll(escrowAddress, true);
      const tx = w.escrow.connect(w.merchant).markShipped(offer);
      await expect(tx).to.emit(w.escrow, "OrderShipped").withArgs(orderId, shipmentId, true);
      await expect(tx)
        .to.emit(w.passports, "Transfer")
        .withArgs(w.merchant.address, escrowAddress, 7n);
      await expect(tx)
        .to.emit(w.passports, "Transfer")
        .withArgs(w.merchant.address, escrowAddress, 8n);
      expect(await w.passports.ownerOf(7n)).to.equal(escrowAddress);
      expect(await w.passports.ownerOf(8n)).to.equal(escrowAddress);
      const order = await w.escrow.getOrder(orderId);
      expect(order.status).to.equal(Status.Shipped);
      expect(order.flags).to.equal(1n);
    });

    it("reverts with PassportsNotApproved when the merchant has not approved the escrow", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      const shipmentId = await w.shipmentIdOf(offer);
      await w.registry.setShipment(shipmentId, Shipment.Created, 0);
      await w.registry.setPassports(shipmentId, [7n]);
      await w.passports.mint(w.merchant.address, 7n);
      await expect(w.escrow.connect(w.merchant).markShipped(offer))
        .to.be.revertedWithCustomError(w.escrow, "PassportsNotApproved")
        .withArgs(w.merchant.address);
      expect(await w.passports.ownerOf(7n)).to.equal(w.merchant.address);
      expect((await w.escrow.getOrder(orderId)).status).to.equal(Status.Paid);
    });

    it("reverts the second markShipped with ERC721IncorrectOwner when a passport is listed in two orders' shipments", async function () {
      const w = await networkHelpers.loadFixture(custodyFixture);
      const second = await w.makeOffer();
      const secondId = await w.pay(second);
      const shipmentId = await w.shipmentIdOf(second);
      await w.registry.setShipment(shipmentId, Shipment.Created, 0);
      await w.registry.setPassports(shipmentId, [2n]);
      await expect(w.escrow.connect(w.merchant).markShipped(second))
        .to.be.revertedWithCustomError(w.passports, "ERC721IncorrectOwner")
        .withArgs(w.merchant.address, 2n, await w.escrow.getAddress());
      expect((await w.escrow.getOrder(secondId)).status).to.equal(Status.Paid);
    });

    it("reverts the whole markShipped when one unit cannot be pulled, leaving every unit with the merchant", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      const shipmentId = await w.shipmentIdOf(offer);
      await w.registry.setShipment(shipmentId, Shipment.Created, 0);
      await w.registry.setPassports(shipmentId, [3n, 4n]);
      await w.passports.mint(w.merchant.address, 3n);
      await w.passports.mint(w.merchant.address, 4n);
      await w.passports.setLocked(4n, true);
      await w.passports.connect(w.merchant).setApprovalForAll(await w.escrow.getAddress(), true);
      await expect(w.escrow.connect(w.merchant).markShipped(offer))
        .to.be.revertedWithCustomError(w.passports, "UnitLocked")
        .withArgs(4n);
      expect(await w.passports.ownerOf(3n)).to.equal(w.merchant.address);
      expect((await w.escrow.getOrder(orderId)).status).to.equal(Status.Paid);
    });

    it("stops the merchant moving a passport in transit even with the escrow's approval revoked", async function () {
      const w = await networkHelpers.loadFixture(custodyFixture);
      await w.passports.connect(w.merchant).setApprovalForAll(await w.escrow.getAddress(), false);
      await expect(
        w.passports.connect(w.merchant).transferFrom(w.merchant.address, w.stranger.address, 1n),
      )
        .to.be.revertedWithCustomError(w.passports, "ERC721InsufficientApproval")
        .withArgs(w.merchant.address, 1n);
      await w.escrow.connect(w.buyer).confirmReceipt(w.offer);
      expect(await w.passports.ownerOf(1n)).to.equal(w.buyer.address);
      expect(await w.passports.ownerOf(2n)).to.equal(w.buyer.address);
    });
  });

  describe("hand-over to the buyer", function () {
    it("hands every unit to the buyer on confirmReceipt", async function () {
      const w = await networkHelpers.loadFixture(custodyFixture);
      const tx = w.escrow.connect(w.buyer).confirmReceipt(w.offer);
      await expect(tx)
        .to.emit(w.escrow, "PassportHandedOver")
        .withArgs(w.heldOrderId, 1n, w.buyer.address);
      await expect(tx)
        .to.emit(w.escrow, "PassportHandedOver")
        .withArgs(w.heldOrderId, 2n, w.buyer.address);
      await expect(tx).to.emit(w.escrow, "OrderReleased");
      expect(await w.passports.ownerOf(1n)).to.equal(w.buyer.address);
      expect(await w.passports.ownerOf(2n)).to.equal(w.buyer.address);
    });

    it("hands every unit to the buyer on release after the inspection window", async function () {
      const w = await networkHelpers.loadFixture(custodyFixture);
      await markRegistryDelivered(w, w.offer);
      await w.escrow.markDelivered(w.offer);
      await networkHelpers.time.increase(INSPECTION);
      await expect(w.escrow.connect(w.stranger).release(w.offer))
        .to.emit(w.escrow, "PassportHandedOver")
        .withArgs(w.heldOrderId, 2n, w.buyer.address);
      expect(await w.passports.ownerOf(1n)).to.equal(w.buyer.address);
      expect(await w.passports.ownerOf(2n)).to.equal(w.buyer.address);
    });

    it("hands every unit to the buyer when a ruling pays the seller a part", async function () {
      const w = await networkHelpers.loadFixture(custodyFixture);
      await markRegistryDelivered(w, w.offer);
      await w.escrow.connect(w.buyer).openDispute(w.offer);
      await expect(w.escrow.connect(w.arbiter).resolveDispute(w.offer, PRICE - 1n))
        .to.emit(w.escrow, "PassportHandedOver")
        .withArgs(w.heldOrderId, 1n, w.buyer.address);
      expect(await w.passports.ownerOf(2n)).to.equal(w.buyer.address);
    });

    it("hands every unit to the buyer under the default ruling", async function () {
      const w = await networkHelpers.loadFixture(custodyFixture);
      await markRegistryDelivered(w, w.offer);
      await w.escrow.connect(w.merchant).openDispute(w.offer);
      await networkHelpers.time.increase(ARBITRATION_PERIOD);
      await expect(w.escrow.connect(w.stranger).applyDefaultRuling(w.offer))
        .to.emit(w.escrow, "PassportHandedOver")
        .withArgs(w.heldOrderId, 2n, w.buyer.address);
      expect(await w.passports.ownerOf(1n)).to.equal(w.buyer.address);
    });

    it("pays the seller and emits PassportHandOverFailed when a unit cannot move, keeping it in the escrow", async function () {
      const w = await networkHelpers.loadFixture(custodyFixture);
      await w.passports.setLocked(2n, true);
      const tx = w.escrow.connect(w.buyer).confirmReceipt(w.offer);
      await expect(tx)
        .to.emit(w.escrow, "PassportHandedOver")
        .withArgs(w.heldOrderId, 1n, w.buyer.address);
      await expect(tx).to.emit(w.escrow, "PassportHandOverFailed").withArgs(w.heldOrderId, 2n);
      await expect(tx).to.emit(w.escrow, "OrderReleased");
      expect(await w.passports.ownerOf(1n)).to.equal(w.buyer.address);
      expect(await w.passports.ownerOf(2n)).to.equal(await w.escrow.getAddress());
      expect((await w.escrow.getOrder(w.heldOrderId)).status).to.equal(Status.Released);
    });
  });

  describe("return to the merchant", function () {
    const refundPaths: [string, (w: EscrowWorld & { offer: Offer }) => Promise<unknown>, bigint][] =
      [
        [
          "the merchant refunds",
          async (w) => w.escrow.connect(w.merchant).refund(w.offer),
          Reason.MerchantCancelled,
        ],
        [
          "the registry shows the shipment Lost",
          async (w) => {
            await w.registry.setShipment(await w.shipmentIdOf(w.offer), Shipment.Lost, 0);
            return w.escrow.connect(w.buyer).claimRefund(w.offer);
          },
          Reason.ShipmentFailed,
        ],
        [
          "the registry shows the shipment Returned",
          async (w) => {
            await w.registry.setShipment(await w.shipmentIdOf(w.offer), Shipment.Returned, 0);
            return w.escrow.connect(w.buyer).claimRefund(w.offer);
          },
          Reason.ShipmentFailed,
        ],
        [
          "the deliver-by deadline passes",
          async (w) => {
            await networkHelpers.time.increase(DELIVER_WITHIN + 1n);
            return w.escrow.connect(w.buyer).claimRefund(w.offer);
          },
          Reason.NotDeliveredInTime,
        ],
        [
          "a stranger pushes the refund after the grace period",
          async (w) => {
            await networkHelpers.time.increase(
              DELIVER_WITHIN + (await w.escrow.REFUND_GRACE_PERIOD()) + 1n,
            );
            return w.escrow.connect(w.stranger).claimRefund(w.offer);
          },
          Reason.NotDeliveredInTime,
        ],
      ];

    for (const [condition, refundNow, reason] of refundPaths) {
      it(`returns every unit to the merchant when ${condition}`, async function () {
        const w = await networkHelpers.loadFixture(custodyFixture);
        const tx = refundNow(w);
        await expect(tx)
          .to.emit(w.escrow, "OrderRefunded")
          .withArgs(w.heldOrderId, w.buyer.address, PRICE, reason);
        await expect(tx)
          .to.emit(w.escrow, "PassportReturned")
          .withArgs(w.heldOrderId, 1n, w.merchant.address);
        await expect(tx)
          .to.emit(w.escrow, "PassportReturned")
          .withArgs(w.heldOrderId, 2n, w.merchant.address);
        expect(await w.passports.ownerOf(1n)).to.equal(w.merchant.address);
        expect(await w.passports.ownerOf(2n)).to.equal(w.merchant.address);
      });
    }

    it("returns every unit to the merchant on a full-refund ruling", async function () {
      const w = await networkHelpers.loadFixture(custodyFixture);
      await markRegistryDelivered(w, w.offer);
      await w.escrow.connect(w.buyer).openDispute(w.offer);
      const tx = w.escrow.connect(w.arbiter).resolveDispute(w.offer, PRICE);
      await expect(tx)
        .to.emit(w.escrow, "PassportReturned")
        .withArgs(w.heldOrderId, 1n, w.merchant.address);
      await expect(tx).not.to.emit(w.escrow, "PassportHandedOver");
      expect(await w.passports.ownerOf(2n)).to.equal(w.merchant.address);
    });

    it("moves no unit when an order refunded before shipment never took custody", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await w.pay(offer);
      const shipmentId = await w.shipmentIdOf(offer);
      await w.registry.setShipment(shipmentId, Shipment.Created, 0);
      await w.registry.setPassports(shipmentId, [5n]);
      await w.passports.mint(w.merchant.address, 5n);
      const tx = w.escrow.connect(w.merchant).refund(offer);
      await expect(tx).to.emit(w.escrow, "OrderRefunded");
      await expect(tx).not.to.emit(w.escrow, "PassportReturned");
      expect(await w.passports.ownerOf(5n)).to.equal(w.merchant.address);
    });

    it("refunds the buyer and emits PassportReturnFailed when a unit cannot move, keeping it in the escrow", async function () {
      const w = await networkHelpers.loadFixture(custodyFixture);
      await w.passports.setLocked(1n, true);
      const tx = w.escrow.connect(w.merchant).refund(w.offer);
      await expect(tx).to.emit(w.escrow, "PassportReturnFailed").withArgs(w.heldOrderId, 1n);
      await expect(tx)
        .to.emit(w.escrow, "PassportReturned")
        .withArgs(w.heldOrderId, 2n, w.merchant.address);
      await expect(tx).to.changeTokenBalances(ethers, w.usdc, [w.buyer], [PRICE]);
      expect(await w.passports.ownerOf(1n)).to.equal(await w.escrow.getAddress());
    });

    it("lets the merchant ship a returned unit again in a new order", async function () {
      const w = await networkHelpers.loadFixture(custodyFixture);
      await w.escrow.connect(w.merchant).refund(w.offer);
      const next = await w.makeOffer();
      const nextId = await w.pay(next);
      const shipmentId = await w.shipmentIdOf(next);
      await w.registry.setShipment(shipmentId, Shipment.Created, 0);
      await w.registry.setPassports(shipmentId, [1n]);
      await expect(w.escrow.connect(w.merchant).markShipped(next))
        .to.emit(w.escrow, "OrderShipped")
        .withArgs(nextId, shipmentId, true);
      expect(await w.passports.ownerOf(1n)).to.equal(await w.escrow.getAddress());
    });
  });
});
