import { readFile } from "node:fs/promises";

import { expect } from "chai";
import { Interface, ZeroAddress, id } from "ethers";
import JSON5 from "json5";

import { OFFER_PAYLOAD_PREFIX, decodeOfferPayload, encodeOfferPayload } from "@waybill/sdk";
import type { Offer } from "@waybill/sdk";
import { formatAmount, parseAmount } from "../../tasks/lib/cli.js";
import { UserError, decodeRevert, describeError } from "../../tasks/lib/errors.js";
import { hashOf, parseDuration, parseIdList, parseTime } from "../../tasks/lib/parse.js";
import { CIRCLE_TESTNET_STABLECOINS } from "../../tasks/lib/stablecoins.js";

const offer: Offer = {
  merchant: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  payee: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  buyer: ZeroAddress,
  token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  price: 120_500_000n,
  detailsHash: id("2 vases"),
  shipWithin: 604_800n,
  deliverWithin: 2_592_000n,
  inspectionPeriod: 259_200n,
  expiry: 1_800_000_000n,
  salt: 2n ** 255n + 7n,
};

describe("Command-line helpers", function () {
  describe("offer payload", function () {
    it("round-trips a signed offer, keeping 256-bit salts exact", function () {
      const signed = {
        chainId: 84532n,
        escrow: offer.token,
        offer,
        signature: `0x${"11".repeat(65)}`,
      };
      const payload = encodeOfferPayload(signed);
      expect(payload.startsWith(OFFER_PAYLOAD_PREFIX)).to.equal(true);
      expect(decodeOfferPayload(payload)).to.deep.equal(signed);
    });

    it("refuses text that is not an offer, and a damaged one, with a readable message", function () {
      expect(() => decodeOfferPayload("hello")).to.throw(/not a Waybill offer/);
      expect(() => decodeOfferPayload(`${OFFER_PAYLOAD_PREFIX}%%%`)).to.throw(/damaged/);
      const missingField = Buffer.from(
        JSON.stringify({ chainId: "1", escrow: offer.token, offer: {}, signature: "0x" }),
      ).toString("base64url");
      expect(() => decodeOfferPayload(OFFER_PAYLOAD_PREFIX + missingField)).to.throw(
        /a field is missing or malformed/,
      );
    });
  });

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

    it("decodes a custom error by name with named arguments", function () {
      expect(decodeRevert(data, [new Interface(["error Other()"]), iface])).to.equal(
        `InvalidOrderStatus(orderId=${id("o")}, current=5)`,
      );
      expect(decodeRevert("0xdeadbeef", [iface])).to.equal(undefined);
    });

    it("finds revert data nested in a provider error", function () {
      const nested = { message: "execution reverted", error: { info: { data } } };
      expect(describeError(nested, [iface])).to.equal(
        `the contract refused: InvalidOrderStatus(orderId=${id("o")}, current=5)`,
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
