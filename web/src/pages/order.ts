/**
 * The order page (`/order/<chainId>/<orderId>`): status, what happened (escrow events and the
 * shipment's carrier events with places), the deadlines still ahead, and the actions the
 * connected wallet may take now. It reads everything without a wallet.
 */
import { type JsonRpcProvider, type Log, type TransactionResponse, getAddress, id } from "ethers";

import {
  EVENT_CODES,
  ORDER_STATUSES,
  type Offer,
  SHIPMENT_STATUSES,
  type WaybillEscrow,
  connectEscrow,
  connectRegistry,
  connectStablecoin,
  decodeLocode,
  decodeOrdersPaid,
  type OrderV2State,
  parseAmount,
  placeName,
  readOrderState,
  splitOf,
  waitForReceipt,
} from "@waybill/sdk";

import { chainTime, readProvider } from "../chain.js";
import { banner, facts, h, replace } from "../dom.js";
import { explain } from "../errors.js";
import { amount, date, short } from "../format.js";
import { type MessageKey, t } from "../i18n.js";
import type { NetworkEntry } from "../network-config.js";
import { networkFor } from "../networks.js";
import {
  type DiscoveredWallet,
  connect,
  discoverWallets,
  signerOf,
  switchChain,
  walletChainId,
} from "../wallet.js";
import { byteCountedText, textTooLong } from "../text-field.js";
import { txAnchor } from "./checkout.js";

interface OrderView {
  network: NetworkEntry;
  reader: JsonRpcProvider;
  escrow: WaybillEscrow;
  orderId: string;
  offer: Offer;
  buyer: string;
  status: number;
  stamp: bigint;
  flags: bigint;
  symbol: string;
  decimals: number;
  now: bigint;
  arbitrationPeriod: bigint;
  /** Held, refunded, payout holder, seller side and the proposal in force, as the SDK reads them. */
  state: OrderV2State;
  escrowEvents: { name: string; args: Record<string, unknown>; time: bigint }[];
  shipment?: {
    status: number;
    events: { code: string; place: string; carrier: string; time: bigint }[];
  };
}

const FLAG_REVIEWED = 2n;
const FLAG_DELIVERY_RECORDED = 4n;

async function blockTimes(
  reader: JsonRpcProvider,
  logs: readonly Log[],
): Promise<Map<number, bigint>> {
  const numbers = [...new Set(logs.map((log) => log.blockNumber))];
  const blocks = await Promise.all(numbers.map((n) => reader.getBlock(n)));
  return new Map(numbers.map((n, i) => [n, BigInt(blocks[i]?.timestamp ?? 0)]));
}

