import { expect } from "chai";
import { network } from "hardhat";

import {
  ADMIN_DELAY,
  ARBITRATION_PERIOD,
  FEE_BPS,
  deployWaybillWorld,
  ZeroAddress,
} from "./helpers.js";

const connection = await network.create();
const { networkHelpers } = connection;

async function ignitionWorldFixture() {
  return deployWaybillWorld(connection);
}

describe("Integration: the WaybillLocal Ignition module", function () {
  it("wires passports to the registry, and the registry to passports", async function () {
    const w = await networkHelpers.loadFixture(ignitionWorldFixture);
    expect(await w.passports.shipmentRegistry()).to.equal(await w.registry.getAddress());
    expect(await w.registry.passportCustody()).to.equal(await w.passports.getAddress());
  });

  it("builds the escrow on the registry and the passports with core.ts's parameters", async function () {
    const w = await networkHelpers.loadFixture(ignitionWorldFixture);
    expect(await w.escrow.REGISTRY()).to.equal(await w.registry.getAddress());
    expect(await w.escrow.PASSPORTS()).to.equal(await w.passports.getAddress());
    expect(await w.escrow.ARBITRATION_PERIOD()).to.equal(ARBITRATION_PERIOD);
    const [feeBps, treasury, paused] = await w.escrow.config();
    expect(feeBps).to.equal(FEE_BPS);
    expect(treasury).to.equal(w.admin.address);
    expect(paused).to.equal(false);
  });

  it("allow-lists both local stablecoins and nothing else", async function () {
    const w = await networkHelpers.loadFixture(ignitionWorldFixture);
    expect(await w.escrow.isTokenAllowed(await w.usdc.getAddress())).to.equal(true);
    expect(await w.escrow.isTokenAllowed(await w.eurc.getAddress())).to.equal(true);
    expect(await w.escrow.isTokenAllowed(ZeroAddress)).to.equal(false);
    expect(await w.usdc.owner()).to.equal(w.admin.address);
    expect(await w.eurc.symbol()).to.equal("EURC");
  });

  it("makes the deployer admin of all three contracts, behind the admin-transfer delay", async function () {
    const w = await networkHelpers.loadFixture(ignitionWorldFixture);
    for (const c of [w.registry, w.escrow, w.passports]) {
      expect(await c.defaultAdmin()).to.equal(w.admin.address);
      expect(await c.defaultAdminDelay()).to.equal(ADMIN_DELAY);
    }
  });

  it("grants the deployer every operational role of the escrow and the registry", async function () {
    const w = await networkHelpers.loadFixture(ignitionWorldFixture);
    for (const role of [
      await w.escrow.ARBITER_ROLE(),
      await w.escrow.FEE_MANAGER_ROLE(),
      await w.escrow.TOKEN_MANAGER_ROLE(),
      await w.escrow.PAUSER_ROLE(),
    ]) {
      expect(await w.escrow.hasRole(role, w.admin.address)).to.equal(true);
    }
    expect(
      await w.registry.hasRole(await w.registry.CARRIER_MANAGER_ROLE(), w.admin.address),
    ).to.equal(true);
    expect(
      await w.passports.hasRole(await w.passports.MANUFACTURER_ROLE(), w.admin.address),
    ).to.equal(false);
  });

  it("refuses a second registry on the passports once Ignition has set one", async function () {
    const w = await networkHelpers.loadFixture(ignitionWorldFixture);
    await expect(w.passports.setShipmentRegistry(w.stranger.address))
      .to.be.revertedWithCustomError(w.passports, "ShipmentRegistryAlreadySet")
      .withArgs(await w.registry.getAddress());
  });
});
