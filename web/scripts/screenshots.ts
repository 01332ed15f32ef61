/**
 * `npm run web:screenshots`: regenerates the README's pictures of the web app
 * (docs/web-checkout.png, docs/web-passport.png, docs/web-order.png) from a freshly seeded
 * local shop, on a phone-sized screen, with the test wallet connected on the checkout.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { projectRoot, removeDeployment, startAnvil } from "../../test/e2e/harness.js";
import { buildApp, serveApp } from "./app-server.js";
import { launchBrowser } from "./browser.js";
import { deployLocal, devKey, localNetworkEntry, seedShop } from "./shop.js";
import { TestWallet } from "./test-wallet.js";

const docs = path.join(projectRoot, "docs");
const node = await startAnvil();
const deploymentId = `web-screenshots-${process.pid}`;
const outDir = await mkdtemp(path.join(os.tmpdir(), "waybill-web-"));
let server: Awaited<ReturnType<typeof serveApp>> | undefined;
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
try {
  console.log("Deploying and seeding a local shop…");
  const deployment = await deployLocal(node, deploymentId);
  const seeded = await seedShop(node, deployment);
  await buildApp(outDir, localNetworkEntry(deployment, node.url));
  server = await serveApp(outDir);
  browser = await launchBrowser();
  const rpc = `?rpc=${encodeURIComponent(node.url)}`;
  const capture = async (name: string, url: string, ready: string, withWallet: boolean) => {
    const context = await browser!.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      locale: "en-GB",
      timezoneId: "Europe/Berlin",
    });
    const page = await context.newPage();
    const wallet = new TestWallet({
      privateKey: devKey(2),
      rpcUrl: node.url,
      chainId: deployment.chainId,
    });
    if (withWallet) await wallet.install(page);
    await page.goto(url);
    if (withWallet) {
      await page.getByRole("button", { name: "Connect Waybill Test Wallet" }).click();
    }
    await page.getByText(ready, { exact: false }).first().waitFor();
    const file = path.join(docs, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`  wrote ${path.relative(projectRoot, file)}`);
    wallet.close();
    await context.close();
  };
  await capture(
    "web-checkout",
    `${server.url}/pay${rpc}#${seeded.openOffer.line}`,
    "You hold",
    true,
  );
  await capture("web-passport", `${server.url}${seeded.links.genuine}${rpc}`, "GENUINE", false);
  await capture(
    "web-order",
    `${server.url}/order/${deployment.chainId}/${seeded.inTransit.orderId}${rpc}`,
    "Shipped, in transit",
    false,
  );
} finally {
  await browser?.close();
  await server?.close();
  await node.stop();
  await removeDeployment(deploymentId);
  await rm(outDir, { recursive: true, force: true });
}
