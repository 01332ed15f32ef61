/**
 * Opens what a command needs on the selected network. Reading needs no key: the contracts
 * come from the offer line, else the SDK's deployments table, else this directory's Ignition
 * record. Signing picks the account by a visible rule: `--account`, the network's configured
 * key, or, on a local node, the account the local role map gives the command's role (said out
 * loud, never silently the admin).
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { isAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  CIRCLE_TESTNET_STABLECOINS,
  type ProductPassport,
  type ShipmentRegistry,
  type Stablecoin,
  type WaybillEscrow,
  WaybillError,
  connectStablecoin,
  contractsFromEscrow,
  deploymentOn,
  formatAmount,
} from "@waybill/sdk";
import { type Output, consoleOutput } from "./cli.js";
import {
  type WaybillDeployment,
  deploymentIdFor,
  explicitDeploymentId,
  findDeployment,
} from "./deployment.js";
import { UserError } from "./errors.js";

export interface CommonArgs {
  /** Index among the network's accounts; -1 when not given. */
  account: number;
  deploymentId: string;
}

/** Chains of local development nodes (Hardhat, Anvil), whose accounts are shared test keys. */
export const LOCAL_CHAIN_IDS: ReadonlySet<bigint> = new Set([31337n, 1337n]);

/** Who a command acts as, for choosing the signing account on a local node. */
export type Role =
  "admin" | "arbiter" | "merchant" | "buyer" | "carrier" | "manufacturer" | "certifier" | "anyone";

/**
 * The local role map: which of a local node's funded accounts plays which role. `waybill
 * deploy` prints it. Certifiers have no default: an admin appoints them, so a certifying
 * command asks for `--account`.
 */
export const LOCAL_ROLE_ACCOUNTS: Readonly<Partial<Record<Role, number>>> = {
  admin: 0,
  arbiter: 0,
  merchant: 1,
  buyer: 2,
  carrier: 3,
  manufacturer: 4,
  anyone: 0,
};

/** The role map as a person reads it. */
export function describeRoleMap(): string {
  return "0 admin (and arbiter), 1 merchant, 2 buyer, 3 carrier, 4 manufacturer";
}

export interface Network {
  ethers: HardhatEthers;
  networkName: string;
  chainId: bigint;
  /** A local development chain (Hardhat or Anvil). */
  local: boolean;
  /** Hardhat's in-process chain, which is gone when the command ends. */
  inProcess: boolean;
  out: Output;
}

/** A read-only view of one Waybill deployment. */
export interface Reader extends Network {
  escrow: WaybillEscrow;
  registry: ShipmentRegistry;
  passports: ProductPassport;
  escrowAddress: string;
  /** Where the escrow's address came from, for messages. */
  source: string;
  /** This directory's Ignition record of the deployment, when there is one (local stablecoins). */
  deployment?: WaybillDeployment;
  root: string;
}

/** A reader with the signing account, its contracts connected to that account. */
export interface Context extends Reader {
  signer: HardhatEthersSigner;
}

/**
 * Connects to the selected network. A read-only connection ignores the network's configured
 * keys (they are not even looked up), so reading needs no WAYBILL_PRIVATE_KEY.
 */
export async function openNetwork(
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
  readOnly = false,
): Promise<Network> {
  const selected: string | undefined = hre.globalOptions.network;
  const connection =
    readOnly && selected !== undefined && hre.config.networks[selected]?.type === "http"
      ? await hre.network.create({ override: { accounts: "remote" } })
      : await hre.network.create();
  const { chainId } = await connection.ethers.provider.getNetwork();
  return {
    ethers: connection.ethers,
    networkName: connection.networkName,
    chainId,
    local: LOCAL_CHAIN_IDS.has(chainId),
    inProcess: connection.networkConfig.type === "edr-simulated",
    out,
  };
}

