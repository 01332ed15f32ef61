/**
 * The v2 commands' refusals that need no chain: each is one sentence, printed before the
 * command opens a network or a key, so nothing is sent. The flows themselves run against a
 * real node in test/e2e/cli-lifecycle.ts.
 */
import { expect } from "chai";
import hre from "hardhat";

import { encodeSettlementLine } from "@waybill/sdk";
import { review } from "../../tasks/actions/buyer.js";
import { evidence, partialRefund } from "../../tasks/actions/merchant.js";
import { type SettleArgs, settleAs } from "../../tasks/actions/settle.js";
import type { Output } from "../../tasks/lib/cli.js";

function recorder(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, line: (t) => lines.push(t), error: (t) => errors.push(t) };
}

const settleArgs = (overrides: Partial<SettleArgs>): SettleArgs => ({
  account: -1,
  deploymentId: "",
  order: `0x${"ab".repeat(32)}`,
  buyerAmount: "",
  accept: false,
  withdraw: false,
  sign: false,
  valid: "3d",
  out: "",
  signature: "",
  revoke: "",
  ...overrides,
});

/** Runs a command with a recorder and returns its one error line; it must print nothing else. */
async function refusal(run: (out: Output) => Promise<unknown>): Promise<string> {
  const out = recorder();
  await run(out);
  expect(out.lines, "nothing is announced before a refusal").to.deep.equal([]);
  expect(out.errors).to.have.length(1);
  return out.errors[0];
}

describe("Commands: escrow v2 refusals before anything is sent", function () {
  it("settle takes exactly one action", async function () {
    expect(
      await refusal((out) =>
        settleAs("buyer")(settleArgs({ accept: true, withdraw: true }), hre, out),
      ),
    ).to.equal("✗ choose one of --accept, --withdraw: each is a separate step");
    expect(await refusal((out) => settleAs("merchant")(settleArgs({}), hre, out))).to.match(
      /^✗ say what to do: --buyer-amount N to propose a split, --accept, --withdraw/,
    );
  });

  it("settle refuses a damaged or missing settlement line", async function () {
    const line = encodeSettlementLine({
      chainId: 31337n,
      escrow: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      orderId: `0x${"ab".repeat(32)}`,
      buyerAmount: 1n,
      deadline: 2n,
      signer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      signature: "0x12",
    });
    expect(
      await refusal((out) =>
        settleAs("buyer")(settleArgs({ signature: line.slice(0, 50) }), hre, out),
      ),
    ).to.match(/^✗ the settlement line is damaged: it is not valid base64 JSON/);
    expect(
      await refusal((out) =>
        settleAs("buyer")(settleArgs({ revoke: "no-such-settlement.txt" }), hre, out),
      ),
    ).to.equal(
      '✗ --revoke "no-such-settlement.txt" is neither a settlement line nor a readable file',
    );
  });

  it("partial-refund needs an amount, and texts must fit in 1,000 bytes of UTF-8", async function () {
    const base = { account: -1, deploymentId: "", order: `0x${"ab".repeat(32)}` };
    expect(await refusal((out) => partialRefund({ ...base, amount: "" }, hre, out))).to.equal(
      "✗ --amount is required: how much of the price to give back, e.g. 12.50",
    );
    expect(
      await refusal((out) => review({ ...base, rating: 5, text: "ü".repeat(600) }, hre, out)),
    ).to.equal(
      "✗ the review text is 1,200 bytes in UTF-8, more than the 1,000 the escrow accepts: shorten it by 200 bytes (accented letters take 2 bytes, most emoji 4)",
    );
    expect(
      await refusal((out) =>
        evidence({ ...base, evidence: "", uri: "", text: "x".repeat(1001) }, hre, out),
      ),
    ).to.equal(
      "✗ --text is 1,001 bytes in UTF-8, more than the 1,000 the escrow accepts: shorten it by 1 byte",
    );
    expect(
      await refusal((out) => evidence({ ...base, evidence: "", uri: "", text: "" }, hre, out)),
    ).to.match(/^✗ --evidence or --text is required/);
  });
});
