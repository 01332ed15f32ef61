import { expect } from "chai";
import { ZeroAddress, encodeBase64, id, toUtf8Bytes } from "ethers";

import {
  MIN_INSPECTION_PERIOD_SECONDS,
  OFFER_LINE_PREFIX,
  OFFER_LINE_V1_PREFIX,
  type Offer,
  type OrderDetails,
  choosePaymentMethod,
  decodeOfferLine,
  describeOrderDetails,
  encodeOfferLine,
  hashOrderDetails,
  offerProblems,
  parseOrderItems,
  validateOffer,
} from "@waybill/sdk";

const details: OrderDetails = {
  items: [
    { name: "Celadon vase", quantity: 2 },
    { name: "Tea bowl", quantity: 1 },
  ],
  shipping: "DAP Hamburg, sea freight",
};
const NOW = 1_800_000_000n;
const offer: Offer = {
  merchant: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  payee: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  buyer: ZeroAddress,
  token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  price: 120_500_000n,
  detailsHash: hashOrderDetails(details),
  shipWithin: 604_800n,
  deliverWithin: 2_592_000n,
  inspectionPeriod: 259_200n,
  expiry: NOW + 172_800n,
  salt: 2n ** 255n + 7n,
};
const signed = {
  chainId: 84532n,
  escrow: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  offer,
  signature: `0x${"11".repeat(65)}`,
  details,
};

function base64url(json: unknown): string {
  return encodeBase64(toUtf8Bytes(JSON.stringify(json)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

describe("sdk: the offer line", function () {
  it("round-trips a v2 line with its details, keeping 256-bit salts exact", function () {
    const line = encodeOfferLine(signed);
    expect(line.startsWith(OFFER_LINE_PREFIX)).to.equal(true);
    expect(decodeOfferLine(line)).to.deep.equal(signed);
    expect(describeOrderDetails(decodeOfferLine(line).details!)).to.deep.equal([
      "2 × Celadon vase",
      "1 × Tea bowl",
      "shipping: DAP Hamburg, sea freight",
    ]);
  });

  it("refuses a line whose details were altered after signing", function () {
    const altered = JSON.parse(
      JSON.stringify(signed, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
    ) as { details: OrderDetails };
    altered.details.items[0].quantity = 20;
    expect(() => decodeOfferLine(OFFER_LINE_PREFIX + base64url(altered)))
      .to.throw(/do not match what the merchant signed/)
      .with.property("code", "OFFER_DETAILS_MISMATCH");
    expect(() => encodeOfferLine({ ...signed, details: { items: [] } })).to.throw(
      /do not match the offer's signed detailsHash/,
    );
  });

  it("still decodes a v1 line, which carries only the hash", function () {
    const v1 = {
      chainId: "84532",
      escrow: signed.escrow,
      offer: {
        ...offer,
        detailsHash: id("2 vases"),
        price: "120500000",
        shipWithin: "604800",
        deliverWithin: "2592000",
        inspectionPeriod: "259200",
        expiry: String(offer.expiry),
        salt: String(offer.salt),
      },
      signature: signed.signature,
    };
    const decoded = decodeOfferLine(OFFER_LINE_V1_PREFIX + base64url(v1));
    expect(decoded.details).to.equal(undefined);
    expect(decoded.offer.detailsHash).to.equal(id("2 vases"));
    expect(decoded.offer.salt).to.equal(offer.salt);
  });

  it("refuses text that is not an offer, and a damaged one, with a readable message", function () {
    expect(() => decodeOfferLine("hello")).to.throw(/not a Waybill offer/);
    expect(() => decodeOfferLine(`${OFFER_LINE_PREFIX}%%%`)).to.throw(/damaged/);
    expect(() =>
      decodeOfferLine(
        OFFER_LINE_PREFIX +
          base64url({ chainId: "1", escrow: offer.token, offer: {}, signature: "0x" }),
      ),
    )
      .to.throw(/a field is missing or malformed/)
      .with.property("code", "OFFER_LINE_DAMAGED");
  });

  it("reads items as typed: a leading quantity, 1 when absent", function () {
    expect(parseOrderItems("2 Celadon vase; Tea bowl ;3 x Lid")).to.deep.equal([
      { name: "Celadon vase", quantity: 2 },
      { name: "Tea bowl", quantity: 1 },
      { name: "Lid", quantity: 3 },
    ]);
    expect(parseOrderItems("")).to.deep.equal([]);
    expect(() => parseOrderItems("0 vase")).to.throw(/at least 1/);
  });
});

describe("sdk: offer validation", function () {
  it("accepts sound terms", function () {
    expect(offerProblems(offer, NOW)).to.deep.equal([]);
    expect(() => validateOffer(offer, NOW)).not.to.throw();
  });

  it("refuses a price of 0", function () {
    expect(() => validateOffer({ ...offer, price: 0n }, NOW))
      .to.throw("this offer cannot be signed: the price must be more than 0")
      .with.property("code", "INVALID_OFFER");
  });

  it("refuses an expiry under ten minutes", function () {
    expect(() => validateOffer({ ...offer, expiry: NOW + 120n }, NOW)).to.throw(
      "the offer must stay payable for at least 10 minutes, not 2 minutes",
    );
  });

  it("refuses an inspection window under the escrow's minimum", function () {
    expect(MIN_INSPECTION_PERIOD_SECONDS).to.equal(86_400);
    expect(() => validateOffer({ ...offer, inspectionPeriod: 3600n }, NOW)).to.throw(
      "the buyer's inspection window must be at least 1 day, not 1 hour",
    );
  });

  it("refuses a deliver-by before the ship-by", function () {
    expect(() =>
      validateOffer({ ...offer, shipWithin: 864_000n, deliverWithin: 432_000n }, NOW),
    ).to.throw("the deliver-by (5 days after payment) is before the ship-by (10 days)");
  });

  it("names every problem at once", function () {
    expect(offerProblems({ ...offer, price: 0n, inspectionPeriod: 0n }, NOW)).to.have.length(2);
  });
});

describe("sdk: payment method", function () {
  const none = { authorization: false, permit: false, allowance: 0n };
  it("prefers an allowance in place, then ERC-3009, then a permit, then approve + pay", function () {
    expect(choosePaymentMethod({ ...none, authorization: true, allowance: 10n }, 10n)).to.equal(
      "approve",
    );
    expect(choosePaymentMethod({ ...none, authorization: true, permit: true }, 10n)).to.equal(
      "authorization",
    );
    expect(choosePaymentMethod({ ...none, permit: true }, 10n)).to.equal("permit");
    expect(choosePaymentMethod(none, 10n)).to.equal("approve");
  });

  it("honours a requested method and refuses one the token lacks or that does not exist", function () {
    expect(choosePaymentMethod({ ...none, authorization: true }, 10n, "approve")).to.equal(
      "approve",
    );
    expect(() => choosePaymentMethod(none, 10n, "permit")).to.throw(
      "this token does not support paying by permit",
    );
    expect(() => choosePaymentMethod(none, 10n, "cash")).to.throw(
      /auto, authorization, permit, approve/,
    );
  });
});