/** Configured networks whose chain id is `chainId`, to suggest the right `--network`. */
function networksOfChain(hre: HardhatRuntimeEnvironment, chainId: bigint): string[] {
  return Object.entries(hre.config.networks)
    .filter(([, config]) => config.chainId !== undefined && BigInt(config.chainId) === chainId)
    .map(([name]) => name);
}

/** Where a command finds the escrow: an offer line's, or whatever this chain has on record. */
export interface EscrowHint {
  chainId: bigint;
  escrow: string;
}

function inProcessForgets(): WaybillError {
  return new WaybillError(
    "NOT_DEPLOYED",
    "Hardhat's in-process network forgets everything between commands: start a node (`npx hardhat node`) " +
      "and run commands with --network localhost, or run `npm run demo` to see the whole flow",
  );
}

/**
 * Opens the deployment read-only. Pass `signing` when the reader will become a {@link Context}
 * (the connection then carries the network's keys).
 */
export async function openReader(
  hre: HardhatRuntimeEnvironment,
  args: Pick<CommonArgs, "deploymentId">,
  out: Output = consoleOutput,
  fromLine?: EscrowHint,
  signing = false,
): Promise<Reader> {
  const net = await openNetwork(hre, out, !signing);
  const root = hre.config.paths.root;
  const explicitId = explicitDeploymentId(args.deploymentId);
  const record = await findDeployment(root, deploymentIdFor(net.chainId, explicitId));
  let escrowAddress: string;
  let source: string;
  if (fromLine !== undefined) {
    if (fromLine.chainId !== net.chainId) {
      const names = networksOfChain(hre, fromLine.chainId);
      throw new WaybillError(
        "WRONG_NETWORK",
        `this offer is for chain ${fromLine.chainId}, not ${net.networkName} (chain ${net.chainId}): ` +
          (names.length > 0
            ? `add --network ${names.join(" or --network ")}`
            : "no configured network has that chain id"),
      );
    }
    escrowAddress = fromLine.escrow;
    source = "the offer line";
  } else if (explicitId !== undefined) {
    if (record === undefined) {
      throw new WaybillError(
        "NOT_DEPLOYED",
        `no Waybill deployment "${explicitId}" is recorded in ignition/deployments/ of this directory`,
      );
    }
    escrowAddress = record.escrow;
    source = `ignition/deployments/${record.deploymentId}`;
  } else if (deploymentOn(net.chainId) !== undefined) {
    escrowAddress = deploymentOn(net.chainId)!.WaybillEscrow.address;
    source = "the SDK's deployments table";
  } else if (record !== undefined) {
    escrowAddress = record.escrow;
    source = `ignition/deployments/${record.deploymentId}`;
  } else if (net.inProcess) {
    throw inProcessForgets();
  } else {
    throw new WaybillError(
      "NOT_DEPLOYED",
      `no Waybill deployment is known for ${net.networkName} (chain ${net.chainId}): pass the offer line the merchant sent, ` +
        `or deploy with \`npx hardhat waybill deploy --network ${net.networkName}\``,
    );
  }
  if ((await net.ethers.provider.getCode(escrowAddress)) === "0x") {
    if (net.inProcess) throw inProcessForgets();
    throw new WaybillError(
      "NOT_DEPLOYED",
      `the escrow ${escrowAddress} from ${source} has no code on ${net.networkName}: wrong network, or a restarted local node ` +
        `(deploy again with \`npx hardhat waybill deploy --network ${net.networkName}\`)`,
    );
  }
  const contracts = await contractsFromEscrow(escrowAddress, net.ethers.provider);
  out.line(
    `network ${net.networkName} (chain ${net.chainId}), escrow ${escrowAddress} from ${source}`,
  );
  return {
    ...net,
    ...contracts,
    escrowAddress,
    source,
    root,
    ...(record !== undefined && record.escrow.toLowerCase() === escrowAddress.toLowerCase()
      ? { deployment: record }
      : {}),
  };
}

