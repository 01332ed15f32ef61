import { expect } from "chai";
import { network } from "hardhat";
import { TypedDataEncoder, ZeroAddress, solidityPacked, toBeHex } from "ethers";

import { OFFER_TYPES, type Offer, decodeOrdersPaid, orderPaidWords } from "@waybill/sdk";
import { signPermit, signReceiveAuthorization } from "@waybill/sdk";
import { PRICE, FEE_BPS, Status, deployEscrow } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

async function escrowFixture() {
  return deployEscrow(ethers);
}

describe("WaybillEscrow: payment", function () {
  describe("pay", function () {
    it("records the order, pulls the price and emits OrderPaid with every offer field packed", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.orderId(offer);
      const tx = w.escrow.connect(w.buyer).pay(offer, await w.sign(offer));
      await expect(tx)
        .to.emit(w.escrow, "OrderPaid")
        .withArgs(orderId, w.merchant.address, w.buyer.address, ...orderPaidWords(offer, FEE_BPS));
      await expect(tx).to.changeTokenBalances(ethers, w.usdc, [w.buyer, w.escrow], [-PRICE, PRICE]);
      const order = await w.escrow.getOrder(orderId);
      expect(order.buyer).to.equal(w.buyer.address);
      expect(order.feeBps).to.equal(FEE_BPS);
      expect(order.status).to.equal(Status.Paid);
      expect(order.stamp).to.equal(await w.now());
      expect(order.flags).to.equal(0n);
    });

    it("packs the offer into OrderPaid's words as documented, and the SDK unpacks a buyer-bound offer", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer({ buyer: w.buyer.address });
      const receipt = await (
        await w.escrow.connect(w.buyer).pay(offer, await w.sign(offer))
      ).wait();
      const log = receipt!.logs.find((l) => w.escrow.interface.parseLog(l)?.name === "OrderPaid")!;
      const args = w.escrow.interface.parseLog(log)!.args;
      expect(toBeHex(args.payeeAndPrice, 32)).to.equal(
        solidityPacked(["address", "uint96"], [offer.payee, offer.price]).toLowerCase(),
      );
      expect(toBeHex(args.tokenAndPeriods, 32)).to.equal(
        solidityPacked(
          ["address", "uint32", "uint32", "uint32"],
          [offer.token, offer.shipWithin, offer.deliverWithin, offer.inspectionPeriod],
        ).toLowerCase(),
      );
      // Bit 72 (open to any buyer) is clear: the offer named its buyer.
      expect(toBeHex(args.feeTerms, 9)).to.equal(
        solidityPacked(["uint16", "uint40", "uint16"], [offer.maxFeeBps, offer.expiry, FEE_BPS]),
      );
      const [paid] = decodeOrdersPaid(w.escrow, receipt!.logs);
      expect(paid.offer).to.deep.equal(offer);
    });

    it("uses the offer's EIP-712 digest as order id, matching the off-chain helper", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      expect(await w.escrow.orderIdOf(offer)).to.equal(await w.orderId(offer));
    });

    it("lets the helper rebuild the order from its OrderPaid event", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const receipt = await (
        await w.escrow.connect(w.buyer).pay(offer, await w.sign(offer))
      ).wait();
      const [paid, ...rest] = decodeOrdersPaid(
        w.escrow,
        receipt!.logs,
        await w.escrow.getAddress(),
      );
      expect(rest).to.have.length(0);
      expect(decodeOrdersPaid(w.escrow, receipt!.logs, await w.usdc.getAddress())).to.have.length(
        0,
      );
      expect(paid.orderId).to.equal(await w.orderId(offer));
      expect(paid.buyer).to.equal(w.buyer.address);
      expect(paid.feeBps).to.equal(FEE_BPS);
      expect(paid.offer).to.deep.equal(offer);
    });

    it("reverts with InvalidOrderStatus when an offer is paid a second time", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      await expect(w.escrow.connect(w.stranger).pay(offer, await w.sign(offer)))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Paid);
    });

    it("reverts with InvalidOrderStatus when the offer was cancelled", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await w.escrow.connect(w.merchant).cancelOffer(offer);
      await expect(w.escrow.connect(w.buyer).pay(offer, await w.sign(offer)))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(await w.orderId(offer), Status.Cancelled);
    });

    it("reverts with PaymentsPaused when payments are paused", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      await w.escrow.pause();
      const offer = await w.makeOffer();
      await expect(
        w.escrow.connect(w.buyer).pay(offer, await w.sign(offer)),
      ).to.be.revertedWithCustomError(w.escrow, "PaymentsPaused");
    });

    it("reverts with TokenNotAllowed when the token is not allow-listed", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const other = await ethers.deployContract("MockStablecoin", ["X", "X", w.admin.address]);
      const offer = await w.makeOffer({ token: await other.getAddress() });
      await expect(w.escrow.connect(w.buyer).pay(offer, await w.sign(offer)))
        .to.be.revertedWithCustomError(w.escrow, "TokenNotAllowed")
        .withArgs(await other.getAddress());
    });

    it("reverts with OfferExpired after the offer's expiry", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await networkHelpers.time.increaseTo(offer.expiry + 1n);
      await expect(w.escrow.connect(w.buyer).pay(offer, await w.sign(offer)))
        .to.be.revertedWithCustomError(w.escrow, "OfferExpired")
        .withArgs(await w.orderId(offer), offer.expiry);
    });

    it("accepts payment at the exact expiry second", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await networkHelpers.time.setNextBlockTimestamp(offer.expiry);
      await expect(w.escrow.connect(w.buyer).pay(offer, await w.sign(offer))).to.emit(
        w.escrow,
        "OrderPaid",
      );
    });

    it("reverts with NotOfferBuyer when another account pays a reserved offer", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer({ buyer: w.buyer.address });
      await expect(w.escrow.connect(w.stranger).pay(offer, await w.sign(offer)))
        .to.be.revertedWithCustomError(w.escrow, "NotOfferBuyer")
        .withArgs(await w.orderId(offer), w.stranger.address, w.buyer.address);
      await expect(w.escrow.connect(w.buyer).pay(offer, await w.sign(offer))).to.emit(
        w.escrow,
        "OrderPaid",
      );
    });

    for (const [name, change] of [
      ["a zero price", { price: 0n }],
      ["a zero payee", { payee: ZeroAddress }],
      ["the escrow as payee", { payee: "escrow" }],
      ["a ship-by after the deliver-by", { shipWithin: 10n, deliverWithin: 9n }],
      ["a deliver-by above MAX_PERIOD", { deliverWithin: 365n * 86400n + 1n }],
      ["an inspection period above MAX_PERIOD", { inspectionPeriod: 365n * 86400n + 1n }],
    ] as const) {
      it(`reverts with InvalidOfferTerms for ${name}`, async function () {
        const w = await networkHelpers.loadFixture(escrowFixture);
        const offer = await w.makeOffer(
          "payee" in change && change.payee === "escrow"
            ? { payee: await w.escrow.getAddress() }
            : (change as Partial<Offer>),
        );
        await expect(w.escrow.connect(w.buyer).pay(offer, await w.sign(offer)))
          .to.be.revertedWithCustomError(w.escrow, "InvalidOfferTerms")
          .withArgs(await w.orderId(offer));
      });
    }

    it("reverts with InvalidOfferSignature when someone other than the merchant signed", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await expect(w.escrow.connect(w.buyer).pay(offer, await w.sign(offer, w.stranger)))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOfferSignature")
        .withArgs(await w.orderId(offer), w.merchant.address);
    });

    it("reverts with InvalidOfferSignature for an offer signed for another chain", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const domain = {
        name: "Waybill Escrow",
        version: "1",
        chainId: w.chainId + 1n,
        verifyingContract: await w.escrow.getAddress(),
      };
      const signature = await w.merchant.signTypedData(domain, OFFER_TYPES, offer);
      await expect(w.escrow.connect(w.buyer).pay(offer, signature))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOfferSignature")
        .withArgs(await w.orderId(offer), w.merchant.address);
    });

    it("reverts with InvalidOfferSignature for an offer signed for another escrow", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const domain = {
        name: "Waybill Escrow",
        version: "1",
        chainId: w.chainId,
        verifyingContract: await w.registry.getAddress(),
      };
      const signature = await w.merchant.signTypedData(domain, OFFER_TYPES, offer);
      await expect(w.escrow.connect(w.buyer).pay(offer, signature))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOfferSignature")
        .withArgs(await w.orderId(offer), w.merchant.address);
    });

    it("reverts with InvalidOfferSignature for a malformed signature", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await expect(w.escrow.connect(w.buyer).pay(offer, "0x1234"))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOfferSignature")
        .withArgs(await w.orderId(offer), w.merchant.address);
    });

    it("accepts an ERC-1271 smart-wallet merchant's signature and rejects another key's", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const wallet = await ethers.deployContract("MockERC1271Wallet", [w.merchant.address]);
      const offer = await w.makeOffer({ merchant: await wallet.getAddress() });
      const digest = TypedDataEncoder.hash(
        {
          name: "Waybill Escrow",
          version: "1",
          chainId: w.chainId,
          verifyingContract: await w.escrow.getAddress(),
        },
        OFFER_TYPES,
        offer,
      );
      expect(await w.escrow.orderIdOf(offer)).to.equal(digest);
      await expect(w.escrow.connect(w.buyer).pay(offer, await w.sign(offer, w.stranger)))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOfferSignature")
        .withArgs(digest, await wallet.getAddress());
      await expect(w.escrow.connect(w.buyer).pay(offer, await w.sign(offer, w.merchant))).to.emit(
        w.escrow,
        "OrderPaid",
      );
    });
  });

  describe("payWithPermit", function () {
    it("pays without a prior approval using the buyer's permit", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const [, , , , , , , , fresh] = await ethers.getSigners();
      await w.usdc.mint(fresh.address, PRICE);
      const offer = await w.makeOffer();
      const deadline = (await w.now()) + 3600n;
      const { v, r, s } = await signPermit(
        w.usdc,
        fresh,
        await w.escrow.getAddress(),
        PRICE,
        deadline,
      );
      const tx = w.escrow
        .connect(fresh)
        .payWithPermit(offer, await w.sign(offer), deadline, v, r, s);
      await expect(tx)
        .to.emit(w.escrow, "OrderPaid")
        .withArgs(
          await w.orderId(offer),
          w.merchant.address,
          fresh.address,
          ...orderPaidWords(offer, FEE_BPS),
        );
      await expect(tx).to.changeTokenBalances(ethers, w.usdc, [fresh, w.escrow], [-PRICE, PRICE]);
    });

    it("still pays when a front-runner already submitted the permit", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const [, , , , , , , , fresh] = await ethers.getSigners();
      await w.usdc.mint(fresh.address, PRICE);
      const offer = await w.makeOffer();
      const deadline = (await w.now()) + 3600n;
      const escrowAddress = await w.escrow.getAddress();
      const { v, r, s } = await signPermit(w.usdc, fresh, escrowAddress, PRICE, deadline);
      await w.usdc
        .connect(w.stranger)
        .permit(fresh.address, escrowAddress, PRICE, deadline, v, r, s);
      await expect(
        w.escrow.connect(fresh).payWithPermit(offer, await w.sign(offer), deadline, v, r, s),
      ).to.emit(w.escrow, "OrderPaid");
    });

    it("reverts with the token's ERC20InsufficientAllowance when the permit is bad and nothing is approved", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const [, , , , , , , , fresh] = await ethers.getSigners();
      await w.usdc.mint(fresh.address, PRICE);
      const offer = await w.makeOffer();
      const deadline = (await w.now()) + 3600n;
      const { v, r, s } = await signPermit(
        w.usdc,
        w.stranger,
        await w.escrow.getAddress(),
        PRICE,
        deadline,
      );
      await expect(
        w.escrow.connect(fresh).payWithPermit(offer, await w.sign(offer), deadline, v, r, s),
      )
        .to.be.revertedWithCustomError(w.usdc, "ERC20InsufficientAllowance")
        .withArgs(await w.escrow.getAddress(), 0n, PRICE);
    });
  });

  describe("payWithAuthorization", function () {
    async function authorize(
      w: Awaited<ReturnType<typeof escrowFixture>>,
      nonce: string,
      value = PRICE,
    ) {
      const now = await w.now();
      return signReceiveAuthorization(w.usdc, w.buyer, {
        to: await w.escrow.getAddress(),
        value,
        validAfter: 0n,
        validBefore: now + 3600n,
        nonce,
      });
    }

    it("lets a relayer pay with the buyer's ERC-3009 authorization bound to the order id", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.orderId(offer);
      const a = await authorize(w, orderId);
      const tx = w.escrow
        .connect(w.relayer)
        .payWithAuthorization(
          offer,
          await w.sign(offer),
          a.from,
          a.validAfter,
          a.validBefore,
          a.v,
          a.r,
          a.s,
        );
      await expect(tx)
        .to.emit(w.escrow, "OrderPaid")
        .withArgs(orderId, w.merchant.address, w.buyer.address, ...orderPaidWords(offer, FEE_BPS));
      await expect(tx).to.changeTokenBalances(
        ethers,
        w.usdc,
        [w.buyer, w.relayer, w.escrow],
        [-PRICE, 0n, PRICE],
      );
      expect((await w.escrow.getOrder(orderId)).buyer).to.equal(w.buyer.address);
    });

    it("rejects an authorization signed for another order of the same price", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const intended = await w.makeOffer();
      const other = await w.makeOffer();
      const a = await authorize(w, await w.orderId(intended));
      await expect(
        w.escrow
          .connect(w.relayer)
          .payWithAuthorization(
            other,
            await w.sign(other),
            a.from,
            a.validAfter,
            a.validBefore,
            a.v,
            a.r,
            a.s,
          ),
      ).to.be.revertedWithCustomError(w.usdc, "ERC3009InvalidSignature");
    });

    it("reverts with NotOfferBuyer when the authorization's payer is not the reserved buyer", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer({ buyer: w.stranger.address });
      const a = await authorize(w, await w.orderId(offer));
      await expect(
        w.escrow
          .connect(w.relayer)
          .payWithAuthorization(
            offer,
            await w.sign(offer),
            a.from,
            a.validAfter,
            a.validBefore,
            a.v,
            a.r,
            a.s,
          ),
      )
        .to.be.revertedWithCustomError(w.escrow, "NotOfferBuyer")
        .withArgs(await w.orderId(offer), w.buyer.address, w.stranger.address);
    });

    it("reverts with InvalidOrderStatus when the authorization is replayed", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.orderId(offer);
      const a = await authorize(w, orderId);
      const signature = await w.sign(offer);
      await w.escrow
        .connect(w.relayer)
        .payWithAuthorization(offer, signature, a.from, a.validAfter, a.validBefore, a.v, a.r, a.s);
      await expect(
        w.escrow
          .connect(w.relayer)
          .payWithAuthorization(
            offer,
            signature,
            a.from,
            a.validAfter,
            a.validBefore,
            a.v,
            a.r,
            a.s,
          ),
      )
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Paid);
    });
  });

  describe("cancelOffer", function () {
    it("lets the merchant kill an unpaid offer", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.orderId(offer);
      await expect(w.escrow.connect(w.merchant).cancelOffer(offer))
        .to.emit(w.escrow, "OfferCancelled")
        .withArgs(orderId, w.merchant.address);
      expect((await w.escrow.getOrder(orderId)).status).to.equal(Status.Cancelled);
    });

    it("reverts with NotMerchant when someone else cancels", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      await expect(w.escrow.connect(w.buyer).cancelOffer(offer))
        .to.be.revertedWithCustomError(w.escrow, "NotMerchant")
        .withArgs(await w.orderId(offer), w.buyer.address, w.merchant.address);
    });

    it("reverts with InvalidOrderStatus once the offer was paid", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const offer = await w.makeOffer();
      const orderId = await w.pay(offer);
      await expect(w.escrow.connect(w.merchant).cancelOffer(offer))
        .to.be.revertedWithCustomError(w.escrow, "InvalidOrderStatus")
        .withArgs(orderId, Status.Paid);
    });
  });

  describe("hostile tokens", function () {
    it("reverts with AmountNotReceived for a fee-on-transfer token", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const fot = await ethers.deployContract("FeeOnTransferToken");
      await w.escrow.setTokenAllowed(await fot.getAddress(), true);
      await fot.mint(w.buyer.address, PRICE);
      await fot.connect(w.buyer).approve(await w.escrow.getAddress(), PRICE);
      const offer = await w.makeOffer({ token: await fot.getAddress() });
      await expect(w.escrow.connect(w.buyer).pay(offer, await w.sign(offer)))
        .to.be.revertedWithCustomError(w.escrow, "AmountNotReceived")
        .withArgs(await fot.getAddress(), PRICE, PRICE - PRICE / 100n);
    });

    it("trusts a token flagged plain: pay and payWithPermit take the price without measuring it", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      await w.escrow.setTokensPlain([await w.usdc.getAddress()], true);
      const offer = await w.makeOffer();
      const tx = w.escrow.connect(w.buyer).pay(offer, await w.sign(offer));
      await expect(tx).to.changeTokenBalances(ethers, w.usdc, [w.buyer, w.escrow], [-PRICE, PRICE]);
      expect((await w.escrow.getOrder(await w.orderId(offer))).status).to.equal(Status.Paid);
    });

    it("takes a fee-on-transfer token's short amount only when the token manager wrongly flagged it plain", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const fot = await ethers.deployContract("FeeOnTransferToken");
      await w.escrow.setTokenAllowed(await fot.getAddress(), true);
      await w.escrow.setTokensPlain([await fot.getAddress()], true);
      await fot.mint(w.buyer.address, PRICE);
      await fot.connect(w.buyer).approve(await w.escrow.getAddress(), PRICE);
      const offer = await w.makeOffer({ token: await fot.getAddress() });
      // The documented risk of the flag: the escrow then holds less than the price.
      await w.escrow.connect(w.buyer).pay(offer, await w.sign(offer));
      expect(await fot.balanceOf(await w.escrow.getAddress())).to.equal(PRICE - PRICE / 100n);
    });

    it("reverts with SafeERC20FailedOperation for a token whose transferFrom returns false", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const bad = await ethers.deployContract("FalseReturningToken");
      await w.escrow.setTokenAllowed(await bad.getAddress(), true);
      const offer = await w.makeOffer({ token: await bad.getAddress() });
      await expect(w.escrow.connect(w.buyer).pay(offer, await w.sign(offer)))
        .to.be.revertedWithCustomError(w.escrow, "SafeERC20FailedOperation")
        .withArgs(await bad.getAddress());
    });

    it("reverts with ReentrancyGuardReentrantCall when the token re-enters during the pull", async function () {
      const w = await networkHelpers.loadFixture(escrowFixture);
      const evil = await ethers.deployContract("ReentrantToken");
      await w.escrow.setTokenAllowed(await evil.getAddress(), true);
      await evil.mint(w.buyer.address, 2n * PRICE);
      await evil.connect(w.buyer).approve(await w.escrow.getAddress(), 2n * PRICE);
      const offer = await w.makeOffer({ token: await evil.getAddress() });
      const inner = await w.makeOffer({ token: await evil.getAddress() });
      await evil.arm(
        await w.escrow.getAddress(),
        w.escrow.interface.encodeFunctionData("pay", [inner, await w.sign(inner)]),
        true,
      );
      await expect(
        w.escrow.connect(w.buyer).pay(offer, await w.sign(offer)),
      ).to.be.revertedWithCustomError(w.escrow, "ReentrancyGuardReentrantCall");
    });
  });
});
