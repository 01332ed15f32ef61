/**
 * The three real contracts deployed by the real Ignition module (`WaybillLocal`), with mock USDC as
 * the only stand-in, and the people who use them: two carriers, a manufacturer, a merchant, a buyer.
 * Each test file wraps `deployWaybillWorld` in its own named fixture for `loadFixture`.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { ZeroAddress, id } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import WaybillLocalModule from "../../ignition/modules/WaybillLocal.js";
import { tokenIdOf, withCheckDigit } from "@waybill/sdk";
import { type Offer, orderIdOf, signOffer } from "@waybill/sdk";
import { EventCode, encodeLocode } from "@waybill/sdk";
import { signPermit } from "@waybill/sdk";
import type {
  IShipmentRegistry,
  MockStablecoin,
  ProductPassport,
  ShipmentRegistry,
  WaybillEscrow,
} from "../../typechain-types/index.js";

/** The defaults `ignition/modules/core.ts` deploys with. */
export const FEE_BPS = 100n;
export const ARBITRATION_PERIOD = 14n * 24n * 3600n;
export const ADMIN_DELAY = 3n * 24n * 3600n;

export const PRICE = 25_000_000n; // 25 USDC
export const FEE = (PRICE * FEE_BPS) / 10_000n;
export const SHIP_WITHIN = 3n * 24n * 3600n;
export const DELIVER_WITHIN = 30n * 24n * 3600n;
export const INSPECTION = 7n * 24n * 3600n;
export const REFUND_GRACE = 30n * 24n * 3600n;
export const HOUR = 3600n;

export const CODE_A = "0x4d41455500000000"; // "MAEU"
export const CODE_B = "0x44484c5800000000"; // "DHLX"
export const SHANGHAI = encodeLocode("CNSHA");
export const ROTTERDAM = encodeLocode("NLRTM");
export const HAMBURG = encodeLocode("DEHAM");

/** The GS1 Digital Link standard's example brand: company prefix 9506000 (7 digits). */
export const PREFIX = 9506000n;
export const PREFIX_LENGTH = 7;
export const GTIN = BigInt(withCheckDigit("950600013435"));
export const SERIALS = ["SN-0001", "SN-0002", "SN-0003"] as const;
export const UNIT_1 = tokenIdOf(GTIN, SERIALS[0]);
export const UNIT_2 = tokenIdOf(GTIN, SERIALS[1]);
/** Minted to the merchant too, but never put on a shipment. */
export const UNIT_3 = tokenIdOf(GTIN, SERIALS[2]);

/** IWaybillEscrow.Status */
export const OrderStatus = {
  None: 0n,
  Paid: 1n,
  Shipped: 2n,
  Delivered: 3n,
  Disputed: 4n,
  Released: 5n,
  Refunded: 6n,
  Resolved: 7n,
  Cancelled: 8n,
} as const;

/** IShipmentRegistry.ShipmentStatus */
export const ShipmentStatus = {
  None: 0n,
  Created: 1n,
  InTransit: 2n,
  CustomsHold: 3n,
  Delivered: 4n,
  Lost: 5n,
  Returned: 6n,
} as const;

/** IWaybillEscrow.RefundReason */
export const RefundReason = {
  MerchantCancelled: 0n,
  NotShippedInTime: 1n,
  ShipmentFailed: 2n,
  NotDeliveredInTime: 3n,
} as const;

/** IProductPassport.UnitStatus */
export const UnitStatus = { None: 0n, Active: 1n, Stolen: 2n, Burned: 3n } as const;

/** The route carrier A drives, then carrier B finishes (see {@link WaybillWorld.recordJourney}). */
export const JOURNEY_A: { code: number; location: string }[] = [
  { code: EventCode.PickedUp, location: SHANGHAI },
  { code: EventCode.Departed, location: SHANGHAI },
  { code: EventCode.Arrived, location: ROTTERDAM },
  { code: EventCode.CustomsHeld, location: ROTTERDAM },
  { code: EventCode.CustomsCleared, location: ROTTERDAM },
  { code: EventCode.HandedOver, location: ROTTERDAM },
];
export const JOURNEY_B: { code: number; location: string }[] = [
  { code: EventCode.OutForDelivery, location: HAMBURG },
  { code: EventCode.Delivered, location: HAMBURG },
];

