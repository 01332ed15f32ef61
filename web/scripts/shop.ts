/**
 * A small local shop for the web app: deploys the suite to a node with the WaybillLocal
 * Ignition module and seeds what the pages show (an open offer, a paid order in transit, a
 * delivered order, passports including a recalled and a stolen unit). Shared by `npm run web`,
 * the browser tests and the README screenshots, so all three see the same shop.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import {
  type BigNumberish,
  HDNodeWallet,
  JsonRpcProvider,
  Wallet,
  ZeroAddress,
  encodeBytes32String,
  hexlify,
  id,
  toUtf8Bytes,
  zeroPadBytes,
} from "ethers";

import {
  EventCode,
  type EventCodeName,
  type Offer,
  type OrderDetails,
  digitalLinkOf,
  encodeLocode,
  encodeOfferLine,
  hashOrderDetails,
  orderIdOf,
  orderShipment,
  signOffer,
  tokenIdOf,
  withCheckDigit,
} from "@waybill/sdk";

import {
  type MockStablecoin,
  MockStablecoin__factory,
  type ProductPassport,
  ProductPassport__factory,
  type ShipmentRegistry,
  ShipmentRegistry__factory,
  type WaybillEscrow,
  WaybillEscrow__factory,
} from "../../typechain-types/index.js";
import type { NetworkEntry } from "../src/network-config.js";
import { type RunningNode, hardhat, projectRoot } from "../../test/e2e/harness.js";

/** Anvil's (and Hardhat's) public development mnemonic: its keys are funded only on local nodes. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";
export const DAY = 24n * 3600n;

/** Who is who in the shop: the index of each role's Anvil development account. */
export const ROLES = {
  admin: 0,
  merchant: 1,
  buyer: 2,
  oceanCarrier: 3,
  parcelCarrier: 4,
  workshop: 5,
  poorBuyer: 6,
} as const;
export type Role = keyof typeof ROLES;

