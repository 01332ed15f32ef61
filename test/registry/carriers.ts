import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { network } from "hardhat";

import { ADMIN_DELAY, CODE_DHL, CODE_MAERSK, deployRegistry } from "./helpers.js";

const CODE_UPS = "0x5550535300000000"; // "UPSS"

const { ethers, networkHelpers } = await network.create();

describe("ShipmentRegistry: carriers, keys and roles", function () {
  async function registryFixture() {
    return deployRegistry(ethers);
  }

  describe("constructor", function () {
    it("sets the admin, the admin transfer delay, the passport contract and the EIP-712 domain", async function () {
      const { registry, admin, passports } = await networkHelpers.loadFixture(registryFixture);
      expect(await registry.owner()).to.equal(admin.address);
      expect(await registry.defaultAdmin()).to.equal(admin.address);
      expect(await registry.defaultAdminDelay()).to.equal(ADMIN_DELAY);
      expect(await registry.passportCustody()).to.equal(await passports.getAddress());
      expect(await registry.MAX_PASSPORTS()).to.equal(50n);
      expect(await registry.CARRIER_MANAGER_ROLE()).to.equal(ethers.id("CARRIER_MANAGER_ROLE"));
      const [, name, version, chainId, verifyingContract] = await registry.eip712Domain();
      expect(name).to.equal("Waybill ShipmentRegistry");
      expect(version).to.equal("1");
      expect(chainId).to.equal((await ethers.provider.getNetwork()).chainId);
      expect(verifyingContract).to.equal(await registry.getAddress());
    });

    it("does not give the admin the carrier-manager role implicitly", async function () {
      const { registry, admin, managerRole } = await networkHelpers.loadFixture(registryFixture);
      expect(await registry.hasRole(managerRole, admin.address)).to.equal(false);
    });
  });

  describe("registerCarrier", function () {
    it("registers a carrier under its code and emits CarrierRegistered", async function () {
      const { registry, manager, stranger } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(manager).registerCarrier(stranger.address, CODE_UPS))
        .to.emit(registry, "CarrierRegistered")
        .withArgs(stranger.address, CODE_UPS);
      expect(await registry.carrierOf(stranger.address)).to.deep.equal([stranger.address, true]);
      expect(await registry.carrierCode(stranger.address)).to.equal(CODE_UPS);
      expect(await registry.carrierByCode(CODE_UPS)).to.equal(stranger.address);
    });

    it("refuses a second carrier under an existing code, even while its holder is suspended", async function () {
      const { registry, manager, carrier, stranger } =
        await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(manager).registerCarrier(stranger.address, CODE_MAERSK))
        .to.be.revertedWithCustomError(registry, "CarrierCodeTaken")
        .withArgs(CODE_MAERSK, carrier.address);
      await registry.connect(manager).suspendCarrier(carrier.address);
      await expect(registry.connect(manager).registerCarrier(stranger.address, CODE_MAERSK))
        .to.be.revertedWithCustomError(registry, "CarrierCodeTaken")
        .withArgs(CODE_MAERSK, carrier.address);
      expect(await registry.carrierByCode(CODE_MAERSK)).to.equal(carrier.address);
    });

    it("reverts with AccessControlUnauthorizedAccount when the caller lacks the carrier-manager role", async function () {
      const { registry, admin, stranger, managerRole } =
        await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(admin).registerCarrier(stranger.address, CODE_DHL))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(admin.address, managerRole);
    });

    it("reverts with InvalidAccount for the zero address", async function () {
      const { registry, manager } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(manager).registerCarrier(ZeroAddress, CODE_DHL))
        .to.be.revertedWithCustomError(registry, "InvalidAccount")
        .withArgs(ZeroAddress);
    });

    it("reverts with InvalidCarrierCode for a zero code", async function () {
      const { registry, manager, stranger } = await networkHelpers.loadFixture(registryFixture);
      const zero = "0x0000000000000000";
      await expect(registry.connect(manager).registerCarrier(stranger.address, zero))
        .to.be.revertedWithCustomError(registry, "InvalidCarrierCode")
        .withArgs(zero);
    });

    it("reverts with CarrierAlreadyRegistered when the carrier is registered", async function () {
      const { registry, manager, carrier } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(manager).registerCarrier(carrier.address, CODE_DHL))
        .to.be.revertedWithCustomError(registry, "CarrierAlreadyRegistered")
        .withArgs(carrier.address);
    });

    it("reverts with KeyAlreadyAuthorized when the address is another carrier's key", async function () {
      const { registry, manager, carrier, key } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(manager).registerCarrier(key.address, CODE_DHL))
        .to.be.revertedWithCustomError(registry, "KeyAlreadyAuthorized")
        .withArgs(key.address, carrier.address);
    });

    it("reverts with KeyPreviouslyRevoked when the address is a revoked key", async function () {
      const { registry, manager, carrier, key } = await networkHelpers.loadFixture(registryFixture);
      await registry.connect(carrier).revokeKey(key.address);
      await expect(registry.connect(manager).registerCarrier(key.address, CODE_DHL))
        .to.be.revertedWithCustomError(registry, "KeyPreviouslyRevoked")
        .withArgs(key.address);
    });
  });

  describe("suspendCarrier / reinstateCarrier", function () {
    it("suspends a carrier and its keys, emitting CarrierSuspended", async function () {
      const { registry, manager, carrier, key } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(manager).suspendCarrier(carrier.address))
        .to.emit(registry, "CarrierSuspended")
        .withArgs(carrier.address);
      expect(await registry.carrierOf(carrier.address)).to.deep.equal([carrier.address, false]);
      expect(await registry.carrierOf(key.address)).to.deep.equal([carrier.address, false]);
    });

    it("reinstates a suspended carrier, emitting CarrierReinstated", async function () {
      const { registry, manager, carrier, key } = await networkHelpers.loadFixture(registryFixture);
      await registry.connect(manager).suspendCarrier(carrier.address);
      await expect(registry.connect(manager).reinstateCarrier(carrier.address))
        .to.emit(registry, "CarrierReinstated")
        .withArgs(carrier.address);
      expect(await registry.carrierOf(key.address)).to.deep.equal([carrier.address, true]);
    });

    it("reverts with AccessControlUnauthorizedAccount when a stranger suspends or reinstates", async function () {
      const { registry, stranger, carrier, managerRole } =
        await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(stranger).suspendCarrier(carrier.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, managerRole);
      await expect(registry.connect(stranger).reinstateCarrier(carrier.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, managerRole);
    });

    it("reverts with CarrierNotRegistered for an unknown address, a key or the zero address", async function () {
      const { registry, manager, stranger, key } =
        await networkHelpers.loadFixture(registryFixture);
      for (const who of [stranger.address, key.address, ZeroAddress]) {
        await expect(registry.connect(manager).suspendCarrier(who))
          .to.be.revertedWithCustomError(registry, "CarrierNotRegistered")
          .withArgs(who);
        await expect(registry.connect(manager).reinstateCarrier(who))
          .to.be.revertedWithCustomError(registry, "CarrierNotRegistered")
          .withArgs(who);
      }
    });

    it("reverts with CarrierNotActive when suspending a suspended carrier", async function () {
      const { registry, manager, carrier } = await networkHelpers.loadFixture(registryFixture);
      await registry.connect(manager).suspendCarrier(carrier.address);
      await expect(registry.connect(manager).suspendCarrier(carrier.address))
        .to.be.revertedWithCustomError(registry, "CarrierNotActive")
        .withArgs(carrier.address);
    });

    it("reverts with CarrierNotSuspended when reinstating an active carrier", async function () {
      const { registry, manager, carrier } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(manager).reinstateCarrier(carrier.address))
        .to.be.revertedWithCustomError(registry, "CarrierNotSuspended")
        .withArgs(carrier.address);
    });
  });

  describe("authorizeKey", function () {
    it("authorises a key for the calling carrier and emits CarrierKeyAuthorized", async function () {
      const { registry, carrier, stranger } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(carrier).authorizeKey(stranger.address))
        .to.emit(registry, "CarrierKeyAuthorized")
        .withArgs(carrier.address, stranger.address);
      expect(await registry.carrierOf(stranger.address)).to.deep.equal([carrier.address, true]);
      expect(await registry.carrierCode(stranger.address)).to.equal("0x0000000000000000");
    });

    it("reverts with CarrierNotRegistered when the caller is not a carrier (a stranger or a key)", async function () {
      const { registry, stranger, key, relayer } =
        await networkHelpers.loadFixture(registryFixture);
      for (const caller of [stranger, key]) {
        await expect(registry.connect(caller).authorizeKey(relayer.address))
          .to.be.revertedWithCustomError(registry, "CarrierNotRegistered")
          .withArgs(caller.address);
      }
    });

    it("reverts with CarrierNotActive when the carrier is suspended", async function () {
      const { registry, manager, carrier, stranger } =
        await networkHelpers.loadFixture(registryFixture);
      await registry.connect(manager).suspendCarrier(carrier.address);
      await expect(registry.connect(carrier).authorizeKey(stranger.address))
        .to.be.revertedWithCustomError(registry, "CarrierNotActive")
        .withArgs(carrier.address);
    });

    it("reverts with InvalidAccount for the zero address", async function () {
      const { registry, carrier } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(carrier).authorizeKey(ZeroAddress))
        .to.be.revertedWithCustomError(registry, "InvalidAccount")
        .withArgs(ZeroAddress);
    });

    it("reverts with CarrierAlreadyRegistered when the key is a carrier, itself included", async function () {
      const { registry, carrier, carrier2 } = await networkHelpers.loadFixture(registryFixture);
      for (const k of [carrier.address, carrier2.address]) {
        await expect(registry.connect(carrier).authorizeKey(k))
          .to.be.revertedWithCustomError(registry, "CarrierAlreadyRegistered")
          .withArgs(k);
      }
    });

    it("reverts with KeyAlreadyAuthorized when the key already serves a carrier", async function () {
      const { registry, carrier, carrier2, key } =
        await networkHelpers.loadFixture(registryFixture);
      for (const c of [carrier, carrier2]) {
        await expect(registry.connect(c).authorizeKey(key.address))
          .to.be.revertedWithCustomError(registry, "KeyAlreadyAuthorized")
          .withArgs(key.address, carrier.address);
      }
    });

    it("reverts with KeyPreviouslyRevoked when re-authorising a revoked key, so old signatures stay dead", async function () {
      const { registry, carrier, carrier2, key } =
        await networkHelpers.loadFixture(registryFixture);
      await registry.connect(carrier).revokeKey(key.address);
      for (const c of [carrier, carrier2]) {
        await expect(registry.connect(c).authorizeKey(key.address))
          .to.be.revertedWithCustomError(registry, "KeyPreviouslyRevoked")
          .withArgs(key.address);
      }
    });
  });

  describe("revokeKey", function () {
    it("revokes a key and emits CarrierKeyRevoked", async function () {
      const { registry, carrier, key } = await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(carrier).revokeKey(key.address))
        .to.emit(registry, "CarrierKeyRevoked")
        .withArgs(carrier.address, key.address);
      expect(await registry.carrierOf(key.address)).to.deep.equal([ZeroAddress, false]);
    });

    it("lets a suspended carrier revoke a compromised key", async function () {
      const { registry, manager, carrier, key } = await networkHelpers.loadFixture(registryFixture);
      await registry.connect(manager).suspendCarrier(carrier.address);
      await expect(registry.connect(carrier).revokeKey(key.address))
        .to.emit(registry, "CarrierKeyRevoked")
        .withArgs(carrier.address, key.address);
    });

    it("reverts with KeyNotAuthorized for another carrier's key, an unknown key, a revoked key or itself", async function () {
      const { registry, carrier, carrier2, key, stranger } =
        await networkHelpers.loadFixture(registryFixture);
      await expect(registry.connect(carrier2).revokeKey(key.address))
        .to.be.revertedWithCustomError(registry, "KeyNotAuthorized")
        .withArgs(key.address, carrier2.address);
      await expect(registry.connect(carrier).revokeKey(stranger.address))
        .to.be.revertedWithCustomError(registry, "KeyNotAuthorized")
        .withArgs(stranger.address, carrier.address);
      await expect(registry.connect(carrier).revokeKey(carrier.address))
        .to.be.revertedWithCustomError(registry, "KeyNotAuthorized")
        .withArgs(carrier.address, carrier.address);
      await registry.connect(carrier).revokeKey(key.address);
      await expect(registry.connect(carrier).revokeKey(key.address))
        .to.be.revertedWithCustomError(registry, "KeyNotAuthorized")
        .withArgs(key.address, carrier.address);
    });
  });

  describe("carrierOf / carrierCode", function () {
    it("reports a carrier as acting for itself and an unknown address as nobody's", async function () {
      const { registry, carrier, stranger } = await networkHelpers.loadFixture(registryFixture);
      expect(await registry.carrierOf(carrier.address)).to.deep.equal([carrier.address, true]);
      expect(await registry.carrierCode(carrier.address)).to.equal(CODE_MAERSK);
      expect(await registry.carrierOf(stranger.address)).to.deep.equal([ZeroAddress, false]);
      expect(await registry.carrierCode(stranger.address)).to.equal("0x0000000000000000");
    });
  });

  describe("default admin", function () {
    it("transfers the admin role only after the delay (AccessControlDefaultAdminRules)", async function () {
      const { registry, admin, stranger } = await networkHelpers.loadFixture(registryFixture);
      await registry.connect(admin).beginDefaultAdminTransfer(stranger.address);
      const [, schedule] = await registry.pendingDefaultAdmin();
      await expect(registry.connect(stranger).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
      await networkHelpers.time.increaseTo(schedule + 1n);
      await registry.connect(stranger).acceptDefaultAdminTransfer();
      expect(await registry.defaultAdmin()).to.equal(stranger.address);
    });
  });
});