async function load(network: NetworkEntry, orderId: string): Promise<OrderView | undefined> {
  const reader = readProvider(network);
  const escrow = connectEscrow(network.escrow, reader);
  const registry = connectRegistry(network.registry, reader);
  // Every escrow event about this order has the order id as its first indexed argument.
  const [order, logs, now, arbitrationPeriod] = await Promise.all([
    escrow.getOrder(orderId),
    reader.getLogs({
      address: network.escrow,
      topics: [null, orderId],
      fromBlock: network.fromBlock,
    }),
    chainTime(reader),
    escrow.ARBITRATION_PERIOD(),
  ]);
  const parsed = logs.flatMap((log) => {
    const event = escrow.interface.parseLog({ topics: [...log.topics], data: log.data });
    return event === null ? [] : [{ log, event }];
  });
  const [paid] = decodeOrdersPaid(escrow, logs, network.escrow);
  if (paid === undefined) return undefined;
  const { offer } = paid;
  const token = connectStablecoin(offer.token, reader);
  const shipmentId = await registry.shipmentIdOf(offer.merchant, orderId);
  const [state, symbol, decimals, shipmentView, shipmentLogs] = await Promise.all([
    readOrderState(escrow, offer, orderId),
    token.symbol(),
    token.decimals(),
    registry.getShipment(shipmentId),
    reader.getLogs({
      address: network.registry,
      topics: [null, shipmentId],
      fromBlock: network.fromBlock,
    }),
  ]);
  const times = await blockTimes(reader, [...logs, ...shipmentLogs]);
  const escrowEvents = parsed.map(({ log, event }) => ({
    name: event.name,
    args: event.args.toObject() as Record<string, unknown>,
    time: times.get(log.blockNumber) ?? 0n,
  }));
  let shipment: OrderView["shipment"];
  const shipmentStatus = Number(shipmentView.status);
  if (shipmentStatus !== 0) {
    const events: NonNullable<OrderView["shipment"]>["events"] = [];
    for (const log of shipmentLogs) {
      const event = registry.interface.parseLog({ topics: [...log.topics], data: log.data });
      if (event === null) continue;
      if (event.name === "ShipmentCreated") {
        events.push({
          code: "Created",
          place: placeName(decodeLocode(event.args.origin as string)),
          carrier: event.args.carrier as string,
          time: times.get(log.blockNumber) ?? 0n,
        });
      } else if (event.name === "ShipmentEventRecorded") {
        events.push({
          code: EVENT_CODES[Number(event.args.code)] ?? "Unknown",
          place: placeName(decodeLocode(event.args.location as string)),
          carrier: event.args.carrier as string,
          time: event.args.occurredAt as bigint,
        });
      }
    }
    const carriers = [...new Set(events.map((e) => e.carrier))];
    const codes = await Promise.all(carriers.map((c) => registry.carrierCode(c)));
    const codeOf = new Map(carriers.map((c, i) => [c, asciiCode(codes[i]) || short(c)]));
    for (const event of events) event.carrier = codeOf.get(event.carrier) ?? event.carrier;
    shipment = { status: shipmentStatus, events };
  }
  return {
    network,
    reader,
    escrow,
    orderId,
    offer,
    buyer: order.buyer,
    status: Number(order.status),
    stamp: order.stamp,
    flags: BigInt(order.flags),
    symbol,
    decimals: Number(decimals),
    now,
    arbitrationPeriod,
    state,
    escrowEvents,
    shipment,
  };
}

/** "PACF" from a right-zero-padded bytes8. */
function asciiCode(hex: string): string {
  let text = "";
  for (let i = 2; i + 1 < hex.length; i += 2) {
    const code = parseInt(hex.slice(i, i + 2), 16);
    if (code === 0) break;
    text += String.fromCharCode(code);
  }
  return text;
}

/** "The buyer", "The seller" or the address, for who acted on the order. */
function who(view: OrderView, address: unknown): string {
  const account = getAddress(String(address));
  if (account === getAddress(view.buyer)) return t("party.buyer");
  if (account === getAddress(view.offer.merchant)) return t("party.seller");
  if (view.state.assigned && account === getAddress(view.state.payoutHolder))
    return t("party.holder");
  return short(account);
}

/** One line of the order's history, and the party's own words when the event carries them. */
function escrowEventLine(
  view: OrderView,
  e: OrderView["escrowEvents"][number],
): { line: string; quote?: string } | undefined {
  const line = escrowEventText(view, e);
  if (line === undefined) return undefined;
  const text = e.name === "Reviewed" || e.name === "Evidence" ? String(e.args.text ?? "") : "";
  return text === "" ? { line } : { line, quote: text };
}

function escrowEventText(
  view: OrderView,
  e: OrderView["escrowEvents"][number],
): string | undefined {
  const money = (value: unknown) => amount(value as bigint, view.decimals, view.symbol);
  switch (e.name) {
    case "OrderPaid":
      return t("event.OrderPaid", { amount: money(view.offer.price) });
    case "OrderShipped":
      return t("event.OrderShipped");
    case "OrderDelivered":
      return t("event.OrderDelivered", { date: date(e.args.inspectionEndsAt as bigint) });
    case "OrderReleased":
      return t("event.OrderReleased", { amount: money(e.args.sellerAmount) });
    case "OrderRefunded":
      return t("event.OrderRefunded", { amount: money(e.args.amount) });
    case "Dispute":
      return t("event.Dispute");
    case "Evidence":
      return t("event.Evidence");
    case "DisputeResolved":
      return t("event.DisputeResolved", { amount: money(e.args.buyerAmount) });
    case "Reviewed":
      return t("event.Reviewed", { rating: String(e.args.rating) });
    case "PartialRefund":
      return t("event.PartialRefund", {
        amount: money(e.args.amount),
        total: money(e.args.totalRefunded),
      });
    case "PayoutAssigned":
      return t("event.PayoutAssigned", { to: String(e.args.to) });
    case "SettlementProposed":
      return t("event.SettlementProposed", {
        who: who(view, e.args.proposer),
        amount: money(e.args.buyerAmount),
      });
    case "SettlementWithdrawn":
      return t("event.SettlementWithdrawn", { who: who(view, e.args.proposer) });
    case "SettlementSignatureRevoked":
      return t("event.SettlementSignatureRevoked", {
        who: who(view, e.args.signer),
        amount: money(e.args.buyerAmount),
      });
    case "OrderSettled":
      return t("event.OrderSettled", {
        buyer: money(e.args.buyerAmount),
        seller: money(e.args.sellerAmount),
      });
    case "PassportHandedOver":
      return t("event.PassportHandedOver");
    default:
      return undefined;
  }
}

