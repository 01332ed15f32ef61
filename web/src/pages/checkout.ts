/**
 * Checkout: the page a merchant's link opens (`/pay#<offer line>`, or a pasted line). Every
 * check that needs no wallet runs first (signature, chain, escrow, expiry, status, token);
 * then the buyer connects a wallet, moves it to the offer's chain, sees the balance sentence
 * and pays by the cheapest method the token supports, step by step.
 */
import {
  type JsonRpcProvider,
  TypedDataEncoder,
  ZeroAddress,
  getAddress,
  verifyTypedData,
} from "ethers";

import {
  OFFER_TYPES,
  PAYMENT_METHODS,
  type PaymentMethod,
  type SignedOffer,
  connectEscrow,
  MIN_OFFER_LIFETIME_SECONDS,
  connectStablecoin,
  decodeOfferLine,
  offerProblems,
} from "@waybill/sdk";

// The SDK's index does not export its chain facts yet (a file this branch added).
import { chainInfo } from "../../../sdk/src/chains.js";
import { chainTime, readProvider } from "../chain.js";
import { banner, facts, h, replace } from "../dom.js";
import { explain, isRejection } from "../errors.js";
import { amount, date, duration } from "../format.js";
import { t } from "../i18n.js";
import type { NetworkEntry } from "../network-config.js";
import { appLink, networkFor, txLink } from "../networks.js";
import { type StepName, payOffer, paymentChoices, stepsOf } from "../payment.js";
import { type TrackRecordState, loadTrackRecord, trackRecordSection } from "../track-record.js";
import {
  type DiscoveredWallet,
  connect,
  discoverWallets,
  signerOf,
  switchChain,
  walletChainId,
} from "../wallet.js";

/** Everything checked about an offer before any wallet is involved. */
interface CheckedOffer {
  signed: SignedOffer;
  network: NetworkEntry;
  reader: JsonRpcProvider;
  orderId: string;
  symbol: string;
  decimals: number;
  feeBps: bigint;
  arbitrationPeriod: bigint;
  ratingCount: bigint;
  ratingSum: bigint;
  trackRecord: TrackRecordState;
  now: bigint;
}

class Refusal extends Error {}

function pasteForm(value = ""): HTMLElement {
  const field = h("textarea", {
    id: "offer-line",
    rows: "4",
    spellcheck: "false",
    autocomplete: "off",
  });
  field.value = value;
  return h(
    "form",
    {
      class: "card",
      onsubmit: (event: Event) => {
        event.preventDefault();
        location.hash = encodeURIComponent(field.value.trim());
      },
    },
    h("label", { for: "offer-line" }, t("checkout.pasteLabel")),
    field,
    h("button", { type: "submit" }, t("checkout.check")),
  );
}

async function check(line: string): Promise<CheckedOffer> {
  let signed: SignedOffer;
  try {
    signed = decodeOfferLine(line);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new Refusal(
      t(
        code === "OFFER_DETAILS_MISMATCH"
          ? "checkout.refuse.tampered"
          : code === "OFFER_LINE_OUTDATED"
            ? "checkout.refuse.outdated"
            : "checkout.refuse.damaged",
      ),
    );
  }
  const network = networkFor(Number(signed.chainId));
  if (network === undefined) {
    throw new Refusal(t("checkout.refuse.unknownChain", { chainId: String(signed.chainId) }));
  }
  if (getAddress(signed.escrow) !== getAddress(network.escrow)) {
    throw new Refusal(t("checkout.refuse.wrongEscrow", { network: network.name }));
  }
  const domain = {
    name: "Waybill Escrow",
    version: "1",
    chainId: signed.chainId,
    verifyingContract: signed.escrow,
  };
  const { offer } = signed;
  const orderId = TypedDataEncoder.hash(domain, OFFER_TYPES, offer);
  let signer: string | undefined;
  try {
    signer = verifyTypedData(domain, OFFER_TYPES, offer, signed.signature);
  } catch {
    signer = undefined;
  }
  const reader = readProvider(network);
  const escrow = connectEscrow(network.escrow, reader);
  const token = connectStablecoin(offer.token, reader);
  // One batched round trip: everything the page shows before the buyer touches anything.
  // The track record comes from the indexer alongside (not a JSON-RPC call).
  const [order, config, allowed, rating, symbol, decimals, arbitrationPeriod, now, trackRecord] =
    await Promise.all([
      escrow.getOrder(orderId),
      escrow.config(),
      escrow.isTokenAllowed(offer.token),
      escrow.ratingOf(offer.merchant),
      token.symbol(),
      token.decimals(),
      escrow.ARBITRATION_PERIOD(),
      chainTime(reader),
      loadTrackRecord(network, offer.merchant),
    ]);
  if (signer === undefined || getAddress(signer) !== getAddress(offer.merchant)) {
    // A smart-contract merchant (ERC-1271) cannot be checked off-chain; an EOA mismatch is tampering.
    const code = await reader.getCode(offer.merchant);
    if (code === "0x") throw new Refusal(t("checkout.refuse.tampered"));
  }
  const status = Number(order.status);
  if (status === 8) throw new Refusal(t("checkout.refuse.cancelled"));
  if (status !== 0) throw new Refusal(t("checkout.refuse.paid"));
  if (offer.expiry <= now) {
    throw new Refusal(t("checkout.refuse.expired", { date: date(offer.expiry) }));
  }
  // The SDK's signing rules, minus the minimum lifetime (a buyer may pay in an offer's last minutes).
  const problems = offerProblems(
    { ...offer, expiry: now + BigInt(MIN_OFFER_LIFETIME_SECONDS) },
    now,
  );
  if (problems.length > 0) {
    throw new Refusal(t("checkout.refuse.terms", { problems: problems.join("; ") }));
  }
  if (!allowed) throw new Refusal(t("checkout.refuse.token", { symbol }));
  if (config.paused) throw new Refusal(t("checkout.refuse.paused"));
  if (config.feeBps > offer.maxFeeBps) {
    throw new Refusal(
      t("checkout.refuse.feeRaised", {
        current: (Number(config.feeBps) / 100).toString(),
        max: (Number(offer.maxFeeBps) / 100).toString(),
      }),
    );
  }
  return {
    signed,
    network,
    reader,
    orderId,
    symbol,
    decimals: Number(decimals),
    feeBps: config.feeBps,
    arbitrationPeriod,
    ratingCount: rating.count,
    ratingSum: rating.sum,
    trackRecord,
    now,
  };
}

