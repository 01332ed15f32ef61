import { access, readFile } from "node:fs/promises";
import path from "node:path";

import JSON5 from "json5";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";

import WaybillModule from "../../ignition/modules/Waybill.js";
import WaybillLocalModule from "../../ignition/modules/WaybillLocal.js";
import { WaybillError, formatAmount, parseAmount } from "@waybill/sdk";
import { type Output, consoleOutput, runCommand, sendTransaction } from "../lib/cli.js";
import { LOCAL_CHAIN_IDS, LOCAL_ROLE_ACCOUNTS, openContext, resolveToken } from "../lib/context.js";
import {
  deploymentIdFor,
  explicitDeploymentId,
  findDeployment,
  removeDeploymentRecord,
} from "../lib/deployment.js";
import { UserError } from "../lib/errors.js";

export interface DeployArgs {
  deploymentId: string;
  verify: boolean;
}

/**
 * `waybill deploy`: the whole suite with Ignition. Local chains get mock USDC and EURC;
 * testnets take Circle's stablecoins from ignition/parameters/<network>.json5.
 */
export default async function deploy(
  args: DeployArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const { ethers, ignition, networkName, networkConfig } = await hre.network.create();
    const { chainId } = await ethers.provider.getNetwork();
    const inProcess = networkConfig.type === "edr-simulated";
    const [deployer] = await ethers.getSigners();
    if (deployer === undefined) {
      throw new UserError(
        `network ${networkName} has no deployer account: npx hardhat keystore set WAYBILL_PRIVATE_KEY`,
      );
    }
    const balance = await ethers.provider.getBalance(deployer.address);
    if (balance === 0n) {
      throw new UserError(
        `insufficient balance: the deployer ${deployer.address} has no ETH on ${networkName}; fund it from a faucet first`,
      );
    }
    const local = LOCAL_CHAIN_IDS.has(chainId);
    const root = hre.config.paths.root;
    const parametersFile = path.join(root, "ignition", "parameters", `${networkName}.json5`);
    if (!local) {
      try {
        await access(parametersFile);
      } catch {
        throw new UserError(
          `no parameters for network ${networkName}: create ignition/parameters/${networkName}.json5 listing its stablecoins`,
        );
      }
    }
    if (!local) await requireStablecoinCode(parametersFile, networkName, ethers);
    const deploymentId = explicitDeploymentId(args.deploymentId);
    const recordId = deploymentIdFor(chainId, deploymentId);
    if (!inProcess) await clearStaleRecord(root, recordId, networkName, local, ethers, out);
    out.line(
      `Deploying Waybill to ${networkName} (chain ${chainId}) from ${deployer.address} ` +
        `(${formatAmount(balance, 18, "ETH")})${local ? " with mock USDC and EURC" : ""}…`,
    );
    const deployed = local
      ? await ignition.deploy(WaybillLocalModule, { deploymentId, displayUi: false })
      : await ignition.deploy(WaybillModule, {
          parameters: parametersFile,
          deploymentId,
          displayUi: false,
        });
    const addresses: [string, string][] = [];
    for (const [name, contract] of Object.entries(deployed)) {
      const address = await contract.getAddress();
      if ((await ethers.provider.getCode(address)) === "0x") {
        throw new WaybillError(
          "NOT_DEPLOYED",
          `Ignition reported ${name} at ${address}, but there is no code there on ${networkName}: remove ignition/deployments/${recordId} and deploy again`,
        );
      }
      addresses.push([name, address]);
    }
    out.line(
      inProcess
        ? "✓ Waybill deployed on Hardhat's in-process network, which is gone when this command ends:"
        : "✓ Waybill deployed (code checked at every address):",
    );
    for (const [name, address] of addresses) out.line(`  ${name.padEnd(10)} ${address}`);
    if (inProcess) {
      out.line(
        "  Nothing of it remains for later commands. For a chain that stays, run `npx hardhat node` " +
          "in another terminal and deploy with --network localhost (or run `npm run demo`).",
      );
      return;
    }
    out.line(`  recorded in ignition/deployments/${recordId}`);
    if (local) {
      const signers = await ethers.getSigners();
      out.line("Local accounts by role (a command without --account signs as its role's account):");
      for (const [role, index] of Object.entries(LOCAL_ROLE_ACCOUNTS)) {
        if (role === "anyone" || signers[index] === undefined) continue;
        out.line(`  #${index} ${role.padEnd(12)} ${signers[index].address}`);
      }
    } else {
      out.line(
        "  To publish these addresses to every client, run `npm run sdk:deployments` and commit sdk/deployments.json",
      );
    }
    if (args.verify) {
      if (local) throw new UserError("local chains have no block explorer to verify on");
      out.line("Verifying the source code on the block explorer…");
      await hre.tasks.getTask(["ignition", "verify"]).run({ deploymentId: recordId });
    }
  }, out);
}

