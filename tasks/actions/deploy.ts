import { access } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import WaybillModule from "../../ignition/modules/Waybill.js";
import WaybillLocalModule from "../../ignition/modules/WaybillLocal.js";
import {
  type Output,
  consoleOutput,
  formatAmount,
  parseAmount,
  runCommand,
  sendTransaction,
} from "../lib/cli.js";
import { openContext, resolveToken, waybillInterfaces } from "../lib/context.js";
import { UserError } from "../lib/errors.js";

const LOCAL_CHAIN_IDS = new Set([31337n, 1337n]);

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
  return runCommand(
    async () => {
      const { ethers, ignition, networkName } = await hre.network.create();
      const { chainId } = await ethers.provider.getNetwork();
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
      const parametersFile = path.join(
        hre.config.paths.root,
        "ignition",
        "parameters",
        `${networkName}.json5`,
      );
      if (!local) {
        try {
          await access(parametersFile);
        } catch {
          throw new UserError(
            `no parameters for network ${networkName}: create ignition/parameters/${networkName}.json5 listing its stablecoins`,
          );
        }
      }
      out.line(
        `Deploying Waybill to ${networkName} (chain ${chainId}) from ${deployer.address} ` +
          `(${formatAmount(balance, 18, "ETH")})${local ? " with mock USDC and EURC" : ""}…`,
      );
      const deploymentId = args.deploymentId === "" ? undefined : args.deploymentId;
      const deployed = local
        ? await ignition.deploy(WaybillLocalModule, { deploymentId, displayUi: false })
        : await ignition.deploy(WaybillModule, {
            parameters: parametersFile,
            deploymentId,
            displayUi: false,
          });
      out.line("✓ Waybill deployed:");
      for (const [name, contract] of Object.entries(deployed)) {
        out.line(`  ${name.padEnd(10)} ${await contract.getAddress()}`);
      }
      out.line(`  recorded in ignition/deployments/${deploymentId ?? `chain-${chainId}`}`);
      if (args.verify) {
        if (local) throw new UserError("local chains have no block explorer to verify on");
        out.line("Verifying the source code on the block explorer…");
        await hre.tasks
          .getTask(["ignition", "verify"])
          .run({ deploymentId: deploymentId ?? `chain-${chainId}` });
      }
    },
    waybillInterfaces,
    out,
  );
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
  return runCommand(
    async () => {
      const ctx = await openContext(hre, args, out);
      const symbol = args.token.toUpperCase();
      if (ctx.deployment.localStablecoins[symbol] === undefined) {
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
    },
    waybillInterfaces,
    out,
  );
}
