import { mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import { encodeBase64, getAddress, toUtf8Bytes, toUtf8String, decodeBase64 } from "ethers";
import hre from "hardhat";

import { OFFER_LINE_PREFIX, connectEscrow, decodeOfferLine } from "@waybill/sdk";
import { findDeployment } from "../../tasks/lib/deployment.js";
import {
  type CommandResult,
  type RunningNode,
  hardhat,
  projectRoot,
  removeDeployment,
  startAnvil,
} from "./harness.js";

// Anvil's third development account (the local buyer): a public test key, funded only on local nodes.
const ANVIL_BUYER_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
const ACCOUNT = { admin: 0, merchant: 1, buyer: 2, carrier: 3 } as const;

/**
 * A buyer's own working directory: a Hardhat config that loads Waybill's commands and one
 * network whose key is a configuration variable, and nothing else (no ignition/deployments).
 */
async function buyerDirectory(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "waybill-buyer-"));
  await symlink(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"));
  await writeFile(path.join(dir, "package.json"), '{ "type": "module" }\n');
  await writeFile(
    path.join(dir, "hardhat.config.ts"),
    `import hardhatToolboxMochaEthersPlugin from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

import { waybillTasks } from ${JSON.stringify(path.join(projectRoot, "tasks", "index.js"))};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthersPlugin],
  tasks: waybillTasks,
  networks: {
    shop: {
      type: "http",
      chainType: "l1",
      url: process.env.SHOP_RPC_URL ?? "",
      accounts: [configVariable("BUYER_KEY")],
    },
  },
});
`,
  );
  return dir;
}

