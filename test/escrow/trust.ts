/**
 * Issue 9 against the escrow: money moves only on evidence a third party produced, on time and
 * after payment; the buyer keeps its refund when delivery is late; the seller cannot review itself;
 * the fee is capped by the signed offer; the inspection window has a floor; credits of passive
 * contracts can be pushed; recalled units cannot be sold. The mock registry lets each test choose
 * who recorded the final event and whether that carrier is suspended.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { anyUint } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import { network } from "hardhat";

import type { Offer } from "@waybill/sdk";
import { MIN_INSPECTION_PERIOD_SECONDS, signReceiveAuthorization } from "@waybill/sdk";
import {
  DELIVER_WITHIN,
  FEE_BPS,
  INSPECTION,
  PRICE,
  Reason,
  SHIP_WITHIN,
  Shipment,
  Status,
  type EscrowWorld,
  deployEscrow,
  tokenStateOf,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();
const GRACE = 30n * 24n * 3600n;
const DAY = 24n * 3600n;

async function escrowFixture() {
  return deployEscrow(ethers);
}

/** Ships `offer` and has the registry show `status` recorded by `key` for `carrier`. */
async function shipWithFinalEvent(
  w: EscrowWorld,
  offer: Offer,
  status: number,
  carrier: string,
  key: string,
  at?: bigint,
): Promise<{ orderId: string; shipmentId: string }> {
  const orderId = await w.ship(offer);
  const shipmentId = await w.shipmentIdOf(offer);
  await w.registry.setShipment(shipmentId, status, at ?? (await w.now()));
  await w.registry.setRecorder(shipmentId, carrier, key);
  return { orderId, shipmentId };
}