/** The account a command signs with, chosen and announced by the account rule. */
export async function chooseSigner(
  net: Network,
  role: Role,
  account: number,
): Promise<HardhatEthersSigner> {
  const signers = await net.ethers.getSigners();
  if (signers.length === 0) {
    throw new UserError(
      `network ${net.networkName} has no account to sign with: set WAYBILL_PRIVATE_KEY (npx hardhat keystore set WAYBILL_PRIVATE_KEY)`,
    );
  }
  if (account >= 0) {
    const signer = signers[account];
    if (signer === undefined) {
      throw new UserError(
        `--account ${account} does not exist: network ${net.networkName} has ${signers.length} account(s)`,
      );
    }
    net.out.line(`signing as account #${account} ${signer.address} (chosen with --account)`);
    return signer;
  }
  if (!net.local || signers.length === 1) {
    net.out.line(`signing as ${signers[0].address}, the network's configured key`);
    return signers[0];
  }
  const index = LOCAL_ROLE_ACCOUNTS[role];
  if (index === undefined) {
    throw new UserError(
      `say which account signs as the ${role}: --account N (local role map: ${describeRoleMap()})`,
    );
  }
  const signer = signers[index];
  if (signer === undefined) {
    throw new UserError(
      `the local role map gives the ${role} account #${index}, but ${net.networkName} has only ${signers.length}`,
    );
  }
  net.out.line(
    role === "anyone"
      ? `signing as account #${index} ${signer.address}: anyone may do this; choose another with --account N`
      : `signing as account #${index} ${signer.address}, the ${role} in the local role map (${describeRoleMap()}); choose another with --account N`,
  );
  return signer;
}

/** The reader's contracts, connected to the signing account. */
export async function withSigner(reader: Reader, role: Role, account: number): Promise<Context> {
  const signer = await chooseSigner(reader, role, account);
  return {
    ...reader,
    signer,
    escrow: reader.escrow.connect(signer),
    registry: reader.registry.connect(signer),
    passports: reader.passports.connect(signer),
  };
}

/** Opens the deployment and the account of `role` (see {@link chooseSigner}). */
export async function openContext(
  hre: HardhatRuntimeEnvironment,
  args: CommonArgs,
  role: Role,
  out: Output = consoleOutput,
  fromLine?: EscrowHint,
): Promise<Context> {
  return withSigner(await openReader(hre, args, out, fromLine, true), role, args.account);
}

/** The signer of another account index (local networks: the demo's and tests' other parties). */
export async function signerAt(ctx: Network, index: number): Promise<HardhatEthersSigner> {
  const signer = (await ctx.ethers.getSigners())[index];
  if (signer === undefined)
    throw new UserError(`account #${index} does not exist on ${ctx.networkName}`);
  return signer;
}

export interface TokenInfo {
  token: Stablecoin;
  address: string;
  symbol: string;
  decimals: number;
  format(amount: bigint): string;
}

/** A stablecoin by symbol (USDC, EURC) or address, typed with the USDC surface (permit, ERC-3009). */
export async function resolveToken(
  ctx: Reader | Context,
  symbolOrAddress: string,
): Promise<TokenInfo> {
  let address: string | undefined;
  const givenAddress: boolean = isAddress(symbolOrAddress);
  if (givenAddress) {
    address = symbolOrAddress;
  } else {
    const symbol = symbolOrAddress.toUpperCase();
    const local = ctx.deployment?.localStablecoins ?? {};
    address =
      local[symbol] ??
      CIRCLE_TESTNET_STABLECOINS[ctx.chainId.toString()]?.[symbol as "USDC" | "EURC"];
    if (address === undefined) {
      const known = [
        ...Object.keys(local),
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
  const token = connectStablecoin(address, "signer" in ctx ? ctx.signer : ctx.ethers.provider);
  const [symbol, decimals] = await Promise.all([token.symbol(), token.decimals()]);
  return {
    token,
    address,
    symbol,
    decimals: Number(decimals),
    format: (amount) => formatAmount(amount, Number(decimals), symbol),
  };
}