function offerCard(c: CheckedOffer): HTMLElement {
  const { offer } = c.signed;
  const money = (value: bigint) => amount(value, c.decimals, c.symbol);
  const fee = (offer.price * c.feeBps) / 10_000n;
  const rating =
    c.ratingCount === 0n
      ? t("checkout.noReviews")
      : t("checkout.rating", {
          stars: (Number(c.ratingSum) / Number(c.ratingCount)).toFixed(1),
          count: String(c.ratingCount),
        });
  const payNow = c.now;
  return h(
    "section",
    { class: "card", "aria-labelledby": "offer-title" },
    h("h2", { id: "offer-title" }, t("checkout.title")),
    h("p", { class: "price", "data-testid": "price" }, money(offer.price)),
    banner("ok", t("checkout.verified", { network: c.network.name })),
    detailsOf(c.signed),
    facts([
      [t("checkout.merchant"), h("span", { class: "mono", title: offer.merchant }, offer.merchant)],
      [t("checkout.merchantRating"), rating],
      ...(offer.buyer === ZeroAddress
        ? []
        : ([[t("checkout.reservedFor"), h("span", { class: "mono" }, offer.buyer)]] as [
            string,
            string | HTMLElement,
          ][])),
      [t("checkout.network"), c.network.name],
      [t("checkout.offerExpires"), date(offer.expiry)],
      [
        t("checkout.shipBy"),
        t("checkout.deadline", {
          date: date(payNow + offer.shipWithin),
          within: duration(offer.shipWithin),
        }),
      ],
      [
        t("checkout.deliverBy"),
        t("checkout.deadline", {
          date: date(payNow + offer.deliverWithin),
          within: duration(offer.deliverWithin),
        }),
      ],
      [
        t("checkout.inspection"),
        t("checkout.inspectionValue", { within: duration(offer.inspectionPeriod) }),
      ],
      [
        t("checkout.fee"),
        t("checkout.feeValue", {
          percent: (Number(c.feeBps) / 100).toString(),
          amount: money(fee),
        }),
      ],
      [
        t("checkout.orderRef"),
        h(
          "span",
          { class: "mono", title: c.orderId },
          `${c.orderId.slice(0, 10)}…${c.orderId.slice(-6)}`,
        ),
      ],
    ]),
    trackRecordSection(c.trackRecord, "record-title"),
    h(
      "section",
      { class: "what-if", "aria-labelledby": "what-if-title" },
      h("h3", { id: "what-if-title" }, t("checkout.whatIf")),
      h(
        "ul",
        {},
        h("li", {}, t("checkout.ifNotShipped", { date: date(payNow + offer.shipWithin) })),
        h("li", {}, t("checkout.ifNotArrived", { date: date(payNow + offer.deliverWithin) })),
        h(
          "li",
          {},
          t("checkout.ifBroken", {
            within: duration(offer.inspectionPeriod),
            ruling: duration(c.arbitrationPeriod),
          }),
        ),
        h("li", {}, t("checkout.ifFine")),
      ),
    ),
  );
}