function deadlines(view: OrderView): string[] {
  const { offer, stamp, status } = view;
  const ahead: string[] = [];
  const add = (at: bigint, key: MessageKey) => {
    if (at > view.now) ahead.push(t(key, { date: date(at) }));
  };
  if (status === 1) add(stamp + offer.shipWithin, "order.deadline.shipBy");
  if (status === 1 || status === 2) add(stamp + offer.deliverWithin, "order.deadline.deliverBy");
  if (status === 3) add(stamp + offer.inspectionPeriod, "order.deadline.inspection");
  if (status === 4) add(stamp + view.arbitrationPeriod, "order.deadline.ruling");
  return ahead;
}

type Action = {
  label: string;
  /** What the action is about to do, shown above its button before anything is sent. */
  about: string;
  run: (form: FormData) => Promise<TransactionResponse[]>;
  fields?: HTMLElement[];
  /** Refuses to send (one sentence) when a field is not acceptable, e.g. a text too long. */
  check?: (form: FormData) => string | undefined;
};

/** A text the escrow bounds to MAX_TEXT_BYTES, refused here before the wallet is asked. */
function textCheck(name: string) {
  return (form: FormData): string | undefined => textTooLong(String(form.get(name) ?? ""));
}

async function actionsFor(
  view: OrderView,
  account: string,
  escrow: WaybillEscrow,
): Promise<Action[]> {
  const { offer, status, stamp, now } = view;
  const money = (value: bigint) => amount(value, view.decimals, view.symbol);
  const held = money(view.state.held);
  const isBuyer = getAddress(view.buyer) === account;
  const isMerchant = getAddress(offer.merchant) === account;
  const isSellerSide = getAddress(view.state.sellerSide) === account;
  const actions: Action[] = [];
  const textField = (name: string, label: string, type = "text", required = false) => {
    const fieldId = `field-${name}`;
    return h(
      "div",
      {},
      h("label", { for: fieldId }, label),
      h("input", { id: fieldId, name, type, required }),
    );
  };
  const send = (call: () => Promise<TransactionResponse>) => async () => [await call()];
  if (isBuyer && (status === 1 || status === 2 || status === 3)) {
    actions.push({
      label: t("order.confirm"),
      about: t("order.confirmAbout", { amount: held }),
      run: send(() => escrow.confirmReceipt(offer)),
    });
  }
  const shipmentDelivered = view.shipment?.status === 4;
  const windowOpen = status === 3 && now < stamp + offer.inspectionPeriod;
  const evidenceFields = () => [
    byteCountedText("reason", t("order.disputeText"), true),
    textField("link", t("order.disputeLink"), "url"),
  ];
  // The escrow keeps the words themselves in the Evidence event, and their hash beside the link.
  const evidence = async (form: FormData) => {
    const text = String(form.get("reason") ?? "");
    return (await escrow.submitEvidence(
      offer,
      id(text),
      String(form.get("link") ?? ""),
      text,
    )) as TransactionResponse;
  };
  if ((isBuyer || isMerchant) && (windowOpen || (status === 2 && shipmentDelivered))) {
    actions.push({
      label: t("order.dispute"),
      about: t("order.disputeAbout", { amount: held }),
      fields: evidenceFields(),
      check: textCheck("reason"),
      run: async (form) => {
        const opened = (await escrow.openDispute(offer)) as TransactionResponse;
        await waitForReceipt(view.reader, opened.hash, { intervalMs: view.reader.pollingInterval });
        return [opened, await evidence(form)];
      },
    });
  }
  if ((isBuyer || isMerchant) && status === 4) {
    actions.push({
      label: t("order.evidence"),
      about: t("order.evidenceAbout"),
      fields: evidenceFields(),
      check: textCheck("reason"),
      run: async (form) => [await evidence(form)],
    });
  }
  const shipmentFailed = view.shipment?.status === 5 || view.shipment?.status === 6;
  const refundDue =
    (status === 1 && now > stamp + offer.shipWithin) ||
    (status === 2 && (shipmentFailed || now > stamp + offer.deliverWithin));
  if (isBuyer && refundDue) {
    actions.push({
      label: t("order.refund"),
      about: t("order.refundAbout", { amount: held }),
      run: send(() => escrow.claimRefund(offer)),
    });
  }
  const settleable = status >= 1 && status <= 4;
  if (settleable && (isBuyer || isSellerSide)) {
    const proposal = view.state.proposal;
    const mine = proposal !== undefined && getAddress(proposal.proposer) === account;
    if (proposal !== undefined && !mine) {
      const paid = splitOf(view.state, proposal.buyerAmount);
      const split = {
        buyer: money(paid.buyerAmount),
        seller: money(paid.sellerAmount),
        fee: money(paid.fee),
      };
      actions.push({
        label: t("order.accept", split),
        about: t("order.acceptAbout", split),
        // The amount is repeated so that a proposal replaced meanwhile is refused, not accepted.
        run: send(() => escrow.acceptSettlement(offer, proposal.buyerAmount)),
      });
    }
    if (proposal !== undefined && mine) {
      actions.push({
        label: t("order.withdrawProposal"),
        about: t("order.withdrawProposalAbout", { amount: money(proposal.buyerAmount) }),
        run: send(() => escrow.withdrawSettlement(offer)),
      });
    }
    actions.push({
      label: t("order.propose"),
      about: t("order.proposeAbout", { amount: held }),
      fields: [
        textField(
          "buyerAmount",
          t("order.proposeAmount", { symbol: view.symbol, amount: held }),
          "text",
          true,
        ),
      ],
      run: async (form) => [
        await escrow.proposeSettlement(
          offer,
          parseAmount(String(form.get("buyerAmount") ?? ""), view.decimals),
        ),
      ],
    });
  }
  const reviewable =
    (status === 5 || status === 7) &&
    (view.flags & FLAG_DELIVERY_RECORDED) !== 0n &&
    (view.flags & FLAG_REVIEWED) === 0n;
  if (isBuyer && reviewable) {
    const stars = h(
      "fieldset",
      { class: "stars" },
      h("legend", {}, t("order.stars")),
      [1, 2, 3, 4, 5].map((n) =>
        h(
          "label",
          {},
          h("input", {
            type: "radio",
            name: "rating",
            value: String(n),
            required: true,
            checked: n === 5,
          }),
          t("order.star", { n }),
        ),
      ),
    );
    actions.push({
      label: t("order.review"),
      about: t("order.reviewAbout"),
      fields: [stars, byteCountedText("review", t("order.reviewText"))],
      check: textCheck("review"),
      run: async (form) => [
        (await escrow.review(
          offer,
          Number(form.get("rating")),
          String(form.get("review") ?? ""),
        )) as TransactionResponse,
      ],
    });
  }
  const credit = await view.escrow.credits(offer.token, account);
  if (credit > 0n) {
    actions.push({
      label: t("order.withdraw", { amount: money(credit) }),
      about: t("order.withdrawAbout"),
      run: send(() => escrow.withdrawCredit(offer.token, account)),
    });
  }
  return actions;
}

