import { expect } from "chai";
import { Wallet, ZeroHash } from "ethers";

import { WaybillError, waitForReceipt } from "@waybill/sdk";
import { type RunningNode, startAnvil } from "../e2e/harness.js";

/** Anvil's first development key (public test key). */
const DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
/** Deploys runtime code `PUSH1 0 PUSH1 0 REVERT`: every call to it reverts. */
const ALWAYS_REVERTS = "0x6005600c60003960056000f360006000fd";

describe("sdk: waitForReceipt", function () {
  this.timeout(30_000);
  let node: RunningNode;
  let wallet: Wallet;

  before(async function () {
    node = await startAnvil();
    wallet = new Wallet(DEV_KEY, node.provider);
  });
  /** The next nonce from the node itself (the provider caches a repeated query for 250 ms). */
  const nextNonce = async (): Promise<number> =>
    Number(await node.provider.send("eth_getTransactionCount", [wallet.address, "pending"]));
  after(async function () {
    await node?.stop();
  });

  it("returns the receipt of a mined transaction, on a node that mines nothing after it", async function () {
    const tx = await wallet.sendTransaction({
      to: wallet.address,
      value: 1n,
      nonce: await nextNonce(),
    });
    const receipt = await waitForReceipt(node.provider, tx.hash, { intervalMs: 20 });
    expect(receipt.hash).to.equal(tx.hash);
    expect(receipt.status).to.equal(1);
    // Straight from the node: the provider's own getBlockNumber may answer from its cache.
    expect(receipt.blockNumber).to.equal(Number(await node.provider.send("eth_blockNumber", [])));
  });

  it("fails with TRANSACTION_FAILED, naming the block, when the transaction reverted", async function () {
    const deploy = await wallet.sendTransaction({ data: ALWAYS_REVERTS, nonce: await nextNonce() });
    const target = (await waitForReceipt(node.provider, deploy.hash, { intervalMs: 20 }))
      .contractAddress!;
    // A fixed gas limit skips estimation, so the node mines the reverting call.
    const tx = await wallet.sendTransaction({
      to: target,
      gasLimit: 50_000n,
      nonce: await nextNonce(),
    });
    const error = await waitForReceipt(node.provider, tx.hash, { intervalMs: 20 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(WaybillError);
    const failure = error as WaybillError;
    expect(failure.code).to.equal("TRANSACTION_FAILED");
    const mined = await node.provider.getTransactionReceipt(tx.hash);
    expect(mined?.status).to.equal(0);
    expect(failure.shortMessage).to.equal(
      `transaction ${tx.hash} was mined in block ${mined!.blockNumber} but reverted, so nothing changed`,
    );
  });

  it("gives up with TRANSACTION_PENDING after the time it was given, saying the transaction may still be mined", async function () {
    const unknown = ZeroHash.replace(/0$/, "1");
    const started = Date.now();
    const error = await waitForReceipt(node.provider, unknown, {
      intervalMs: 20,
      timeoutMs: 1_100,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).to.be.at.least(1_100);
    expect(error).to.be.instanceOf(WaybillError);
    expect((error as WaybillError).code).to.equal("TRANSACTION_PENDING");
    expect((error as WaybillError).shortMessage).to.equal(
      `transaction ${unknown} was not mined within 1 second; it may still be, so check it before sending it again`,
    );
  });
});
