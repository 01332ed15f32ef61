/**
 * Opens everything a command needs on the selected network: the signing account, the Waybill
 * contracts of this chain's Ignition deployment as typed handles, and token lookup by symbol.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { type Interface, isAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

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
import { type Output, consoleOutput, formatAmount } from "./cli.js";
import { type WaybillDeployment, readDeployment } from "./deployment.js";
import { UserError } from "./errors.js";
import { CIRCLE_TESTNET_STABLECOINS } from "./stablecoins.js";

/** Every ABI whose custom errors a command may meet, for decoding reverts by name. */
export function waybillInterfaces(): Interface[] {
  return [
    WaybillEscrow__factory.createInterface(),
    ShipmentRegistry__factory.createInterface(),
    ProductPassport__factory.createInterface(),
    MockStablecoin__factory.createInterface(),
  ];
}

export interface CommonArgs {
  account: number;
  deploymentId: string;
}

export interface Context {
  ethers: HardhatEthers;
  signer: HardhatEthersSigner;
  networkName: string;
  chainId: bigint;
  deployment: WaybillDeployment;
  escrow: WaybillEscrow;
  registry: ShipmentRegistry;
  passports: ProductPassport;
  out: Output;
}

export async function openContext(
  hre: HardhatRuntimeEnvironment,
  args: CommonArgs,
  out: Output = consoleOutput,
): Promise<Context> {
  const connection = await hre.network.create();
  const { ethers, networkName } = connection;
  const { chainId } = await ethers.provider.getNetwork();
  const signers = await ethers.getSigners();
  if (signers.length === 0) {
    throw new UserError(
      `network ${networkName} has no account to sign with: set WAYBILL_PRIVATE_KEY (npx hardhat keystore set WAYBILL_PRIVATE_KEY)`,
    );
  }
  const signer = signers[args.account];
  if (signer === undefined) {
    throw new UserError(
      `--account ${args.account} does not exist: network ${networkName} has ${signers.length} account(s)`,
    );
  }
  const deployment = await readDeployment(
    hre.config.paths.root,
    chainId,
    networkName,
    args.deploymentId,
  );
  for (const [name, address] of Object.entries({
    escrow: deployment.escrow,
    registry: deployment.registry,
    passports: deployment.passports,
  })) {
    if ((await ethers.provider.getCode(address)) === "0x") {
      throw new UserError(
        `the ${name} recorded in deployment "${deployment.deploymentId}" (${address}) has no code on ${networkName}: ` +
          "wrong network, or a restarted local node; deploy again",
      );
    }
  }
  out.line(`network ${networkName} (chain ${chainId}), account ${signer.address}`);
  return {
    ethers,
    signer,
    networkName,
    chainId,
    deployment,
    escrow: WaybillEscrow__factory.connect(deployment.escrow, signer),
    registry: ShipmentRegistry__factory.connect(deployment.registry, signer),
    passports: ProductPassport__factory.connect(deployment.passports, signer),
    out,
  };
}

/** The signer of another account index (local networks: the demo's and tests' other parties). */
export async function signerAt(ctx: Context, index: number): Promise<HardhatEthersSigner> {
  const signer = (await ctx.ethers.getSigners())[index];
  if (signer === undefined)
    throw new UserError(`account #${index} does not exist on ${ctx.networkName}`);
  return signer;
}

export interface TokenInfo {
  token: MockStablecoin;
  address: string;
  symbol: string;
  decimals: number;
  format(amount: bigint): string;
}

/** A stablecoin by symbol (USDC, EURC) or address, typed with the USDC surface (permit, ERC-3009). */
export async function resolveToken(ctx: Context, symbolOrAddress: string): Promise<TokenInfo> {
  let address: string | undefined;
  const givenAddress: boolean = isAddress(symbolOrAddress);
  if (givenAddress) {
    address = symbolOrAddress;
  } else {
    const symbol = symbolOrAddress.toUpperCase();
    address =
      ctx.deployment.localStablecoins[symbol] ??
      CIRCLE_TESTNET_STABLECOINS[ctx.chainId.toString()]?.[symbol as "USDC" | "EURC"];
    if (address === undefined) {
      const known = [
        ...Object.keys(ctx.deployment.localStablecoins),
        ...Object.keys(CIRCLE_TESTNET_STABLECOINS[ctx.chainId.toString()] ?? {}),
      ];
      throw new UserError(
        `unknown token "${symbolOrAddress}" on ${ctx.networkName}; use ${known.length > 0 ? known.join(", ") + " or " : ""}a token address`,
      );
    }
  }
  if ((await ctx.ethers.provider.getCode(address)) === "0x") {
    throw new UserError(`${symbolOrAddress} (${address}) is not a contract on ${ctx.networkName}`);
  }
  const token = MockStablecoin__factory.connect(address, ctx.signer);
  const [symbol, decimals] = await Promise.all([token.symbol(), token.decimals()]);
  return {
    token,
    address,
    symbol,
    decimals: Number(decimals),
    format: (amount) => formatAmount(amount, Number(decimals), symbol),
  };
}