/** Partial refunds, what is still held, and who the payout was assigned to, when any applies. */
function v2Facts(view: OrderView, open: boolean): [string, HTMLElement | string][] {
  const money = (value: bigint) => amount(value, view.decimals, view.symbol);
  const { refunded, held, assigned, payoutHolder } = view.state;
  const rows: [string, HTMLElement | string][] = [];
  if (refunded > 0n) {
    rows.push([
      t("order.refunded"),
      h("span", { "data-testid": "order-refunded" }, money(refunded)),
    ]);
    if (open) rows.push([t("order.held"), money(held)]);
  }
  if (assigned) {
    rows.push([
      t("order.payoutHolder"),
      h(
        "span",
        { "data-testid": "payout-holder" },
        h("span", { class: "mono" }, payoutHolder),
        " ",
        t("order.payoutHolderNote"),
      ),
    ]);
  }
  return rows;
}

/** Where a settlement between the parties stands; the buttons are in the actions below. */
function settlementCard(view: OrderView): HTMLElement {
  const money = (value: bigint) => amount(value, view.decimals, view.symbol);
  const { proposal, held } = view.state;
  const proposed =
    proposal === undefined
      ? t("order.noProposal")
      : t(proposal.side === "buyer" ? "order.proposalFromBuyer" : "order.proposalFromSeller", {
          buyer: money(proposal.buyerAmount),
          seller: money(held - proposal.buyerAmount),
        });
  return h(
    "section",
    { class: "card", "aria-labelledby": "settlement-title", "data-testid": "settlement" },
    h("h2", { id: "settlement-title" }, t("order.settlementTitle")),
    h("p", {}, t("order.settlementIntro", { amount: money(held) })),
    h("p", { "data-testid": "proposal", class: "proposal" }, proposed),
  );
}

