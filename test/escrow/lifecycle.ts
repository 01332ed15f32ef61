import { expect } from "chai";
import { network } from "hardhat";

import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";

import { orderShipment, signOffer } from "@waybill/sdk";

import {
  DELIVER_WITHIN,
  FEE_BPS,
  INSPECTION,
  PRICE,
  Reason,
  SHIP_WITHIN,
  Shipment,
  Status,
  deployEscrow,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

async function escrowFixture() {
  return deployEscrow(ethers);
}

const FEE = (PRICE * FEE_BPS) / 10_000n;

describe("WaybillEscrow: shipping, delivery, release and refunds", function () {
  describe("markShipped", function () {
    it("links the order to the merchant's shipment for it and emits OrderShipped", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      const shipmentId = await w.shipmentIdOf(offer);
      await w.registry.setShipment(shipmentId, Shipment.InTransit, 0);
      await expect(w.escrow.connect(w.merchant).markShipped(offer))
        .to.emit(w.escrow, "OrderShipped")
        .withArgs(orderId, shipmentId, false);
      const order = await w.escrow.getOrder(orderId);
      expect(order.status).to.equal(Status.Shipped);
      expect(order.flags).to.equal(0n);
    });

    it("never reads passports when the escrow was deployed without a passport contract", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const bare = await ethers.deployContract("WaybillEscrow", [
        await w.registry.getAddress(),
        ethers.ZeroAddress,
        14n * 86400n,
        0n,
        w.admin.address,
        w.treasury.address,
        0n,
      ]);
      await bare.grantRole(await bare.TOKEN_MANAGER_ROLE(), w.admin.address);
      await bare.setTokenAllowed(await w.usdc.getAddress(), true);
      await w.usdc.connect(w.buyer).approve(await bare.getAddress(), PRICE);
      const offer = await w.makeOffer();
      await bare.connect(w.buyer).pay(offer, await signOffer(bare, w.merchant, offer));
      const orderId = await bare.orderIdOf(offer);
      const shipmentId = await w.registry.shipmentIdOf(w.merchant.address, orderId);
      await w.registry.setShipment(shipmentId, Shipment.Created, 0);
      await w.registry.setPassports(shipmentId, [5n]);
      await expect(bare.connect(w.merchant).markShipped(offer))
        .to.emit(bare, "OrderShipped")
        .withArgs(orderId, shipmentId, false);
    });

    it("refuses a one-call ship carrying passports when the escrow has no passport contract", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const bare = await ethers.deployContract("WaybillEscrow", [
        await w.registry.getAddress(),
        ethers.ZeroAddress,
        14n * 86400n,
        0n,
        w.admin.address,
        w.treasury.address,
        0n,
      ]);
      await bare.grantRole(await bare.TOKEN_MANAGER_ROLE(), w.admin.address);
      await bare.setTokenAllowed(await w.usdc.getAddress(), true);
      await w.usdc.connect(w.buyer).approve(await bare.getAddress(), PRICE);
      const offer = await w.makeOffer();
      await bare.connect(w.buyer).pay(offer, await signOffer(bare, w.merchant, offer));
      const shipment = orderShipment(await bare.orderIdOf(offer), {
        carrier: w.stranger.address,
        origin: "CNSHA",
        destination: "DEHAM",
        documents: "invoice",
        passportIds: [5n],
      });
      await expect(bare.connect(w.merchant).ship(offer, shipment)).to.be.revertedWithCustomError(
        bare,
        "PassportsNotEnabled",
      );
    });

    it("reverts with NotMerchant when someone else links the shipment", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      await expect(w.escrow.connect(w.buyer).markShipped(offer))
        .to.be.revertedWithCustomError(w.escrow, "NotMerchant")
        .withArgs(orderId, w.buyer.address, w.merchant.address);
    });

    it("reverts with InvalidOrderStatus for an unpaid offer and an already shipped order", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const unpaid = await w.makeOffer();
      await expect(w.escrow.connect(w.merchant).markShipped(unpaid))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(await w.orderId(unpaid), Status.None);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      await expect(w.escrow.connect(w.merchant).markShipped(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Shipped);
    });

    it("reverts with ShipByDeadlinePassed after the ship-by deadline", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      const deadline = (await w.now()) + SHIP_WITHIN;
      await w.registry.setShipment(await w.shipmentIdOf(offer), Shipment.Created, 0);
      await networkHelpers.time.increaseTo(deadline + 1n);
      await expect(w.escrow.connect(w.merchant).markShipped(offer))
        .to.be.revertedWithCustomError(w.escrow, "ShipByDeadlinePassed")
        .withArgs(orderId, deadline);
    });

    for (const [name, status] of [
      ["does not exist", Shipment.None],
      ["is Lost", Shipment.Lost],
      ["is Returned", Shipment.Returned],
    ] as const) {
      it(`reverts with InvalidShipmentStatus when the shipment ${name}`, async function () {
        const w = await networkHelpers.loadFixture(escrowFixture);
        const offer = await w.makeOffer();
        const orderId = await w.pay(offer);
        const shipmentId = await w.shipmentIdOf(offer);
        await w.registry.setShipment(shipmentId, status, 0);
        await expect(w.escrow.connect(w.merchant).markShipped(offer))
          .to.be.revertedWithCustomError(w.escrow, "InvalidShipmentStatus")
          .withArgs(orderId, shipmentId, status);
      });
    }

    it("ignores a shipment the merchant registered under another reference", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      const wrongId = await w.registry.shipmentIdOf(w.merchant.address, ethers.id("other"));
      await w.registry.setShipment(wrongId, Shipment.InTransit, 0);
      await expect(w.escrow.connect(w.merchant).markShipped(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidShipmentStatus")
        .withArgs(orderId, await w.shipmentIdOf(offer), Shipment.None);
    });

    it("lets an ERC-1271 wallet merchant ship through its wallet", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const wallet = await ethers.deployContract("MockERC1271Wallet", [w.merchant.address]);
      const offer = await w.makeOffer({ merchant: await wallet.getAddress() });
      await w.escrow.connect(w.buyer).pay(offer, await w.sign(offer));
      const orderId = await w.orderId(offer);
      const shipmentId = await w.registry.shipmentIdOf(await wallet.getAddress(), orderId);
      await w.registry.setShipment(shipmentId, Shipment.Created, 0);
      await expect(
        wallet
          .connect(w.merchant)
          .execute(
            await w.escrow.getAddress(),
            w.escrow.interface.encodeFunctionData("markShipped", [offer]),
          ),
      )
        .to.emit(w.escrow, "OrderShipped")
        .withArgs(orderId, shipmentId, false);
    });
  });

  describe("markDelivered", function () {
    it("starts the inspection window when the escrow records the delivery and reports the registry's time", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      const deliveredAt = (await w.now()) + 100n;
      await networkHelpers.time.increaseTo(deliveredAt + 5000n);
      await w.registry.setShipment(await w.shipmentIdOf(offer), Shipment.Delivered, deliveredAt);
      const at = (await w.now()) + 10n;
      await networkHelpers.time.setNextBlockTimestamp(at);
      await expect(w.escrow.connect(w.stranger).markDelivered(offer))
        .to.emit(w.escrow, "OrderDelivered")
        .withArgs(orderId, deliveredAt, at + INSPECTION);
      const order = await w.escrow.getOrder(orderId);
      expect(order.status).to.equal(Status.Delivered);
      expect(order.stamp).to.equal(at);
      expect(order.flags).to.equal(4n);
    });

    it("gives the buyer the whole window when the merchant ships late, marks delivered and releases at once", async function () {
      // The attack: the merchant waits until the registry shows the parcel delivered, then links
      // the shipment just before ship-by, records the delivery and releases in one go.
      const w = await networkHelpers.loadFixture(escrowFixture);
      const inspection = 24n * 3600n;
      const offer = await w.makeOffer({ inspectionPeriod: inspection });
      const orderId = await w.pay(offer);
      const paidAt = (await w.escrow.getOrder(orderId)).stamp;
      await w.registry.setShipment(await w.shipmentIdOf(offer), Shipment.Delivered, paidAt + 3600n);
      await networkHelpers.time.increaseTo(paidAt + SHIP_WITHIN - 10n);
      await w.escrow.connect(w.merchant).markShipped(offer);
      await w.escrow.connect(w.merchant).markDelivered(offer);
      const recordedAt = await w.now();
      await expect(w.escrow.connect(w.merchant).release(offer))
        .to.be.revertedWithCustomError(w.escrow, "InspectionWindowOpen")
        .withArgs(orderId, recordedAt + inspection);
      await expect(w.escrow.connect(w.buyer).openDispute(offer))
        .to.emit(w.escrow, "Dispute")
        .withArgs(orderId, w.buyer.address, anyValue);
    });

    it("counts the window from the on-chain relay, not from a carrier event relayed days late", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const day = 24n * 3600n;
      const offer = await w.makeOffer({ inspectionPeriod: 2n * day });
      const orderId = await w.ship(offer);
      const paidAt = (await w.escrow.getOrder(orderId)).stamp;
      await networkHelpers.time.increaseTo(paidAt + 5n * day);
      await w.registry.setShipment(
        await w.shipmentIdOf(offer),
        Shipment.Delivered,
        paidAt + 2n * day,
      );
      const relayedAt = paidAt + 5n * day + 10n;
      await networkHelpers.time.setNextBlockTimestamp(relayedAt);
      await expect(w.escrow.markDelivered(offer))
        .to.emit(w.escrow, "OrderDelivered")
        .withArgs(orderId, paidAt + 2n * day, relayedAt + 2n * day);
      await expect(w.escrow.release(offer))
        .to.be.revertedWithCustomError(w.escrow, "InspectionWindowOpen")
        .withArgs(orderId, relayedAt + 2n * day);
    });

    it("reports a registry time in the future as is, the window still starting now", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      for (const offset of [0n, 10_000n]) {
        const offer = await w.makeOffer();
        const orderId = await w.ship(offer);
        const paidAt = (await w.escrow.getOrder(orderId)).stamp;
        await w.registry.setShipment(
          await w.shipmentIdOf(offer),
          Shipment.Delivered,
          paidAt + offset,
        );
        const at = (await w.now()) + 10n;
        await networkHelpers.time.setNextBlockTimestamp(at);
        await expect(w.escrow.markDelivered(offer))
          .to.emit(w.escrow, "OrderDelivered")
          .withArgs(orderId, paidAt + offset, at + INSPECTION);
        expect((await w.escrow.getOrder(orderId)).stamp).to.equal(at);
      }
    });

    it("reverts with InvalidShipmentStatus while the shipment is in transit", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      const shipmentId = await w.shipmentIdOf(offer);
      await w.registry.setShipment(shipmentId, Shipment.InTransit, 0);
      await expect(w.escrow.markDelivered(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidShipmentStatus")
        .withArgs(orderId, shipmentId, Shipment.InTransit);
    });

    it("reverts with InvalidOrderStatus before the order is shipped", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      await expect(w.escrow.markDelivered(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Paid);
    });
  });

  describe("confirmReceipt", function () {
    for (const stage of ["pay", "ship", "deliver"] as const) {
      it(`pays the payee minus the fee when the buyer confirms after ${stage}`, async function () {
        const w = await networkHelpers.loadFixture(escrowFixture);
        const offer = await w.makeOffer();
        const orderId = await w[stage](offer);
        const tx = w.escrow.connect(w.buyer).confirmReceipt(offer);
        await expect(tx)
          .to.emit(w.escrow, "OrderReleased")
          .withArgs(orderId, w.payee.address, PRICE - FEE, FEE);
        await expect(tx).to.changeTokenBalances(
          ethers,
          w.usdc,
          [w.payee, w.escrow],
          [PRICE - FEE, -(PRICE - FEE)],
        );
        expect((await w.escrow.getOrder(orderId)).status).to.equal(Status.Released);
        expect(await w.escrow.accruedFees(await w.usdc.getAddress())).to.equal(FEE);
      });
    }

    it("reverts with NotBuyer when someone else confirms", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      await expect(w.escrow.connect(w.merchant).confirmReceipt(offer))
        .to.be.revertedWithCustomError(w.escrow, "NotBuyer")
        .withArgs(orderId, w.merchant.address, w.buyer.address);
    });

    it("reverts with InvalidOrderStatus once disputed", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      await w.escrow.connect(w.buyer).openDispute(offer);
      await expect(w.escrow.connect(w.buyer).confirmReceipt(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Disputed);
    });
  });

  describe("release", function () {
    it("lets anyone release once the inspection window closed", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      const endsAt = (await w.escrow.getOrder(orderId)).stamp + INSPECTION;
      await networkHelpers.time.setNextBlockTimestamp(endsAt - 1n);
      await expect(w.escrow.connect(w.stranger).release(offer))
        .to.be.revertedWithCustomError(w.escrow, "InspectionWindowOpen")
        .withArgs(orderId, endsAt);
      await networkHelpers.time.setNextBlockTimestamp(endsAt);
      await expect(w.escrow.connect(w.stranger).release(offer))
        .to.emit(w.escrow, "OrderReleased")
        .withArgs(orderId, w.payee.address, PRICE - FEE, FEE);
    });

    it("reverts with InvalidOrderStatus before delivery", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      await expect(w.escrow.release(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Shipped);
    });
  });

  describe("refund (merchant)", function () {
    for (const stage of ["pay", "ship"] as const) {
      it(`refunds the buyer in full when the merchant cancels after ${stage}`, async function () {
        const w = await networkHelpers.loadFixture(escrowFixture);
        const offer = await w.makeOffer();
        const orderId = await w[stage](offer);
        const tx = w.escrow.connect(w.merchant).refund(offer);
        await expect(tx)
          .to.emit(w.escrow, "OrderRefunded")
          .withArgs(orderId, w.buyer.address, PRICE, Reason.MerchantCancelled);
        await expect(tx).to.changeTokenBalances(
          ethers,
          w.usdc,
          [w.buyer, w.escrow],
          [PRICE, -PRICE],
        );
        expect((await w.escrow.getOrder(orderId)).status).to.equal(Status.Refunded);
      });
    }

    it("reverts with NotSellerSide when the buyer calls it", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      await expect(w.escrow.connect(w.buyer).refund(offer))
        .to.be.revertedWithCustomError(w.escrow, "NotSellerSide")
        .withArgs(orderId, w.buyer.address, w.merchant.address);
    });

    it("reverts with InvalidOrderStatus after delivery", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      await expect(w.escrow.connect(w.merchant).refund(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Delivered);
    });
  });

  describe("claimRefund (buyer)", function () {
    it("refunds an order not shipped by the ship-by deadline, not a second earlier", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      const deadline = (await w.escrow.getOrder(orderId)).stamp + SHIP_WITHIN;
      await networkHelpers.time.setNextBlockTimestamp(deadline);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.be.revertedWithCustomError(w.escrow, "RefundNotAvailable")
        .withArgs(orderId, deadline + 1n);
      await networkHelpers.time.setNextBlockTimestamp(deadline + 1n);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.emit(w.escrow, "OrderRefunded")
        .withArgs(orderId, w.buyer.address, PRICE, Reason.NotShippedInTime);
    });

    for (const status of [Shipment.Lost, Shipment.Returned]) {
      it(`refunds at once when the registry shows the shipment ${status === Shipment.Lost ? "Lost" : "Returned"}`, async function () {
        const w = await networkHelpers.loadFixture(escrowFixture);
        const offer = await w.makeOffer();
        const orderId = await w.ship(offer);
        await w.registry.setShipment(await w.shipmentIdOf(offer), status, 0);
        await expect(w.escrow.connect(w.buyer).claimRefund(offer))
          .to.emit(w.escrow, "OrderRefunded")
          .withArgs(orderId, w.buyer.address, PRICE, Reason.ShipmentFailed);
      });
    }

    it("refunds a shipment not delivered by the deliver-by deadline, not a second earlier", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      await w.registry.setShipment(await w.shipmentIdOf(offer), Shipment.CustomsHold, 0);
      const deadline = (await w.escrow.getOrder(orderId)).stamp + DELIVER_WITHIN;
      await networkHelpers.time.setNextBlockTimestamp(deadline);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.be.revertedWithCustomError(w.escrow, "RefundNotAvailable")
        .withArgs(orderId, deadline + 1n);
      await networkHelpers.time.setNextBlockTimestamp(deadline + 1n);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.emit(w.escrow, "OrderRefunded")
        .withArgs(orderId, w.buyer.address, PRICE, Reason.NotDeliveredInTime);
    });

    it("reverts with InvalidShipmentStatus when the registry shows delivery not yet recorded here", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      const shipmentId = await w.shipmentIdOf(offer);
      await w.registry.setShipment(shipmentId, Shipment.Delivered, await w.now());
      await networkHelpers.time.increase(DELIVER_WITHIN + 1n);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidShipmentStatus")
        .withArgs(orderId, shipmentId, Shipment.Delivered);
    });

    it("reverts with NotBuyer when someone else claims before the grace period ends", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      const paidAt = (await w.escrow.getOrder(orderId)).stamp;
      const graceEnds = paidAt + DELIVER_WITHIN + (await w.escrow.REFUND_GRACE_PERIOD());
      await networkHelpers.time.setNextBlockTimestamp(graceEnds);
      await expect(w.escrow.connect(w.stranger).claimRefund(offer))
        .to.be.revertedWithCustomError(w.escrow, "NotBuyer")
        .withArgs(orderId, w.stranger.address, w.buyer.address);
    });

    it("lets anyone push a due refund to the buyer after the grace period", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      const paidAt = (await w.escrow.getOrder(orderId)).stamp;
      const graceEnds = paidAt + DELIVER_WITHIN + (await w.escrow.REFUND_GRACE_PERIOD());
      await networkHelpers.time.setNextBlockTimestamp(graceEnds + 1n);
      const tx = w.escrow.connect(w.stranger).claimRefund(offer);
      await expect(tx)
        .to.emit(w.escrow, "OrderRefunded")
        .withArgs(orderId, w.buyer.address, PRICE, Reason.NotDeliveredInTime);
      await expect(tx).to.changeTokenBalances(ethers, w.usdc, [w.buyer, w.stranger], [PRICE, 0n]);
    });

    it("reverts with InvalidOrderStatus once delivered", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Delivered);
    });
  });
});