export function devKey(index: number): string {
  return HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`).privateKey;
}

/** The suite's addresses as the web app's local network entry needs them. */
export interface LocalDeployment {
  deploymentId: string;
  chainId: number;
  escrow: string;
  registry: string;
  passports: string;
  usdc: string;
  eurc: string;
}

/** Deploys the WaybillLocal module over HTTP with the project's own `waybill deploy` command. */
export async function deployLocal(
  node: RunningNode,
  deploymentId: string,
): Promise<LocalDeployment> {
  const deployed = await hardhat(node, [
    "waybill",
    "deploy",
    "--network",
    "localhost",
    "--deployment-id",
    deploymentId,
  ]);
  if (deployed.code !== 0) {
    throw new Error(`deploying the suite failed:\n${deployed.stdout}\n${deployed.stderr}`);
  }
  // Ignition's own record of what it deployed, keyed by future id ("WaybillLocal#WaybillEscrow").
  const record = path.join(
    projectRoot,
    "ignition",
    "deployments",
    deploymentId,
    "deployed_addresses.json",
  );
  const addresses = JSON.parse(await readFile(record, "utf8")) as Record<string, string>;
  const find = (suffix: string): string => {
    const entry = Object.entries(addresses).find(([future]) => future.endsWith(suffix));
    if (entry === undefined) throw new Error(`the deployment has no ${suffix.slice(1)}`);
    return entry[1];
  };
  const { chainId } = await node.provider.getNetwork();
  return {
    deploymentId,
    chainId: Number(chainId),
    escrow: find("#WaybillEscrow"),
    registry: find("#ShipmentRegistry"),
    passports: find("#ProductPassport"),
    usdc: find("LocalStablecoins#USDC"),
    eurc: find("LocalStablecoins#EURC"),
  };
}

/** A signed offer, its order id and the line a merchant shares. */
export interface SignedShopOffer {
  offer: Offer;
  signature: string;
  orderId: string;
  line: string;
}

export interface OfferTerms {
  price?: bigint;
  buyer?: string;
  token?: string;
  shipWithin?: bigint;
  deliverWithin?: bigint;
  inspectionPeriod?: bigint;
  /** The highest platform fee the merchant accepts (default: the escrow's current fee). */
  maxFeeBps?: bigint;
  /** Seconds from the chain's latest block until the offer expires (negative: already expired). */
  expiresIn?: bigint;
  details?: OrderDetails;
}

const VASES: OrderDetails = {
  items: [{ name: "Hand-painted vase, 30 cm", quantity: 2 }],
  shipping: "DAP Hamburg, sea freight",
};

/** The shop's contracts, signers and helpers for tests and seeding. */
export class Shop {
  readonly escrow: WaybillEscrow;
  readonly registry: ShipmentRegistry;
  readonly passports: ProductPassport;
  readonly usdc: MockStablecoin;
  readonly eurc: MockStablecoin;
  readonly signers: Record<Role, Wallet>;
  readonly addresses: Record<Role, string>;
  private salt = 1n;

  constructor(
    readonly node: RunningNode,
    readonly deployment: LocalDeployment,
  ) {
    // No request cache: ethers otherwise reuses a nonce read within 250 ms of the last one.
    const provider = new JsonRpcProvider(node.url, deployment.chainId, {
      staticNetwork: true,
      cacheTimeout: -1,
      pollingInterval: 50,
    });
    this.provider = provider;
    this.signers = Object.fromEntries(
      Object.entries(ROLES).map(([role, index]) => [role, new Wallet(devKey(index), provider)]),
    ) as Record<Role, Wallet>;
    this.addresses = Object.fromEntries(
      Object.entries(ROLES).map(([role, index]) => [role, new Wallet(devKey(index)).address]),
    ) as Record<Role, string>;
    this.escrow = WaybillEscrow__factory.connect(deployment.escrow, provider);
    this.registry = ShipmentRegistry__factory.connect(deployment.registry, provider);
    this.passports = ProductPassport__factory.connect(deployment.passports, provider);
    this.usdc = MockStablecoin__factory.connect(deployment.usdc, provider);
    this.eurc = MockStablecoin__factory.connect(deployment.eurc, provider);
  }

  readonly provider: JsonRpcProvider;

  async now(): Promise<bigint> {
    const block = await this.provider.getBlock("latest");
    return BigInt(block!.timestamp);
  }

  /** Moves the chain's clock forward and mines a block. */
  async travel(seconds: bigint): Promise<void> {
    await this.node.provider.send("evm_increaseTime", [Number(seconds)]);
    await this.node.provider.send("evm_mine", []);
  }

  /** The merchant signs new terms (a fresh salt each time). */
  async offer(terms: OfferTerms = {}): Promise<SignedShopOffer> {
    const offer: Offer = {
      merchant: this.addresses.merchant,
      payee: this.addresses.merchant,
      buyer: terms.buyer ?? ZeroAddress,
      token: terms.token ?? this.deployment.usdc,
      price: terms.price ?? 240_000_000n,
      detailsHash: hashOrderDetails(terms.details ?? VASES),
      shipWithin: terms.shipWithin ?? 5n * DAY,
      deliverWithin: terms.deliverWithin ?? 45n * DAY,
      inspectionPeriod: terms.inspectionPeriod ?? 3n * DAY,
      maxFeeBps: terms.maxFeeBps ?? (await this.escrow.config())[0],
      expiry: (await this.now()) + (terms.expiresIn ?? 7n * DAY),
      salt: this.salt++,
    };
    const signature = await signOffer(this.escrow, this.signers.merchant, offer);
    const orderId = await orderIdOf(this.escrow, offer, this.deployment.chainId);
    const line = encodeOfferLine({
      chainId: BigInt(this.deployment.chainId),
      escrow: this.deployment.escrow,
      offer,
      signature,
      details: terms.details ?? VASES,
    });
    return { offer, signature, orderId, line };
  }

  /** `role` pays `signed` with an approval and `pay` (the fallback path, from Node). */
  async payByApproval(signed: SignedShopOffer, role: Role = "buyer"): Promise<void> {
    const signer = this.signers[role];
    const token = MockStablecoin__factory.connect(signed.offer.token, signer);
    await (await token.approve(this.deployment.escrow, signed.offer.price)).wait();
    await (await this.escrow.connect(signer).pay(signed.offer, signed.signature)).wait();
  }

  /** The merchant ships the order in one call (`escrow.ship`), optionally with passports. */
  async ship(signed: SignedShopOffer, passportIds: readonly bigint[] = []): Promise<string> {
    const merchant = this.signers.merchant;
    if (passportIds.length > 0) {
      await (
        await this.passports.connect(merchant).setApprovalForAll(this.deployment.escrow, true)
      ).wait();
    }
    const shipment = orderShipment(signed.orderId, {
      carrier: this.addresses.oceanCarrier,
      origin: "VNSGN",
      destination: "DEHAM",
      documents: `commercial invoice for ${signed.orderId}`,
      passportIds,
    });
    await (await this.escrow.connect(merchant).ship(signed.offer, shipment)).wait();
    return this.registry.shipmentIdOf(this.addresses.merchant, signed.orderId);
  }

  /** A carrier records one event on the order's shipment, an hour after the previous one. */
  async track(
    signed: SignedShopOffer,
    code: EventCodeName,
    place: string,
    carrier: Role = "oceanCarrier",
    nextCarrier: string = ZeroAddress,
  ): Promise<void> {
    await this.travel(3600n);
    const shipmentId = await this.registry.shipmentIdOf(this.addresses.merchant, signed.orderId);
    await (
      await this.registry.connect(this.signers[carrier]).recordEvent({
        shipmentId,
        code: EventCode[code],
        location: encodeLocode(place),
        occurredAt: await this.now(),
        evidenceHash: id(`${code} at ${place}`),
        nextCarrier,
        evidenceURI: "",
      })
    ).wait();
  }

  /** Carries a shipped order all the way to a recorded delivery (the inspection window starts). */
  async deliver(signed: SignedShopOffer): Promise<void> {
    await this.track(signed, "PickedUp", "VNSGN");
    await this.track(signed, "Departed", "VNSGN");
    await this.track(signed, "Arrived", "NLRTM");
    await this.track(signed, "HandedOver", "NLRTM", "oceanCarrier", this.addresses.parcelCarrier);
    await this.track(signed, "OutForDelivery", "DEHAM", "parcelCarrier");
    await this.track(signed, "Delivered", "DEHAM", "parcelCarrier");
    await (await this.escrow.connect(this.signers.admin).markDelivered(signed.offer)).wait();
  }

  /** The escrow's stored status of an order, by value. */
  async statusOf(orderId: string): Promise<bigint> {
    return (await this.escrow.getOrder(orderId)).status;
  }

  async balanceOf(role: Role, token: MockStablecoin = this.usdc): Promise<bigint> {
    return token.balanceOf(this.addresses[role]);
  }
}

/** What the seeded shop holds, for printing and for the tests. */
export interface SeededShop {
  shop: Shop;
  openOffer: SignedShopOffer;
  inTransit: SignedShopOffer;
  delivered: SignedShopOffer;
  gtin: string;
  /** Digital Links of passports: a genuine unit, one travelling, a recalled and a stolen unit. */
  links: { genuine: string; inTransit: string; recalled: string; stolen: string; unknown: string };
}

async function send(tx: Promise<{ wait(): Promise<unknown> }>): Promise<void> {
  await (await tx).wait();
}

/** Registers carriers and a manufacturer, mints passports and creates the three orders. */
export async function seedShop(
  node: RunningNode,
  deployment: LocalDeployment,
): Promise<SeededShop> {
  const shop = new Shop(node, deployment);
  const { admin, workshop, merchant } = shop.signers;
  const a = shop.addresses;
  const registry = shop.registry.connect(admin);
  const passports = shop.passports.connect(admin);
  const code = (text: string) => encodeBytes32String(text).slice(0, 18);
  await send(registry.registerCarrier(a.oceanCarrier, code("MKOL")));
  await send(registry.registerCarrier(a.parcelCarrier, code("HNSP")));
  await send(passports.grantRole(await passports.MANUFACTURER_ROLE(), a.workshop));
  await send(passports.assignPrefix(a.workshop, 8_934_567n, 7));
  await send(passports.grantRole(await passports.CERTIFIER_ROLE(), a.admin));
  await send(shop.usdc.connect(admin).mint(a.buyer, 5_000_000_000n));
  await send(shop.eurc.connect(admin).mint(a.buyer, 1_000_000_000n));
  await send(shop.usdc.connect(admin).mint(a.poorBuyer, 12_000_000n));

  const gtin = withCheckDigit("0893456700002");
  const now = await shop.now();
  const lot = (lotNumber: string, productionDate: BigNumberish) => ({
    gtin: BigInt(gtin),
    prefixLength: 7,
    originCountry: hexlify(toUtf8Bytes("VN")),
    productionDate,
    contentHash: id(`passport document for lot ${lotNumber}`),
    lotNumber,
    uri: `ipfs://bafy.../lot-${lotNumber}.json`,
  });
  const maker = shop.passports.connect(workshop);
  await send(maker.createLot(lot("BT-2026-11", now - 20n * DAY)));
  await send(maker.createLot(lot("BT-2026-09", now - 80n * DAY)));
  await send(maker.mintBatch(1n, ["VASE-0001", "VASE-0002", "VASE-0003", "VASE-0004"], a.merchant));
  await send(maker.mintBatch(2n, ["VASE-0101"], a.merchant));
  await send(
    passports.attestLot(
      1n,
      zeroPadBytes(toUtf8Bytes("COO"), 8),
      id("VCCI C/O 2026-118"),
      now + 365n * DAY,
      "ipfs://bafy.../coo.pdf",
    ),
  );
  await send(maker.recallLot(2n, id("glaze batch failed a lead test, notice 12")));
  const stolenId = tokenIdOf(gtin, "VASE-0004");
  await send(shop.passports.connect(merchant).reportStolen(stolenId));

  const openOffer = await shop.offer({
    price: 120_000_000n,
    details: {
      items: [
        { name: "Celadon tea bowl", quantity: 2 },
        { name: "Bamboo tea tray", quantity: 1 },
      ],
      shipping: "DAP Hamburg, air parcel",
    },
  });
  const inTransit = await shop.offer({ buyer: a.buyer });
  await shop.payByApproval(inTransit);
  await shop.ship(inTransit, [tokenIdOf(gtin, "VASE-0001"), tokenIdOf(gtin, "VASE-0002")]);
  await shop.track(inTransit, "PickedUp", "VNSGN");
  await shop.track(inTransit, "Departed", "VNSGN");
  await shop.track(inTransit, "Arrived", "NLRTM");
  const delivered = await shop.offer({
    buyer: a.buyer,
    price: 60_000_000n,
    details: { items: [{ name: "Porcelain tea set", quantity: 1 }] },
  });
  await shop.payByApproval(delivered);
  await shop.ship(delivered);
  await shop.deliver(delivered);

  const link = (serial: string, lotNumber?: string) =>
    digitalLinkOf(tokenIdOf(gtin, serial), lotNumber, "");
  return {
    shop,
    openOffer,
    inTransit,
    delivered,
    gtin,
    links: {
      genuine: link("VASE-0003", "BT-2026-11"),
      inTransit: link("VASE-0001"),
      recalled: link("VASE-0101", "BT-2026-09"),
      stolen: link("VASE-0004"),
      unknown: link("VASE-9999"),
    },
  };
}

/** The web app's network entry for a local deployment reached at `rpcUrl` (and its indexer). */
export function localNetworkEntry(
  deployment: LocalDeployment,
  rpcUrl: string,
  indexerUrl = "",
): NetworkEntry {
  return {
    chainId: deployment.chainId,
    name: "Local Anvil",
    rpcUrl,
    escrow: deployment.escrow,
    registry: deployment.registry,
    passports: deployment.passports,
    fromBlock: 0,
    explorer: "",
    indexerUrl,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  };
}
