/**
 * The indexer against a real Anvil node: the Waybill suite is deployed by Ignition, a merchant
 * lives through a hand-computed scenario (a missed ship-by deadline, a merchant refund, a lost
 * dispute, a late delivery, reviews, a frozen payout; then a financed order partly refunded and
 * settled, a dispute settled by the parties, a proposal voided by an assignment), and every REST
 * route, GraphQL and SQL over HTTP are checked while Ponder indexes in real time over PGlite. A chain reorganisation then
 * drops a payment, and PostgreSQL backfills the same chain from the Ignition record and must
 * answer exactly as PGlite did.
 *
 * Run locally: npx -y -p node@22 -- npm run test:indexer
 * PostgreSQL 15 binaries are expected in /usr/lib/postgresql/15/bin (WAYBILL_PG_BIN to change);
 * as root the cluster runs as the `postgres` user (created if missing). Without the binaries
 * the PostgreSQL test fails and says so.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { ZeroAddress, getAddress, hexlify, id, randomBytes, toBeHex } from "ethers";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import {
  hardhat,
  projectRoot,
  type RunningNode,
  removeDeployment,
  startAnvil,
} from "../../test/e2e/harness.js";
import {
  EventCode,
  FEE,
  HOUR,
  JOURNEY_A,
  JOURNEY_B,
  PRICE,
  UNIT_1,
  UNIT_2,
  UNIT_3,
  deployWaybillWorld,
  type WaybillWorld,
} from "../../test/integration/helpers.js";
import * as sdk from "@waybill/sdk";
import type { IndexedOrder, Offer, TrackRecord } from "@waybill/sdk";
import sdkEscrowAbi from "@waybill/sdk/abi/WaybillEscrow.json" with { type: "json" };
import sdkPassportAbi from "@waybill/sdk/abi/ProductPassport.json" with { type: "json" };
import sdkRegistryAbi from "@waybill/sdk/abi/ShipmentRegistry.json" with { type: "json" };

import { ProductPassportAbi } from "../abis/ProductPassport.js";
import { ShipmentRegistryAbi } from "../abis/ShipmentRegistry.js";
import { WaybillEscrowAbi } from "../abis/WaybillEscrow.js";
import * as names from "../src/names.js";
import { unpackOrderPaid } from "../src/order-paid.js";
import {
  freePort,
  postgresAvailable,
  type RunningIndexer,
  startIndexer,
  startPostgres,
} from "./harness.js";

const DAY = 24n * HOUR;
const hardhatCli = path.join(
  path.dirname(createRequire(import.meta.url).resolve("hardhat/package.json")),
  "dist",
  "src",
  "cli.js",
);
const deploymentId = `indexer-test-${process.pid}`;

/** An order as the indexer's order route answers: the SDK's row plus what only that route adds. */
type OrderJson = IndexedOrder & {
  dispute: { openedBy: string; outcome: string | null } | null;
  review: { rating: number; text: string | null } | null;
  buyerAmount: string | null;
  fee: string | null;
  sellerAmount: string | null;
  history: {
    kind: string;
    status: string;
    actor: string | null;
    details: Record<string, unknown>;
  }[];
  evidence: {
    party: string;
    evidenceHash: string;
    evidenceUri: string;
    text: string;
    submittedAt: number;
    txHash: string;
  }[];
  shipment: { events: { code: string; location: string }[] } | null;
};

interface OrdersPage {
  total: number;
  pages: number;
  page: number;
  orders: OrderJson[];
}

/**
 * Waits until `route` answers a status `accepted` takes: the indexer's /status can run a moment
 * ahead of what its API shows for the newest block.
 */
