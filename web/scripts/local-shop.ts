/**
 * `npm run web`: a local chain on a free port with the suite deployed and a small shop seeded,
 * the indexer following that chain (embedded PGlite in a temporary folder), the app built and
 * served, and everything a newcomer needs printed (the links to open, the merchant console and
 * the test accounts' keys to import into a wallet). Ctrl-C stops the indexer, the node and the
 * server this script started, by their own PIDs and handles, and removes the deployment record
 * it wrote.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { Wallet } from "ethers";

import { formatAmount } from "@waybill/sdk";

import { type RunningIndexer, startIndexer } from "../../indexer/test/harness.js";
import { removeDeployment, startAnvil } from "../../test/e2e/harness.js";
import { buildApp, serveApp } from "./app-server.js";
import { ROLES, deployLocal, devKey, localNetworkEntry, seedShop } from "./shop.js";

const say = (line = "") => console.log(line);

async function main(): Promise<void> {
  say("Starting a local chain (Anvil) on a free port…");
  const node = await startAnvil();
  const deploymentId = `web-local-${process.pid}`;
  const outDir = await mkdtemp(path.join(os.tmpdir(), "waybill-web-"));
  let server: Awaited<ReturnType<typeof serveApp>> | undefined;
  let indexer: RunningIndexer | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("\nStopping the web server, the indexer and the local chain…");
    await server?.close().catch(() => undefined);
    if (indexer !== undefined) {
      say(`  stopping the indexer (PID ${indexer.pid})`);
      await indexer.stop().catch(() => undefined);
    }
    await node.stop();
    await removeDeployment(deploymentId);
    await rm(outDir, { recursive: true, force: true });
    say("Stopped.");
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  try {
    say(`  chain ready at ${node.url}`);
    say("Deploying Waybill (Ignition module WaybillLocal)…");
    const deployment = await deployLocal(node, deploymentId);
    say(
      `  escrow ${deployment.escrow}, registry ${deployment.registry}, passports ${deployment.passports}`,
    );
    say("Starting the indexer (Ponder, embedded PGlite) against the local chain…");
    const indexing = startIndexer({
      rpcUrl: node.url,
      chainId: deployment.chainId,
      deploymentId,
      pollingMs: 500,
    });
    // Known as soon as it runs, so a failure while seeding still stops it.
    indexing.then((running) => (indexer = running)).catch(() => undefined);
    say("Seeding a small shop: carriers, a workshop, passports, an open offer and two orders…");
    const seeded = await seedShop(node, deployment);
    indexer = await indexing;
    say(`  indexer ready at ${indexer.url} (PID ${indexer.pid})`);
    say("Building the web app…");
    await buildApp(outDir, localNetworkEntry(deployment, node.url, indexer.url));
    server = await serveApp(outDir);
    const rpc = `?rpc=${encodeURIComponent(node.url)}`;
    const app = server.url;
    say();
    say("✓ Waybill web app running. Open in a browser with a wallet:");
    say(`  Checkout (an open offer, 120 USDC):          ${app}/pay${rpc}#${seeded.openOffer.line}`);
    say(
      `  Order in transit:                            ${app}/order/${deployment.chainId}/${seeded.inTransit.orderId}${rpc}`,
    );
    say(
      `  Delivered order (confirm, dispute, review):  ${app}/order/${deployment.chainId}/${seeded.delivered.orderId}${rpc}`,
    );
    say(`  Passport, genuine:                           ${app}${seeded.links.genuine}${rpc}`);
    say(`  Passport, recalled lot:                      ${app}${seeded.links.recalled}${rpc}`);
    say(`  Passport, reported stolen:                   ${app}${seeded.links.stolen}${rpc}`);
    say(`  Merchant console (connect the merchant key): ${app}/merchant${rpc}`);
    say(`  Indexer (REST, GraphQL):                     ${indexer.url}`);
    say();
    say(
      `Wallet network: "Local Anvil", RPC ${node.url}, chain id ${deployment.chainId}, currency ETH`,
    );
    say("Test accounts (public Anvil development keys, funded only on this local chain):");
    for (const [role, index] of Object.entries(ROLES)) {
      const key = devKey(index);
      say(`  ${role.padEnd(14)} ${new Wallet(key).address}  key ${key}`);
    }
    const usdc = async (role: "buyer" | "poorBuyer") =>
      formatAmount(await seeded.shop.balanceOf(role), 6, "USDC");
    say(
      `  The buyer holds ${await usdc("buyer")}; poorBuyer holds ${await usdc("poorBuyer")} (too little to pay).`,
    );
    say();
    say("Press Ctrl-C to stop the chain, the indexer and the server.");
  } catch (error) {
    console.error(`✗ ${(error as Error).message}`);
    await stop(1);
  }
}

await main();
// Keep running until Ctrl-C.
await new Promise(() => undefined);