export interface WaybillWorld {
  ethers: HardhatEthers;
  registry: ShipmentRegistry;
  escrow: WaybillEscrow;
  passports: ProductPassport;
  usdc: MockStablecoin;
  eurc: MockStablecoin;
  admin: HardhatEthersSigner;
  carrierA: HardhatEthersSigner;
  carrierB: HardhatEthersSigner;
  manufacturer: HardhatEthersSigner;
  merchant: HardhatEthersSigner;
  payee: HardhatEthersSigner;
  buyer: HardhatEthersSigner;
  /** A second customer of the same merchant. */
  buyer2: HardhatEthersSigner;
  keeper: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
  chainId: bigint;
  lotId: bigint;
  now(): Promise<bigint>;
  /** A fresh offer from the merchant on USDC, valid for a day, with `overrides` applied. */
  makeOffer(overrides?: Partial<Offer>): Promise<Offer>;
  orderIdOf(offer: Offer): Promise<string>;
  /** The registry id of the merchant's shipment for `offer`. */
  shipmentIdOf(offer: Offer): Promise<string>;
  /** `payer` (the buyer by default) pays `offer` with an ERC-2612 permit; returns the order id. */
  payWithPermit(offer: Offer, payer?: HardhatEthersSigner): Promise<string>;
  /** The merchant's registry shipment for `offer` (`shipperRef` = order id), first carrier A. */
  newShipment(orderId: string, passportIds?: bigint[]): IShipmentRegistry.NewShipmentStruct;
  /** Pays, creates the shipment with `passportIds`, approves the escrow and marks it shipped. */
  payAndShip(
    offer: Offer,
    passportIds?: bigint[],
    payer?: HardhatEthersSigner,
  ): Promise<{ orderId: string; shipmentId: string }>;
  /** Pays, approves the escrow when there are passports, and ships with the escrow's one-call `ship`. */
  payAndShipInOneCall(
    offer: Offer,
    passportIds?: bigint[],
    payer?: HardhatEthersSigner,
  ): Promise<{ orderId: string; shipmentId: string }>;
  /** Records `steps` on `shipmentId` by `carrier`, an hour apart; HandedOver passes to carrier B. */
  record(
    shipmentId: string,
    carrier: HardhatEthersSigner,
    steps: { code: number; location: string }[],
  ): Promise<void>;
  /** Carrier A's part of the journey, then carrier B's up to Delivered. */
  recordJourney(shipmentId: string): Promise<void>;
  /** A carrier event at `occurredAt`, no hand-over. */
  shipmentEvent(
    shipmentId: string,
    code: number,
    location: string,
    occurredAt: bigint,
  ): IShipmentRegistry.ShipmentEventStruct;
}

let saltCounter = 0n;

/**
 * Deploys `WaybillLocal` through Ignition, then sets the scene the way an operator would: two
 * carriers registered, a GS1 prefix and MANUFACTURER_ROLE for the manufacturer, one lot with three
 * units minted to the merchant, USDC minted to the buyer (who pays with permits, so approves nothing).
 */
