import { expect } from "chai";
import { AbiCoder, ZeroAddress, ZeroHash, id, keccak256 } from "ethers";
import { network } from "hardhat";

import { encodeLocode } from "@waybill/sdk";
import {
  HAMBURG,
  SHANGHAI,
  STATUS,
  createShipment,
  deployRegistry,
  newShipment,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

describe("ShipmentRegistry: creating shipments", function () {
  async function registryFixture() {
    return deployRegistry(ethers);
  }

  async function registryWithoutPassportsFixture() {
    const f = await deployRegistry(ethers);
    const registry = await ethers.deployContract("ShipmentRegistry", [
      f.admin.address,
      3600,
      ZeroAddress,
    ]);
    await registry.connect(f.admin).grantRole(f.managerRole, f.manager.address);
    await registry.connect(f.manager).registerCarrier(f.carrier.address, "0x4d41455500000000");
    return { ...f, registry };
  }

  it("derives ids as keccak256(abi.encode(shipper, shipperRef))", async function () {
    const { registry, shipper } = await networkHelpers.loadFixture(registryFixture);
    const expected = keccak256(
      AbiCoder.defaultAbiCoder().encode(["address", "bytes32"], [shipper.address, id("order-1")]),
    );
    expect(await registry.shipmentIdOf(shipper.address, id("order-1"))).to.equal(expected);
  });

  it("creates a shipment in status Created, emits ShipmentCreated and stores no passports", async function () {
    const { registry, shipper, carrier, passports } =
      await networkHelpers.loadFixture(registryFixture);
    const s = newShipment(carrier.address, "order-1");
    const shipmentId = await registry.shipmentIdOf(shipper.address, id("order-1"));
    expect(await registry.connect(shipper).createShipment.staticCall(s)).to.equal(shipmentId);
    await expect(registry.connect(shipper).createShipment(s))
      .to.emit(registry, "ShipmentCreated")
      .withArgs(
        shipmentId,
        shipper.address,
        carrier.address,
        id("order-1"),
        SHANGHAI,
        HAMBURG,
        id("documents of order-1"),
        [],
      );
    const view = await registry.getShipment(shipmentId);
    expect(view.status).to.equal(STATUS.Created);
    expect(view.carrier).to.equal(carrier.address);
    expect(view.lastEventAt).to.equal(await networkHelpers.time.latest());
    expect(view.deliveredAt).to.equal(0n);
    expect(view.eventCount).to.equal(0n);
    expect(await registry.passportsOf(shipmentId)).to.deep.equal([]);
    expect(await passports.callCount()).to.equal(0n);
  });

  it("lets two shippers use the same reference for different shipments", async function () {
    const f = await networkHelpers.loadFixture(registryFixture);
    const a = await createShipment(f, "same-ref");
    await f.registry.connect(f.stranger).createShipment(newShipment(f.carrier.address, "same-ref"));
    const b = await f.registry.shipmentIdOf(f.stranger.address, id("same-ref"));
    expect(a).to.not.equal(b);
    expect((await f.registry.getShipment(b)).status).to.equal(STATUS.Created);
  });

  it("records passports with the passport contract and stores their ids", async function () {
    const { registry, shipper, carrier, passports } =
      await networkHelpers.loadFixture(registryFixture);
    const ids = [11n, 12n, 13n];
    const shipmentId = await registry.shipmentIdOf(shipper.address, id("order-1"));
    await expect(
      registry.connect(shipper).createShipment(newShipment(carrier.address, "order-1", ids)),
    )
      .to.emit(registry, "ShipmentCreated")
      .withArgs(
        shipmentId,
        shipper.address,
        carrier.address,
        id("order-1"),
        SHANGHAI,
        HAMBURG,
        id("documents of order-1"),
        ids,
      )
      .and.to.emit(passports, "PassportShipped")
      .withArgs(12n, shipmentId);
    expect(await passports.callCount()).to.equal(1n);
    expect(await passports.lastShipmentId()).to.equal(shipmentId);
    expect(await passports.lastShipper()).to.equal(shipper.address);
    expect(await passports.lastTokenIds()).to.deep.equal(ids);
    expect(await registry.passportsOf(shipmentId)).to.deep.equal(ids);
  });

  it("accepts exactly MAX_PASSPORTS passports", async function () {
    const { registry, shipper, carrier } = await networkHelpers.loadFixture(registryFixture);
    const ids = Array.from({ length: 50 }, (_, i) => BigInt(i + 1));
    await registry.connect(shipper).createShipment(newShipment(carrier.address, "order-1", ids));
    const shipmentId = await registry.shipmentIdOf(shipper.address, id("order-1"));
    expect((await registry.passportsOf(shipmentId)).length).to.equal(50);
  });

  it("reverts with TooManyPassports above MAX_PASSPORTS", async function () {
    const { registry, shipper, carrier } = await networkHelpers.loadFixture(registryFixture);
    const ids = Array.from({ length: 51 }, (_, i) => BigInt(i + 1));
    await expect(registry.connect(shipper).createShipment(newShipment(carrier.address, "o", ids)))
      .to.be.revertedWithCustomError(registry, "TooManyPassports")
      .withArgs(51n, 50n);
  });

  it("bubbles up PassportNotOwnedByShipper and creates nothing", async function () {
    const { registry, shipper, carrier, passports } =
      await networkHelpers.loadFixture(registryFixture);
    await passports.refuse(12n);
    await expect(
      registry.connect(shipper).createShipment(newShipment(carrier.address, "order-1", [11n, 12n])),
    )
      .to.be.revertedWithCustomError(passports, "PassportNotOwnedByShipper")
      .withArgs(12n, shipper.address);
    const shipmentId = await registry.shipmentIdOf(shipper.address, id("order-1"));
    expect((await registry.getShipment(shipmentId)).status).to.equal(STATUS.None);
  });

  it("reverts with PassportsNotEnabled when passports are sent to a registry without a passport contract", async function () {
    const { registry, shipper, carrier } = await networkHelpers.loadFixture(
      registryWithoutPassportsFixture,
    );
    expect(await registry.passportCustody()).to.equal(ZeroAddress);
    await expect(
      registry.connect(shipper).createShipment(newShipment(carrier.address, "o", [1n])),
    ).to.be.revertedWithCustomError(registry, "PassportsNotEnabled");
    await expect(
      registry.connect(shipper).createShipment(newShipment(carrier.address, "o")),
    ).to.emit(registry, "ShipmentCreated");
  });

  it("reverts with ShipmentAlreadyExists when the shipper reuses a reference", async function () {
    const f = await networkHelpers.loadFixture(registryFixture);
    const shipmentId = await createShipment(f, "order-1");
    await expect(
      f.registry.connect(f.shipper).createShipment(newShipment(f.carrier2.address, "order-1")),
    )
      .to.be.revertedWithCustomError(f.registry, "ShipmentAlreadyExists")
      .withArgs(shipmentId);
  });

  it("reverts with CarrierNotRegistered when the first carrier is unknown, a key or zero", async function () {
    const { registry, shipper, stranger, key } = await networkHelpers.loadFixture(registryFixture);
    for (const c of [stranger.address, key.address, ZeroAddress]) {
      await expect(registry.connect(shipper).createShipment(newShipment(c, "o")))
        .to.be.revertedWithCustomError(registry, "CarrierNotRegistered")
        .withArgs(c);
    }
  });

  it("reverts with CarrierNotActive when the first carrier is suspended", async function () {
    const { registry, shipper, manager, carrier } =
      await networkHelpers.loadFixture(registryFixture);
    await registry.connect(manager).suspendCarrier(carrier.address);
    await expect(registry.connect(shipper).createShipment(newShipment(carrier.address, "o")))
      .to.be.revertedWithCustomError(registry, "CarrierNotActive")
      .withArgs(carrier.address);
  });

  describe("UN/LOCODE validation", function () {
    const bad = ["0x636e736861", "0x434e314841", "0x4331534841", "0x0000000000", "0x434e53485b"];
    // lowercase "cnsha", digit 1 in the place part, digit in the country part, zeros, "CNSH["

    for (const location of bad) {
      it(`reverts with InvalidLocation for origin or destination ${location}`, async function () {
        const { registry, shipper, carrier } = await networkHelpers.loadFixture(registryFixture);
        await expect(
          registry
            .connect(shipper)
            .createShipment({ ...newShipment(carrier.address, "o"), origin: location }),
        )
          .to.be.revertedWithCustomError(registry, "InvalidLocation")
          .withArgs(location);
        await expect(
          registry
            .connect(shipper)
            .createShipment({ ...newShipment(carrier.address, "o"), destination: location }),
        )
          .to.be.revertedWithCustomError(registry, "InvalidLocation")
          .withArgs(location);
      });
    }

    it("accepts place codes mixing letters and digits 2-9", async function () {
      const { registry, shipper, carrier } = await networkHelpers.loadFixture(registryFixture);
      await expect(
        registry.connect(shipper).createShipment({
          ...newShipment(carrier.address, "o"),
          origin: encodeLocode("GB2L9"),
          destination: encodeLocode("USZZZ"),
        }),
      ).to.emit(registry, "ShipmentCreated");
    });
  });

  it("returns an all-zero view and no passports for an unknown shipment", async function () {
    const { registry } = await networkHelpers.loadFixture(registryFixture);
    const view = await registry.getShipment(ZeroHash);
    expect(view.status).to.equal(STATUS.None);
    expect(view.carrier).to.equal(ZeroAddress);
    expect(view.eventCount).to.equal(0n);
    expect(await registry.passportsOf(ZeroHash)).to.deep.equal([]);
  });
});
