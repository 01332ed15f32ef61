import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import { ZeroAddress, getAddress, id as hashText } from "ethers";
import hre from "hardhat";

import {
  MockStablecoin__factory,
  ProductPassport__factory,
  ShipmentRegistry__factory,
  WaybillEscrow__factory,
} from "../../typechain-types/index.js";
import { withCheckDigit } from "@waybill/sdk";
import { findDeployment } from "../../tasks/lib/deployment.js";
import { CIRCLE_TESTNET_STABLECOINS } from "@waybill/sdk";
import {
  type CommandResult,
  type RunningNode,
  hardhat,
  projectRoot,
  removeDeployment,
  startAnvil,
} from "./harness.js";

// Anvil's first development account: a public test key, funded only on local nodes.
const ANVIL_FIRST_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ACCOUNT = { admin: 0, merchant: 1, buyer: 2, carrierA: 3, carrierB: 4, maker: 5 } as const;
// A GTIN-14 of the company prefix 8934567, with its GS1 check digit.
const GTIN = withCheckDigit("0893456700001");

/** Environment for a command that must not see this machine's `.env` or Hardhat keystore. */
async function withoutLocalConfig(): Promise<Record<string, string>> {
  return {
    WAYBILL_ENV_FILE: path.join(os.tmpdir(), "waybill-no-such.env"),
    XDG_CONFIG_HOME: await mkdtemp(path.join(os.tmpdir(), "waybill-keystore-")),
  };
}