async function eventually(
  indexer: RunningIndexer,
  route: string,
  accepted: (status: number) => boolean,
): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    const { status } = await indexer.get(route);
    if (accepted(status)) return;
    if (Date.now() > until)
      throw new Error(
        `GET ${route} still answers ${status} after 30 s:\n${indexer.output().slice(-3000)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("Indexer: ABIs and names", function () {
  it("decodes the events of the SDK's ABIs (npm run indexer:abis after npm run sdk:abis)", function () {
    const eventsAndErrors = (abi: readonly unknown[]) =>
      abi.filter((item) => ["event", "error"].includes((item as { type: string }).type));
    expect(WaybillEscrowAbi).to.deep.equal(eventsAndErrors(sdkEscrowAbi));
    expect(ShipmentRegistryAbi).to.deep.equal(eventsAndErrors(sdkRegistryAbi));
    expect(ProductPassportAbi).to.deep.equal(eventsAndErrors(sdkPassportAbi));
  });

  it("unpacks OrderPaid's packed words exactly as the SDK packs them, on random offers", function () {
    const random = (bits: number) =>
      BigInt(`0x${Buffer.from(randomBytes(Math.ceil(bits / 8))).toString("hex")}`) &
      ((1n << BigInt(bits)) - 1n);
    const address = () => getAddress(toBeHex(random(160), 20));
    for (let round = 0; round < 200; round++) {
      const open = round % 2 === 0;
      const buyer = address();
      const offer: Offer = {
        merchant: address(),
        payee: address(),
        buyer: open ? ZeroAddress : buyer,
        token: address(),
        price: random(96),
        detailsHash: hexlify(randomBytes(32)),
        shipWithin: random(32),
        deliverWithin: random(32),
        inspectionPeriod: random(32),
        maxFeeBps: random(16),
        expiry: random(40),
        salt: random(256),
      };
      const feeBps = random(16);
      const [payeeAndPrice, tokenAndPeriods, , , feeTerms] = sdk.orderPaidWords(offer, feeBps);
      const terms = unpackOrderPaid(buyer as names.Hex, payeeAndPrice, tokenAndPeriods, feeTerms);
      expect(terms).to.deep.equal({
        payee: offer.payee,
        price: offer.price,
        token: offer.token,
        shipWithin: Number(offer.shipWithin),
        deliverWithin: Number(offer.deliverWithin),
        inspectionPeriod: Number(offer.inspectionPeriod),
        reservedFor: offer.buyer,
        maxFeeBps: Number(offer.maxFeeBps),
        expiry: offer.expiry,
        feeBps: Number(feeBps),
      });
    }
  });

  it("names statuses, reasons and codes as the SDK does", function () {
    expect(names.ORDER_STATUSES).to.deep.equal(sdk.ORDER_STATUSES);
    expect(names.REFUND_REASONS).to.deep.equal(sdk.REFUND_REASONS);
    expect(names.SHIPMENT_STATUSES).to.deep.equal(sdk.SHIPMENT_STATUSES);
    expect(names.EVENT_CODES).to.deep.equal(sdk.EVENT_CODES);
    expect(names.BURN_REASONS).to.deep.equal(sdk.BURN_REASONS);
    expect(names.SUBJECT_KINDS).to.deep.equal(sdk.SUBJECT_KINDS);
  });
});

describe("Indexer: Ponder over Anvil", function () {
  this.timeout(600_000);

  let node: RunningNode;
  let w: WaybillWorld;
  let indexer: RunningIndexer;
  let connection: NetworkConnection;
  const orders: Record<string, { offer: Offer; orderId: string; shipmentId?: string }> = {};

  /** `merchant reputation <merchant>` against this indexer and the Anvil node. */
  const printReputation = (merchant: string) =>
    hardhat(node, [
      "merchant",
      "reputation",
      merchant,
      "--indexer",
      indexer.url,
      "--network",
      "localhost",
    ]);

  /** The rows of `sql` from the indexer's SQL over HTTP. */
  async function sqlRows<Row>(sql: string): Promise<Row[]> {
    const query = JSON.stringify({ json: { sql, params: [] } });
    const response = await fetch(`${indexer.url}/sql/db?sql=${encodeURIComponent(query)}`);
    expect(response.status, sql).to.equal(200);
    const answer = (await response.json()) as { rows?: Row[]; json?: { rows: Row[] } };
    return answer.rows ?? answer.json!.rows;
  }
  async function latestBlock(): Promise<number> {
    // Straight from the node: no provider-side caching of the block number.
    return Number(await w.ethers.provider.send("eth_blockNumber", []));
  }
  async function synced(): Promise<void> {
    await indexer.waitForBlock(await latestBlock());
  }
  async function pay(name: string, payer = w.buyer) {
    const offer = await w.makeOffer();
    const orderId = await w.payWithPermit(offer, payer);
    orders[name] = { offer, orderId };
    return orders[name];
  }
  async function ship(name: string, passportIds: bigint[] = []) {
    const entry = orders[name]!;
    // One call, as the console ships: the escrow creates the shipment and links it.
    if (passportIds.length !== 0)
      await w.passports.connect(w.merchant).setApprovalForAll(await w.escrow.getAddress(), true);
    await w.escrow.connect(w.merchant).ship(entry.offer, w.newShipment(entry.orderId, passportIds));
    entry.shipmentId = await w.shipmentIdOf(entry.offer);
  }

  before(async function () {
    node = await startAnvil();
    connection = await network.create({ network: "localhost", override: { url: node.url } });
    w = await deployWaybillWorld(connection, { deploymentId });
    // Explicit addresses here; the PostgreSQL run below reads them from the Ignition record.
    indexer = await startIndexer({
      rpcUrl: node.url,
      chainId: Number(w.chainId),
      contracts: {
        escrow: await w.escrow.getAddress(),
        registry: await w.registry.getAddress(),
        passports: await w.passports.getAddress(),
        startBlock: 0,
      },
    });
  });

  after(async function () {
    await indexer?.stop();
    await node?.stop();
    await removeDeployment(deploymentId);
  });

  describe("a merchant's orders, live", function () {
    before(async function () {
      const certifier = w.stranger;
      await w.passports.grantRole(await w.passports.CERTIFIER_ROLE(), certifier.address);
      await w.passports
        .connect(certifier)
        .attestLot(
          w.lotId,
          "0x434f4f0000000000",
          id("certificate of origin"),
          4_000_000_000,
          "ipfs://coo",
        );

      // A: delivered on time with two passports, confirmed, reviewed 5; fees withdrawn.
      await pay("A");
      await ship("A", [UNIT_1, UNIT_2]);
      await w.recordJourney(orders.A!.shipmentId!);
      await w.escrow.markDelivered(orders.A!.offer);
      await w.escrow.connect(w.buyer).confirmReceipt(orders.A!.offer);
      await w.escrow.connect(w.buyer).review(orders.A!.offer, 5, "great vases");
      await w.escrow.withdrawFees(await w.usdc.getAddress());

      // C: shipped, then refunded by the merchant.
      await pay("C");
      await ship("C");
      await w.escrow.connect(w.merchant).refund(orders.C!.offer);

      // D: delivered on time, disputed by the buyer with evidence; the arbiter refunds it all.
      await pay("D");
      await ship("D");
      await w.recordJourney(orders.D!.shipmentId!);
      await w.escrow.connect(w.buyer).openDispute(orders.D!.offer);
      await w.escrow
        .connect(w.buyer)
        .submitEvidence(orders.D!.offer, id("photos"), "ipfs://photos", "");
      await w.escrow.connect(w.admin).resolveDispute(orders.D!.offer, PRICE);
      await w.escrow.connect(w.buyer).review(orders.D!.offer, 2, "arrived broken");

      // E: delivered on time while the payee is frozen: the payout is credited, then withdrawn.
      await pay("E");
      await ship("E");
      await w.recordJourney(orders.E!.shipmentId!);
      await w.escrow.markDelivered(orders.E!.offer);
      await w.usdc.blocklist(w.payee.address);
      await w.escrow.connect(w.buyer).confirmReceipt(orders.E!.offer);
      await w.usdc.unblocklist(w.payee.address);
      // Anyone may push a credited payout to its owner once the address can receive again.
      await w.escrow.connect(w.keeper).pushCredit(await w.usdc.getAddress(), w.payee.address);
      await w.escrow.connect(w.buyer).review(orders.E!.offer, 4, "fine");

      // B misses its ship-by deadline and is refunded; G is delivered after its deliver-by one.
      await pay("B");
      await pay("G");
      await ship("G");
      await connection.networkHelpers.time.increase(4n * DAY);
      await w.escrow.connect(w.buyer).claimRefund(orders.B!.offer);
      await connection.networkHelpers.time.increase(27n * DAY);
      await w.recordJourney(orders.G!.shipmentId!);
      await w.escrow.connect(w.buyer).confirmReceipt(orders.G!.offer);

      // F: paid just now, within its deadlines: open, neither late nor on time yet.
      await pay("F");

      // The buyer reports a vase stolen and clears it; the manufacturer recalls the lot.
      await w.passports.connect(w.buyer).reportStolen(UNIT_1);
      await w.passports.connect(w.buyer).clearStolen(UNIT_1);
      // A theft registrar flags it on a victim's report, and the admin clears the flag.
      await w.passports
        .connect(w.admin)
        .grantRole(await w.passports.THEFT_REGISTRAR_ROLE(), w.keeper.address);
      await w.passports.connect(w.keeper).flagStolen(UNIT_1, id("police report 2026-118"));
      await w.passports.connect(w.admin).clearStolen(UNIT_1);
      await w.passports.connect(w.manufacturer).recallLot(w.lotId, id("recall notice 12"));
      await synced();
      await eventually(indexer, `/orders/${orders.F!.orderId}`, (status) => status === 200);
    });

    it("indexes an order with its full terms, history and shipment timeline", async function () {
      const { status, body } = await indexer.get<OrderJson>(`/orders/${orders.A!.orderId}`);
      expect(status).to.equal(200);
      const offer = orders.A!.offer;
      expect(body.status).to.equal("Released");
      expect(body.merchant).to.equal(w.merchant.address);
      expect(body.buyer).to.equal(w.buyer.address);
      expect(body.token).to.equal(await w.usdc.getAddress());
      expect(body.price).to.equal(PRICE.toString());
      expect(body.shipWithin).to.equal(Number(offer.shipWithin));
      expect(body.deliverWithin).to.equal(Number(offer.deliverWithin));
      expect(body.inspectionPeriod).to.equal(Number(offer.inspectionPeriod));
      expect(body.maxFeeBps).to.equal(Number(offer.maxFeeBps));
      expect(body.feeBps).to.equal(Number((await w.escrow.config()).feeBps));
      expect(body.payee).to.equal(offer.payee);
      expect(body.reservedFor).to.equal(offer.buyer);
      expect(body.expiry).to.equal(Number(offer.expiry));
      expect(body.salt).to.equal(offer.salt.toString());
      expect(body.detailsHash).to.equal(offer.detailsHash);
      expect(body.shipBy).to.equal(body.paidAt + Number(offer.shipWithin));
      expect(body.deliverBy).to.equal(body.paidAt + Number(offer.deliverWithin));
      expect(body.sellerAmount).to.equal((PRICE - FEE).toString());
      expect(body.review).to.include({ rating: 5, text: "great vases" });
      expect(body).to.include({ refunded: "0", held: "0", payoutHolder: null });
      expect(body.proposal).to.equal(null);
      expect(body.settlement).to.equal(null);
      expect(body.nextDeadline).to.equal(null);
      expect(body.history.map((event) => event.kind)).to.deep.equal([
        "Paid",
        "Shipped",
        "Delivered",
        "Released",
        "PassportHandedOver",
        "PassportHandedOver",
        "Reviewed",
      ]);
      expect(body.shipment?.events.map((event) => event.code)).to.deep.equal(
        [...JOURNEY_A, ...JOURNEY_B].map((step) => Object.keys(EventCode)[step.code]),
      );
    });

    it("keeps disputes, evidence and rulings", async function () {
      const { body } = await indexer.get<OrderJson>(`/orders/${orders.D!.orderId}`);
      expect(body.status).to.equal("Resolved");
      expect(body.dispute?.openedBy).to.equal(w.buyer.address);
      expect(body.dispute?.outcome).to.equal("BuyerWon");
      expect(body.evidence).to.have.length(1);
      expect(body.evidence[0]).to.include({
        party: w.buyer.address,
        evidenceHash: id("photos"),
        evidenceUri: "ipfs://photos",
        text: "",
      });
      expect(body.history.map((event) => event.kind)).to.include.members([
        "Disputed",
        "Evidence",
        "Resolved",
      ]);
    });

    it("lists a merchant's orders by status, newest first, in pages", async function () {
      const base = `/merchants/${w.merchant.address}/orders`;
      const all = await indexer.get<OrdersPage>(`${base}?pageSize=3`);
      expect(all.body.total).to.equal(7);
      expect(all.body.pages).to.equal(3);
      expect(all.body.orders.map((order) => order.id)).to.deep.equal(
        [orders.F, orders.G, orders.B].map((entry) => entry!.orderId),
      );
      const third = await indexer.get<OrdersPage>(`${base}?pageSize=3&page=3`);
      expect(third.body.orders.map((order) => order.id)).to.deep.equal([orders.A!.orderId]);

      const open = await indexer.get<OrdersPage>(`${base}?status=open`);
      expect(open.body.orders.map((order) => order.id)).to.deep.equal([orders.F!.orderId]);
      expect(open.body.orders[0]!.nextDeadline).to.deep.equal({
        kind: "shipBy",
        at: open.body.orders[0]!.shipBy,
        action: "merchant ships",
      });
      const refunded = await indexer.get<OrdersPage>(`${base.toLowerCase()}?status=Refunded`);
      expect(refunded.body.orders.map((order) => [order.id, order.refundReason])).to.deep.equal([
        [orders.B!.orderId, "NotShippedInTime"],
        [orders.C!.orderId, "MerchantCancelled"],
      ]);
      const nobody = await indexer.get<OrdersPage>(`/merchants/${w.stranger.address}/orders`);
      expect(nobody.body.total).to.equal(0);
    });

    it("rejects malformed parameters and answers 404 for unknown ids", async function () {
      const bad = await indexer.get<{ error: string }>(
        `/merchants/${w.merchant.address}/orders?status=Lost`,
      );
      expect(bad.status).to.equal(400);
      expect(bad.body.error).to.match(/unknown status "Lost"/);
      expect((await indexer.get(`/merchants/0x1234/orders`)).status).to.equal(400);
      expect(
        (await indexer.get(`/merchants/${w.merchant.address}/orders?pageSize=1000`)).status,
      ).to.equal(400);
      expect((await indexer.get(`/orders/0x1234`)).status).to.equal(400);
      expect((await indexer.get(`/orders/${id("no such order")}`)).status).to.equal(404);
      expect((await indexer.get(`/shipments/${id("no such shipment")}`)).status).to.equal(404);
      expect((await indexer.get(`/passports/12345`)).status).to.equal(404);
      expect((await indexer.get(`/passports/vase`)).status).to.equal(400);
    });

    it("tells a cancelled offer apart from an unknown one", async function () {
      const offer = await w.makeOffer();
      await w.escrow.connect(w.merchant).cancelOffer(offer);
      await synced();
      await eventually(indexer, `/orders/${await w.orderIdOf(offer)}`, (status) => status === 200);
      const { status, body } = await indexer.get<{ status: string; merchant: string }>(
        `/orders/${await w.orderIdOf(offer)}`,
      );
      expect(status).to.equal(200);
      expect(body).to.include({ status: "Cancelled", merchant: w.merchant.address });
    });

    it("serves a shipment's timeline with places, times and carriers", async function () {
      const { status, body } = await indexer.get<{
        status: string;
        origin: string;
        destination: string;
        carrier: string;
        events: {
          code: string;
          location: string;
          occurredAt: number;
          nextCarrier: string | null;
        }[];
      }>(`/shipments/${orders.G!.shipmentId}`);
      expect(status).to.equal(200);
      expect(body).to.include({ status: "Delivered", origin: "CNSHA", destination: "DEHAM" });
      expect(body.carrier).to.equal(w.carrierB.address);
      const handOver = body.events.find((event) => event.code === "HandedOver");
      expect(handOver?.nextCarrier).to.equal(w.carrierB.address);
      const times = body.events.map((event) => event.occurredAt);
      expect(times).to.deep.equal([...times].sort((a, b) => a - b));
    });

    it("tells a passport's history: mint, shipment, custody, hand-over, stolen flag, recall, certificates", async function () {
      const { status, body } = await indexer.get<{
        owner: string;
        status: string;
        heldForOrder: string | null;
        lot: { lotNumber: string; originCountry: string; recalled: boolean; gtin: string };
        certificates: { kind: string; certType: string; current: boolean }[];
        history: { kind: string; orderId: string | null; shipmentId: string | null }[];
      }>(`/passports/${UNIT_1}`);
      expect(status).to.equal(200);
      expect(body.owner).to.equal(w.buyer.address);
      expect(body.status).to.equal("Active");
      expect(body.heldForOrder).to.equal(null);
      expect(body.lot).to.include({
        lotNumber: "LOT-2026-11",
        originCountry: "DE",
        recalled: true,
      });
      expect(body.certificates).to.have.length(1);
      expect(body.certificates[0]).to.include({ kind: "Lot", certType: "COO", current: true });
      expect(body.history.map((event) => event.kind)).to.deep.equal([
        "Minted",
        "Shipped",
        "HeldInEscrow",
        "Transferred",
        "HandedOver",
        "StolenReported",
        "StolenCleared",
        "StolenFlagged",
        "StolenCleared",
      ]);
      expect(body.history.find((event) => event.kind === "HandedOver")?.orderId).to.equal(
        orders.A!.orderId,
      );
      expect(body.history.find((event) => event.kind === "Shipped")?.shipmentId).to.equal(
        orders.A!.shipmentId,
      );
      // The third unit never travelled.
      const unshipped = await indexer.get<{ owner: string; history: unknown[] }>(
        `/passports/${UNIT_3}`,
      );
      expect(unshipped.body.owner).to.equal(w.merchant.address);
      expect(unshipped.body.history).to.have.length(1);
    });

    it("computes the track record from events, matching the hand-computed scenario", async function () {
      const { status, body } = await indexer.get<Record<string, unknown>>(
        `/merchants/${w.merchant.address}/track-record`,
      );
      expect(status).to.equal(200);
      const first = await indexer.get<OrderJson>(`/orders/${orders.A!.orderId}`);
      const last = await indexer.get<OrderJson>(`/orders/${orders.F!.orderId}`);
      const { asOf, ...record } = body;
      expect(asOf).to.be.a("number");
      expect(record).to.deep.equal({
        merchant: w.merchant.address,
        hasHistory: true,
        // A, B, C, D, E, F, G; F is still Paid.
        orders: { total: 7, open: 1, completed: 3, refunded: 2, resolved: 1, settled: 0 },
        // Shipped by their ship-by deadline: A, C, D, E, G. Missed: B. F is not due yet.
        shipping: { due: 6, onTime: 5, missed: 1, onTimeRate: 0.8333 },
        // Delivered by their deliver-by deadline: A, D, E. G arrived after its deadline.
        delivery: { due: 4, onTime: 3, late: 1, failed: 0, onTimeRate: 0.75 },
        refunds: {
          total: 2,
          partial: 0,
          byReason: {
            MerchantCancelled: 1,
            NotShippedInTime: 1,
            ShipmentFailed: 0,
            NotDeliveredInTime: 0,
          },
        },
        disputes: {
          opened: 1,
          openedByBuyer: 1,
          openedByMerchant: 0,
          pending: 0,
          buyerWon: 1,
          merchantWon: 0,
          split: 0,
          defaultRuling: 0,
          settled: 0,
        },
        // 5 (A), 2 (D), 4 (E): G was confirmed before its delivery was recorded, so it cannot be rated.
        ratings: {
          count: 3,
          average: 3.67,
          distribution: { "1": 0, "2": 1, "3": 0, "4": 1, "5": 1 },
        },
        volume: [
          {
            token: await w.usdc.getAddress(),
            orders: 7,
            paid: (7n * PRICE).toString(),
            // A, E, G paid out less the fee; D's buyer got everything back.
            releasedToMerchant: (3n * (PRICE - FEE)).toString(),
            // B, C refunded, D ruled for the buyer.
            refundedToBuyers: (3n * PRICE).toString(),
          },
        ],
        firstOrderAt: first.body.paidAt,
        lastOrderAt: last.body.paidAt,
      });
    });

    it("prints the track record with `merchant reputation <address>`", async function () {
      const result = await printReputation(w.merchant.address);
      expect(result.code, result.stderr).to.equal(0);
      const text = result.stdout;
      expect(text).to.contain(`Track record of ${w.merchant.address}`);
      expect(text).to.contain("7 orders: 3 completed, 1 open, 2 refunded, 1 settled by a ruling");
      expect(text).to.contain(
        "Shipping    83.3% on time (5 of 6 due; 1 missed the ship-by deadline)",
      );
      expect(text).to.contain("Delivery    75.0% on time (3 of 4 due; 1 late, 0 lost or returned)");
      expect(text).to.contain("Refunds     2: 1 refunded by the merchant, 1 not shipped in time");
      expect(text).to.contain("1 opened (1 by buyers, 0 by the merchant): 1 refunded in full");
      expect(text).to.contain("Ratings     3.67 / 5 from 3 reviews (5★ 1, 4★ 1, 3★ 0, 2★ 1, 1★ 0)");
      expect(text).to.contain(
        "Volume      175.00 USDC over 7 orders; 74.25 USDC paid out, 75.00 USDC returned to buyers",
      );

      const fresh = await hardhat(node, [
        "merchant",
        "reputation",
        w.stranger.address,
        "--indexer",
        indexer.url,
      ]);
      expect(fresh.code, fresh.stderr).to.equal(0);
      expect(fresh.stdout).to.contain("No history yet");

      const down = await hardhat(node, [
        "merchant",
        "reputation",
        w.stranger.address,
        "--indexer",
        "http://127.0.0.1:9",
      ]);
      expect(down.code).to.equal(1);
      expect(down.stderr).to.contain("✗ no indexer answers at http://127.0.0.1:9");
    });

    it("says a new merchant has no history yet", async function () {
      const { body } = await indexer.get<{
        hasHistory: boolean;
        ratings: { average: number | null };
      }>(`/merchants/${w.stranger.address}/track-record`);
      expect(body.hasHistory).to.equal(false);
      expect(body.ratings.average).to.equal(null);
    });

    it("answers GraphQL and SQL over HTTP", async function () {
      const response = await fetch(`${indexer.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: `{ orders(where: { merchant: "${w.merchant.address}", status: "Refunded" }) { items { id refundReason } } }`,
        }),
      });
      const graph = (await response.json()) as {
        data: { orders: { items: { refundReason: string }[] } };
      };
      expect(graph.data.orders.items.map((item) => item.refundReason).sort()).to.deep.equal([
        "MerchantCancelled",
        "NotShippedInTime",
      ]);
      const query = JSON.stringify({
        json: {
          sql: "SELECT count(*)::int AS n FROM escrow_order WHERE status = 'Released'",
          params: [],
        },
      });
      const sql = await fetch(`${indexer.url}/sql/db?sql=${encodeURIComponent(query)}`);
      expect(sql.status).to.equal(200);
      expect(JSON.stringify(await sql.json())).to.contain('"n":3');
    });

    it("keeps credits and fees per token", async function () {
      const query = JSON.stringify({
        json: {
          sql: "SELECT account, credited::text, withdrawn::text, balance::text FROM credit",
          params: [],
        },
      });
      const credits = JSON.stringify(
        await (await fetch(`${indexer.url}/sql/db?sql=${encodeURIComponent(query)}`)).json(),
      );
      expect(credits).to.contain(w.payee.address.toLowerCase());
      expect(credits).to.contain(`"${(PRICE - FEE).toString()}"`);
      // E's credit was pushed out whole: nothing is left to withdraw.
      const payee = await sqlRows<{ credited: string; withdrawn: string; balance: string }>(
        `SELECT credited::text, withdrawn::text, balance::text FROM credit WHERE account = '${w.payee.address.toLowerCase()}'`,
      );
      expect(payee).to.deep.equal([
        {
          credited: (PRICE - FEE).toString(),
          withdrawn: (PRICE - FEE).toString(),
          balance: "0",
        },
      ]);
      const movements = await sqlRows<{ kind: string; to: string }>(
        `SELECT kind, "to" FROM credit_movement WHERE account = '${w.payee.address.toLowerCase()}' ORDER BY timestamp, id`,
      );
      expect(movements.map((movement) => movement.kind)).to.deep.equal(["Credited", "Pushed"]);
      expect(movements[1]!.to).to.equal(w.payee.address.toLowerCase());
      const fees = JSON.stringify(
        await (
          await fetch(
            `${indexer.url}/sql/db?sql=${encodeURIComponent(
              JSON.stringify({
                json: {
                  sql: "SELECT fees_accrued::text, fees_withdrawn::text FROM stablecoin WHERE fees_accrued > 0",
                  params: [],
                },
              }),
            )}`,
          )
        ).json(),
      );
      // A, E and G paid the 1% fee; A's was withdrawn before E and G settled.
      expect(fees).to.contain(`"${(3n * FEE).toString()}"`);
      expect(fees).to.contain(`"${FEE.toString()}"`);
    });

    it("keeps the deployment's settings: plain stablecoins and the registry's escrow", async function () {
      const coins = await sqlRows<{ id: string; allowed: boolean; plain: boolean }>(
        "SELECT id, allowed, plain FROM stablecoin ORDER BY id",
      );
      expect(coins.map((coin) => coin.id)).to.include((await w.usdc.getAddress()).toLowerCase());
      // The Ignition module allow-lists its stablecoins and flags them plain.
      for (const coin of coins) expect(coin, coin.id).to.include({ allowed: true, plain: true });
      expect(
        await sqlRows<{ escrow: string }>("SELECT escrow FROM registry_settings"),
      ).to.deep.equal([{ escrow: (await w.escrow.getAddress()).toLowerCase() }]);
    });
  });

  describe("escrow v2: partial refunds, assigned payouts, settlements and texts", function () {
    const USDC = 1_000_000n;
    const feeOn = (amount: bigint) => (amount * 100n) / 10_000n;
    const reviewText = "Settled fairly: 15 USDC back for the chipped bowl. Würde wieder kaufen 👍";
    const evidenceText = "The bowl arrived chipped; photos of the box and the bowl attached.";
    let recordBefore: TrackRecord;
    let keeperBefore: bigint;

    before(async function () {
      recordBefore = (
        await indexer.get<TrackRecord>(`/merchants/${w.merchant.address}/track-record`)
      ).body;
      keeperBefore = await w.usdc.balanceOf(w.keeper.address);

      // H: 5 USDC refunded, the payout assigned to a financier, who proposes 12 USDC for the
      // buyer out of the 20 held; the buyer accepts: the financier gets 8 less the fee.
      const H = await pay("H");
      await w.escrow.connect(w.merchant).partialRefund(H.offer, 5n * USDC);
      await w.escrow.connect(w.payee).assignPayout(H.offer, w.keeper.address);
      await w.escrow.connect(w.keeper).proposeSettlement(H.offer, 12n * USDC);
      await w.escrow.connect(w.buyer).acceptSettlement(H.offer, 12n * USDC);

      // I: delivered and disputed with the buyer's words; the buyer's proposal is withdrawn and
      // a signed one revoked; the merchant's 15 USDC is accepted before any ruling; reviewed.
      await pay("I");
      await ship("I");
      await w.recordJourney(orders.I!.shipmentId!);
      await w.escrow.markDelivered(orders.I!.offer);
      await w.escrow.connect(w.buyer).openDispute(orders.I!.offer);
      await w.escrow
        .connect(w.buyer)
        .submitEvidence(orders.I!.offer, id(evidenceText), "ipfs://bowl", evidenceText);
      await w.escrow.connect(w.buyer).proposeSettlement(orders.I!.offer, PRICE);
      await w.escrow.connect(w.buyer).withdrawSettlement(orders.I!.offer);
      const deadline = (await w.now()) + DAY;
      await w.escrow
        .connect(w.buyer)
        .cancelSettlementSignature(orders.I!.offer, 20n * USDC, deadline);
      await w.escrow.connect(w.merchant).proposeSettlement(orders.I!.offer, 15n * USDC);
      await w.escrow.connect(w.buyer).acceptSettlement(orders.I!.offer, 15n * USDC);
      await w.escrow.connect(w.buyer).review(orders.I!.offer, 3, reviewText);

      // J: open; the merchant's proposal is void once the payee assigns the payout.
      const J = await pay("J");
      await w.escrow.connect(w.merchant).proposeSettlement(J.offer, 20n * USDC);
      await w.escrow.connect(w.payee).assignPayout(J.offer, w.keeper.address);

      // K: the buyer's proposal is left open, then the buyer confirms receipt instead.
      const K = await pay("K");
      await w.escrow.connect(w.buyer).proposeSettlement(K.offer, 10n * USDC);
      await w.escrow.connect(w.buyer).confirmReceipt(K.offer);
      await synced();
      await eventually(indexer, `/orders/${K.orderId}`, (status) => status === 200);
    });

    it("keeps a financed, partly refunded order settled by the parties", async function () {
      const { body } = await indexer.get<OrderJson>(`/orders/${orders.H!.orderId}`);
      const sellerPart = 8n * USDC;
      expect(body).to.include({
        status: "Resolved",
        refunded: (5n * USDC).toString(),
        held: "0",
        payoutHolder: w.keeper.address,
        buyerAmount: (12n * USDC).toString(),
        sellerAmount: (sellerPart - feeOn(sellerPart)).toString(),
        fee: feeOn(sellerPart).toString(),
      });
      expect(body.proposal).to.equal(null);
      expect(body.dispute).to.equal(null);
      expect(body.settlement).to.deep.include({
        proposer: w.keeper.address,
        acceptor: w.buyer.address,
        outcome: "Split",
      });
      expect(body.history.map((event) => event.kind)).to.deep.equal([
        "Paid",
        "PartialRefund",
        "PayoutAssigned",
        "SettlementProposed",
        "Settled",
      ]);
      expect(body.history[1]!.details).to.deep.equal({
        amount: (5n * USDC).toString(),
        totalRefunded: (5n * USDC).toString(),
      });
      expect(body.history[2]!.details).to.deep.equal({
        from: w.payee.address,
        to: w.keeper.address,
      });
      // The chain agrees: the financier was paid the seller part less the fee.
      expect(await w.usdc.balanceOf(w.keeper.address)).to.equal(
        keeperBefore + sellerPart - feeOn(sellerPart),
      );
      const [holder, refunded] = await w.escrow.orderExtrasOf(orders.H!.orderId);
      expect([holder, refunded]).to.deep.equal([w.keeper.address, 5n * USDC]);
    });

    it("keeps a dispute the parties settled, with the evidence's and the review's texts", async function () {
      const { body } = await indexer.get<OrderJson>(`/orders/${orders.I!.orderId}`);
      expect(body.status).to.equal("Resolved");
      expect(body.dispute).to.include({ openedBy: w.buyer.address, outcome: "Settled" });
      expect(body.settlement).to.deep.include({
        proposer: w.merchant.address,
        acceptor: w.buyer.address,
        outcome: "Split",
      });
      expect(body.evidence).to.have.length(1);
      expect(body.evidence[0]).to.include({
        party: w.buyer.address,
        evidenceHash: id(evidenceText),
        evidenceUri: "ipfs://bowl",
        text: evidenceText,
      });
      expect(body.review).to.include({ rating: 3, text: reviewText });
      const kinds = body.history.map((event) => event.kind);
      expect(kinds.slice(kinds.indexOf("Disputed"))).to.deep.equal([
        "Disputed",
        "Evidence",
        "SettlementProposed",
        "SettlementWithdrawn",
        "SettlementSignatureRevoked",
        "SettlementProposed",
        "Settled",
        "Reviewed",
      ]);
      const revoked = body.history.find((event) => event.kind === "SettlementSignatureRevoked")!;
      expect(revoked.actor).to.equal(w.buyer.address);
      expect(revoked.details.buyerAmount).to.equal((20n * USDC).toString());
    });

    it("shows an open order's proposal as void once the payout was assigned", async function () {
      const { body } = await indexer.get<OrderJson>(`/orders/${orders.J!.orderId}`);
      expect(body).to.include({
        status: "Paid",
        held: PRICE.toString(),
        refunded: "0",
        payoutHolder: w.keeper.address,
      });
      expect(body.proposal).to.deep.include({
        proposer: w.merchant.address,
        by: "sellerSide",
        buyerAmount: (20n * USDC).toString(),
        valid: false,
      });
      // The escrow's own view agrees: a void proposal reads as none.
      const [proposer, buyerAmount] = await w.escrow.settlementOf(orders.J!.orderId);
      expect([proposer, buyerAmount]).to.deep.equal([ZeroAddress, 0n]);
    });

    it("drops a proposal when the order ends another way", async function () {
      const { body } = await indexer.get<OrderJson>(`/orders/${orders.K!.orderId}`);
      expect(body).to.include({ status: "Released", held: "0" });
      expect(body.proposal).to.equal(null);
      expect(body.settlement).to.equal(null);
      expect(body.history.map((event) => event.kind)).to.deep.equal([
        "Paid",
        "SettlementProposed",
        "Released",
      ]);
    });

    it("lists a merchant's reviews with their texts, newest first", async function () {
      const { status, body } = await indexer.get<{
        total: number;
        reviews: { orderId: string; buyer: string; rating: number; text: string }[];
      }>(`/merchants/${w.merchant.address}/reviews`);
      expect(status).to.equal(200);
      expect(body.total).to.equal(4);
      expect(
        body.reviews.map((review) => [review.orderId, review.rating, review.text]),
      ).to.deep.equal([
        [orders.I!.orderId, 3, reviewText],
        [orders.E!.orderId, 4, "fine"],
        [orders.D!.orderId, 2, "arrived broken"],
        [orders.A!.orderId, 5, "great vases"],
      ]);
      expect(body.reviews[0]!.buyer).to.equal(w.buyer.address);
      const none = await indexer.get<{ total: number }>(`/merchants/${w.stranger.address}/reviews`);
      expect(none.body.total).to.equal(0);
      expect((await indexer.get(`/merchants/0x12/reviews`)).status).to.equal(400);
    });

    it("counts settlements apart from rulings in the track record", async function () {
      const { body } = await indexer.get<TrackRecord>(
        `/merchants/${w.merchant.address}/track-record`,
      );
      // H and I were settled by agreement, not by a ruling; J is open; K was released.
      expect(body.orders).to.deep.equal({
        ...recordBefore.orders,
        total: recordBefore.orders.total + 4,
        open: recordBefore.orders.open + 1,
        completed: recordBefore.orders.completed + 1,
        settled: recordBefore.orders.settled + 2,
      });
      // I's dispute ended in a settlement: neither won nor lost.
      expect(body.disputes).to.deep.equal({
        ...recordBefore.disputes,
        opened: recordBefore.disputes.opened + 1,
        openedByBuyer: recordBefore.disputes.openedByBuyer + 1,
        settled: recordBefore.disputes.settled + 1,
      });
      expect(body.refunds).to.deep.equal({
        ...recordBefore.refunds,
        partial: recordBefore.refunds.partial + 1,
      });
      const [volume] = body.volume;
      const [previous] = recordBefore.volume;
      // Returned: H's 5 partly refunded and 12 settled, I's 15; paid out: the seller parts of H
      // and I and K's price, each less its fee.
      expect(BigInt(volume!.refundedToBuyers)).to.equal(
        BigInt(previous!.refundedToBuyers) + 32n * USDC,
      );
      expect(BigInt(volume!.releasedToMerchant)).to.equal(
        BigInt(previous!.releasedToMerchant) +
          (8n * USDC - feeOn(8n * USDC)) +
          (10n * USDC - feeOn(10n * USDC)) +
          (PRICE - FEE),
      );
      expect(body.ratings.count).to.equal(recordBefore.ratings.count + 1);

      const printed = await printReputation(w.merchant.address);
      expect(printed.code, printed.stderr).to.equal(0);
      const o = body.orders;
      expect(printed.stdout).to.contain(
        `${o.total} orders: ${o.completed} completed, ${o.open} open, ${o.refunded} refunded, ` +
          `${o.resolved} settled by a ruling, ${o.settled} settled by agreement`,
      );
      expect(printed.stdout).to.contain(
        `; ${body.refunds.partial} order${body.refunds.partial === 1 ? "" : "s"} partly refunded before the end`,
      );
      expect(printed.stdout).to.contain(
        `${body.disputes.settled} settled by the parties, ${body.disputes.pending} awaiting a ruling`,
      );
    });
  });

  describe("a chain reorganisation", function () {
    it("drops a reorged-out payment from the API and keeps indexing the new chain", async function () {
      const { orderId } = await pay("reorged");
      await synced();
      await eventually(indexer, `/orders/${orderId}`, (status) => status === 200);

      // Replace the block holding the payment with an empty one, then extend the new chain.
      await w.ethers.provider.send("anvil_reorg", [1, []]);
      await w.ethers.provider.send("evm_mine", []);
      await w.ethers.provider.send("evm_mine", []);
      await eventually(indexer, `/orders/${orderId}`, (status) => status === 404);
      expect((await w.escrow.getOrder(orderId)).status).to.equal(0n);

      const { orderId: after } = await pay("after reorg");
      await synced();
      await eventually(indexer, `/orders/${after}`, (status) => status === 200);
    });
  });

  describe("npm run indexer", function () {
    it("runs the indexer alone from the deployment record, PGlite in a new folder, and says what it indexes", async function () {
      const port = await freePort();
      const pgliteDir = await mkdtemp(path.join(tmpdir(), "waybill-indexer-cmd-"));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        // A folder that does not exist yet: the config creates it (PGlite would not).
        WAYBILL_PGLITE_DIR: path.join(pgliteDir, "not", "yet", "there"),
        FORCE_COLOR: "0",
      };
      delete env.HH_TEST;
      delete env.DATABASE_URL;
      const child = spawn(
        process.execPath,
        [
          hardhatCli,
          "indexer",
          "--network",
          "localhost",
          "--rpc",
          node.url,
          "--deployment-id",
          deploymentId,
          "--port",
          String(port),
        ],
        { cwd: projectRoot, env, stdio: ["ignore", "pipe", "pipe"], detached: true },
      );
      let printed = "";
      child.stdout.on("data", (chunk: Buffer) => (printed += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (printed += chunk.toString()));
      try {
        const until = Date.now() + 120_000;
        for (;;) {
          if (child.exitCode !== null) throw new Error(`the command exited early:\n${printed}`);
          const ready = await fetch(`http://127.0.0.1:${port}/ready`).then(
            (r) => r.status,
            () => 0,
          );
          if (ready === 200) break;
          if (Date.now() > until) throw new Error(`not ready within 120 s:\n${printed}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(printed).to.contain(
          `→ Indexing Waybill on localhost (chain ${w.chainId}) through ${node.url}`,
        );
        expect(printed).to.contain(`escrow ${await w.escrow.getAddress()}`);
        expect(printed).to.contain(`found in Ignition deployment ${deploymentId}`);
        expect(existsSync(path.join(pgliteDir, "not", "yet", "there"))).to.equal(true);
        // Blocks within the finality window are indexed live, just after /ready.
        const live = await indexer.get<OrdersPage>(`/merchants/${w.merchant.address}/orders`);
        const route = `http://127.0.0.1:${port}/merchants/${w.merchant.address}/orders`;
        const caughtUp = Date.now() + 30_000;
        let alone = (await (await fetch(route)).json()) as OrdersPage;
        while (alone.total !== live.body.total && Date.now() < caughtUp) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          alone = (await (await fetch(route)).json()) as OrdersPage;
        }
        expect(alone.total).to.equal(live.body.total);
      } finally {
        if (child.exitCode === null && child.pid !== undefined) {
          const exited = new Promise((resolve) => child.once("exit", resolve));
          process.kill(-child.pid, "SIGTERM");
          await exited;
        }
        await rm(pgliteDir, { recursive: true, force: true });
      }
    });

    it("refuses a chain it has no deployment for, in one sentence", async function () {
      const result = await hardhat(node, [
        "indexer",
        "--network",
        "localhost",
        "--rpc",
        node.url,
        "--deployment-id",
        "no-such-deployment",
      ]);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.match(
        /✗ Waybill is not deployed on chain 31337 as far as this project knows/,
      );
    });
  });

  describe("PostgreSQL", function () {
    it("backfills the same chain from the Ignition record and answers exactly as PGlite", async function () {
      if (!postgresAvailable())
        throw new Error(
          "PostgreSQL 15 binaries are missing: install postgresql-15 or set WAYBILL_PG_BIN",
        );
      const postgres = await startPostgres();
      let backfilled: RunningIndexer | undefined;
      try {
        backfilled = await startIndexer({
          rpcUrl: node.url,
          chainId: Number(w.chainId),
          deploymentId,
          databaseUrl: postgres.url,
        });
        await backfilled.waitForBlock(await latestBlock());
        await synced();
        const routes = [
          `/merchants/${w.merchant.address}/track-record`,
          `/merchants/${w.merchant.address}/orders?pageSize=100`,
          `/orders/${orders.D!.orderId}`,
          `/orders/${orders.H!.orderId}`,
          `/orders/${orders.I!.orderId}`,
          `/orders/${orders.J!.orderId}`,
          `/merchants/${w.merchant.address}/reviews`,
          `/shipments/${orders.A!.shipmentId}`,
          `/passports/${UNIT_2}`,
        ];
        for (const route of routes) {
          const [fromPglite, fromPostgres] = await Promise.all([
            indexer.get(route),
            backfilled.get(route),
          ]);
          expect(fromPostgres.status, route).to.equal(200);
          expect(fromPostgres.body, route).to.deep.equal(fromPglite.body);
        }
      } finally {
        await backfilled?.stop();
        await postgres.stop();
      }
    });
  });
});
