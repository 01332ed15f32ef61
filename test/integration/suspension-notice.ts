/**
 * The registry tells its escrow of the link and of every carrier suspension, so release skips the
 * registry read for a delivery recorded after the latest one (issue 13), while issue 9's rule holds:
 * no release on a delivery whose carrier is suspended now. Real contracts, wired by Ignition, plus
 * escrows that refuse the notices.
 */
import { anyUint } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import { getBytes } from "ethers";
import { network } from "hardhat";

import { signOffer } from "@waybill/sdk";
import type { MockStablecoin } from "../../typechain-types/index.js";
import { NEVER, listedTokensOf, tokenStateOf } from "../escrow/helpers.js";
import {
  CODE_A,
  EventCode,
  HAMBURG,
  HOUR,
  INSPECTION,
  OrderStatus,
  PRICE,
  SHANGHAI,
  ZeroAddress,
  deployWaybillWorld,
} from "./helpers.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const DAY = 24n * 3600n;
const HostileMode = { Revert: 0, BurnGas: 1, ReturnBomb: 2 } as const;

async function waybillFixture() {
  return deployWaybillWorld(connection);
}

/** An order shipped in one call whose journey ends Delivered by carrier B, recorded by the escrow. */
async function deliveredOrderFixture() {
  const w = await deployWaybillWorld(connection);
  const offer = await w.makeOffer();
  const { orderId, shipmentId } = await w.payAndShipInOneCall(offer);
  await w.recordJourney(shipmentId);
  await w.escrow.connect(w.keeper).markDelivered(offer);
  return { ...w, offer, orderId, shipmentId };
}

/**
 * The deployment's USDC and EURC plus fresh stablecoins up to `MAX_LISTED_TOKENS`, all allowed:
 * the longest list a suspension notice can have to update.
 */
async function fullTokenListFixture() {
  const w = await deployWaybillWorld(connection);
  const tokens: MockStablecoin[] = [w.usdc, w.eurc];
  const max = await w.escrow.MAX_LISTED_TOKENS();
  while (BigInt(tokens.length) < max) {
    const symbol = `ST${tokens.length}`;
    tokens.push(await ethers.deployContract("MockStablecoin", [symbol, symbol, w.admin.address]));
  }
  const added = await Promise.all(tokens.slice(2).map((token) => token.getAddress()));
  await w.escrow.setTokensAllowed(added, true);
  return { ...w, tokens };
}

/** EIP-2028's calldata price, the part of a transaction's intrinsic gas that varies. */
function intrinsicGas(data: string): bigint {
  return getBytes(data).reduce((sum, byte) => sum + (byte === 0 ? 4n : 16n), 21_000n);
}

/** A registry of its own with one carrier, whose escrow is a contract refusing every notice. */
async function hostileEscrowFixture() {
  const [admin, carrier] = await ethers.getSigners();
  const registry = await ethers.deployContract("ShipmentRegistry", [admin.address, 0, ZeroAddress]);
  await registry.grantRole(await registry.CARRIER_MANAGER_ROLE(), admin.address);
  await registry.registerCarrier(carrier.address, CODE_A);
  const hostile = await ethers.deployContract("HostileRegistryListener");
  return { registry, hostile, carrier };
}