describe("Command line against a real node (Anvil, Ignition over HTTP)", function () {
  this.timeout(600_000);

  let node: RunningNode;
  const deploymentId = `e2e-${process.pid}-${Date.now()}`;
  const env = { WAYBILL_DEPLOYMENT_ID: deploymentId };

  async function run(role: keyof typeof ACCOUNT, ...args: string[]): Promise<CommandResult> {
    const result = await hardhat(
      node,
      [...args, "--network", "localhost", "--account", String(ACCOUNT[role])],
      env,
    );
    return result;
  }

  async function ok(role: keyof typeof ACCOUNT, ...args: string[]): Promise<string> {
    const result = await run(role, ...args);
    expect(result.code, `${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`).to.equal(
      0,
    );
    expect(result.stderr).not.to.match(/✗/);
    return result.stdout;
  }

  /** A failing command prints exactly one `✗` line, no stack trace, and exits non-zero. */
  async function fails(role: keyof typeof ACCOUNT, ...args: string[]): Promise<string> {
    const result = await run(role, ...args);
    expect(result.code, result.stdout).to.not.equal(0);
    const lines = result.stderr.trim().split("\n");
    expect(lines, result.stderr).to.have.length(1);
    expect(lines[0]).to.match(/^✗ /);
    expect(result.stderr).not.to.match(/\n\s+at /);
    return lines[0];
  }

  async function contracts() {
    const deployment = (await findDeployment(projectRoot, deploymentId))!;
    return {
      deployment,
      escrow: WaybillEscrow__factory.connect(deployment.escrow, node.provider),
      registry: ShipmentRegistry__factory.connect(deployment.registry, node.provider),
      passports: ProductPassport__factory.connect(deployment.passports, node.provider),
      usdc: MockStablecoin__factory.connect(deployment.localStablecoins.USDC, node.provider),
    };
  }

  let admin: string,
    merchant: string,
    buyer: string,
    carrierA: string,
    carrierB: string,
    maker: string;

  before(async function () {
    node = await startAnvil({ allowLargeContracts: hre.globalOptions.coverage });
    const accounts = (await node.provider.send("eth_accounts", [])) as string[];
    [admin, merchant, buyer, carrierA, carrierB, maker] = accounts.map((account) =>
      getAddress(account),
    );
    const deployed = await hardhat(node, [
      "waybill",
      "deploy",
      "--network",
      "localhost",
      "--deployment-id",
      deploymentId,
    ]);
    expect(deployed.code, deployed.stderr).to.equal(0);
    expect(deployed.stdout).to.match(/✓ Waybill deployed/);
  });

  after(async function () {
    await node?.stop();
    await removeDeployment(deploymentId);
  });

  it("deploys the wired suite with Ignition over HTTP", async function () {
    const { escrow, registry, passports, deployment } = await contracts();
    expect(await escrow.isTokenAllowed(deployment.localStablecoins.USDC)).to.equal(true);
    expect(await escrow.isTokenAllowed(deployment.localStablecoins.EURC)).to.equal(true);
    expect(await passports.shipmentRegistry()).to.equal(await registry.getAddress());
    expect(await escrow.hasRole(await escrow.ARBITER_ROLE(), admin)).to.equal(true);
  });

  it("drives a passport-carrying order from offer to review through every role's commands", async function () {
    await ok("admin", "admin", "carrier", "--carrier", carrierA, "--code", "PACF");
    await ok("admin", "admin", "carrier", "--carrier", carrierB, "--code", "EUPX");
    await ok("admin", "admin", "manufacturer", "--manufacturer", maker, "--prefix", "8934567");
    await ok(
      "admin",
      "admin",
      "role",
      "--contract",
      "passports",
      "--role",
      "CERTIFIER",
      "--to",
      admin,
    );
    await ok("admin", "waybill", "faucet", "--to", buyer, "--amount", "1000");

    const lot = await ok(
      "maker",
      "manufacturer",
      "lot",
      "--gtin",
      GTIN,
      "--lot",
      "L-2026-11",
      "--origin",
      "VN",
      "--uri",
      "ipfs://lot",
    );
    const lotId = /Lot (\d+) created/.exec(lot)?.[1];
    expect(lotId).to.not.equal(undefined);
    const minted = await ok(
      "maker",
      "manufacturer",
      "mint",
      "--lot",
      lotId!,
      "--serials",
      "VASE-001,VASE-002",
      "--to",
      merchant,
    );
    const tokenIds = [...minted.matchAll(/^\s+(\d{20,})\s/gm)].map((m) => m[1]);
    expect(tokenIds).to.have.length(2);
    await ok(
      "admin",
      "certifier",
      "attest",
      "--lot",
      lotId!,
      "--type",
      "COO",
      "--document",
      "certificate of origin 42",
    );

    const offerFile = `${projectRoot}/cache/e2e-offer-${deploymentId}.txt`;
    await ok(
      "merchant",
      "merchant",
      "offer",
      "--price",
      "120.50",
      "--details",
      "2 vases to Hamburg",
      "--out",
      offerFile,
    );
    expect(await ok("buyer", "buyer", "inspect", "--order", offerFile)).to.match(
      /valid, by the merchant/,
    );
    const paid = await ok("buyer", "buyer", "pay", "--order", offerFile);
    expect(paid).to.match(/authorization/);
    await ok(
      "merchant",
      "merchant",
      "ship",
      "--order",
      offerFile,
      "--carrier",
      carrierA,
      "--origin",
      "VNSGN",
      "--destination",
      "DEHAM",
      "--passports",
      tokenIds.join(","),
    );

    await ok(
      "carrierA",
      "carrier",
      "record",
      "--shipment",
      offerFile,
      "--event",
      "PickedUp",
      "--location",
      "VNSGN",
    );
    const batch = `${projectRoot}/cache/e2e-batch-${deploymentId}.json`;
    await ok(
      "carrierA",
      "carrier",
      "sign",
      "--shipment",
      offerFile,
      "--event",
      "Departed",
      "--location",
      "VNSGN",
      "--file",
      batch,
    );
    await ok(
      "carrierA",
      "carrier",
      "sign",
      "--shipment",
      offerFile,
      "--event",
      "Arrived",
      "--location",
      "NLRTM",
      "--file",
      batch,
    );
    await ok("admin", "carrier", "relay", "--file", batch);
    await ok(
      "carrierA",
      "carrier",
      "record",
      "--shipment",
      offerFile,
      "--event",
      "HandedOver",
      "--location",
      "NLRTM",
      "--next-carrier",
      carrierB,
    );
    await ok(
      "carrierB",
      "carrier",
      "record",
      "--shipment",
      offerFile,
      "--event",
      "Delivered",
      "--location",
      "DEHAM",
      "--evidence",
      "POD 7781",
    );
    const timeline = await ok("buyer", "carrier", "track", "--shipment", offerFile);
    expect(timeline).to.match(/Departed[\s\S]*Arrived[\s\S]*HandedOver[\s\S]*Delivered/);

    const { escrow, usdc, passports, deployment } = await contracts();
    expect(await fails("merchant", "merchant", "retry-passports", "--order", offerFile)).to.match(
      /cannot hand over again the passports of order .* is Shipped/,
    );
    // A unit flagged stolen while in custody fails its hand-over at confirmation.
    const theftDesk = passports.connect(await node.provider.getSigner(admin));
    await (await theftDesk.grantRole(await passports.THEFT_REGISTRAR_ROLE(), admin)).wait();
    await (await theftDesk.flagStolen(tokenIds[0], hashText("police report"))).wait();
    const merchantBefore = await usdc.balanceOf(merchant);
    await ok("buyer", "buyer", "confirm", "--order", offerFile);
    const fee = (120_500_000n * 100n) / 10_000n;
    expect(await usdc.balanceOf(merchant)).to.equal(merchantBefore + 120_500_000n - fee);
    expect(await escrow.accruedFees(deployment.localStablecoins.USDC)).to.equal(fee);
    expect(await passports.ownerOf(tokenIds[0])).to.equal(await escrow.getAddress());
    // Still flagged: the command says the unit was refused again and stays in custody.
    expect(await ok("buyer", "buyer", "retry-passports", "--order", offerFile)).to.match(
      new RegExp(`✗ unit ${tokenIds[0]} was refused again`),
    );
    await (await theftDesk.clearStolen(tokenIds[0])).wait();
    expect(await ok("merchant", "merchant", "retry-passports", "--order", offerFile)).to.match(
      new RegExp(`✓ unit ${tokenIds[0]} handed to the buyer ${buyer}`),
    );
    for (const id of tokenIds) expect(await passports.ownerOf(id)).to.equal(buyer);
    expect(await fails("buyer", "buyer", "retry-passports", "--order", offerFile)).to.match(
      /the escrow holds no passport of order .* to hand over/,
    );

    await ok(
      "buyer",
      "buyer",
      "review",
      "--order",
      offerFile,
      "--rating",
      "5",
      "--text",
      "Lovely vases",
    );
    expect(await escrow.ratingOf(merchant)).to.deep.equal([1n, 5n]);
    const report = await ok("buyer", "passport", "verify", tokenIds[0]);
    expect(report).to.match(/GENUINE/);
    // Found in the unit's PassportShipped log, with the registry's state of that shipment.
    expect(report).to.match(
      /Last shipment: 0x[0-9a-f]{64} \(Delivered\)\n {2}carrier 0x[0-9a-fA-F]{40}/,
    );
    await ok("admin", "admin", "withdraw-fees", "--token", "USDC");
    expect(await escrow.accruedFees(deployment.localStablecoins.USDC)).to.equal(0n);
  });

  it("settles a disputed order by the arbiter's split, and the keeper releases a quiet one", async function () {
    const disputed = `${projectRoot}/cache/e2e-dispute-${deploymentId}.txt`;
    const quiet = `${projectRoot}/cache/e2e-quiet-${deploymentId}.txt`;
    for (const file of [disputed, quiet]) {
      await ok(
        "merchant",
        "merchant",
        "offer",
        "--price",
        "50",
        "--details",
        `lamp ${file}`,
        "--out",
        file,
      );
      await ok("buyer", "buyer", "pay", "--order", file, "--method", "permit");
      await ok(
        "merchant",
        "merchant",
        "ship",
        "--order",
        file,
        "--carrier",
        carrierB,
        "--origin",
        "DEHAM",
        "--destination",
        "DEBER",
      );
      await ok(
        "carrierB",
        "carrier",
        "record",
        "--shipment",
        file,
        "--event",
        "PickedUp",
        "--location",
        "DEHAM",
      );
      await ok(
        "carrierB",
        "carrier",
        "record",
        "--shipment",
        file,
        "--event",
        "Delivered",
        "--location",
        "DEBER",
      );
    }
    await ok(
      "buyer",
      "buyer",
      "dispute",
      "--order",
      disputed,
      "--evidence",
      "photo of the broken lamp",
      "--uri",
      "ipfs://photo",
    );
    const { usdc } = await contracts();
    const buyerBefore = await usdc.balanceOf(buyer);
    await ok("admin", "arbiter", "rule", "--order", disputed, "--buyer-amount", "30");
    expect(await usdc.balanceOf(buyer)).to.equal(buyerBefore + 30_000_000n);

    // The keeper's first pass records the quiet order's delivery, which opens its inspection window;
    // once the window has passed, the next pass releases it.
    expect(await ok("admin", "keeper", "release")).to.match(
      /Marked 1 order\(s\) delivered, released 0/,
    );
    await node.provider.send("evm_increaseTime", [4 * 86_400]);
    await node.provider.send("evm_mine", []);
    const merchantBefore = await usdc.balanceOf(merchant);
    expect(await ok("admin", "keeper", "release")).to.match(
      /Marked 0 order\(s\) delivered, released 1/,
    );
    expect(await usdc.balanceOf(merchant)).to.equal(merchantBefore + 50_000_000n - 500_000n);
  });

  /** A paid, shipped order whose delivery the registry shows, ready for a dispute or a confirmation. */
  async function deliveredOrder(name: string, price: string): Promise<string> {
    const file = `${projectRoot}/cache/e2e-${name}-${deploymentId}.txt`;
    await ok("merchant", "merchant", "offer", "--price", price, "--details", name, "--out", file);
    await ok("buyer", "buyer", "pay", "--order", file, "--method", "permit");
    await ok(
      "merchant",
      "merchant",
      "ship",
      "--order",
      file,
      "--carrier",
      carrierB,
      "--origin",
      "DEHAM",
      "--destination",
      "DEBER",
    );
    for (const [event, location] of [
      ["PickedUp", "DEHAM"],
      ["Delivered", "DEBER"],
    ])
      await ok(
        "carrierB",
        "carrier",
        "record",
        "--shipment",
        file,
        "--event",
        event,
        "--location",
        location,
      );
    return file;
  }

  async function orderIdOfFile(file: string): Promise<string> {
    const { escrow } = await contracts();
    const status = await ok("buyer", "buyer", "status", "--order", file);
    const orderId = /^Order (0x[0-9a-f]{64})/m.exec(status)?.[1];
    expect(orderId, status).to.not.equal(undefined);
    expect((await escrow.getOrder(orderId!)).status).to.be.greaterThan(0n);
    return orderId!;
  }

  it("settles a disputed order between the parties before the ruling, after a partial refund", async function () {
    const { escrow, usdc } = await contracts();
    const file = await deliveredOrder("settled-lamp", "50");
    const orderId = await orderIdOfFile(file);
    await ok(
      "buyer",
      "buyer",
      "dispute",
      "--order",
      file,
      "--evidence",
      "photo 1",
      "--text",
      "The lamp's base is cracked — photos attached.",
    );
    await ok(
      "merchant",
      "merchant",
      "evidence",
      "--order",
      file,
      "--text",
      "Packed in double foam; see the packing video.",
    );
    let buyerBefore = await usdc.balanceOf(buyer);
    expect(
      await ok("merchant", "merchant", "partial-refund", "--order", file, "--amount", "5"),
    ).to.match(
      /5\.00 USDC refunded \(5\.00 USDC in all\); the order goes on as Disputed with 45\.00 USDC held/,
    );
    expect(await usdc.balanceOf(buyer)).to.equal(buyerBefore + 5_000_000n);
    expect((await escrow.orderExtrasOf(orderId)).refunded).to.equal(5_000_000n);

    expect(
      await fails("merchant", "merchant", "settle", "--order", file, "--buyer-amount", "46"),
    ).to.match(/--buyer-amount 46\.00 USDC is more than the 45\.00 USDC the escrow holds/);
    expect(await fails("merchant", "merchant", "settle", "--order", file, "--accept")).to.match(
      /has no open settlement proposal to accept/,
    );
    await ok("buyer", "buyer", "settle", "--order", file, "--buyer-amount", "30");
    await ok("buyer", "buyer", "settle", "--order", file, "--withdraw");
    expect((await escrow.settlementOf(orderId))[0]).to.equal(ZeroAddress);
    await ok("buyer", "buyer", "settle", "--order", file, "--buyer-amount", "20");
    expect(await fails("buyer", "buyer", "settle", "--order", file, "--accept")).to.match(
      /you proposed this settlement yourself/,
    );
    expect(
      await fails(
        "merchant",
        "merchant",
        "settle",
        "--order",
        file,
        "--accept",
        "--buyer-amount",
        "25",
      ),
    ).to.match(
      /the proposal gives the buyer 20\.00 USDC, not the 25\.00 USDC you expect; nothing was sent/,
    );
    const status = await ok("merchant", "merchant", "status", "--order", file);
    expect(status).to.match(/held +45\.00 USDC \(5\.00 USDC refunded to the buyer so far\)/);
    expect(status).to.match(/proposal +the buyer 0x\w+ offers 20\.00 USDC to the buyer/);
    expect(status).to.contain('"The lamp\'s base is cracked — photos attached."');
    expect(status).to.contain('"Packed in double foam; see the packing video."');

    buyerBefore = await usdc.balanceOf(buyer);
    const merchantBefore = await usdc.balanceOf(merchant);
    const { feeBps } = await escrow.getOrder(orderId);
    const fee = (25_000_000n * feeBps) / 10_000n;
    expect(await ok("merchant", "merchant", "settle", "--order", file, "--accept")).to.match(
      /✓ Settled: 20\.00 USDC to the buyer, [\d.]+ USDC to the seller side/,
    );
    expect(await usdc.balanceOf(buyer)).to.equal(buyerBefore + 20_000_000n);
    expect(await usdc.balanceOf(merchant)).to.equal(merchantBefore + 25_000_000n - fee);
    expect((await escrow.getOrder(orderId)).status).to.equal(7n); // Resolved
    // The ruling lost the race: the arbiter's command refuses before sending.
    expect(
      await fails("admin", "arbiter", "rule", "--order", file, "--buyer-amount", "10"),
    ).to.match(/cannot rule: order .* is Resolved/);
  });

  it("settles with a signed line the other party submits, after a revoked one fails", async function () {
    const { escrow, usdc } = await contracts();
    const file = await deliveredOrder("signed-vase", "40");
    const orderId = await orderIdOfFile(file);
    const revoked = `${projectRoot}/cache/e2e-revoked-${deploymentId}.txt`;
    const line = `${projectRoot}/cache/e2e-settlement-${deploymentId}.txt`;
    await ok(
      "merchant",
      "merchant",
      "settle",
      "--order",
      file,
      "--sign",
      "--buyer-amount",
      "15",
      "--out",
      revoked,
    );
    expect(await ok("merchant", "merchant", "settle", "--revoke", revoked)).to.match(/✓ Revoked/);
    expect(await fails("buyer", "buyer", "settle", "--signature", revoked)).to.match(
      /revoked this signed settlement of order/,
    );
    expect(
      await fails(
        "buyer",
        "buyer",
        "settle",
        "--order",
        file,
        "--sign",
        "--buyer-amount",
        "1",
        "--signature",
        revoked,
      ),
    ).to.match(/choose one of --sign, --signature/);
    const signed = await ok(
      "merchant",
      "merchant",
      "settle",
      "--order",
      file,
      "--sign",
      "--buyer-amount",
      "12.5",
      "--valid",
      "1d",
      "--out",
      line,
    );
    expect(signed).to.match(/no transaction, no gas/);
    expect(await fails("merchant", "merchant", "settle", "--signature", line)).to.match(
      /submit a line the buyer signed/,
    );
    const buyerBefore = await usdc.balanceOf(buyer);
    await ok("buyer", "buyer", "settle", "--signature", line);
    expect(await usdc.balanceOf(buyer)).to.equal(buyerBefore + 12_500_000n);
    expect((await escrow.getOrder(orderId)).status).to.equal(7n);
    const [settled] = await escrow.queryFilter(escrow.filters.OrderSettled(orderId));
    expect(settled.args.proposer).to.equal(merchant);
    expect(settled.args.acceptor).to.equal(buyer);
  });

  it("pays a financed order's payout to its holder, who can pass it on", async function () {
    const { escrow, usdc } = await contracts();
    const file = await deliveredOrder("financed-tiles", "60");
    const orderId = await orderIdOfFile(file);
    expect(
      await fails("buyer", "merchant", "assign-payout", "--order", file, "--to", carrierA),
    ).to.match(/only the holder of the payout 0x\w+ can assign/);
    await ok("merchant", "merchant", "assign-payout", "--order", file, "--to", maker);
    // The financier passes the payout on to its own lender.
    await ok("maker", "merchant", "assign-payout", "--order", file, "--to", carrierA);
    expect((await escrow.orderExtrasOf(orderId)).payoutHolder).to.equal(carrierA);
    expect(
      await fails("merchant", "merchant", "partial-refund", "--order", file, "--amount", "1"),
    ).to.match(new RegExp(`only the seller side ${carrierA} can refund part of order`));
    expect(await ok("buyer", "buyer", "status", "--order", file)).to.match(
      new RegExp(`payout holder +${carrierA} \\(assigned`),
    );
    const carrierABefore = await usdc.balanceOf(carrierA);
    const merchantBefore = await usdc.balanceOf(merchant);
    await ok("buyer", "buyer", "confirm", "--order", file);
    const { feeBps } = await escrow.getOrder(orderId);
    expect(await usdc.balanceOf(carrierA)).to.equal(
      carrierABefore + 60_000_000n - (60_000_000n * feeBps) / 10_000n,
    );
    expect(await usdc.balanceOf(merchant)).to.equal(merchantBefore);
    const text = "Tiles arrived whole. Financing made it quick for the seller.";
    await ok("buyer", "buyer", "review", "--order", file, "--rating", "4", "--text", text);
    const [review] = await escrow.queryFilter(escrow.filters.Reviewed(orderId));
    expect(review.args.text).to.equal(text);
    expect(
      await fails(
        "buyer",
        "buyer",
        "review",
        "--order",
        file,
        "--rating",
        "4",
        "--text",
        "é".repeat(501),
      ),
    ).to.match(/the review text is 1,002 bytes in UTF-8, more than the 1,000 the escrow accepts/);
    expect(await ok("buyer", "buyer", "status", "--order", file)).to.contain(`4/5: "${text}"`);

    // A financed order refunded: the holder gives back what is held, and it goes to the buyer.
    const refunded = `${projectRoot}/cache/e2e-financed-refund-${deploymentId}.txt`;
    await ok(
      "merchant",
      "merchant",
      "offer",
      "--price",
      "8",
      "--details",
      "refunded",
      "--out",
      refunded,
    );
    await ok("buyer", "buyer", "pay", "--order", refunded);
    await ok("merchant", "merchant", "assign-payout", "--order", refunded, "--to", maker);
    expect(await fails("merchant", "merchant", "cancel", "--order", refunded)).to.match(
      new RegExp(`only the seller side ${maker} can refund order`),
    );
    const buyerBefore = await usdc.balanceOf(buyer);
    await ok("maker", "merchant", "cancel", "--order", refunded);
    expect(await usdc.balanceOf(buyer)).to.equal(buyerBefore + 8_000_000n);
    expect(await usdc.balanceOf(maker)).to.equal(0n);

    // A financed order whose holder the token freezes: the payout is credited, and the holder
    // withdraws it to another address.
    const frozen = await deliveredOrder("financed-frozen", "20");
    const frozenId = await orderIdOfFile(frozen);
    await ok("merchant", "merchant", "assign-payout", "--order", frozen, "--to", maker);
    const owner = await node.provider.getSigner(admin);
    await (await usdc.connect(owner).blocklist(maker)).wait();
    const { feeBps: frozenFee } = await escrow.getOrder(frozenId);
    const payout = 20_000_000n - (20_000_000n * frozenFee) / 10_000n;
    expect(await ok("buyer", "buyer", "confirm", "--order", frozen)).to.match(
      new RegExp(`credited to ${maker}, who holds the payout: the token refused to send it there`),
    );
    expect(await escrow.credits(await usdc.getAddress(), maker)).to.equal(payout);
    const carrierBBefore = await usdc.balanceOf(carrierB);
    await ok("maker", "merchant", "withdraw", "--token", "USDC", "--to", carrierB);
    expect(await usdc.balanceOf(carrierB)).to.equal(carrierBBefore + payout);
    expect(await escrow.credits(await usdc.getAddress(), maker)).to.equal(0n);
    await (await usdc.connect(owner).unblocklist(maker)).wait();
  });

  it("runs the remaining commands: cancel and refund, recall, pause, token list, fee, carrier keys", async function () {
    const { escrow, registry, passports, usdc, deployment } = await contracts();

    const unpaid = `${projectRoot}/cache/e2e-unpaid-${deploymentId}.txt`;
    await ok(
      "merchant",
      "merchant",
      "offer",
      "--price",
      "10",
      "--details",
      "never paid",
      "--out",
      unpaid,
    );
    expect(await ok("merchant", "merchant", "cancel", "--order", unpaid)).to.match(
      /can no longer be paid/,
    );
    expect(await fails("buyer", "buyer", "pay", "--order", unpaid)).to.match(
      /cannot pay: order .* is Cancelled/,
    );

    const refunded = `${projectRoot}/cache/e2e-refunded-${deploymentId}.txt`;
    await ok(
      "merchant",
      "merchant",
      "offer",
      "--price",
      "10",
      "--details",
      "refunded",
      "--out",
      refunded,
    );
    await ok("buyer", "buyer", "pay", "--order", refunded);
    const buyerBefore = await usdc.balanceOf(buyer);
    expect(await ok("merchant", "merchant", "cancel", "--order", refunded)).to.match(/refunded/);
    expect(await usdc.balanceOf(buyer)).to.equal(buyerBefore + 10_000_000n);

    await ok(
      "maker",
      "manufacturer",
      "recall",
      "--lot",
      "1",
      "--reason",
      "glaze batch 7 failed lead test",
    );
    expect(
      (
        await passports.verify(
          (await passports.queryFilter(passports.filters.UnitMinted()))[0].args.tokenId,
        )
      ).lot.recalled,
    ).to.equal(true);

    await ok("admin", "admin", "pause");
    expect((await escrow.config()).paused).to.equal(true);
    await ok("admin", "admin", "pause", "--resume");
    expect((await escrow.config()).paused).to.equal(false);
    await ok("admin", "admin", "token", "--token", "EURC", "--disallow");
    expect(await escrow.isTokenAllowed(deployment.localStablecoins.EURC)).to.equal(false);
    expect(await ok("admin", "admin", "token", "--token", "EURC")).to.match(
      /EURC is accepted, and keeps one of the escrow's 8 token places for good/,
    );
    expect(await escrow.isTokenAllowed(deployment.localStablecoins.EURC)).to.equal(true);
    await ok("admin", "admin", "fee", "--bps", "150");
    expect((await escrow.config()).feeBps).to.equal(150n);

    await ok("carrierA", "carrier", "key", "--key", maker);
    expect((await registry.carrierOf(maker)).carrier).to.equal(carrierA);
    await ok("carrierA", "carrier", "key", "--key", maker, "--revoke");
    expect((await registry.carrierOf(maker)).active).to.equal(false);
  });

  it("deploys the testnet module with a network's parameter file (an Anvil posing as Sepolia)", async function () {
    // Sepolia's chain id, a block every second and Ignition's default of five confirmations, as on
    // the live network; only the RPC URL and the key point somewhere else.
    const sepolia = await startAnvil({
      allowLargeContracts: hre.globalOptions.coverage,
      chainId: 11155111,
      blockTime: 1,
    });
    const sepoliaDeployment = `e2e-sepolia-${process.pid}-${Date.now()}`;
    try {
      const [deployer] = (await sepolia.provider.send("eth_accounts", [])) as string[];
      const env = {
        SEPOLIA_RPC_URL: sepolia.url,
        WAYBILL_PRIVATE_KEY: ANVIL_FIRST_KEY,
        ...(await withoutLocalConfig()),
      };
      // The parameter file's stablecoins have no code on this fresh node yet: refused before
      // anything is deployed (the escrow would refuse to list them half-way through).
      const refused = await hardhat(
        sepolia,
        ["waybill", "deploy", "--network", "sepolia", "--deployment-id", sepoliaDeployment],
        env,
      );
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.contain(
        `✗ the stablecoin ${CIRCLE_TESTNET_STABLECOINS["11155111"].USDC} listed in ignition/parameters/sepolia.json5 has no contract code on sepolia, so nothing was deployed: check the address against the issuer's documentation`,
      );
      expect(await sepolia.provider.getTransactionCount(deployer)).to.equal(0);
      // On Sepolia, Circle's USDC and EURC have code at these addresses; a stand-in byte of code
      // plays them here.
      for (const token of Object.values(CIRCLE_TESTNET_STABLECOINS["11155111"])) {
        await sepolia.provider.send("anvil_setCode", [token, "0x00"]);
      }
      const result = await hardhat(
        sepolia,
        ["waybill", "deploy", "--network", "sepolia", "--deployment-id", sepoliaDeployment],
        env,
      );
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.match(
        new RegExp(`Deploying Waybill to sepolia \\(chain 11155111\\) from ${deployer}`, "i"),
      );
      const deployed = (await findDeployment(projectRoot, sepoliaDeployment))!;
      expect(deployed.localStablecoins).to.deep.equal({});
      const escrow = WaybillEscrow__factory.connect(deployed.escrow, sepolia.provider);
      for (const token of Object.values(CIRCLE_TESTNET_STABLECOINS["11155111"])) {
        expect(await escrow.isTokenAllowed(token), token).to.equal(true);
      }
      const passports = ProductPassport__factory.connect(deployed.passports, sepolia.provider);
      expect(await passports.shipmentRegistry()).to.equal(deployed.registry);
    } finally {
      await sepolia.stop();
      await removeDeployment(sepoliaDeployment);
    }
  });

  it("fails in one clear line: unknown order, wrong state, insufficient balance, custom errors, missing keys", async function () {
    expect(await fails("buyer", "buyer", "status", "--order", `0x${"ab".repeat(32)}`)).to.match(
      /unknown order 0xabab/,
    );

    const offer = `${projectRoot}/cache/e2e-errors-${deploymentId}.txt`;
    await ok(
      "merchant",
      "merchant",
      "offer",
      "--price",
      "5000",
      "--details",
      "expensive",
      "--out",
      offer,
    );
    expect(await fails("maker", "buyer", "pay", "--order", offer)).to.match(
      /insufficient balance: you hold 0\.00 USDC, the order costs 5,000\.00 USDC/,
    );
    expect(await fails("buyer", "buyer", "confirm", "--order", offer)).to.match(
      /cannot confirm receipt .* is None/,
    );
    expect(await fails("buyer", "buyer", "review", "--order", offer, "--rating", "9")).to.match(
      /--rating must be a whole number from 1 to 5/,
    );
    expect(await fails("maker", "admin", "fee", "--bps", "50")).to.match(
      new RegExp(`${maker} does not hold the FEE_MANAGER role`),
    );
    expect(
      await fails(
        "buyer",
        "merchant",
        "offer",
        "--token",
        "DOGE",
        "--price",
        "1",
        "--details",
        "x",
      ),
    ).to.match(/unknown token "DOGE"/);

    // Forgetting --network: the line's escrow has no code on Hardhat's in-process chain.
    const wrongNetwork = await hardhat(node, ["buyer", "status", "--order", offer], env);
    expect(wrongNetwork.code).to.not.equal(0);
    expect(wrongNetwork.stderr).to.match(/in-process network forgets everything between commands/);
    const noDeployment = await hardhat(node, [
      "buyer",
      "status",
      "--order",
      `0x${"ab".repeat(32)}`,
      "--network",
      "localhost",
      "--deployment-id",
      "never-deployed",
    ]);
    expect(noDeployment.stderr).to.match(
      /no Waybill deployment "never-deployed" is recorded in ignition\/deployments\//,
    );

    // Nothing configured: no variables in the environment either.
    const noKey = await hardhat(node, ["waybill", "deploy", "--network", "sepolia"], {
      ...(await withoutLocalConfig()),
      SEPOLIA_RPC_URL: undefined,
      WAYBILL_PRIVATE_KEY: undefined,
    });
    expect(noKey.code).to.not.equal(0);
    expect(noKey.stderr).to.match(
      /SEPOLIA_RPC_URL is not set\. Store it with `npx hardhat keystore set SEPOLIA_RPC_URL`/,
    );
  });
});
