import { expect } from "chai";
import { Interface, ZeroHash, id, toUtf8Bytes, zeroPadBytes } from "ethers";

import {
  ERROR_SENTENCES,
  EventCode,
  OrderStatus,
  ShipmentStatus,
  WaybillError,
  isWaybillError,
  roleHash,
  toWaybillError,
  waybillInterfaces,
} from "@waybill/sdk";

const interfaces = waybillInterfaces();
const [escrow, registry, passports, stablecoin] = interfaces;
const ORDER = id("order-7");
const SHORT = `${ORDER.slice(0, 8)}…${ORDER.slice(-4)}`;
const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const BOB = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
// 2026-12-01 12:00 UTC
const NOON = 1_796_126_400n;

/** The sentence a revert of `name(args)` from `iface` becomes, found in a provider-shaped error. */
function sentence(iface: Interface, name: string, args: unknown[]): string {
  const data = iface.encodeErrorResult(name, args);
  const error = toWaybillError({ message: "execution reverted", error: { data } }, interfaces);
  expect(error.code).to.equal("CONTRACT_REVERTED");
  expect(error.errorName).to.equal(name);
  return error.shortMessage;
}

describe("sdk: errors as sentences", function () {
  it("has a sentence for every custom error of the three contracts", function () {
    for (const iface of [escrow, registry, passports]) {
      iface.forEachError((fragment) => {
        if (/^(SafeCast|InvalidShortString|StringTooLong|ERC721Invalid)/.test(fragment.name))
          return;
        expect(ERROR_SENTENCES, fragment.name).to.have.property(fragment.name);
      });
    }
  });

  it("order state: statuses by name, never numbers", function () {
    expect(sentence(escrow, "InvalidOrderStatus", [ORDER, OrderStatus.Delivered])).to.equal(
      `order ${SHORT} is Delivered, so this step is not possible now`,
    );
    expect(sentence(escrow, "AlreadyReviewed", [ORDER])).to.equal(
      `order ${SHORT} has already been reviewed`,
    );
  });

  it("shipment transitions: the status and the event code by name", function () {
    expect(
      sentence(registry, "InvalidTransition", [
        ORDER,
        ShipmentStatus.Delivered,
        EventCode.PickedUp,
      ]),
    ).to.equal(`shipment ${SHORT} is Delivered, and PickedUp cannot follow it`);
    expect(
      sentence(escrow, "InvalidShipmentStatus", [ORDER, ORDER, ShipmentStatus.CustomsHold]),
    ).to.match(/is CustomsHold, which does not allow this step$/);
  });

  it("callers: who may act and who tried, and roles by name instead of hashes", function () {
    expect(sentence(escrow, "NotBuyer", [ORDER, ALICE, BOB])).to.equal(
      `only the buyer ${BOB} can do this for order ${SHORT}, not ${ALICE}`,
    );
    expect(
      sentence(escrow, "AccessControlUnauthorizedAccount", [ALICE, roleHash("ARBITER")]),
    ).to.equal(`${ALICE} does not hold the ARBITER role`);
    expect(sentence(escrow, "AccessControlUnauthorizedAccount", [ALICE, ZeroHash])).to.equal(
      `${ALICE} does not hold the DEFAULT_ADMIN role`,
    );
  });

  it("deadlines: dates with their time zone, never Unix times", function () {
    expect(sentence(escrow, "OfferExpired", [ORDER, NOON])).to.equal(
      `the offer for order ${SHORT} expired on 2026-12-01 12:00 UTC`,
    );
    expect(sentence(registry, "EventBeforePrevious", [NOON, NOON + 3600n])).to.equal(
      "the event is dated 2026-12-01 12:00 UTC, before the shipment's previous event on 2026-12-01 13:00 UTC",
    );
  });

  it("GS1 input: the reason a serial or lot number is refused", function () {
    expect(sentence(passports, "InvalidSerial", ["VASE#1"])).to.equal(
      `the serial "VASE#1" is invalid: "#" is not in GS1's character set 82`,
    );
    expect(sentence(passports, "InvalidSerial", ["X".repeat(21)])).to.match(
      /it has 21 characters, more than 20$/,
    );
    expect(sentence(passports, "InvalidLotNumber", [""])).to.match(/it is empty$/);
  });

  it("places and codes: bytes shown as the text they encode", function () {
    expect(sentence(registry, "InvalidLocation", [zeroPadBytes(toUtf8Bytes("de-ha"), 5)])).to.equal(
      `"de-ha" is not a UN/LOCODE (2 letters of country, 3 of place)`,
    );
  });

  it("money: fees in percent, tokens and frozen accounts", function () {
    expect(sentence(escrow, "FeeTooHigh", [1500, 1000])).to.equal(
      "a fee of 15% exceeds the maximum of 10%",
    );
    expect(sentence(stablecoin, "Blocklisted", [ALICE])).to.equal(
      `the token issuer has frozen ${ALICE}`,
    );
    expect(sentence(escrow, "PaymentsPaused", [])).to.equal(
      "new payments are paused by the platform",
    );
    expect(sentence(escrow, "TooManyTokens", [ALICE, 8])).to.equal(
      `the escrow cannot accept the token ${ALICE}: it already lists its limit of 8 tokens, and a token once accepted keeps its place even when disallowed`,
    );
    expect(sentence(escrow, "TokenHasNoCode", [ALICE])).to.equal(
      `${ALICE} has no contract code on this network, so it cannot be a token: check the address (a mistyped one would take one of the escrow's places for good)`,
    );
  });

  it("keeps the raw error in details and the original as cause", function () {
    const data = escrow.encodeErrorResult("AlreadyReviewed", [ORDER]);
    const original = { message: "execution reverted", error: { data } };
    const error = toWaybillError(original, interfaces);
    expect(error.details).to.equal(`AlreadyReviewed(orderId=${ORDER})`);
    expect(error.args).to.deep.equal({ orderId: ORDER });
    expect(error.cause).to.equal(original);
    expect(error.walk()).to.equal(original);
  });

  it("an unknown selector falls back to the raw form", function () {
    const other = new Interface(["error Mystery(uint256 n)"]);
    const data = other.encodeErrorResult("Mystery", [3]);
    expect(toWaybillError({ data }, [other]).shortMessage).to.equal(
      "the contract refused: Mystery(n=3)",
    );
  });

  it("a rejected wallet request is its own code and says nothing alarming", function () {
    const rejected = toWaybillError({ code: 4001, message: "User rejected the request." });
    expect(rejected.code).to.equal("USER_REJECTED");
    expect(rejected.shortMessage).to.equal(
      "you declined the request in your wallet; nothing was sent",
    );
    const wrapped = toWaybillError({ code: "ACTION_REJECTED", message: "user rejected action" });
    expect(wrapped.code).to.equal("USER_REJECTED");
  });

  it("is recognised by its brand, not by instanceof, and passes through unchanged", function () {
    const own = new WaybillError("REFUSED", "no");
    expect(toWaybillError(own)).to.equal(own);
    const lookalike = Object.assign(Object.create(null) as object, {
      "@waybill/sdk:WaybillError": true,
    });
    expect(isWaybillError(lookalike)).to.equal(true);
    expect(isWaybillError(new Error("x"))).to.equal(false);
  });
});