describe("Integration: the registry reports suspensions to its escrow", function () {
  it("links the escrow at deployment, counting the link as a suspension", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const [linked, lastSuspensionAt] = await w.escrow.registryLink();
    expect(linked).to.equal(true);
    expect(lastSuspensionAt).to.be.greaterThan(0n);
    expect(lastSuspensionAt).to.be.at.most(await w.now());
  });

  it("records each suspension in the escrow with an event, and a reinstatement changes nothing there", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    await expect(w.registry.suspendCarrier(w.carrierA.address))
      .to.emit(w.registry, "CarrierSuspended")
      .withArgs(w.carrierA.address)
      .and.to.emit(w.escrow, "CarrierSuspensionRecorded")
      .withArgs(w.carrierA.address);
    const suspendedAt = await w.now();
    expect(await w.escrow.registryLink()).to.deep.equal([true, suspendedAt]);
    await networkHelpers.time.increase(DAY);
    await expect(w.registry.reinstateCarrier(w.carrierA.address)).not.to.emit(
      w.escrow,
      "CarrierSuspensionRecorded",
    );
    expect(await w.escrow.registryLink()).to.deep.equal([true, suspendedAt]);
  });

  it("refuses release while the carrier suspended after the recorded delivery stays suspended, and releases once reinstated", async function () {
    const w = await networkHelpers.loadFixture(deliveredOrderFixture);
    await w.registry.suspendCarrier(w.carrierB.address);
    await networkHelpers.time.increase(INSPECTION);
    await expect(w.escrow.connect(w.keeper).release(w.offer))
      .to.be.revertedWithCustomError(w.escrow, "EvidenceCarrierSuspended")
      .withArgs(w.orderId, w.carrierB.address);
    await w.registry.reinstateCarrier(w.carrierB.address);
    await expect(w.escrow.connect(w.keeper).release(w.offer))
      .to.emit(w.escrow, "OrderReleased")
      .withArgs(w.orderId, w.payee.address, anyUint, anyUint);
    expect((await w.escrow.getOrder(w.orderId)).status).to.equal(OrderStatus.Released);
  });

  it("releases a delivery recorded after a suspension, which markDelivered already judged", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const offer = await w.makeOffer();
    const { orderId, shipmentId } = await w.payAndShipInOneCall(offer);
    await w.recordJourney(shipmentId); // carrier A hands over to carrier B, which delivers
    await w.registry.suspendCarrier(w.carrierA.address); // before the escrow records the delivery
    await networkHelpers.time.increase(DAY);
    await w.escrow.connect(w.keeper).markDelivered(offer);
    expect((await w.escrow.registryLink())[1]).to.be.lessThan(
      (await w.escrow.getOrder(orderId)).stamp,
    );
    await networkHelpers.time.increase(INSPECTION);
    await expect(w.escrow.connect(w.keeper).release(offer)).to.emit(w.escrow, "OrderReleased");
  });

  it("tells no other escrow: one whose registry names another stays unlinked", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const stray = await ethers.deployContract("WaybillEscrow", [
      await w.registry.getAddress(),
      ZeroAddress,
      14 * 24 * 3600,
      0,
      w.admin.address,
      w.admin.address,
      0,
    ]);
    await stray.grantRole(await stray.TOKEN_MANAGER_ROLE(), w.admin.address);
    await stray.setTokenAllowed(await w.usdc.getAddress(), true);
    await expect(w.registry.suspendCarrier(w.carrierA.address)).not.to.emit(
      stray,
      "CarrierSuspensionRecorded",
    );
    expect(await stray.registryLink()).to.deep.equal([false, 0n]);
    // Its release always reads the registry.
    expect(
      (await tokenStateOf(ethers, stray, await w.usdc.getAddress())).suspensionCheckFrom,
    ).to.equal(NEVER);
  });

  it("gives each token the deployment allowed the link as its latest suspension, whichever came first", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const [, linkedAt] = await w.escrow.registryLink();
    for (const token of [w.usdc, w.eurc]) {
      const state = await tokenStateOf(ethers, w.escrow, await token.getAddress());
      expect(state.listed).to.equal(true);
      expect(state.suspensionCheckFrom).to.equal(linkedAt);
    }
  });

  it("reaches the escrow with MAX_LISTED_TOKENS tokens listed: every token's copy moves, and a release in each then reads the registry", async function () {
    const w = await networkHelpers.loadFixture(fullTokenListFixture);
    const escrowAddress = await w.escrow.getAddress();
    const orders: { offer: Awaited<ReturnType<typeof w.makeOffer>>; orderId: string }[] = [];
    for (const token of w.tokens) {
      await token.mint(w.buyer.address, PRICE);
      await token.connect(w.buyer).approve(escrowAddress, PRICE);
      const offer = await w.makeOffer({ token: await token.getAddress() });
      await w.escrow.connect(w.buyer).pay(offer, await signOffer(w.escrow, w.merchant, offer));
      const orderId = await w.orderIdOf(offer);
      await w.escrow.connect(w.merchant).ship(offer, w.newShipment(orderId));
      await w.record(await w.shipmentIdOf(offer), w.carrierA, [
        { code: EventCode.PickedUp, location: SHANGHAI },
        { code: EventCode.Delivered, location: HAMBURG },
      ]);
      await w.escrow.connect(w.keeper).markDelivered(offer);
      orders.push({ offer, orderId });
    }
    expect(await listedTokensOf(ethers, w.escrow)).to.have.length(w.tokens.length);

    await networkHelpers.time.increase(HOUR);
    const suspension = await w.registry.suspendCarrier(w.carrierA.address);
    await expect(suspension)
      .to.emit(w.escrow, "CarrierSuspensionRecorded")
      .withArgs(w.carrierA.address);
    await expect(suspension).not.to.emit(w.registry, "EscrowNoticeFailed");
    const suspendedAt = await w.now();
    expect(await w.escrow.registryLink()).to.deep.equal([true, suspendedAt]);
    for (const token of w.tokens) {
      const state = await tokenStateOf(ethers, w.escrow, await token.getAddress());
      expect(state.suspensionCheckFrom, await token.symbol()).to.equal(suspendedAt);
    }

    await networkHelpers.time.increase(INSPECTION);
    for (const { offer, orderId } of orders) {
      await expect(w.escrow.connect(w.keeper).release(offer))
        .to.be.revertedWithCustomError(w.escrow, "EvidenceCarrierSuspended")
        .withArgs(orderId, w.carrierA.address);
    }
    await w.registry.reinstateCarrier(w.carrierA.address);
    for (const { offer, orderId } of orders) {
      await expect(w.escrow.connect(w.keeper).release(offer))
        .to.emit(w.escrow, "OrderReleased")
        .withArgs(orderId, w.payee.address, anyUint, anyUint);
    }
  });

  it("records a suspension for MAX_LISTED_TOKENS tokens in under half of the registry's ESCROW_NOTICE_GAS", async function () {
    const w = await networkHelpers.loadFixture(fullTokenListFixture);
    const registryAddress = await w.registry.getAddress();
    await networkHelpers.impersonateAccount(registryAddress);
    await networkHelpers.setBalance(registryAddress, 10n ** 18n);
    const asRegistry = await ethers.getSigner(registryAddress);
    // A later second than the link: every token's copy changes, each write at full price, and
    // every slot is cold in a transaction of its own, as in the registry's worst case.
    await networkHelpers.time.increase(HOUR);
    const tx = await w.escrow.connect(asRegistry).recordCarrierSuspension(w.carrierA.address);
    const receipt = await tx.wait();
    // The notice's own use: the registry's call pays the escrow account's access, as the
    // transaction's intrinsic cost does here.
    const used = receipt!.gasUsed - intrinsicGas(tx.data);
    const allowance = await w.registry.ESCROW_NOTICE_GAS();
    expect(used * 2n, `the notice used ${used} of ${allowance}`).to.be.at.most(allowance);
    const recordedAt = await w.now();
    for (const token of w.tokens) {
      const state = await tokenStateOf(ethers, w.escrow, await token.getAddress());
      expect(state.suspensionCheckFrom).to.equal(recordedAt);
    }
    await networkHelpers.stopImpersonatingAccount(registryAddress);
  });

  it("links and suspends whatever an escrow that reverts or burns its gas does, reporting the refused notice", async function () {
    for (const mode of [HostileMode.Revert, HostileMode.BurnGas]) {
      const { registry, hostile, carrier } = await networkHelpers.loadFixture(hostileEscrowFixture);
      await hostile.setMode(mode);
      const hostileAddress = await hostile.getAddress();
      await expect(registry.setEscrow(hostileAddress))
        .to.emit(registry, "EscrowSet")
        .withArgs(hostileAddress)
        .and.to.emit(registry, "EscrowNoticeFailed")
        .withArgs(hostileAddress, hostile.interface.getFunction("recordRegistryLink").selector);
      await expect(registry.suspendCarrier(carrier.address))
        .to.emit(registry, "CarrierSuspended")
        .withArgs(carrier.address)
        .and.to.emit(registry, "EscrowNoticeFailed")
        .withArgs(
          hostileAddress,
          hostile.interface.getFunction("recordCarrierSuspension").selector,
        );
      expect((await registry.carrierOf(carrier.address)).active).to.equal(false);
    }
  });

  it("does not copy a hostile escrow's huge answer: the suspension stays cheap", async function () {
    const { registry, hostile, carrier } = await networkHelpers.loadFixture(hostileEscrowFixture);
    await hostile.setMode(HostileMode.ReturnBomb);
    await registry.setEscrow(await hostile.getAddress());
    const receipt = await (await registry.suspendCarrier(carrier.address)).wait();
    // Copying 100,000 bytes into the registry's memory would cost it over 28,000 gas more.
    expect(receipt!.gasUsed).to.be.lessThan(90_000n);
    expect((await registry.carrierOf(carrier.address)).active).to.equal(false);
  });

  it("refuses a suspension sent with too little gas to guarantee the escrow its notice", async function () {
    const w = await networkHelpers.loadFixture(waybillFixture);
    const notice = await w.registry.ESCROW_NOTICE_GAS();
    const needed = (notice * 64n) / 63n + 3_000n;
    await expect(w.registry.suspendCarrier(w.carrierA.address, { gasLimit: 60_000 }))
      .to.be.revertedWithCustomError(w.registry, "EscrowNoticeGasTooLow")
      .withArgs(anyUint, needed);
    expect((await w.registry.carrierOf(w.carrierA.address)).active).to.equal(true);
    // A wallet's estimate includes the guarantee, so the suspension then goes through and is recorded.
    await expect(w.registry.suspendCarrier(w.carrierA.address))
      .to.emit(w.escrow, "CarrierSuspensionRecorded")
      .withArgs(w.carrierA.address);
  });
});
