import { readFile } from "node:fs/promises";

import { expect } from "chai";
import { Interface, id } from "ethers";
import JSON5 from "json5";

import { CIRCLE_TESTNET_STABLECOINS, formatAmount, parseAmount } from "@waybill/sdk";
import { UserError, describeError } from "../../tasks/lib/errors.js";
import { hashOf, parseDuration, parseIdList, parseTime } from "../../tasks/lib/parse.js";

describe("Command-line helpers", function () {
  describe("amounts", function () {
    it("parses whole and decimal amounts into the token's smallest unit", function () {
      expect(parseAmount("120", 6)).to.equal(120_000_000n);
      expect(parseAmount("120.5", 6)).to.equal(120_500_000n);
      expect(parseAmount("0.000001", 6)).to.equal(1n);
    });

    it("refuses more decimals than the token has, and non-numbers", function () {
      expect(() => parseAmount("1.0000001", 6)).to.throw(/more than 6 decimals/);
      expect(() => parseAmount("1e6", 6)).to.throw(/is not an amount/);
      expect(() => parseAmount("-1", 6)).to.throw(/is not an amount/);
    });

    it("formats amounts with separators and at least two decimals", function () {
      expect(formatAmount(1_234_567_890n, 6, "USDC")).to.equal("1,234.56789 USDC");
      expect(formatAmount(5_000_000n, 6, "EURC")).to.equal("5.00 EURC");
      expect(formatAmount(-1n, 6, "USDC")).to.equal("-0.000001 USDC");
    });
  });

  describe("parsers", function () {
    it("reads durations in seconds, minutes, hours, days and weeks", function () {
      expect(parseDuration("3600", "--x")).to.equal(3600n);
      expect(parseDuration("90m", "--x")).to.equal(5400n);
      expect(parseDuration("36h", "--x")).to.equal(129_600n);
      expect(parseDuration("7d", "--x")).to.equal(604_800n);
      expect(parseDuration("2w", "--x")).to.equal(1_209_600n);
      expect(() => parseDuration("7 days", "--ship-within")).to.throw(
        UserError,
        /--ship-within: "7 days" is not a duration/,
      );
    });

    it("reads ISO times and unix seconds, falling back when empty", function () {
      expect(parseTime("", 5n)).to.equal(5n);
      expect(parseTime("1800000000", 5n)).to.equal(1_800_000_000n);
      expect(parseTime("2026-11-27T10:00:00Z", 5n)).to.equal(1_795_773_600n);
      expect(() => parseTime("yesterday", 5n)).to.throw(UserError, /is not a time/);
    });

    it("hashes free text but keeps a given 32-byte hash", function () {
      expect(hashOf("invoice 42")).to.equal(id("invoice 42"));
      expect(hashOf(id("x"))).to.equal(id("x"));
    });

    it("reads comma-separated ids", function () {
      expect(parseIdList("", "--passports")).to.deep.equal([]);
      expect(parseIdList("1, 2,3", "--passports")).to.deep.equal([1n, 2n, 3n]);
      expect(() => parseIdList("1,x", "--passports")).to.throw(
        UserError,
        /--passports: "x" is not a number/,
      );
    });
  });

  describe("error descriptions", function () {
    const iface = new Interface(["error InvalidOrderStatus(bytes32 orderId, uint8 current)"]);
    const data = iface.encodeErrorResult("InvalidOrderStatus", [id("o"), 5]);

    it("finds revert data nested in a provider error and says it as a sentence", function () {
      const nested = { message: "execution reverted", error: { info: { data } } };
      expect(describeError(nested, [iface])).to.equal(
        `order ${id("o").slice(0, 8)}…${id("o").slice(-4)} is Released, so this step is not possible now`,
      );
    });

    it("turns a missing configuration variable into the command that sets it", function () {
      const error = Object.assign(
        new Error('HHE7: Configuration Variable "SEPOLIA_RPC_URL" not found.'),
        { name: "HardhatError" },
      );
      expect(describeError(error)).to.equal(
        "SEPOLIA_RPC_URL is not set. Store it with `npx hardhat keystore set SEPOLIA_RPC_URL` (keys) or add it to .env (see .env.example).",
      );
    });

    it("passes a UserError's message through and keeps only the first line of others", function () {
      expect(describeError(new UserError("unknown order 0x12"))).to.equal("unknown order 0x12");
      expect(describeError(new Error("first line\n    at stack"))).to.equal("first line");
    });
  });

  describe("testnet stablecoins", function () {
    it("lists in every Ignition parameter file exactly the Circle addresses the commands use", async function () {
      const files = {
        sepolia: "11155111",
        baseSepolia: "84532",
        opSepolia: "11155420",
        arbitrumSepolia: "421614",
        polygonAmoy: "80002",
      };
      for (const [network, chainId] of Object.entries(files)) {
        const parameters = JSON5.parse(
          await readFile(`ignition/parameters/${network}.json5`, "utf8"),
        ) as {
          Waybill: { stablecoins: string[] };
        };
        expect(parameters.Waybill.stablecoins, network).to.deep.equal(
          Object.values(CIRCLE_TESTNET_STABLECOINS[chainId]),
        );
      }
    });
  });
});