/** What is being bought: the line's order details (their hash was checked against the signed one). */
function detailsOf(signed: SignedOffer): HTMLElement {
  const details = signed.details;
  if (details === undefined) {
    return h("p", { class: "banner banner-info" }, t("checkout.noDetails"));
  }
  return h(
    "section",
    { "aria-labelledby": "items-title" },
    h("h3", { id: "items-title" }, t("checkout.items")),
    h(
      "ul",
      { class: "items" },
      details.items.map((item) =>
        h("li", {}, t("checkout.item", { quantity: item.quantity, name: item.name })),
      ),
    ),
    details.shipping === undefined
      ? null
      : h("p", {}, t("checkout.shipping", { shipping: details.shipping })),
    details.note === undefined ? null : h("p", {}, t("checkout.note", { note: details.note })),
    h("p", { class: "hint" }, t("checkout.detailsMatch")),
  );
}

const STEP_LABEL: Record<PaymentMethod, Record<StepName, () => string>> = {
  authorization: {
    sign: () => t("pay.step.signAuthorization"),
    approve: () => "",
    pay: () => t("pay.step.pay"),
  },
  permit: { sign: () => t("pay.step.signPermit"), approve: () => "", pay: () => t("pay.step.pay") },
  approve: { sign: () => "", approve: () => t("pay.step.approve"), pay: () => t("pay.step.pay") },
};