function render(root: HTMLElement, view: OrderView): void {
  const money = (value: bigint) => amount(value, view.decimals, view.symbol);
  const statusName = ORDER_STATUSES[view.status] ?? "None";
  // A settlement also ends an order Resolved: its own event tells it from a ruling.
  const settled = view.escrowEvents.some((e) => e.name === "OrderSettled");
  const statusText = settled
    ? t("orderStatus.Settled")
    : t(`orderStatus.${statusName}` as MessageKey);
  const timeline = view.escrowEvents.flatMap((e) => {
    const entry = escrowEventLine(view, e);
    return entry === undefined ? [] : [{ ...entry, time: e.time }];
  });
  const open = view.status >= 1 && view.status <= 4;
  const ahead = deadlines(view);
  const actionsCard = h("section", { class: "card actions", "aria-labelledby": "actions-title" });
  replace(
    root,
    h("h1", {}, t("order.heading")),
    h(
      "section",
      { class: "card", "aria-labelledby": "status-title" },
      h("h2", { id: "status-title" }, t("order.status")),
      h(
        "p",
        {
          class: "price",
          "data-testid": "order-status",
          "data-status": statusName,
          "data-settled": settled ? "yes" : undefined,
        },
        statusText,
      ),
      facts([
        [t("order.price"), money(view.offer.price)],
        ...v2Facts(view, open),
        [t("order.merchant"), h("span", { class: "mono" }, view.offer.merchant)],
        [t("order.buyer"), h("span", { class: "mono" }, view.buyer)],
        [t("checkout.network"), view.network.name],
        [
          t("checkout.orderRef"),
          h(
            "span",
            { class: "mono", title: view.orderId },
            `${view.orderId.slice(0, 10)}…${view.orderId.slice(-6)}`,
          ),
        ],
      ]),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "deadlines-title" },
      h("h2", { id: "deadlines-title" }, t("order.deadlines")),
      ahead.length === 0
        ? h("p", {}, t("order.noDeadlines"))
        : h(
            "ul",
            {},
            ahead.map((line) => h("li", {}, line)),
          ),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "timeline-title" },
      h("h2", { id: "timeline-title" }, t("order.timeline")),
      h(
        "ol",
        { class: "timeline" },
        timeline.map((e) =>
          h(
            "li",
            {},
            h("time", {}, date(e.time)),
            e.line,
            e.quote === undefined ? null : h("blockquote", { class: "party-text" }, e.quote),
          ),
        ),
      ),
    ),
    open ? settlementCard(view) : null,
    h(
      "section",
      { class: "card", "aria-labelledby": "shipment-title" },
      h("h2", { id: "shipment-title" }, t("order.shipment")),
      view.shipment === undefined
        ? h("p", {}, t("order.noShipment"))
        : [
            h(
              "p",
              {},
              t(
                `shipmentStatus.${SHIPMENT_STATUSES[view.shipment.status] ?? "None"}` as MessageKey,
              ),
            ),
            h(
              "ol",
              { class: "timeline", "aria-label": t("order.shipment") },
              view.shipment.events.map((e) =>
                h(
                  "li",
                  {},
                  h("time", {}, date(e.time)),
                  `${t(`shipmentEvent.${e.code}` as MessageKey)} · ${e.place} · ${t("shipment.by", { carrier: e.carrier })}`,
                ),
              ),
            ),
          ],
    ),
    actionsCard,
  );
  renderActions(root, actionsCard, view);
}

