/**
 * The browser tests' world, started once per run and shared by every test file: Anvil on a
 * free port with the suite deployed and the shop seeded, the app built and served on a free
 * port, and a headless Chromium. A root-level `after` stops all three, and Anvil is also
 * stopped by its PID when the process exits, so a failing run leaves nothing behind.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import type { Browser, BrowserContext, Page } from "playwright-core";

import {
  type RunningNode,
  projectRoot,
  removeDeployment,
  startAnvil,
} from "../../test/e2e/harness.js";
import { type RunningIndexer, startIndexer } from "../../indexer/test/harness.js";
import { type ServedApp, buildApp, serveApp } from "../scripts/app-server.js";
import { launchBrowser } from "../scripts/browser.js";
import {
  type SeededShop,
  deployLocal,
  devKey,
  localNetworkEntry,
  seedShop,
} from "../scripts/shop.js";
import {
  type TestWallet,
  type TestWalletOptions,
  TestWallet as Wallet,
} from "../scripts/test-wallet.js";

export const SCREENSHOTS = path.join(projectRoot, "test-results", "web");

export interface WebStack {
  node: RunningNode;
  seeded: SeededShop;
  /** The indexer (PGlite) following the same Anvil; the app is built with its URL. */
  indexer: RunningIndexer;
  app: ServedApp;
  browser: Browser;
}

let started: Promise<WebStack> | undefined;
let cleanup: (() => Promise<void>) | undefined;

async function start(): Promise<WebStack> {
  const steps: (() => Promise<void>)[] = [];
  cleanup = async () => {
    for (const step of steps.reverse()) await step().catch(() => undefined);
  };
  const node = await startAnvil();
  steps.push(() => node.stop());
  const deploymentId = `web-test-${process.pid}-${Date.now()}`;
  steps.push(() => removeDeployment(deploymentId));
  const deployment = await deployLocal(node, deploymentId);
  // The indexer backfills from the deployment while the shop is seeded, then follows live.
  const indexing = startIndexer({ rpcUrl: node.url, chainId: deployment.chainId, deploymentId });
  steps.push(async () => (await indexing).stop());
  const [seeded, indexer] = await Promise.all([seedShop(node, deployment), indexing]);
  const outDir = await mkdtemp(path.join(os.tmpdir(), "waybill-web-"));
  steps.push(() => rm(outDir, { recursive: true, force: true }));
  await buildApp(outDir, localNetworkEntry(deployment, node.url, indexer.url));
  const app = await serveApp(outDir);
  steps.push(() => app.close());
  const browser = await launchBrowser();
  steps.push(() => browser.close());
  await mkdir(SCREENSHOTS, { recursive: true });
  return { node, seeded, indexer, app, browser };
}

/** The shared stack (started by the first test file that asks). */
export function webStack(): Promise<WebStack> {
  started ??= start();
  return started;
}

// Root-level hook: runs once after every test file, whether tests passed or not.
after(async function () {
  this.timeout(60_000);
  await cleanup?.();
});

/** Counts JSON-RPC calls a page makes to the node (each call of a batch counts). */
export class RpcCounter {
  calls: string[] = [];
  count(): number {
    return this.calls.length;
  }
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  wallet?: TestWallet;
  rpc: RpcCounter;
  consoleErrors: string[];
  /** Saves a full-page screenshot as test-results/web/<name>.png. */
  shot(name: string): Promise<void>;
  /** Fails on any console error, then closes the page. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A test wallet for this account index (default: the shop's buyer); false for none. */
  wallet?: false | (Partial<TestWalletOptions> & { account?: number });
  viewport?: { width: number; height: number };
  locale?: string;
}

/** Opens `pathAndQuery` on the app with `?rpc=` pointing at the test node. */
export async function openPage(
  stack: WebStack,
  pathAndHash: string,
  options: OpenOptions = {},
): Promise<OpenedPage> {
  const context = await stack.browser.newContext({
    viewport: options.viewport ?? { width: 390, height: 844 },
    locale: options.locale ?? "en-GB",
    timezoneId: "Europe/Berlin",
  });
  // Generous: a wait ends as soon as its condition holds, and on a loaded 2-core CI machine a
  // transaction, its receipt poll and the re-render have been seen to exceed 15 s.
  context.setDefaultTimeout(45_000);
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  const rpc = new RpcCounter();
  page.on("request", (request) => {
    if (!request.url().startsWith(stack.node.url) || request.method() !== "POST") return;
    const body = request.postDataJSON() as { method: string } | { method: string }[];
    for (const call of Array.isArray(body) ? body : [body]) rpc.calls.push(call.method);
  });
  let wallet: TestWallet | undefined;
  if (options.wallet !== false) {
    const { chainId } = stack.seeded.shop.deployment;
    wallet = new Wallet({
      privateKey: devKey(options.wallet?.account ?? 2),
      rpcUrl: stack.node.url,
      chainId,
      ...options.wallet,
    });
    await wallet.install(page);
  }
  const [pathPart, hash] = pathAndHash.split("#");
  const separator = pathPart.includes("?") ? "&" : "?";
  const url = `${stack.app.url}${pathPart}${separator}rpc=${encodeURIComponent(stack.node.url)}${hash === undefined ? "" : `#${hash}`}`;
  await page.goto(url);
  return {
    context,
    page,
    wallet,
    rpc,
    consoleErrors,
    shot: async (name) => {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    close: async () => {
      wallet?.close();
      await context.close();
      expect(consoleErrors, "console errors on the page").to.deep.equal([]);
    },
  };
}
