/**
 * Processes the indexer tests and the indexer benchmark run: the Ponder indexer itself (over
 * PGlite or PostgreSQL) and a private PostgreSQL 15 cluster. Every process is started on a free
 * port and stopped by its own PID (or `pg_ctl stop`), also when a test fails.
 *
 * PostgreSQL comes from the machine's own binaries (`/usr/lib/postgresql/15/bin`, or
 * WAYBILL_PG_BIN). As root, `initdb` refuses to run, so the cluster is created and run as the
 * `postgres` system user (`runuser -u postgres --`); that user is created when missing.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { projectRoot } from "../../test/e2e/harness.js";

export const indexerRoot = path.join(projectRoot, "indexer");
const ponderBin = path.join(
  projectRoot,
  "node_modules",
  "ponder",
  "dist",
  "esm",
  "bin",
  "ponder.js",
);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === "string") reject(new Error("no free port"));
        else resolve(address.port);
      });
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stops a detached child and its process group by PID, and waits for it to exit. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    child.kill("SIGTERM");
  }
  const timeout = sleep(10_000).then(() => "timeout" as const);
  if ((await Promise.race([exited, timeout])) === "timeout") {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      child.kill("SIGKILL");
    }
    await exited;
  }
}

// ------------------------------------------------------------------------------ PostgreSQL

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const pgBin = process.env.WAYBILL_PG_BIN ?? "/usr/lib/postgresql/15/bin";

export function postgresAvailable(): boolean {
  return existsSync(path.join(pgBin, "initdb")) && existsSync(path.join(pgBin, "pg_ctl"));
}

const isRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the `postgres` user when we are root. */
function pg(binary: string, args: string[]): void {
  const command = path.join(pgBin, binary);
  if (isRoot)
    execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "pipe" });
  else execFileSync(command, args, { stdio: "pipe" });
}

function ensurePostgresUser(): { uid: number; gid: number } {
  const lookup = () => execFileSync("id", ["-u", "postgres"]).toString().trim();
  try {
    lookup();
  } catch {
    execFileSync("useradd", [
      "--system",
      "--no-create-home",
      "--shell",
      "/usr/sbin/nologin",
      "postgres",
    ]);
  }
  return {
    uid: Number(lookup()),
    gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim()),
  };
}

/**
 * A throwaway cluster in a temporary folder: `initdb --auth=trust`, then `pg_ctl start` on a
 * free port, listening on 127.0.0.1 only with its socket in the same folder.
 */