describe("A buyer with nothing but the offer line (Anvil, a fresh working directory)", function () {
  this.timeout(600_000);

  let node: RunningNode;
  let buyerDir: string;
  let keystoreDir: string;
  const deploymentId = `e2e-buyer-${process.pid}-${Date.now()}`;
  const env = { WAYBILL_DEPLOYMENT_ID: deploymentId };
  let merchant: string, buyer: string, carrier: string;

  /** A command in the project (the merchant's, carrier's or admin's side) as a role's account. */
  async function run(role: keyof typeof ACCOUNT, ...args: string[]): Promise<CommandResult> {
    return hardhat(
      node,
      [...args, "--network", "localhost", "--account", String(ACCOUNT[role])],
      env,
    );
  }

  function succeeded(result: CommandResult, what: string): string {
    expect(result.code, `${what} failed:\n${result.stdout}\n${result.stderr}`).to.equal(0);
    expect(result.stderr).not.to.match(/✗/);
    return result.stdout;
  }

  async function ok(role: keyof typeof ACCOUNT, ...args: string[]): Promise<string> {
    return succeeded(await run(role, ...args), args.join(" "));
  }

  /** A failing command prints exactly one `✗` line, no stack trace, and exits non-zero. */
  function failedWith(result: CommandResult): string {
    expect(result.code, result.stdout).to.not.equal(0);
    const lines = result.stderr.trim().split("\n");
    expect(lines, result.stderr).to.have.length(1);
    expect(lines[0]).to.match(/^✗ /);
    return lines[0];
  }

  /** A command in the buyer's directory; `withKey` gives it the buyer's key, otherwise it has none. */
  async function asBuyer(withKey: boolean, ...args: string[]): Promise<CommandResult> {
    return hardhat(
      node,
      [...args, "--network", "shop"],
      {
        SHOP_RPC_URL: node.url,
        XDG_CONFIG_HOME: keystoreDir,
        BUYER_KEY: withKey ? ANVIL_BUYER_KEY : undefined,
        WAYBILL_DEPLOYMENT_ID: undefined,
        // `hardhat test` points its children at the project's config; the buyer has their own.
        HARDHAT_CONFIG: undefined,
      },
      buyerDir,
    );
  }

  async function newOffer(...extra: string[]): Promise<string> {
    const out = await ok(
      "merchant",
      "merchant",
      "offer",
      "--price",
      "120.50",
      "--items",
      "2 Celadon vase; 1 Tea bowl",
      "--shipping",
      "DAP Hamburg, sea freight",
      ...extra,
    );
    const line = /^waybill-offer:v2:\S+$/m.exec(out)?.[0];
    expect(line, out).to.not.equal(undefined);
    return line!;
  }

  async function escrow() {
    const deployment = (await findDeployment(projectRoot, deploymentId))!;
    return connectEscrow(deployment.escrow, node.provider);
  }

  /** Ships the order and has the carrier record its delivery in the registry. */
  async function shipAndDeliver(line: string): Promise<void> {
    await ok(
      "merchant",
      "merchant",
      "ship",
      "--order",
      line,
      "--carrier",
      carrier,
      "--origin",
      "VNSGN",
      "--destination",
      "DEHAM",
    );
    for (const [event, location] of [
      ["PickedUp", "VNSGN"],
      ["Delivered", "DEHAM"],
    ]) {
      await ok(
        "carrier",
        "carrier",
        "record",
        "--shipment",
        line,
        "--event",
        event,
        "--location",
        location,
      );
    }
  }

  before(async function () {
    node = await startAnvil({ allowLargeContracts: hre.globalOptions.coverage });
    const accounts = (await node.provider.send("eth_accounts", [])) as string[];
    [, merchant, buyer, carrier] = accounts.map((account) => getAddress(account));
    const deployed = await hardhat(node, [
      "waybill",
      "deploy",
      "--network",
      "localhost",
      "--deployment-id",
      deploymentId,
    ]);
    succeeded(deployed, "waybill deploy");
    expect(deployed.stdout).to.match(/#2 buyer\s+0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC/i);
    await ok("admin", "admin", "carrier", "--carrier", carrier, "--code", "PACF");
    await ok("admin", "waybill", "faucet", "--to", buyer, "--amount", "1000");
    buyerDir = await buyerDirectory();
    keystoreDir = await mkdtemp(path.join(os.tmpdir(), "waybill-keystore-"));
  });

  after(async function () {
    await node?.stop();
    await removeDeployment(deploymentId);
    if (buyerDir !== undefined) await rm(buyerDir, { recursive: true, force: true });
    if (keystoreDir !== undefined) await rm(keystoreDir, { recursive: true, force: true });
  });

  it("inspects, pays, follows, tracks, confirms and reviews an order from the line alone", async function () {
    const line = await newOffer();

    // Read-only steps: no key at all, and no deployment record in this directory.
    const inspected = succeeded(
      await asBuyer(false, "buyer", "inspect", "--order", line),
      "inspect",
    );
    expect(inspected).to.match(/escrow 0x[0-9a-fA-F]{40} from the offer line/);
    expect(inspected).to.match(/verified: these details match the merchant's signed hash/);
    expect(inspected).to.match(/2 × Celadon vase[\s\S]*1 × Tea bowl[\s\S]*shipping: DAP Hamburg/);
    expect(inspected).to.match(/price\s+120\.50 USDC/);
    expect(inspected).to.match(/signature\s+valid, by the merchant/);
    expect(inspected).to.match(/offer expires\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC/);

    const paid = succeeded(await asBuyer(true, "buyer", "pay", "--order", line), "pay");
    expect(paid).to.match(new RegExp(`signing as ${buyer}, the network's configured key`, "i"));
    expect(paid).to.match(/✓ Paid/);
    const orderId = /order id (0x[0-9a-f]{64})/.exec(paid)![1];
    expect((await (await escrow()).getOrder(orderId)).buyer).to.equal(buyer);

    const status = succeeded(await asBuyer(false, "buyer", "status", "--order", line), "status");
    expect(status).to.match(new RegExp(`status\\s+Paid, buyer ${buyer}`));
    expect(status).to.match(/ship by\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC/);

    await shipAndDeliver(line);
    const tracked = succeeded(
      await asBuyer(false, "carrier", "track", "--shipment", line),
      "track",
    );
    expect(tracked).to.match(/: Delivered, carrier/);
    expect(tracked).to.match(
      /Created[\s\S]*Ho Chi Minh City, Viet Nam \(VNSGN\)[\s\S]*PickedUp[\s\S]*Delivered\s+Hamburg, Germany \(DEHAM\)/,
    );

    succeeded(await asBuyer(true, "buyer", "confirm", "--order", line), "confirm");
    const reviewed = succeeded(
      await asBuyer(true, "buyer", "review", "--order", line, "--rating", "5"),
      "review",
    );
    expect(reviewed).to.match(/✓ Reviewed/);
    expect(await (await escrow()).ratingOf(merchant)).to.deep.equal([1n, 5n]);
    // Nothing was written into the buyer's directory.
    expect((await readdir(buyerDir)).sort()).to.deep.equal([
      "hardhat.config.ts",
      "node_modules",
      "package.json",
    ]);
  });

  it("refuses a line whose details were altered, and a signing command without the key", async function () {
    const line = await newOffer();
    const json = JSON.parse(
      toUtf8String(
        decodeBase64(
          line
            .slice(OFFER_LINE_PREFIX.length)
            .replace(/-/g, "+")
            .replace(/_/g, "/")
            .padEnd(Math.ceil((line.length - OFFER_LINE_PREFIX.length) / 4) * 4, "="),
        ),
      ),
    ) as { details: { items: { quantity: number }[] } };
    json.details.items[0].quantity = 1;
    const altered =
      OFFER_LINE_PREFIX +
      encodeBase64(toUtf8Bytes(JSON.stringify(json)))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
    expect(failedWith(await asBuyer(false, "buyer", "inspect", "--order", altered))).to.match(
      /the order details in this line do not match what the merchant signed/,
    );
    expect(failedWith(await asBuyer(false, "buyer", "pay", "--order", line))).to.match(
      /BUYER_KEY is not set/,
    );
  });

  it("without --account, a role command says which local account it uses and why, or refuses", async function () {
    const offered = succeeded(
      await hardhat(
        node,
        ["merchant", "offer", "--price", "10", "--items", "1 Lamp", "--network", "localhost"],
        env,
      ),
      "merchant offer",
    );
    expect(offered).to.match(
      new RegExp(`signing as account #1 ${merchant}, the merchant in the local role map`),
    );
    const line = /^waybill-offer:v2:\S+$/m.exec(offered)![0];
    expect(decodeOfferLine(line).offer.merchant).to.equal(merchant);
    const attest = await hardhat(
      node,
      [
        "certifier",
        "attest",
        "--lot",
        "1",
        "--type",
        "COO",
        "--document",
        "C/O 118",
        "--network",
        "localhost",
      ],
      env,
    );
    expect(failedWith(attest)).to.match(/say which account signs as the certifier: --account N/);
  });

  it("a confirm from the wrong account sends nothing, and the merchant answers a dispute with evidence", async function () {
    const line = await newOffer();
    succeeded(await asBuyer(true, "buyer", "pay", "--order", line), "pay");
    await shipAndDeliver(line);
    const orderId = decodeOfferLine(line);
    const contract = await escrow();
    const id = await contract.orderIdOf(orderId.offer);
    const nonceBefore = await node.provider.getTransactionCount(merchant);
    const wrong = await run("merchant", "buyer", "confirm", "--order", line);
    expect(failedWith(wrong)).to.match(
      new RegExp(`only the buyer ${buyer} can confirm receipt of order ${id}`),
    );
    expect(await node.provider.getTransactionCount(merchant)).to.equal(nonceBefore);
    expect((await contract.getOrder(id)).status).to.equal(2n); // still Shipped: nothing was marked

    expect(failedWith(await run("merchant", "merchant", "evidence", "--order", line))).to.match(
      /--evidence or --text is required/,
    );
    await ok("buyer", "buyer", "dispute", "--order", line, "--evidence", "photos of the crack");
    expect(
      failedWith(
        await run("buyer", "merchant", "evidence", "--order", line, "--evidence", "forged"),
      ),
    ).to.match(/only the merchant 0x[0-9a-fA-F]{40} can submit evidence/);
    const answered = await ok(
      "merchant",
      "merchant",
      "evidence",
      "--order",
      line,
      "--evidence",
      "courier POD 4471",
      "--uri",
      "ipfs://pod-4471",
    );
    expect(answered).to.match(/✓ Evidence recorded on order .* \(ipfs:\/\/pod-4471\)/);
    const evidence = await contract.queryFilter(contract.filters.Evidence(id));
    expect(evidence.map((log) => [log.args.party, log.args.evidenceURI])).to.deep.equal([
      [buyer, ""],
      [merchant, "ipfs://pod-4471"],
    ]);
  });

  it("refuses to sign an offer nobody can pay or whose deadlines cannot be kept", async function () {
    const refusals: [string[], RegExp][] = [
      [["--price", "0"], /the price must be more than 0/],
      [["--price", "5", "--expires", "5m"], /payable for at least 10 minutes, not 5 minutes/],
      [
        ["--price", "5", "--inspection", "1h"],
        /inspection window must be at least 1 day, not 1 hour/,
      ],
      [
        ["--price", "5", "--ship-within", "10d", "--deliver-within", "5d"],
        /the deliver-by \(5 days after payment\) is before the ship-by \(10 days\)/,
      ],
    ];
    for (const [options, message] of refusals) {
      const result = await run("merchant", "merchant", "offer", "--items", "1 Lamp", ...options);
      expect(failedWith(result)).to.match(message);
      expect(result.stdout).not.to.match(/waybill-offer:/);
    }
  });

  it("redeploys after the node restarts, and says success only once the code is there", async function () {
    const restartId = `e2e-restart-${process.pid}-${Date.now()}`;
    let first: RunningNode | undefined;
    let second: RunningNode | undefined;
    try {
      first = await startAnvil({ allowLargeContracts: hre.globalOptions.coverage });
      const args = ["waybill", "deploy", "--network", "localhost", "--deployment-id", restartId];
      succeeded(await hardhat(first, args), "first deploy");
      await first.stop();
      second = await startAnvil({ allowLargeContracts: hre.globalOptions.coverage });
      const again = succeeded(await hardhat(second, args), "deploy after restart");
      expect(again).to.match(
        new RegExp(
          `recorded in ignition/deployments/${restartId} has no code on this node \\(was it restarted\\?\\): removing the stale record and deploying afresh`,
        ),
      );
      expect(again).to.match(/✓ Waybill deployed \(code checked at every address\)/);
      const record = (await findDeployment(projectRoot, restartId))!;
      expect(await second.provider.getCode(record.escrow)).to.not.equal("0x");
    } finally {
      await first?.stop();
      await second?.stop();
      await removeDeployment(restartId);
    }
  });

  it("says a deployment on the in-process network is gone when the command ends", async function () {
    const inProcess = succeeded(await hardhat(node, ["waybill", "deploy"]), "in-process deploy");
    expect(inProcess).to.match(
      /✓ Waybill deployed on Hardhat's in-process network, which is gone when this command ends/,
    );
    expect(inProcess).to.match(/Nothing of it remains for later commands/);
    expect(inProcess).not.to.match(/recorded in ignition\/deployments/);
  });
});