export async function deployWaybillWorld(
  connection: NetworkConnection,
  options: { deploymentId?: string } = {},
): Promise<WaybillWorld> {
  const { ethers, ignition } = connection;
  const [
    admin,
    carrierA,
    carrierB,
    manufacturer,
    merchant,
    payee,
    buyer,
    keeper,
    stranger,
    buyer2,
  ] = await ethers.getSigners();
  // On a node over HTTP (Anvil), Ignition keeps a record under ignition/deployments/<id>.
  const deployed = await ignition.deploy(WaybillLocalModule, {
    deploymentId: options.deploymentId,
  });
  const registry = await ethers.getContractAt(
    "ShipmentRegistry",
    await deployed.registry.getAddress(),
    admin,
  );
  const escrow = await ethers.getContractAt(
    "WaybillEscrow",
    await deployed.escrow.getAddress(),
    admin,
  );
  const passports = await ethers.getContractAt(
    "ProductPassport",
    await deployed.passports.getAddress(),
    admin,
  );
  const usdc = await ethers.getContractAt(
    "MockStablecoin",
    await deployed.usdc.getAddress(),
    admin,
  );
  const eurc = await ethers.getContractAt(
    "MockStablecoin",
    await deployed.eurc.getAddress(),
    admin,
  );

  await registry.registerCarrier(carrierA.address, CODE_A);
  await registry.registerCarrier(carrierB.address, CODE_B);
  await passports.assignPrefix(manufacturer.address, PREFIX, PREFIX_LENGTH);
  await passports.grantRole(await passports.MANUFACTURER_ROLE(), manufacturer.address);
  const latest = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  await passports.connect(manufacturer).createLot({
    gtin: GTIN,
    prefixLength: PREFIX_LENGTH,
    originCountry: "0x4445", // "DE"
    productionDate: latest - 86_400n,
    contentHash: id("lot passport document"),
    lotNumber: "LOT-2026-11",
    uri: "ipfs://bafy-lot/passport.json",
  });
  const lotId = 1n;
  await passports.connect(manufacturer).mintBatch(lotId, [...SERIALS], merchant.address);
  await usdc.mint(buyer.address, 1_000n * PRICE);
  await usdc.mint(buyer2.address, 1_000n * PRICE);

  const chainId = (await ethers.provider.getNetwork()).chainId;
  const now = async (): Promise<bigint> =>
    BigInt((await ethers.provider.getBlock("latest"))!.timestamp);

  const world: WaybillWorld = {
    ethers,
    registry,
    escrow,
    passports,
    usdc,
    eurc,
    admin,
    carrierA,
    carrierB,
    manufacturer,
    merchant,
    payee,
    buyer,
    buyer2,
    keeper,
    stranger,
    chainId,
    lotId,
    now,
    async makeOffer(overrides = {}) {
      saltCounter += 1n;
      return {
        merchant: merchant.address,
        payee: payee.address,
        buyer: buyer.address,
        token: await usdc.getAddress(),
        price: PRICE,
        detailsHash: id("2 units, shipped to Hamburg"),
        shipWithin: SHIP_WITHIN,
        deliverWithin: DELIVER_WITHIN,
        inspectionPeriod: INSPECTION,
        maxFeeBps: FEE_BPS,
        expiry: (await now()) + 24n * HOUR,
        salt: saltCounter,
        ...overrides,
      };
    },
    async orderIdOf(offer) {
      return orderIdOf(escrow, offer, chainId);
    },
    async shipmentIdOf(offer) {
      return registry.shipmentIdOf(offer.merchant, await orderIdOf(escrow, offer, chainId));
    },
    async payWithPermit(offer, payer = buyer) {
      const signature = await signOffer(escrow, merchant, offer);
      const deadline = (await now()) + HOUR;
      const { v, r, s } = await signPermit(
        usdc,
        payer,
        await escrow.getAddress(),
        offer.price,
        deadline,
      );
      await escrow.connect(payer).payWithPermit(offer, signature, deadline, v, r, s);
      return orderIdOf(escrow, offer, chainId);
    },
    newShipment(orderId, passportIds = []) {
      return {
        shipperRef: orderId,
        carrier: carrierA.address,
        origin: SHANGHAI,
        destination: HAMBURG,
        documentsHash: id(`invoice and air waybill of ${orderId}`),
        passportIds,
      };
    },
    async payAndShip(offer, passportIds = [], payer = buyer) {
      const orderId = await world.payWithPermit(offer, payer);
      await registry.connect(merchant).createShipment(world.newShipment(orderId, passportIds));
      if (passportIds.length !== 0) {
        await passports.connect(merchant).setApprovalForAll(await escrow.getAddress(), true);
      }
      await escrow.connect(merchant).markShipped(offer);
      return { orderId, shipmentId: await world.shipmentIdOf(offer) };
    },
    async payAndShipInOneCall(offer, passportIds = [], payer = buyer) {
      const orderId = await world.payWithPermit(offer, payer);
      if (passportIds.length !== 0) {
        await passports.connect(merchant).setApprovalForAll(await escrow.getAddress(), true);
      }
      await escrow.connect(merchant).ship(offer, world.newShipment(orderId, passportIds));
      return { orderId, shipmentId: await world.shipmentIdOf(offer) };
    },
    shipmentEvent(shipmentId, code, location, occurredAt) {
      return {
        shipmentId,
        code,
        location,
        occurredAt,
        evidenceHash: id(`scan ${shipmentId} ${code}`),
        nextCarrier: ZeroAddress,
        evidenceURI: "",
      };
    },
    async record(shipmentId, carrier, steps) {
      for (const step of steps) {
        await connection.networkHelpers.time.increase(HOUR);
        const ev = world.shipmentEvent(shipmentId, step.code, step.location, await now());
        if (step.code === EventCode.HandedOver) ev.nextCarrier = carrierB.address;
        await registry.connect(carrier).recordEvent(ev);
      }
    },
    async recordJourney(shipmentId) {
      await world.record(shipmentId, carrierA, JOURNEY_A);
      await world.record(shipmentId, carrierB, JOURNEY_B);
    },
  };
  return world;
}

export { EventCode, ZeroAddress };