export async function startPostgres(): Promise<RunningPostgres> {
  const folder = await mkdtemp(path.join(tmpdir(), "waybill-pg-"));
  const dataDir = path.join(folder, "data");
  if (isRoot) {
    const { uid, gid } = ensurePostgresUser();
    await chown(folder, uid, gid);
    await chmod(folder, 0o700);
  }
  const port = await freePort();
  let started = false;
  const stop = async () => {
    if (started) {
      try {
        pg("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
      } catch {
        // Already stopped.
      }
      started = false;
    }
    await rm(folder, { recursive: true, force: true });
  };
  try {
    pg("initdb", ["-D", dataDir, "--auth=trust", "-U", "postgres", "--encoding=UTF8", "--no-sync"]);
    pg("pg_ctl", [
      "-D",
      dataDir,
      "-o",
      // A throwaway cluster: no fsync, no JIT (JIT made no measurable difference to these queries).
      `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c jit=off`,
      "-l",
      path.join(folder, "postgres.log"),
      "-w",
      "start",
    ]);
    started = true;
  } catch (error) {
    await stop();
    throw error;
  }
  process.once("exit", () => {
    if (started) {
      try {
        pg("pg_ctl", ["-D", dataDir, "-m", "immediate", "stop"]);
      } catch {
        // Nothing left to stop.
      }
    }
  });
  return { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, stop };
}

// --------------------------------------------------------------------------------- indexer

export interface IndexerOptions {
  rpcUrl: string;
  chainId: number;
  /** Explicit contracts, or undefined to read the Ignition record `deploymentId`. */
  contracts?: { escrow: string; registry: string; passports: string; startBlock: number };
  deploymentId?: string;
  /** PostgreSQL connection string; PGlite in `pgliteDir` (a temp folder by default) otherwise. */
  databaseUrl?: string;
  pgliteDir?: string;
  pollingMs?: number;
}

export interface RunningIndexer {
  url: string;
  pid: number;
  /** Milliseconds from spawn until the API answered /health (build and database set up). */
  startupMs: number;
  /** Milliseconds from spawn until /ready (historical indexing complete). */
  readyMs: number;
  /** Everything the indexer printed, for failure messages. */
  output(): string;
  /** GET a route; the body parsed as JSON. */
  get<T = unknown>(route: string): Promise<{ status: number; body: T }>;
  /** The last block the indexer processed. */
  indexedBlock(): Promise<number>;
  /** Waits until the indexer processed `blockNumber`. */
  waitForBlock(blockNumber: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `ponder start` for the indexer workspace and waits until historical indexing is done. */
export async function startIndexer(
  options: IndexerOptions,
  readyTimeoutMs = 180_000,
): Promise<RunningIndexer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const ownPglite = options.databaseUrl === undefined && options.pgliteDir === undefined;
  const pgliteDir = ownPglite
    ? await mkdtemp(path.join(tmpdir(), "waybill-pglite-"))
    : options.pgliteDir;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PONDER_TELEMETRY_DISABLED: "true",
    WAYBILL_RPC_URL: options.rpcUrl,
    WAYBILL_CHAIN_ID: String(options.chainId),
    WAYBILL_POLLING_MS: String(options.pollingMs ?? 100),
    FORCE_COLOR: "0",
    NO_COLOR: "1",
  };
  delete env.DATABASE_URL;
  delete env.DATABASE_PRIVATE_URL;
  for (const name of [
    "WAYBILL_ESCROW",
    "WAYBILL_REGISTRY",
    "WAYBILL_PASSPORTS",
    "WAYBILL_START_BLOCK",
  ])
    delete env[name];
  if (options.contracts !== undefined) {
    env.WAYBILL_ESCROW = options.contracts.escrow;
    env.WAYBILL_REGISTRY = options.contracts.registry;
    env.WAYBILL_PASSPORTS = options.contracts.passports;
    env.WAYBILL_START_BLOCK = String(options.contracts.startBlock);
  }
  if (options.deploymentId !== undefined) env.WAYBILL_DEPLOYMENT_ID = options.deploymentId;
  if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
  else env.WAYBILL_PGLITE_DIR = pgliteDir;

  const schema = `waybill_${port}`;
  const child = spawn(
    process.execPath,
    [
      ponderBin,
      "start",
      "--schema",
      schema,
      "--port",
      String(port),
      "--hostname",
      "127.0.0.1",
      "--log-format",
      "json",
    ],
    { cwd: indexerRoot, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let output = "";
  child.stdout?.on(
    "data",
    (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000)),
  );
  child.stderr?.on(
    "data",
    (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000)),
  );
  process.once("exit", () => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  });

  const get = async <T>(route: string) => {
    let response: Response | undefined;
    // A busy machine can reset a connection now and then; a dead indexer is reported at once.
    for (let attempt = 1; response === undefined; attempt++) {
      try {
        response = await fetch(url + route);
      } catch (error) {
        if (child.exitCode !== null || attempt === 5)
          throw new Error(
            `GET ${route} failed (${String(error)}); the indexer said:\n${output.slice(-4000)}`,
          );
        await sleep(200);
      }
    }
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // A plain-text answer (e.g. /ready while backfilling).
    }
    return { status: response.status, body: body as T };
  };
  const indexedBlock = async () => {
    const { body } = await get<Record<string, { block: { number: number } }>>("/status");
    return body.waybill?.block.number ?? -1;
  };
  const stop = async () => {
    await stopProcess(child);
    if (ownPglite && pgliteDir !== undefined) await rm(pgliteDir, { recursive: true, force: true });
  };

  const spawnedAt = performance.now();
  let healthyAt: number | undefined;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the indexer exited with code ${child.exitCode}:\n${output.slice(-4000)}`);
    }
    try {
      if (healthyAt === undefined && (await fetch(`${url}/health`)).status === 200)
        healthyAt = performance.now();
      if (healthyAt !== undefined && (await fetch(`${url}/ready`)).status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `the indexer was not ready within ${readyTimeoutMs / 1000} s:\n${output.slice(-4000)}`,
      );
    }
    await sleep(100);
  }

  const readyAt = performance.now();
  return {
    url,
    pid: child.pid!,
    startupMs: Math.round(healthyAt! - spawnedAt),
    readyMs: Math.round(readyAt - spawnedAt),
    output: () => output,
    get,
    indexedBlock,
    async waitForBlock(blockNumber, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while ((await indexedBlock()) < blockNumber) {
        if (Date.now() > until)
          throw new Error(
            `the indexer did not reach block ${blockNumber} within ${timeoutMs / 1000} s ` +
              `(at ${await indexedBlock()}):\n${output.slice(-4000)}`,
          );
        await sleep(50);
      }
    },
    stop,
  };
}