/** The wallet the buyer connected on this page, kept across re-renders after an action. */
let rememberedWallet: DiscoveredWallet | undefined;

function renderActions(root: HTMLElement, card: HTMLElement, view: OrderView): void {
  const body = h("div", {});
  replace(card, h("h2", { id: "actions-title" }, t("order.actions")), body);
  const wallets = discoverWallets((found) => showWallets(found));
  const showWallets = (found: DiscoveredWallet[]) => {
    if (body.dataset.connected === "yes") return;
    replace(
      body,
      h("p", {}, t("order.readOnly")),
      found.map((wallet) =>
        h(
          "button",
          { type: "button", onclick: () => void connected(wallet) },
          t("pay.connect", { wallet: wallet.name }),
        ),
      ),
    );
  };
  const connected = async (wallet: DiscoveredWallet) => {
    let account: string;
    try {
      account = getAddress(await connect(wallet));
      if ((await walletChainId(wallet)) !== view.network.chainId)
        await switchChain(wallet, view.network);
    } catch (error) {
      body.append(banner("warn", explain(error)));
      return;
    }
    body.dataset.connected = "yes";
    rememberedWallet = wallet;
    const signer = await signerOf(wallet, view.network, account);
    const escrow = connectEscrow(view.network.escrow, signer);
    const actions = await actionsFor(view, account, escrow);
    const outcome = h("div", { "aria-live": "polite" });
    replace(
      body,
      h("p", { class: "mono" }, t("pay.account", { account })),
      actions.length === 0 ? h("p", {}, t("order.noActions")) : null,
      actions.map((action) => {
        const button = h("button", { type: "submit" }, action.label);
        const form = h(
          "form",
          { "aria-label": action.label },
          h("p", { class: "hint" }, action.about),
          ...(action.fields ?? []),
          button,
        );
        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          const refused = action.check?.(new FormData(form));
          if (refused !== undefined) {
            replace(outcome, banner("error", refused));
            return;
          }
          for (const b of body.querySelectorAll("button")) b.disabled = true;
          replace(outcome, h("p", { role: "status" }, t("order.sending")));
          try {
            const sent = await action.run(new FormData(form));
            replace(
              outcome,
              h(
                "p",
                { role: "status" },
                t("order.waiting"),
                " ",
                ...sent.map((tx) => txAnchor(view.network, tx.hash)),
              ),
            );
            for (const tx of sent)
              await waitForReceipt(view.reader, tx.hash, {
                intervalMs: view.reader.pollingInterval,
              });
            const fresh = await load(view.network, view.orderId);
            if (fresh !== undefined) render(root, fresh);
            const card = root.querySelector(".actions");
            card?.append(
              banner(
                "ok",
                t("order.done"),
                " ",
                ...sent.map((tx) => txAnchor(view.network, tx.hash)),
              ),
            );
          } catch (error) {
            replace(outcome, banner("error", explain(error, view)));
            for (const b of body.querySelectorAll("button")) b.disabled = false;
          }
        });
        return form;
      }),
      outcome,
    );
  };
  if (rememberedWallet !== undefined) void connected(rememberedWallet);
  else showWallets(wallets);
}

export async function renderOrder(
  root: HTMLElement,
  chainId: number,
  orderId: string,
): Promise<void> {
  document.title = t("order.pageTitle");
  const network = networkFor(chainId);
  if (network === undefined) {
    replace(
      root,
      h("h1", {}, t("order.heading")),
      banner("error", t("order.unknownChain", { chainId })),
    );
    return;
  }
  replace(root, h("h1", {}, t("order.heading")), h("p", { role: "status" }, t("app.loading")));
  try {
    const view = await load(network, orderId);
    if (view === undefined) {
      replace(
        root,
        h("h1", {}, t("order.heading")),
        banner("error", t("order.notFound", { network: network.name })),
      );
      return;
    }
    render(root, view);
  } catch (error) {
    replace(root, h("h1", {}, t("order.heading")), banner("error", explain(error)));
  }
}
