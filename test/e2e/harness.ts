/**
 * Runs Waybill against a real JSON-RPC node the way a testnet user would: an Anvil process
 * (a separate EVM implementation from Hardhat's own), Ignition deploying over HTTP, and the
 * `npx hardhat …` commands spawned as child processes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { JsonRpcProvider } from "ethers";

const require = createRequire(import.meta.url);
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
// The CLI entry point, found through the package's "bin" (its "exports" hide the file).
const hardhatCli = path.join(
  path.dirname(require.resolve("hardhat/package.json")),
  "dist",
  "src",
  "cli.js",
);
// Anvil's platform binary, so the PID we keep (and stop) is Anvil's own; the npm shim otherwise.
const platformAnvil = path.join(
  projectRoot,
  "node_modules",
  "@foundry-rs",
  `anvil-${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}`,
  "bin",
  "anvil",
);
const anvilBin = existsSync(platformAnvil)
  ? platformAnvil
  : path.join(projectRoot, "node_modules", ".bin", "anvil");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === "string") reject(new Error("no port"));
        else resolve(address.port);
      });
    });
  });
}

export interface RunningNode {
  url: string;
  provider: JsonRpcProvider;
  stop(): Promise<void>;
}

export interface AnvilOptions {
  /** Lift the 24 KiB code-size limit, for `--coverage` runs whose instrumented bytecode exceeds it. */
  allowLargeContracts?: boolean;
  /** Pose as another chain (e.g. Sepolia's 11155111) instead of Anvil's 31337. */
  chainId?: number;
  /** Mine a block every this many seconds as well as on each transaction, as a live chain does. */
  blockTime?: number;
}

/** Starts Anvil on a free port and waits until it answers JSON-RPC. */
export async function startAnvil(options: AnvilOptions = {}): Promise<RunningNode> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    "--port",
    String(port),
    "--silent",
    ...(options.allowLargeContracts === true ? ["--disable-code-size-limit"] : []),
    ...(options.chainId === undefined ? [] : ["--chain-id", String(options.chainId)]),
    ...(options.blockTime === undefined ? [] : ["--block-time", String(options.blockTime)]),
  ];
  const child: ChildProcess = spawn(anvilBin, args, {
    stdio: "ignore",
    detached: true,
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.pid !== undefined) {
      // The whole process group: the npm shim may have started anvil as a grandchild.
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    }
  };
  process.once("exit", () => void stop());

  // Wait with plain HTTP: an ethers provider made before the node listens logs retry warnings.
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      const { result } = (await response.json()) as { result: string };
      const provider = new JsonRpcProvider(url, BigInt(result), {
        staticNetwork: true,
        polling: true,
        pollingInterval: 50,
      });
      return { url, provider, stop: async () => (provider.destroy(), stop()) };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await stop();
  throw new Error(`anvil did not answer on ${url} within 10 s`);
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `hardhat <args>` against `node`, with `env` added (undefined removes a variable), in the
 * project or in another working directory `cwd` (a user's own, with its own Hardhat config).
 */
export async function hardhat(
  node: RunningNode,
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  cwd: string = projectRoot,
): Promise<CommandResult> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    LOCAL_RPC_URL: node.url,
    FORCE_COLOR: "0",
    NO_COLOR: "1",
  };
  // `hardhat test` marks its process as a test run; the commands must behave as for a user.
  delete childEnv.HH_TEST;
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [hardhatCli, ...args], {
      cwd,
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Removes an Ignition deployment folder the test created. */
export async function removeDeployment(deploymentId: string): Promise<void> {
  await rm(path.join(projectRoot, "ignition", "deployments", deploymentId), {
    recursive: true,
    force: true,
  });
}