describe("WaybillEscrow: trust in evidence, fees and windows (issue 9)", function () {
  describe("1. self-dealing recorders", function () {
    const parties = (w: EscrowWorld): [string, HardhatEthersSigner][] => [
      ["merchant", w.merchant],
      ["payee", w.payee],
      ["buyer", w.buyer],
    ];

    it("refuses a delivery recorded by a party registered as the shipment's carrier", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      for (const [, party] of parties(w)) {
        const offer = await w.makeOffer();
        const { orderId } = await shipWithFinalEvent(
          w,
          offer,
          Shipment.Delivered,
          party.address,
          party.address,
        );
        await expect(w.escrow.connect(w.stranger).markDelivered(offer))
          .to.be.revertedWithCustomError(w.escrow, "EvidenceFromParty")
          .withArgs(orderId, party.address, party.address);
      }
    });

    it("refuses a delivery signed by a party's address authorised as a real carrier's key", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      for (const [, party] of parties(w)) {
        const offer = await w.makeOffer();
        const { orderId } = await shipWithFinalEvent(
          w,
          offer,
          Shipment.Delivered,
          w.relayer.address,
          party.address,
        );
        await expect(w.escrow.connect(w.stranger).markDelivered(offer))
          .to.be.revertedWithCustomError(w.escrow, "EvidenceFromParty")
          .withArgs(orderId, party.address, w.relayer.address);
      }
    });

    it("refuses a delivery recorded by an independent key of a carrier that is a party", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const { orderId } = await shipWithFinalEvent(
        w,
        offer,
        Shipment.Delivered,
        w.merchant.address,
        w.relayer.address,
      );
      await expect(w.escrow.connect(w.stranger).markDelivered(offer))
        .to.be.revertedWithCustomError(w.escrow, "EvidenceFromParty")
        .withArgs(orderId, w.relayer.address, w.merchant.address);
    });

    it("refuses a party-recorded delivery in openDispute from Shipped too", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const { orderId } = await shipWithFinalEvent(
        w,
        offer,
        Shipment.Delivered,
        w.merchant.address,
        w.merchant.address,
      );
      await expect(w.escrow.connect(w.merchant).openDispute(offer))
        .to.be.revertedWithCustomError(w.escrow, "EvidenceFromParty")
        .withArgs(orderId, w.merchant.address, w.merchant.address);
    });

    it("accepts a delivery recorded by an independent carrier's key", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const { orderId } = await shipWithFinalEvent(
        w,
        offer,
        Shipment.Delivered,
        w.relayer.address,
        w.arbiter.address,
      );
      await expect(w.escrow.connect(w.stranger).markDelivered(offer)).to.emit(
        w.escrow,
        "OrderDelivered",
      );
      expect((await w.escrow.getOrder(orderId)).status).to.equal(Status.Delivered);
    });

    it("strands nothing when a party's delivery is refused: the buyer refunds after deliver-by", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const { orderId } = await shipWithFinalEvent(
        w,
        offer,
        Shipment.Delivered,
        w.merchant.address,
        w.merchant.address,
      );
      const paidAt = (await w.escrow.getOrder(orderId)).stamp;
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.be.revertedWithCustomError(w.escrow, "RefundNotAvailable")
        .withArgs(orderId, paidAt + DELIVER_WITHIN + 1n);
      await networkHelpers.time.increaseTo(paidAt + DELIVER_WITHIN + 1n);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.emit(w.escrow, "OrderRefunded")
        .withArgs(orderId, w.buyer.address, PRICE, Reason.NotDeliveredInTime);
    });

    it("refuses a Lost or Returned recorded by the buyer's carrier key as grounds for an early refund", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      for (const status of [Shipment.Lost, Shipment.Returned]) {
        const asKey = await w.makeOffer();
        const { orderId } = await shipWithFinalEvent(
          w,
          asKey,
          status,
          w.relayer.address,
          w.buyer.address,
        );
        const paidAt = (await w.escrow.getOrder(orderId)).stamp;
        await expect(w.escrow.connect(w.buyer).claimRefund(asKey))
          .to.be.revertedWithCustomError(w.escrow, "RefundNotAvailable")
          .withArgs(orderId, paidAt + DELIVER_WITHIN + 1n);
        const asCarrier = await w.makeOffer();
        const second = await shipWithFinalEvent(
          w,
          asCarrier,
          status,
          w.buyer.address,
          w.buyer.address,
        );
        const secondPaidAt = (await w.escrow.getOrder(second.orderId)).stamp;
        await expect(w.escrow.connect(w.buyer).claimRefund(asCarrier))
          .to.be.revertedWithCustomError(w.escrow, "RefundNotAvailable")
          .withArgs(second.orderId, secondPaidAt + DELIVER_WITHIN + 1n);
      }
    });

    it("does not count a Lost recorded by the merchant's carrier either; the merchant refunds directly", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const { orderId } = await shipWithFinalEvent(
        w,
        offer,
        Shipment.Lost,
        w.merchant.address,
        w.merchant.address,
      );
      const paidAt = (await w.escrow.getOrder(orderId)).stamp;
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.be.revertedWithCustomError(w.escrow, "RefundNotAvailable")
        .withArgs(orderId, paidAt + DELIVER_WITHIN + 1n);
      await expect(w.escrow.connect(w.merchant).refund(offer))
        .to.emit(w.escrow, "OrderRefunded")
        .withArgs(orderId, w.buyer.address, PRICE, Reason.MerchantCancelled);
    });

    it("refunds at once on a Lost recorded by an independent carrier", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const { orderId } = await shipWithFinalEvent(
        w,
        offer,
        Shipment.Lost,
        w.relayer.address,
        w.arbiter.address,
      );
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.emit(w.escrow, "OrderRefunded")
        .withArgs(orderId, w.buyer.address, PRICE, Reason.ShipmentFailed);
    });
  });

  describe("2. delivery before payment", function () {
    it("refuses a delivery dated before the order was paid", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      const paidAt = (await w.escrow.getOrder(orderId)).stamp;
      await w.registry.setShipment(await w.shipmentIdOf(offer), Shipment.Delivered, paidAt - 1n);
      await expect(w.escrow.connect(w.stranger).markDelivered(offer))
        .to.be.revertedWithCustomError(w.escrow, "DeliveredBeforePayment")
        .withArgs(orderId, paidAt - 1n, paidAt);
      await expect(w.escrow.connect(w.buyer).openDispute(offer))
        .to.be.revertedWithCustomError(w.escrow, "DeliveredBeforePayment")
        .withArgs(orderId, paidAt - 1n, paidAt);
    });

    it("lets the buyer refund after deliver-by when the only delivery predates the payment", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      const paidAt = (await w.escrow.getOrder(orderId)).stamp;
      await w.registry.setShipment(await w.shipmentIdOf(offer), Shipment.Delivered, paidAt - 1n);
      await networkHelpers.time.increaseTo(paidAt + DELIVER_WITHIN + 1n);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.emit(w.escrow, "OrderRefunded")
        .withArgs(orderId, w.buyer.address, PRICE, Reason.NotDeliveredInTime);
    });
  });

  describe("3. a carrier suspended after it recorded the delivery", function () {
    it("refuses markDelivered while the delivering carrier is suspended", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const { orderId } = await shipWithFinalEvent(
        w,
        offer,
        Shipment.Delivered,
        w.relayer.address,
        w.relayer.address,
      );
      await w.registry.setSuspended(w.relayer.address, true);
      await expect(w.escrow.connect(w.stranger).markDelivered(offer))
        .to.be.revertedWithCustomError(w.escrow, "EvidenceCarrierSuspended")
        .withArgs(orderId, w.relayer.address);
    });

    it("refuses release while the delivering carrier is suspended, and releases once reinstated", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await shipWithFinalEvent(w, offer, Shipment.Delivered, w.relayer.address, w.relayer.address);
      await w.escrow.connect(w.stranger).markDelivered(offer);
      await w.registry.setSuspended(w.relayer.address, true);
      await networkHelpers.time.increase(INSPECTION);
      const orderId = await w.orderId(offer);
      await expect(w.escrow.connect(w.stranger).release(offer))
        .to.be.revertedWithCustomError(w.escrow, "EvidenceCarrierSuspended")
        .withArgs(orderId, w.relayer.address);
      await w.registry.setSuspended(w.relayer.address, false);
      await expect(w.escrow.connect(w.stranger).release(offer)).to.emit(w.escrow, "OrderReleased");
    });

    it("keeps the buyer's dispute right while the delivering carrier is suspended", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await shipWithFinalEvent(w, offer, Shipment.Delivered, w.relayer.address, w.relayer.address);
      await w.escrow.connect(w.stranger).markDelivered(offer);
      await w.registry.setSuspended(w.relayer.address, true);
      await expect(w.escrow.connect(w.buyer).openDispute(offer)).to.emit(w.escrow, "Dispute");
    });

    it("opens the refund once the window closed while the carrier stays suspended, to anyone after the grace period", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await shipWithFinalEvent(w, offer, Shipment.Delivered, w.relayer.address, w.relayer.address);
      await w.escrow.connect(w.stranger).markDelivered(offer);
      const orderId = await w.orderId(offer);
      const endsAt = (await w.escrow.getOrder(orderId)).stamp + INSPECTION;
      await w.registry.setSuspended(w.relayer.address, true);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Delivered);
      await networkHelpers.time.increaseTo(endsAt);
      await expect(w.escrow.connect(w.stranger).claimRefund(offer))
        .to.be.revertedWithCustomError(w.escrow, "NotBuyer")
        .withArgs(orderId, w.stranger.address, w.buyer.address);
      await networkHelpers.time.increaseTo(endsAt + GRACE + 1n);
      await expect(w.escrow.connect(w.stranger).claimRefund(offer))
        .to.emit(w.escrow, "OrderRefunded")
        .withArgs(orderId, w.buyer.address, PRICE, Reason.NotDeliveredInTime);
    });

    it("lets the buyer refund at deliver-by when the carrier was suspended before the delivery was marked", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const { orderId } = await shipWithFinalEvent(
        w,
        offer,
        Shipment.Delivered,
        w.relayer.address,
        w.relayer.address,
      );
      await w.registry.setSuspended(w.relayer.address, true);
      const paidAt = (await w.escrow.getOrder(orderId)).stamp;
      await networkHelpers.time.increaseTo(paidAt + DELIVER_WITHIN + 1n);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.emit(w.escrow, "OrderRefunded")
        .withArgs(orderId, w.buyer.address, PRICE, Reason.NotDeliveredInTime);
    });

    it("releases after the window when the carrier is not suspended, refusing the buyer's refund", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.deliver(offer);
      const endsAt = (await w.escrow.getOrder(orderId)).stamp + INSPECTION;
      await networkHelpers.time.increaseTo(endsAt);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.be.revertedWithCustomError(w.escrow, "InspectionWindowClosed")
        .withArgs(orderId, endsAt);
    });
  });

  describe("3b. release skips the registry read only after every suspension was reported", function () {
    /** A delivery by the independent carrier (the relayer) that the escrow recorded, window passed later. */
    async function recordedDelivery(w: EscrowWorld, overrides: Partial<Offer> = {}) {
      const offer = await w.makeOffer(overrides);
      const { orderId } = await shipWithFinalEvent(
        w,
        offer,
        Shipment.Delivered,
        w.relayer.address,
        w.relayer.address,
      );
      await w.escrow.connect(w.stranger).markDelivered(offer);
      return { offer, orderId };
    }

    it("starts unlinked, and lets only its registry record the link or a suspension", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const registry = await w.registry.getAddress();
      expect(await w.escrow.registryLink()).to.deep.equal([false, 0n]);
      await expect(w.escrow.connect(w.stranger).recordRegistryLink())
        .to.be.revertedWithCustomError(w.escrow, "NotRegistry")
        .withArgs(w.stranger.address, registry);
      await expect(w.escrow.connect(w.admin).recordCarrierSuspension(w.relayer.address))
        .to.be.revertedWithCustomError(w.escrow, "NotRegistry")
        .withArgs(w.admin.address, registry);
    });

    it("records the link as a suspension and every reported suspension, each with its event", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const registry = await w.registry.getAddress();
      await expect(w.registry.linkEscrow(await w.escrow.getAddress()))
        .to.emit(w.escrow, "RegistryLinked")
        .withArgs(registry);
      const linkedAt = await w.now();
      expect(await w.escrow.registryLink()).to.deep.equal([true, linkedAt]);
      await networkHelpers.time.increase(DAY);
      await expect(w.registry.setSuspended(w.relayer.address, true))
        .to.emit(w.escrow, "CarrierSuspensionRecorded")
        .withArgs(w.relayer.address);
      expect(await w.escrow.registryLink()).to.deep.equal([true, await w.now()]);
    });

    it("reads the registry on every release while unlinked: an unreported suspension still blocks it", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const { offer, orderId } = await recordedDelivery(w);
      await w.registry.setSuspended(w.relayer.address, true); // unlinked: the escrow is not told
      await networkHelpers.time.increase(INSPECTION);
      await expect(w.escrow.connect(w.stranger).release(offer))
        .to.be.revertedWithCustomError(w.escrow, "EvidenceCarrierSuspended")
        .withArgs(orderId, w.relayer.address);
    });

    it("keeps the registry read for a delivery recorded before the link, whose suspension nobody reported", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const { offer, orderId } = await recordedDelivery(w);
      await w.registry.setSuspended(w.relayer.address, true); // before the link: not reported
      await networkHelpers.time.increase(DAY);
      await w.registry.linkEscrow(await w.escrow.getAddress());
      await networkHelpers.time.increase(INSPECTION);
      await expect(w.escrow.connect(w.stranger).release(offer))
        .to.be.revertedWithCustomError(w.escrow, "EvidenceCarrierSuspended")
        .withArgs(orderId, w.relayer.address);
    });

    it("refuses release once a reported suspension came after the delivery was recorded, and releases after reinstatement", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      await w.registry.linkEscrow(await w.escrow.getAddress());
      await networkHelpers.time.increase(DAY);
      const { offer, orderId } = await recordedDelivery(w);
      await w.registry.setSuspended(w.relayer.address, true);
      await networkHelpers.time.increase(INSPECTION);
      await expect(w.escrow.connect(w.stranger).release(offer))
        .to.be.revertedWithCustomError(w.escrow, "EvidenceCarrierSuspended")
        .withArgs(orderId, w.relayer.address);
      await w.registry.setSuspended(w.relayer.address, false);
      await expect(w.escrow.connect(w.stranger).release(offer))
        .to.emit(w.escrow, "OrderReleased")
        .withArgs(
          orderId,
          w.payee.address,
          PRICE - (PRICE * FEE_BPS) / 10_000n,
          (PRICE * FEE_BPS) / 10_000n,
        );
    });

    it("skips the registry read for a delivery recorded after the latest reported suspension", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      // A first payout, so both releases below write warm balances and fee slot alike.
      const warm = await w.makeOffer();
      await w.pay(warm);
      await w.escrow.connect(w.buyer).confirmReceipt(warm);
      await w.registry.linkEscrow(await w.escrow.getAddress());
      // A suspension before the delivery: markDelivered checked the carrier after it.
      await w.registry.setSuspended(w.relayer.address, true);
      await w.registry.setSuspended(w.relayer.address, false);
      await networkHelpers.time.increase(DAY);
      const { offer, orderId } = await recordedDelivery(w);
      expect((await w.escrow.registryLink())[1]).to.be.lessThan(
        (await w.escrow.getOrder(orderId)).stamp,
      );
      await networkHelpers.time.increase(INSPECTION);
      const fast = await (await w.escrow.connect(w.stranger).release(offer)).wait();

      // The same release after a suspension (of any carrier) since its delivery reads the registry.
      const other = await recordedDelivery(w);
      await w.registry.setSuspended(w.stranger.address, true);
      await networkHelpers.time.increase(INSPECTION);
      const slow = await (await w.escrow.connect(w.stranger).release(other.offer)).wait();
      expect(slow!.gasUsed - fast!.gasUsed).to.be.greaterThan(4_000n);
      expect((await w.escrow.getOrder(orderId)).status).to.equal(Status.Released);
    });

    it("keeps a copy per token: one first allowed after a suspension releases without the read, and a suspension since its delivery still blocks it", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      await w.registry.linkEscrow(await w.escrow.getAddress());
      await w.registry.setSuspended(w.stranger.address, true);
      const suspendedAt = await w.now();
      await networkHelpers.time.increase(DAY);
      const eurc = await ethers.deployContract("MockStablecoin", ["EURC", "EURC", w.admin.address]);
      const token = await eurc.getAddress();
      await w.escrow.setTokenAllowed(token, true);
      expect((await tokenStateOf(ethers, w.escrow, token)).suspensionCheckFrom).to.equal(
        suspendedAt,
      );
      await eurc.mint(w.buyer.address, 2n * PRICE);
      await eurc.connect(w.buyer).approve(await w.escrow.getAddress(), 2n * PRICE);

      const first = await recordedDelivery(w, { token });
      const second = await recordedDelivery(w, { token });
      await networkHelpers.time.increase(INSPECTION);
      // Delivered after the latest suspension: released on the token's copy alone.
      await expect(w.escrow.connect(w.stranger).release(first.offer))
        .to.emit(w.escrow, "OrderReleased")
        .withArgs(first.orderId, w.payee.address, PRICE - (PRICE * FEE_BPS) / 10_000n, anyUint);
      await w.registry.setSuspended(w.relayer.address, true);
      expect((await tokenStateOf(ethers, w.escrow, token)).suspensionCheckFrom).to.equal(
        await w.now(),
      );
      await expect(w.escrow.connect(w.stranger).release(second.offer))
        .to.be.revertedWithCustomError(w.escrow, "EvidenceCarrierSuspended")
        .withArgs(second.orderId, w.relayer.address);
    });
  });

  describe("4. late delivery keeps the buyer's refund right", function () {
    async function lateDelivery(w: EscrowWorld) {
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      const paidAt = (await w.escrow.getOrder(orderId)).stamp;
      const deliveredAt = paidAt + DELIVER_WITHIN + 1n;
      await networkHelpers.time.increaseTo(deliveredAt + 60n);
      await w.registry.setShipment(await w.shipmentIdOf(offer), Shipment.Delivered, deliveredAt);
      return { offer, orderId };
    }

    it("lets the buyer refund in full a delivery recorded after the deliver-by deadline, while Shipped", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const { offer, orderId } = await lateDelivery(w);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.emit(w.escrow, "OrderRefunded")
        .withArgs(orderId, w.buyer.address, PRICE, Reason.NotDeliveredInTime);
    });

    it("lets the buyer refund in full a late delivery within the inspection window once Delivered", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const { offer, orderId } = await lateDelivery(w);
      await w.escrow.connect(w.stranger).markDelivered(offer);
      expect((await w.escrow.getOrder(orderId)).flags).to.equal(4n | 8n);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.emit(w.escrow, "OrderRefunded")
        .withArgs(orderId, w.buyer.address, PRICE, Reason.NotDeliveredInTime);
    });

    it("leaves a late delivery's refund to the buyer alone, even after the grace period", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const { offer, orderId } = await lateDelivery(w);
      await networkHelpers.time.increase(GRACE + DAY);
      await expect(w.escrow.connect(w.stranger).claimRefund(offer))
        .to.be.revertedWithCustomError(w.escrow, "NotBuyer")
        .withArgs(orderId, w.stranger.address, w.buyer.address);
      await w.escrow.connect(w.stranger).markDelivered(offer);
      await expect(w.escrow.connect(w.stranger).claimRefund(offer))
        .to.be.revertedWithCustomError(w.escrow, "NotBuyer")
        .withArgs(orderId, w.stranger.address, w.buyer.address);
    });

    it("releases a late delivery the buyer let pass, and refuses the refund after the window", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const { offer, orderId } = await lateDelivery(w);
      await w.escrow.connect(w.stranger).markDelivered(offer);
      const endsAt = (await w.escrow.getOrder(orderId)).stamp + INSPECTION;
      await networkHelpers.time.increaseTo(endsAt);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.be.revertedWithCustomError(w.escrow, "InspectionWindowClosed")
        .withArgs(orderId, endsAt);
      await expect(w.escrow.connect(w.stranger).release(offer)).to.emit(w.escrow, "OrderReleased");
    });

    it("lets the buyer accept a late delivery by confirming it", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const { offer } = await lateDelivery(w);
      await w.escrow.connect(w.stranger).markDelivered(offer);
      await expect(w.escrow.connect(w.buyer).confirmReceipt(offer)).to.emit(
        w.escrow,
        "OrderReleased",
      );
    });

    it("refuses a refund of a delivery recorded on time", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.ship(offer);
      const paidAt = (await w.escrow.getOrder(orderId)).stamp;
      const shipmentId = await w.shipmentIdOf(offer);
      await w.registry.setShipment(shipmentId, Shipment.Delivered, paidAt + DELIVER_WITHIN);
      await networkHelpers.time.increaseTo(paidAt + DELIVER_WITHIN + 10n);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidShipmentStatus")
        .withArgs(orderId, shipmentId, Shipment.Delivered);
      await w.escrow.markDelivered(offer);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Delivered);
    });
  });

  describe("5. reviews by the seller", function () {
    it("refuses a review by a merchant or payee that bought its own delivered order", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      for (const seller of [w.merchant, w.payee]) {
        await w.usdc.mint(seller.address, PRICE);
        await w.usdc.connect(seller).approve(await w.escrow.getAddress(), PRICE);
        const offer = await w.makeOffer();
        const orderId = await w.pay(offer, seller);
        const shipmentId = await w.shipmentIdOf(offer);
        await w.registry.setShipment(shipmentId, Shipment.InTransit, 0);
        await w.escrow.connect(w.merchant).markShipped(offer);
        await w.registry.setShipment(shipmentId, Shipment.Delivered, await w.now());
        await w.escrow.markDelivered(offer);
        await w.escrow.connect(seller).confirmReceipt(offer);
        await expect(w.escrow.connect(seller).review(offer, 5, ""))
          .to.be.revertedWithCustomError(w.escrow, "SelfReview")
          .withArgs(orderId, seller.address);
      }
      expect(await w.escrow.ratingOf(w.merchant.address)).to.deep.equal([0n, 0n]);
    });
  });

  describe("6. the fee a merchant agreed to", function () {
    it("refuses payment when the fee was raised above the offer's maxFeeBps", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await w.escrow.setFeeBps(FEE_BPS + 1n);
      await expect(w.escrow.connect(w.buyer).pay(offer, await w.sign(offer)))
        .to.be.revertedWithCustomError(w.escrow, "FeeAboveOfferMaximum")
        .withArgs(await w.orderId(offer), FEE_BPS + 1n, FEE_BPS);
    });

    it("refuses an ERC-3009 payment relayed after the fee was raised above maxFeeBps", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.orderId(offer);
      const auth = await signReceiveAuthorization(w.usdc, w.buyer, {
        to: await w.escrow.getAddress(),
        value: offer.price,
        validAfter: 0n,
        validBefore: (await w.now()) + 3600n,
        nonce: orderId,
      });
      await w.escrow.setFeeBps(1000n);
      await expect(
        w.escrow
          .connect(w.relayer)
          .payWithAuthorization(
            offer,
            await w.sign(offer),
            auth.from,
            auth.validAfter,
            auth.validBefore,
            auth.v,
            auth.r,
            auth.s,
          ),
      )
        .to.be.revertedWithCustomError(w.escrow, "FeeAboveOfferMaximum")
        .withArgs(orderId, 1000n, FEE_BPS);
    });

    it("accepts a fee lowered below, or equal to, the offer's maxFeeBps", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer({ maxFeeBps: 300n });
      await w.escrow.setFeeBps(300n);
      const orderId = await w.pay(offer);
      expect((await w.escrow.getOrder(orderId)).feeBps).to.equal(300n);
      const cheaper = await w.makeOffer({ maxFeeBps: 300n });
      await w.escrow.setFeeBps(0n);
      expect((await w.escrow.getOrder(await w.pay(cheaper))).feeBps).to.equal(0n);
    });
  });

  describe("7. a window the buyer can use", function () {
    it("refuses an offer whose inspection period is below MIN_INSPECTION_PERIOD", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const minimum = await w.escrow.MIN_INSPECTION_PERIOD();
      expect(minimum).to.equal(DAY);
      for (const period of [0n, minimum - 1n]) {
        const offer = await w.makeOffer({ inspectionPeriod: period });
        await expect(w.escrow.connect(w.buyer).pay(offer, await w.sign(offer)))
          .to.be.revertedWithCustomError(w.escrow, "InspectionPeriodTooShort")
          .withArgs(await w.orderId(offer), period, minimum);
      }
      const shortest = await w.makeOffer({ inspectionPeriod: minimum });
      expect((await w.escrow.getOrder(await w.pay(shortest))).status).to.equal(Status.Paid);
    });

    it("holds the same minimum as the SDK's offer validation, so no tool signs an unpayable offer", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      expect(await w.escrow.MIN_INSPECTION_PERIOD()).to.equal(
        BigInt(MIN_INSPECTION_PERIOD_SECONDS),
      );
    });
  });

  describe("8. stranded credits", function () {
    it("lets anyone push a passive contract's credit to that contract once its freeze is lifted", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const vault = await ethers.deployContract("MockERC1271Wallet", [w.admin.address]);
      const vaultAddress = await vault.getAddress();
      const token = await w.usdc.getAddress();
      const offer = await w.makeOffer({ payee: vaultAddress });
      await w.pay(offer);
      await w.usdc.blocklist(vaultAddress);
      await w.escrow.connect(w.buyer).confirmReceipt(offer);
      const credit = PRICE - (PRICE * FEE_BPS) / 10_000n;
      expect(await w.escrow.credits(token, vaultAddress)).to.equal(credit);
      // Still frozen: the push reverts and the credit stays.
      await expect(w.escrow.connect(w.stranger).pushCredit(token, vaultAddress))
        .to.be.revertedWithCustomError(w.usdc, "Blocklisted")
        .withArgs(vaultAddress);
      expect(await w.escrow.credits(token, vaultAddress)).to.equal(credit);
      await w.usdc.unblocklist(vaultAddress);
      await expect(w.escrow.connect(w.stranger).pushCredit(token, vaultAddress))
        .to.emit(w.escrow, "CreditPushed")
        .withArgs(token, vaultAddress, w.stranger.address, credit);
      expect(await w.usdc.balanceOf(vaultAddress)).to.equal(credit);
      expect(await w.escrow.credits(token, vaultAddress)).to.equal(0n);
      await expect(w.escrow.connect(w.stranger).pushCredit(token, vaultAddress))
        .to.be.revertedWithCustomError(w.escrow, "NothingToWithdraw")
        .withArgs(token, vaultAddress);
    });
  });

  describe("15. recalled units", function () {
    it("refuses to take a recalled unit into custody", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      const shipmentId = await w.shipmentIdOf(offer);
      await w.registry.setShipment(shipmentId, Shipment.Created, 0);
      await w.registry.setPassports(shipmentId, [7n, 8n]);
      for (const tokenId of [7n, 8n]) await w.passports.mint(w.merchant.address, tokenId);
      await w.passports.setRecalled(8n, true);
      await w.passports.connect(w.merchant).setApprovalForAll(await w.escrow.getAddress(), true);
      await expect(w.escrow.connect(w.merchant).markShipped(offer))
        .to.be.revertedWithCustomError(w.escrow, "PassportRecalled")
        .withArgs(orderId, 8n);
      expect(await w.passports.ownerOf(7n)).to.equal(w.merchant.address);
      // Not shipped, so the buyer's ship-by refund still opens.
      await networkHelpers.time.increase(SHIP_WITHIN + 1n);
      await expect(w.escrow.connect(w.buyer).claimRefund(offer))
        .to.emit(w.escrow, "OrderRefunded")
        .withArgs(orderId, w.buyer.address, PRICE, Reason.NotShippedInTime);
    });
  });
});