/**
 * A record whose contracts have no code (a restarted local node) would make Ignition "deploy"
 * nothing: locally it is removed so the suite is deployed afresh; elsewhere the command stops
 * and says how to go on.
 */
async function clearStaleRecord(
  root: string,
  deploymentId: string,
  networkName: string,
  local: boolean,
  ethers: HardhatEthers,
  out: Output,
): Promise<void> {
  const record = await findDeployment(root, deploymentId);
  if (record === undefined) return;
  const codes = await Promise.all(
    [record.escrow, record.registry, record.passports].map((a) => ethers.provider.getCode(a)),
  );
  if (codes.every((code) => code !== "0x")) return;
  if (!local) {
    throw new UserError(
      `the deployment recorded in ignition/deployments/${deploymentId} has no code on ${networkName}: ` +
        `deploy under a new id with --deployment-id, or remove that folder to start over`,
    );
  }
  out.line(
    `The deployment recorded in ignition/deployments/${deploymentId} has no code on this node (was it restarted?): ` +
      "removing the stale record and deploying afresh",
  );
  await removeDeploymentRecord(root, deploymentId);
}

export interface FaucetArgs {
  account: number;
  deploymentId: string;
  token: string;
  to: string;
  amount: string;
}

/** `waybill faucet`: mints mock stablecoins on a local chain (Circle's testnet faucet does this on testnets). */
export async function faucet(
  args: FaucetArgs,
  hre: HardhatRuntimeEnvironment,
  out: Output = consoleOutput,
) {
  return runCommand(async () => {
    const ctx = await openContext(hre, args, "anyone", out);
    const symbol = args.token.toUpperCase();
    if (ctx.deployment?.localStablecoins[symbol] === undefined) {
      throw new UserError(
        `no mock ${symbol} on ${ctx.networkName}: on testnets get test USDC/EURC from https://faucet.circle.com`,
      );
    }
    const info = await resolveToken(ctx, symbol);
    const amount = parseAmount(args.amount, info.decimals);
    const to = args.to === "" ? ctx.signer.address : args.to;
    await sendTransaction(out, `mint ${info.format(amount)} to ${to}`, () =>
      info.token.mint(to, amount),
    );
    out.line(`✓ ${to} now holds ${info.format(await info.token.balanceOf(to))}`);
  }, out);
}

/**
 * Refuses, before anything is deployed, a parameter file listing a stablecoin with no code on the
 * network: the escrow would refuse to list it (TokenHasNoCode) after Ignition had already deployed
 * the contracts, leaving a half-done deployment.
 */
async function requireStablecoinCode(
  parametersFile: string,
  networkName: string,
  ethers: HardhatEthers,
): Promise<void> {
  const file = path.relative(process.cwd(), parametersFile);
  const parameters = JSON5.parse(await readFile(parametersFile, "utf8")) as {
    Waybill?: { stablecoins?: unknown };
  };
  const stablecoins = parameters.Waybill?.stablecoins;
  if (!Array.isArray(stablecoins) || !stablecoins.every((a) => typeof a === "string")) {
    throw new UserError(`${file} must list the network's stablecoins as Waybill.stablecoins`);
  }
  for (const address of stablecoins as string[]) {
    if ((await ethers.provider.getCode(address)) === "0x") {
      throw new UserError(
        `the stablecoin ${address} listed in ${file} has no contract code on ${networkName}, so nothing was deployed: check the address against the issuer's documentation`,
      );
    }
  }
}