/** The wallet half: discover, connect, switch, balance, method, pay. */
function paySection(c: CheckedOffer): HTMLElement {
  const section = h("section", { class: "card", "aria-labelledby": "pay-title" });
  const body = h("div", {});
  section.append(h("h2", { id: "pay-title" }, t("pay.title")), body);
  const { offer } = c.signed;
  const money = (value: bigint) => amount(value, c.decimals, c.symbol);

  let notice: HTMLElement | null = null;
  let wallets: DiscoveredWallet[] = [];
  let chosen = false;
  const showWallets = () => {
    if (chosen) return;
    if (wallets.length === 0) {
      replace(body, notice, h("p", {}, t("pay.noWallet")));
      return;
    }
    replace(
      body,
      notice,
      h("p", {}, t("pay.chooseWallet")),
      h(
        "ul",
        { class: "wallets" },
        wallets.map((wallet) =>
          h(
            "li",
            {},
            h(
              "button",
              { type: "button", onclick: () => void connected(wallet) },
              wallet.icon === undefined
                ? null
                : h("img", { src: wallet.icon, alt: "", width: "20", height: "20" }),
              t("pay.connect", { wallet: wallet.name }),
            ),
          ),
        ),
      ),
    );
  };

  const connected = async (wallet: DiscoveredWallet) => {
    let account: string;
    try {
      account = getAddress(await connect(wallet));
    } catch (error) {
      notice = banner("warn", isRejection(error) ? t("pay.connectRejected") : explain(error));
      showWallets();
      return;
    }
    chosen = true;
    await onChain(wallet, account);
  };

  const onChain = async (wallet: DiscoveredWallet, account: string) => {
    const chainId = await walletChainId(wallet);
    if (chainId !== c.network.chainId) {
      replace(
        body,
        h("p", { class: "mono" }, t("pay.account", { account })),
        banner(
          "warn",
          t("pay.wrongChain", {
            network: c.network.name,
            current: chainInfo(chainId)?.name ?? t("pay.chainNumber", { chainId: String(chainId) }),
          }),
        ),
        h(
          "button",
          {
            type: "button",
            onclick: async () => {
              try {
                await switchChain(wallet, c.network);
              } catch (error) {
                body.append(
                  banner("error", isRejection(error) ? t("pay.switchRejected") : explain(error)),
                );
                return;
              }
              await onChain(wallet, account);
            },
          },
          t("pay.switch", { network: c.network.name }),
        ),
      );
      return;
    }
    await ready(wallet, account);
  };

  const ready = async (wallet: DiscoveredWallet, account: string) => {
    if (offer.buyer !== ZeroAddress && getAddress(offer.buyer) !== account) {
      replace(body, banner("error", t("pay.notYourOffer", { buyer: offer.buyer })));
      return;
    }
    const [balance, choices] = await Promise.all([
      connectStablecoin(offer.token, c.reader).balanceOf(account),
      paymentChoices(c.reader, offer, account, c.network.escrow),
    ]);
    const { methods } = choices;
    const enough = balance >= offer.price;
    const sentence = t("pay.balance", { balance: money(balance), price: money(offer.price) });
    if (!enough) {
      replace(
        body,
        h("p", { class: "mono" }, t("pay.account", { account })),
        banner(
          "error",
          sentence,
          " ",
          t("pay.notEnough", { missing: money(offer.price - balance) }),
        ),
      );
      return;
    }
    let method: PaymentMethod = choices.preferred;
    const steps = h("ol", { class: "steps", "aria-label": t("pay.stepsLabel") });
    const outcome = h("div", { "aria-live": "polite" });
    const drawSteps = () =>
      replace(
        steps,
        stepsOf(method).map((step) =>
          h("li", { "data-step": step, "data-state": "waiting" }, STEP_LABEL[method][step]()),
        ),
      );
    drawSteps();
    const methodChoice = h(
      "fieldset",
      { class: "methods" },
      h("legend", {}, t("pay.method")),
      PAYMENT_METHODS.filter((m) => methods.includes(m)).map((m) =>
        h(
          "label",
          {},
          h("input", {
            type: "radio",
            name: "method",
            value: m,
            checked: m === method,
            onchange: () => {
              method = m;
              drawSteps();
            },
          }),
          t(`pay.method.${m}`),
        ),
      ),
    );
    const payButton = h(
      "button",
      { type: "button", class: "primary" },
      t("pay.pay", { price: money(offer.price) }),
    );
    payButton.addEventListener("click", async () => {
      payButton.disabled = true;
      replace(outcome);
      drawSteps();
      const mark = (step: StepName, state: string, hash?: string) => {
        const item = steps.querySelector(`[data-step="${step}"]`);
        if (item === null) return;
        item.setAttribute("data-state", state);
        const label = STEP_LABEL[method][step]();
        const note = t(`pay.state.${state}` as "pay.state.done");
        replace(
          item,
          `${label} — ${note}`,
          hash === undefined ? null : h("br"),
          hash === undefined ? null : txAnchor(c.network, hash),
        );
      };
      try {
        const signer = await signerOf(wallet, c.network, account);
        const hash = await payOffer({
          method,
          offer,
          signature: c.signed.signature,
          escrow: c.network.escrow,
          orderId: c.orderId,
          buyer: account,
          signer,
          reader: c.reader,
          onStep: (step, state, stepHash) => mark(step, state, stepHash),
        });
        mark("pay", "done", hash);
        replace(
          outcome,
          banner("ok", t("pay.paid", { price: money(offer.price) })),
          h("p", {}, txAnchor(c.network, hash)),
          h(
            "p",
            {},
            h(
              "a",
              { href: appLink(`/order/${c.network.chainId}/${c.orderId}`) },
              t("pay.followOrder"),
            ),
          ),
        );
        methodChoice.remove();
        payButton.remove();
      } catch (error) {
        for (const item of steps.querySelectorAll('[data-state="active"]')) {
          item.setAttribute("data-state", "failed");
        }
        replace(outcome, banner("error", isRejection(error) ? t("pay.rejected") : explain(error)));
        payButton.disabled = false;
      }
    });
    replace(
      body,
      h("p", { class: "mono" }, t("pay.account", { account })),
      banner("ok", sentence),
      methodChoice,
      steps,
      payButton,
      outcome,
    );
  };

  wallets = discoverWallets((found) => {
    wallets = found;
    showWallets();
  });
  showWallets();
  return section;
}

/** A transaction: a link to the explorer, or its hash where the chain has none (a local node). */
export function txAnchor(network: NetworkEntry, hash: string): HTMLElement {
  const link = txLink(network, hash);
  const text = t("tx.label", { hash: `${hash.slice(0, 10)}…${hash.slice(-6)}` });
  return link === undefined
    ? h("span", { class: "mono tx", title: hash, "data-tx": hash }, text)
    : h(
        "a",
        { href: link, target: "_blank", rel: "noopener", class: "mono tx", "data-tx": hash },
        text,
      );
}

export async function renderCheckout(root: HTMLElement, line: string): Promise<void> {
  document.title = t("checkout.pageTitle");
  if (line === "") {
    replace(root, h("h1", {}, t("checkout.heading")), pasteForm());
    return;
  }
  replace(
    root,
    h("h1", {}, t("checkout.heading")),
    h("p", { role: "status" }, t("checkout.checking")),
  );
  try {
    const checked = await check(line);
    replace(root, h("h1", {}, t("checkout.heading")), offerCard(checked), paySection(checked));
  } catch (error) {
    const sentence = error instanceof Refusal ? error.message : explain(error);
    replace(root, h("h1", {}, t("checkout.heading")), banner("error", sentence), pasteForm(line));
  }
}
