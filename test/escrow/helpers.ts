/**
 * Shared deployment and order helpers for the escrow tests. Each test file wraps
 * `deployEscrow` in its own named fixture for `loadFixture`.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import {
  AbiCoder,
  type Signer,
  type TypedDataDomain,
  ZeroAddress,
  ZeroHash,
  getAddress,
  id,
  keccak256,
  toBeHex,
} from "ethers";

import { type Offer, escrowDomain, orderIdOf, signOffer } from "@waybill/sdk";
import type {
  MockPassports,
  MockShipmentRegistry,
  MockStablecoin,
  WaybillEscrow,
} from "../../typechain-types/index.js";

export const PRICE = 25_000_000n; // 25 USDC
export const FEE_BPS = 250n;
export const ARBITRATION_PERIOD = 14n * 24n * 3600n;
export const SHIP_WITHIN = 3n * 24n * 3600n;
export const DELIVER_WITHIN = 30n * 24n * 3600n;
export const INSPECTION = 7n * 24n * 3600n;
export const ADMIN_DELAY = 3n * 24n * 3600n;

/** IWaybillEscrow.Status */
export const Status = {
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
export const Shipment = {
  None: 0,
  Created: 1,
  InTransit: 2,
  CustomsHold: 3,
  Delivered: 4,
  Lost: 5,
  Returned: 6,
} as const;

/** IWaybillEscrow.RefundReason */
export const Reason = {
  MerchantCancelled: 0n,
  NotShippedInTime: 1n,
  ShipmentFailed: 2n,
  NotDeliveredInTime: 3n,
} as const;

export interface EscrowWorld {
  ethers: HardhatEthers;
  escrow: WaybillEscrow;
  usdc: MockStablecoin;
  registry: MockShipmentRegistry;
  passports: MockPassports;
  admin: HardhatEthersSigner;
  merchant: HardhatEthersSigner;
  buyer: HardhatEthersSigner;
  payee: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
  arbiter: HardhatEthersSigner;
  treasury: HardhatEthersSigner;
  relayer: HardhatEthersSigner;
  chainId: bigint;
  /** A fresh offer from `merchant` on USDC, valid for a day, with `overrides` applied. */
  makeOffer(overrides?: Partial<Offer>): Promise<Offer>;
  sign(offer: Offer, signer?: HardhatEthersSigner): Promise<string>;
  orderId(offer: Offer): Promise<string>;
  /** Pays `offer` (signed by `merchant`) from `buyer`; returns the order id. */
  pay(offer: Offer, from?: HardhatEthersSigner): Promise<string>;
  /** Pays and links a shipment in status Created. */
  ship(offer: Offer): Promise<string>;
  /** Pays, ships, marks the registry Delivered now and records it on the escrow. */
  deliver(offer: Offer): Promise<string>;
  /**
   * Pays, mints `tokenIds` to the merchant, lists them on the order's shipment (status Created),
   * approves the escrow and links the shipment, so the escrow holds the units.
   */
  shipWithPassports(offer: Offer, tokenIds: bigint[]): Promise<string>;
  shipmentIdOf(offer: Offer): Promise<string>;
  now(): Promise<bigint>;
}

let saltCounter = 0n;

export async function deployEscrow(ethers: HardhatEthers): Promise<EscrowWorld> {
  const [admin, merchant, buyer, payee, stranger, arbiter, treasury, relayer] =
    await ethers.getSigners();
  const usdc = await ethers.deployContract("MockStablecoin", ["USD Coin", "USDC", admin.address]);
  const registry = await ethers.deployContract("MockShipmentRegistry");
  const passports = await ethers.deployContract("MockPassports");
  const escrow = await ethers.deployContract("WaybillEscrow", [
    await registry.getAddress(),
    await passports.getAddress(),
    ARBITRATION_PERIOD,
    ADMIN_DELAY,
    admin.address,
    treasury.address,
    FEE_BPS,
  ]);
  await escrow.grantRole(await escrow.PAUSER_ROLE(), admin.address);
  await escrow.grantRole(await escrow.FEE_MANAGER_ROLE(), admin.address);
  await escrow.grantRole(await escrow.TOKEN_MANAGER_ROLE(), admin.address);
  await escrow.grantRole(await escrow.ARBITER_ROLE(), arbiter.address);
  await escrow.setTokenAllowed(await usdc.getAddress(), true);
  for (const account of [buyer, stranger, relayer]) {
    await usdc.mint(account.address, 1_000_000_000n);
    await usdc.connect(account).approve(await escrow.getAddress(), ethers.MaxUint256);
  }
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const now = async (): Promise<bigint> =>
    BigInt((await ethers.provider.getBlock("latest"))!.timestamp);

  const world: EscrowWorld = {
    ethers,
    escrow,
    usdc,
    registry,
    passports,
    admin,
    merchant,
    buyer,
    payee,
    stranger,
    arbiter,
    treasury,
    relayer,
    chainId,
    now,
    async makeOffer(overrides = {}) {
      saltCounter += 1n;
      return {
        merchant: merchant.address,
        payee: payee.address,
        buyer: ZeroAddress,
        token: await usdc.getAddress(),
        price: PRICE,
        detailsHash: id("order details"),
        shipWithin: SHIP_WITHIN,
        deliverWithin: DELIVER_WITHIN,
        inspectionPeriod: INSPECTION,
        maxFeeBps: FEE_BPS,
        expiry: (await now()) + 24n * 3600n,
        salt: saltCounter,
        ...overrides,
      };
    },
    async sign(offer, signer = merchant) {
      return signOffer(escrow, signer, offer);
    },
    async orderId(offer) {
      return orderIdOf(escrow, offer, chainId);
    },
    async pay(offer, from = buyer) {
      await escrow.connect(from).pay(offer, await signOffer(escrow, merchant, offer));
      return orderIdOf(escrow, offer, chainId);
    },
    async shipmentIdOf(offer) {
      return registry.shipmentIdOf(offer.merchant, await orderIdOf(escrow, offer, chainId));
    },
    async ship(offer) {
      const orderId = await world.pay(offer);
      await registry.setShipment(await world.shipmentIdOf(offer), Shipment.Created, 0);
      await escrow.connect(merchant).markShipped(offer);
      return orderId;
    },
    async deliver(offer) {
      const orderId = await world.ship(offer);
      await registry.setShipment(await world.shipmentIdOf(offer), Shipment.Delivered, await now());
      await escrow.connect(stranger).markDelivered(offer);
      return orderId;
    },
    async shipWithPassports(offer, tokenIds) {
      const orderId = await world.pay(offer);
      const shipmentId = await world.shipmentIdOf(offer);
      await registry.setShipment(shipmentId, Shipment.Created, 0);
      await registry.setPassports(shipmentId, tokenIds);
      for (const tokenId of tokenIds) await passports.mint(merchant.address, tokenId);
      await passports.connect(merchant).setApprovalForAll(await escrow.getAddress(), true);
      await escrow.connect(merchant).markShipped(offer);
      return orderId;
    },
  };
  return world;
}

/** The EIP-712 type of a signed settlement (`SETTLEMENT_TYPEHASH` in EscrowStorage). */
export const SETTLEMENT_TYPES = {
  Settlement: [
    { name: "orderId", type: "bytes32" },
    { name: "buyerAmount", type: "uint256" },
    { name: "deadline", type: "uint40" },
  ],
} as const;

export interface SettlementTerms {
  orderId: string;
  buyerAmount: bigint;
  deadline: bigint;
}

/**
 * `signer`'s EIP-712 signature of settlement `terms` in `escrow`'s domain on `chainId` (for an
 * ERC-1271 wallet: its owner key's). `domain` overrides it, to sign for another escrow or chain.
 */
export async function signSettlement(
  w: Pick<EscrowWorld, "escrow" | "chainId">,
  signer: Signer,
  terms: SettlementTerms,
  domain?: TypedDataDomain,
): Promise<string> {
  return signer.signTypedData(
    domain ?? (await escrowDomain(w.escrow, w.chainId)),
    { Settlement: [...SETTLEMENT_TYPES.Settlement] },
    terms,
  );
}

/** The fee the escrow keeps on a seller's part of `amount`, rounded down. */
export function feeOn(amount: bigint): bigint {
  return (amount * FEE_BPS) / 10_000n;
}

export { ZeroAddress, ZeroHash };

/**
 * Where EscrowStorage keeps `_tokens` and `_listedTokens`: after OZ EIP712's two fallback strings
 * (slots 0 and 1), `_config` (2) and `_orders` (3). The escrow has no view of a token's
 * suspension copy nor of the list (no init code to spare), so tests read them from storage;
 * "reads the token slot where Solidity lays it out" (admin.ts) checks these numbers.
 */
export const TOKENS_SLOT = 4n;
export const LISTED_TOKENS_SLOT = 5n;
/** `type(uint40).max`: a token's copy while the registry is not linked. */
export const NEVER = 2n ** 40n - 1n;

/** EscrowStorage's `TokenState` of `token`: mode (bits 0-7), listed (8-15), suspensionCheckFrom (16-55), accruedFees (56-255). */
export interface TokenState {
  mode: bigint;
  listed: boolean;
  suspensionCheckFrom: bigint;
  accruedFees: bigint;
}

/** Reads `token`'s packed slot of `escrow`. */
export async function tokenStateOf(
  ethers: HardhatEthers,
  escrow: { getAddress(): Promise<string> },
  token: string,
): Promise<TokenState> {
  const slot = keccak256(
    AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [token, TOKENS_SLOT]),
  );
  const word = BigInt(await ethers.provider.getStorage(await escrow.getAddress(), slot));
  return {
    mode: word & 0xffn,
    listed: ((word >> 8n) & 0xffn) !== 0n,
    suspensionCheckFrom: (word >> 16n) & NEVER,
    accruedFees: word >> 56n,
  };
}

/** The escrow's `_listedTokens`, read from storage. */
export async function listedTokensOf(
  ethers: HardhatEthers,
  escrow: { getAddress(): Promise<string> },
): Promise<string[]> {
  const address = await escrow.getAddress();
  const count = BigInt(await ethers.provider.getStorage(address, LISTED_TOKENS_SLOT));
  const first = BigInt(keccak256(toBeHex(LISTED_TOKENS_SLOT, 32)));
  const tokens: string[] = [];
  for (let i = 0n; i < count; i++) {
    const word = await ethers.provider.getStorage(address, first + i);
    tokens.push(getAddress(`0x${word.slice(-40)}`));
  }
  return tokens;
}
