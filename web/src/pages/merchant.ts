/**
 * The merchant console (`/merchant`, loaded as its own chunk): connect the merchant's wallet,
 * create and sign an offer (the SDK's validation, as on the command line) and share its link
 * and QR code; the order book from the indexer (or bounded log queries, said on the page) with
 * each order's next deadline and what needs doing; ship, refund, evidence, withdraw credits; and
 * the track record buyers see at checkout.
 */
import { type JsonRpcProvider, ZeroAddress, getAddress, isAddress } from "ethers";
import encodeQR from "qr";

import {
  CIRCLE_TESTNET_STABLECOINS,
  type IndexedOrder,
  type Offer,
  ORDER_STATUSES,
  type OrderStatusName,
  connectEscrow,
  connectStablecoin,
  decodeOrdersPaid,
  offerOfIndexedOrder,
  encodeOfferLine,
  hashOrderDetails,
  indexerClient,
  isOpenOrder,
  offerProblems,
  orderIdOf,
  parseAmount,
  parseOrderItems,
  signOffer,
  splitOf,
  waitForReceipt,
} from "@waybill/sdk";

import { chainTime, readProvider } from "../chain.js";
import { banner, facts, h, replace } from "../dom.js";
import { explain } from "../errors.js";
import { amount, date, short } from "../format.js";
import { type MessageKey, t } from "../i18n.js";
import {
  type MerchantSession,
  acceptSettlement,
  assignPayout,
  offerOfOrder,
  partialRefund,
  proposeSettlement,
  orderStateWithToken,
  refundOrder,
  shipOrder,
  submitEvidence,
  withdrawCredit,
  withdrawSettlement,
} from "../merchant-actions.js";
import type { NetworkEntry } from "../network-config.js";
import { appLink, defaultNetwork } from "../networks.js";
import { byteCountedText, textTooLong } from "../text-field.js";
import { loadTrackRecord, trackRecordSection } from "../track-record.js";
import {
  type DiscoveredWallet,
  connect,
  discoverWallets,
  signerOf,
  switchChain,
  walletChainId,
} from "../wallet.js";
import { txAnchor } from "./checkout.js";

/** Without an indexer the book reads at most this many recent blocks, in chunks public RPCs accept. */
const FALLBACK_BLOCKS = 50_000;
const LOG_CHUNK = 10_000;
const REFRESH_MS = 2_000;
const PAGE_SIZE = 20;

interface TokenInfo {
  address: string;
  symbol: string;
  decimals: number;
}

interface Console extends MerchantSession {
  tokens: TokenInfo[];
  feeBps: bigint;
  arbitrationPeriod: bigint;
}

/** One row of the book, from the indexer or from the chain's logs. */
interface BookRow {
  orderId: string;
  status: string;
  buyer: string;
  token: string;
  price: bigint;
  /** Ended by the parties' settlement (the escrow shows Resolved either way); the indexer knows. */
  settled?: boolean;
  deadline?: { kind: "shipBy" | "deliverBy" | "inspectionEnds" | "rulingDeadline"; at: number };
  /** Known when the row came from the logs; else fetched when an action needs it. */
  offer?: Offer;
}

const DAY = 86_400;

/** Logs from at most FALLBACK_BLOCKS back, never before the deployment, in LOG_CHUNK ranges. */
async function boundedLogs(
  reader: JsonRpcProvider,
  network: NetworkEntry,
  topics: (string | null)[],
): Promise<{ logs: Awaited<ReturnType<JsonRpcProvider["getLogs"]>>; fromBlock: number }> {
  const latest = await reader.getBlockNumber();
  const fromBlock = Math.max(network.fromBlock, latest - FALLBACK_BLOCKS + 1);
  const ranges: [number, number][] = [];
  for (let start = fromBlock; start <= latest; start += LOG_CHUNK)
    ranges.push([start, Math.min(latest, start + LOG_CHUNK - 1)]);
  const chunks = await Promise.all(
    ranges.map(([from, to]) =>
      reader.getLogs({ address: network.escrow, topics, fromBlock: from, toBlock: to }),
    ),
  );
  return { logs: chunks.flat(), fromBlock };
}

/** The stablecoins the escrow accepts: Circle's on testnets and every token it allow-listed. */
async function acceptedTokens(
  reader: JsonRpcProvider,
  network: NetworkEntry,
): Promise<TokenInfo[]> {
  const escrow = connectEscrow(network.escrow, reader);
  const known = CIRCLE_TESTNET_STABLECOINS[String(network.chainId)];
  const candidates = new Set<string>(
    known === undefined ? [] : Object.values(known).filter((a): a is string => a !== undefined),
  );
  const topic = escrow.interface.getEvent("TokenAllowlistUpdated")!.topicHash;
  const { logs } = await boundedLogs(reader, network, [topic]);
  for (const log of logs) candidates.add(getAddress(`0x${log.topics[1].slice(26)}`));
  const tokens = await Promise.all(
    [...candidates].map(async (address) => {
      if (!(await escrow.isTokenAllowed(address))) return undefined;
      const token = connectStablecoin(address, reader);
      const [symbol, decimals] = await Promise.all([token.symbol(), token.decimals()]);
      return { address, symbol, decimals: Number(decimals) };
    }),
  );
  return tokens.filter((x): x is TokenInfo => x !== undefined);
}

// ------------------------------------------------------------------------------ offer form

function field(
  name: string,
  label: string,
  attributes: Record<string, string> = {},
  hint?: string,
): HTMLElement {
  const fieldId = `offer-${name}`;
  const input =
    attributes.type === "textarea"
      ? h("textarea", { id: fieldId, name, rows: "2", ...attributes, type: undefined })
      : h("input", { id: fieldId, name, type: "text", autocomplete: "off", ...attributes });
  if (attributes.value !== undefined && input instanceof HTMLTextAreaElement)
    input.value = attributes.value;
  return h(
    "div",
    { class: "field" },
    h("label", { for: fieldId }, label),
    input,
    hint === undefined ? null : h("p", { class: "hint" }, hint),
  );
}

/** Reads the form into an offer, or the sentences saying why it cannot be signed. */
function offerFrom(
  form: HTMLFormElement,
  session: Console,
  now: bigint,
  salt: bigint,
): { offer: Offer; details: ReturnType<typeof detailsFrom> } | { problems: string[] } {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? "").trim();
  const problems: string[] = [];
  const token = session.tokens.find((x) => x.address === text("token")) ?? session.tokens[0];
  let price = 0n;
  try {
    price = parseAmount(text("price"), token.decimals);
  } catch {
    problems.push(t("console.refuse.price", { value: text("price") }));
  }
  let details: ReturnType<typeof detailsFrom> | undefined;
  try {
    details = detailsFrom(text("items"), text("shipping"), text("note"));
    if (details.items.length === 0 && details.note === undefined)
      problems.push(t("console.refuse.nothingSold"));
  } catch (error) {
    problems.push((error as Error).message);
  }
  const buyer = text("buyer");
  if (buyer !== "" && !isAddress(buyer)) problems.push(t("console.refuse.buyer", { value: buyer }));
  const seconds = (name: string, unit: number) => {
    const value = Number(text(name));
    if (!Number.isFinite(value) || value < 0 || text(name) === "") {
      problems.push(t("console.refuse.number", { value: text(name) }));
      return 0n;
    }
    return BigInt(Math.round(value * unit));
  };
  const shipWithin = seconds("ship", DAY);
  const deliverWithin = seconds("deliver", DAY);
  const inspectionPeriod = seconds("inspection", DAY);
  const expiresIn = seconds("expires", 3600);
  const feePercent = Number(text("maxfee"));
  const maxFeeBps = Number.isFinite(feePercent) ? BigInt(Math.round(feePercent * 100)) : -1n;
  if (maxFeeBps < session.feeBps) {
    problems.push(
      t("console.refuse.maxFee", {
        value: text("maxfee"),
        current: (Number(session.feeBps) / 100).toString(),
      }),
    );
  }
  if (details === undefined || problems.length > 0) return { problems };
  const offer: Offer = {
    merchant: session.account,
    payee: session.account,
    buyer: buyer === "" ? ZeroAddress : getAddress(buyer),
    token: token.address,
    price,
    detailsHash: hashOrderDetails(details),
    shipWithin,
    deliverWithin,
    inspectionPeriod,
    maxFeeBps,
    expiry: now + expiresIn,
    salt,
  };
  // The command line's rules, from the SDK (price, lifetime, windows, deadlines' order).
  const ruled = offerProblems(offer, now);
  return ruled.length > 0 ? { problems: ruled } : { offer, details };
}

function detailsFrom(items: string, shipping: string, note: string) {
  return {
    items: parseOrderItems(items),
    ...(shipping === "" ? {} : { shipping }),
    ...(note === "" ? {} : { note }),
  };
}

function randomSalt(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return BigInt(`0x${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`);
}

function offerSection(session: Console): HTMLElement {
  const outcome = h("div", { "aria-live": "polite", id: "offer-outcome" });
  const form = h(
    "form",
    { class: "card", "aria-labelledby": "new-offer-title", novalidate: true },
    h("h2", { id: "new-offer-title" }, t("console.newOffer")),
    h(
      "div",
      { class: "field" },
      h("label", { for: "offer-token" }, t("console.token")),
      h(
        "select",
        { id: "offer-token", name: "token" },
        session.tokens.map((token) => h("option", { value: token.address }, token.symbol)),
      ),
    ),
    field("price", t("console.price"), { inputmode: "decimal", value: "" }),
    field("items", t("console.items"), { type: "textarea" }, t("console.itemsHint")),
    field("shipping", t("console.shipping")),
    field("note", t("console.note")),
    field("ship", t("console.shipWithin"), { inputmode: "decimal", value: "5" }),
    field("deliver", t("console.deliverWithin"), { inputmode: "decimal", value: "30" }),
    field("inspection", t("console.inspection"), { inputmode: "decimal", value: "3" }),
    field("expires", t("console.expires"), { inputmode: "decimal", value: "168" }),
    field("buyer", t("console.buyer"), { spellcheck: "false" }, t("console.buyerHint")),
    field(
      "maxfee",
      t("console.maxFee"),
      { inputmode: "decimal", value: (Number(session.feeBps) / 100).toString() },
      t("console.maxFeeHint", { current: (Number(session.feeBps) / 100).toString() }),
    ),
    h("button", { type: "submit", class: "primary" }, t("console.sign")),
    outcome,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]") as HTMLButtonElement;
    replace(outcome);
    const now = await chainTime(session.reader);
    const read = offerFrom(form, session, now, randomSalt());
    if ("problems" in read) {
      replace(
        outcome,
        h(
          "div",
          { class: "banner banner-error", role: "alert" },
          t("console.refused"),
          h(
            "ul",
            {},
            read.problems.map((problem) => h("li", {}, problem)),
          ),
        ),
      );
      return;
    }
    button.disabled = true;
    replace(outcome, h("p", { role: "status" }, t("console.signing")));
    try {
      const escrow = connectEscrow(session.network.escrow, session.reader);
      const signature = await signOffer(escrow, session.signer, read.offer);
      const orderId = await orderIdOf(escrow, read.offer, session.network.chainId);
      const line = encodeOfferLine({
        chainId: BigInt(session.network.chainId),
        escrow: session.network.escrow,
        offer: read.offer,
        signature,
        details: read.details,
      });
      const link = `${location.origin}${appLink("/pay")}#${line}`;
      replace(outcome, shareCard(link, orderId));
    } catch (error) {
      replace(outcome, banner("error", explain(error)));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function shareCard(link: string, orderId: string): HTMLElement {
  const qr = h("figure", {
    class: "qr",
    role: "img",
    "aria-label": t("console.qrLabel"),
    "data-testid": "offer-qr",
  });
  qr.innerHTML = encodeQR(link, "svg", { ecc: "low", border: 2 });
  const linkField = h("textarea", {
    id: "offer-link",
    rows: "3",
    readonly: true,
    "data-order-id": orderId,
  });
  linkField.value = link;
  const copied = h("span", { "aria-live": "polite" });
  return h(
    "section",
    { "aria-labelledby": "share-title" },
    banner("ok", t("console.signed")),
    h("h3", { id: "share-title" }, t("console.share")),
    h("label", { for: "offer-link" }, t("console.link")),
    linkField,
    h(
      "button",
      {
        type: "button",
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(link);
            copied.textContent = t("console.copied");
          } catch {
            linkField.select();
            copied.textContent = t("console.copyByHand");
          }
        },
      },
      t("console.copy"),
    ),
    copied,
    qr,
  );
}

// ------------------------------------------------------------------------------ order book

async function loadBook(
  session: Console,
  filter: "open" | "all",
  pageNumber: number,
): Promise<{ rows: BookRow[]; pages: number; source: "indexer" | { fromBlock: number } }> {
  if (session.network.indexerUrl !== "") {
    const page = await indexerClient(session.network.indexerUrl).merchantOrders(session.account, {
      status: filter,
      page: pageNumber,
      pageSize: PAGE_SIZE,
    });
    return {
      source: "indexer",
      pages: page.pages,
      rows: page.orders.map((o: IndexedOrder) => ({
        orderId: o.id,
        status: o.status,
        settled: o.settlement !== null,
        buyer: o.buyer,
        token: o.token,
        price: BigInt(o.price),
        deadline: o.nextDeadline ?? undefined,
        offer: offerOfIndexedOrder(o),
      })),
    };
  }
  const escrow = connectEscrow(session.network.escrow, session.reader);
  const topic = escrow.interface.getEvent("OrderPaid")!.topicHash;
  const merchantTopic = `0x${session.account.slice(2).toLowerCase().padStart(64, "0")}`;
  const { logs, fromBlock } = await boundedLogs(session.reader, session.network, [
    topic,
    null,
    merchantTopic,
  ]);
  const paid = decodeOrdersPaid(escrow, logs, session.network.escrow).reverse();
  const states = await Promise.all(paid.map((p) => escrow.getOrder(p.orderId)));
  const rows = paid.map((p, i): BookRow => {
    const state = states[i];
    const status = ORDER_STATUSES[Number(state.status)] ?? "None";
    const stamp = Number(state.stamp);
    const deadline: BookRow["deadline"] =
      status === "Paid"
        ? { kind: "shipBy", at: stamp + Number(p.offer.shipWithin) }
        : status === "Shipped"
          ? { kind: "deliverBy", at: stamp + Number(p.offer.deliverWithin) }
          : status === "Delivered"
            ? { kind: "inspectionEnds", at: stamp + Number(p.offer.inspectionPeriod) }
            : status === "Disputed"
              ? { kind: "rulingDeadline", at: stamp + Number(session.arbitrationPeriod) }
              : undefined;
    return {
      orderId: p.orderId,
      status,
      buyer: p.buyer,
      token: p.offer.token,
      price: p.offer.price,
      deadline,
      offer: p.offer,
    };
  });
  return {
    source: { fromBlock },
    pages: 1,
    rows: filter === "open" ? rows.filter((r) => isOpenOrder(r.status as OrderStatusName)) : rows,
  };
}

/** What the merchant should do about an order now, in one sentence. */
function needs(row: BookRow, now: number): string {
  const at = row.deadline === undefined ? "" : date(row.deadline.at);
  switch (row.status) {
    case "Paid":
      return now > (row.deadline?.at ?? 0)
        ? t("console.needs.shipLate", { date: at })
        : t("console.needs.ship", { date: at });
    case "Shipped":
      return t("console.needs.carrier", { date: at });
    case "Delivered":
      return t("console.needs.inspection", { date: at });
    case "Disputed":
      return t("console.needs.evidence", { date: at });
    default:
      return t("console.needs.nothing");
  }
}

function bookSection(session: Console, onChanged: () => void): HTMLElement {
  const list = h("div", { class: "book" });
  // What the last action did: outside the list, so a refresh of the list keeps it.
  const notice = h("div", { "aria-live": "polite", "data-testid": "book-notice" });
  const sourceNote = h("div", {});
  let filter: "open" | "all" = "all";
  let pageNumber = 1;
  let lastKey = "";
  const pager = h("nav", { "aria-label": t("console.pages") });
  const filterSelect = h(
    "select",
    {
      id: "book-filter",
      onchange: () => {
        filter = filterSelect.value as "open" | "all";
        pageNumber = 1;
        void refresh(true);
      },
    },
    h("option", { value: "all" }, t("console.filter.all")),
    h("option", { value: "open" }, t("console.filter.open")),
  );
  const section = h(
    "section",
    { class: "card", "aria-labelledby": "book-title" },
    h("h2", { id: "book-title" }, t("console.book")),
    h("label", { for: "book-filter" }, t("console.filter")),
    filterSelect,
    h("button", { type: "button", onclick: () => void refresh(true) }, t("console.refresh")),
    sourceNote,
    notice,
    list,
    pager,
  );
  const refresh = async (force = false) => {
    // An action form left open (or still loading its state) is never swept away by a refresh.
    if (!force && list.querySelector("form, .panel-loading") !== null) return;
    let book: Awaited<ReturnType<typeof loadBook>>;
    try {
      book = await loadBook(session, filter, pageNumber);
    } catch (error) {
      replace(sourceNote, banner("error", t("console.bookFailed", { reason: explain(error) })));
      return;
    }
    replace(
      sourceNote,
      book.source === "indexer"
        ? h("p", { class: "hint" }, t("console.fromIndexer"))
        : banner("warn", t("console.noIndexer", { block: book.source.fromBlock })),
    );
    const turn = (to: number) => () => {
      pageNumber = to;
      void refresh(true);
    };
    replace(
      pager,
      book.pages <= 1
        ? null
        : [
            pageNumber > 1
              ? h(
                  "button",
                  { type: "button", onclick: turn(pageNumber - 1) },
                  t("console.previous"),
                )
              : null,
            h("span", {}, t("console.page", { page: pageNumber, pages: book.pages })),
            pageNumber < book.pages
              ? h("button", { type: "button", onclick: turn(pageNumber + 1) }, t("console.next"))
              : null,
          ],
    );
    const key = `${pageNumber}/${book.pages}:${book.rows.map((r) => `${r.orderId}:${r.status}`).join(",")}`;
    if (!force && key === lastKey) return;
    lastKey = key;
    const now = Number(await chainTime(session.reader));
    replace(
      list,
      book.rows.length === 0
        ? h("p", {}, t("console.noOrders"))
        : book.rows.map((row) =>
            orderCard(session, row, now, notice, () => void refresh(), onChanged),
          ),
    );
  };
  void refresh(true);
  const timer = setInterval(() => {
    if (!section.isConnected) clearInterval(timer);
    else void refresh();
  }, REFRESH_MS);
  return section;
}

function orderCard(
  session: Console,
  row: BookRow,
  now: number,
  notice: HTMLElement,
  refresh: () => void,
  onChanged: () => void,
): HTMLElement {
  const token = session.tokens.find((x) => x.address.toLowerCase() === row.token.toLowerCase());
  const money =
    token === undefined ? row.price.toString() : amount(row.price, token.decimals, token.symbol);
  const panel = h("div", {});
  const outcome = h("div", { "aria-live": "polite" });
  const label = `${short(row.orderId)}`;
  const offer = async () => row.offer ?? (row.offer = await offerOfOrder(session, row.orderId));
  const act = async (
    form: HTMLFormElement,
    run: (o: Offer, data: FormData) => Promise<{ hash: string }[]>,
  ) => {
    for (const b of form.querySelectorAll("button")) b.disabled = true;
    replace(outcome, h("p", { role: "status" }, t("order.sending")));
    try {
      const sent = await run(await offer(), new FormData(form));
      replace(
        outcome,
        h(
          "p",
          { role: "status" },
          t("order.waiting"),
          " ",
          ...sent.map((tx) => txAnchor(session.network, tx.hash)),
        ),
      );
      for (const tx of sent)
        await waitForReceipt(session.reader, tx.hash, {
          intervalMs: session.reader.pollingInterval,
        });
      replace(panel);
      replace(outcome);
      replace(
        notice,
        banner(
          "ok",
          t("console.actionDone", { order: label }),
          " ",
          ...sent.map((tx) => txAnchor(session.network, tx.hash)),
        ),
      );
      refreshSoon(refresh);
      onChanged();
    } catch (error) {
      replace(outcome, banner("error", explain(error, token)));
      for (const b of form.querySelectorAll("button")) b.disabled = false;
    }
  };
  const input = (name: string, text: string, attributes: Record<string, string> = {}) => {
    const fieldId = `${name}-${row.orderId.slice(2, 10)}`;
    return h(
      "div",
      { class: "field" },
      h("label", { for: fieldId }, text),
      h("input", { id: fieldId, name, type: "text", autocomplete: "off", ...attributes }),
    );
  };
  /** One action's form: what it is about to do, its fields, and the button that sends it. */
  const formFor = (
    title: string,
    fields: HTMLElement[],
    submit: string,
    run: Parameters<typeof act>[1],
    about?: string,
    check?: (data: FormData) => string | undefined,
  ) => {
    const form = h(
      "form",
      { "aria-label": title },
      about === undefined ? null : h("p", { class: "hint" }, about),
      ...fields,
      h("button", { type: "submit", class: "primary" }, submit),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const refused = check?.(new FormData(form));
      if (refused !== undefined) replace(outcome, banner("error", refused));
      else void act(form, run);
    });
    return form;
  };
  const closeButton = () =>
    h("button", { type: "button", onclick: () => replace(panel) }, t("console.close"));
  const show = (...forms: HTMLElement[]) => {
    replace(panel, ...forms, closeButton());
    panel.querySelector<HTMLElement>("input, textarea")?.focus();
  };
  const open = (...form: Parameters<typeof formFor>) => show(formFor(...form));
  /** Reads the order's payout holder, held amount and proposal from the chain, then shows forms. */
  const openWithState = (
    build: (
      state: Awaited<ReturnType<typeof orderStateWithToken>>,
      format: (value: bigint) => string,
    ) => HTMLElement[] | string,
  ) => {
    replace(panel, h("p", { role: "status", class: "panel-loading" }, t("console.loading")));
    void (async () => {
      try {
        const state = await orderStateWithToken(session, row.orderId, await offer());
        const format = (value: bigint) => amount(value, state.decimals, state.symbol);
        const forms = build(state, format);
        if (typeof forms === "string") replace(panel, banner("warn", forms), closeButton());
        else show(...forms);
      } catch (error) {
        replace(panel, banner("error", explain(error)), closeButton());
      }
    })();
  };
  const buttons: HTMLElement[] = [];
  const action = (text: string, onclick: () => void) =>
    buttons.push(
      h("button", { type: "button", "aria-label": `${text} · ${label}`, onclick }, text),
    );
  if (row.status === "Paid") {
    action(t("console.ship"), () =>
      open(
        t("console.shipTitle"),
        [
          input("carrier", t("console.carrier"), { spellcheck: "false" }),
          input("origin", t("console.origin"), { placeholder: "VNSGN" }),
          input("destination", t("console.destination"), { placeholder: "DEHAM" }),
          input("passports", t("console.passports"), { spellcheck: "false" }),
          input("documents", t("console.documents")),
        ],
        t("console.shipSubmit"),
        (o, data) => {
          const text = (name: string) => String(data.get(name) ?? "").trim();
          const passportIds = text("passports")
            .split(/[\s,]+/)
            .filter((x) => x !== "")
            .map((x) => BigInt(x));
          return shipOrder(session, row.orderId, o, {
            carrier: text("carrier"),
            origin: text("origin"),
            destination: text("destination"),
            documents: text("documents"),
            passportIds,
          });
        },
      ),
    );
  }
  if (row.status === "Paid" || row.status === "Shipped") {
    action(t("console.refund"), () =>
      open(t("console.refundTitle", { amount: money }), [], t("console.refundSubmit"), (o) =>
        refundOrder(session, o),
      ),
    );
  }
  if (row.status === "Delivered" || row.status === "Disputed") {
    // One card per order on the page: the field's name (and so its id) carries the order's.
    const words = `evidence-${row.orderId.slice(2, 10)}`;
    action(t("console.evidence"), () =>
      open(
        t("console.evidenceTitle"),
        [
          byteCountedText(words, t("order.disputeText")),
          input("uri", t("order.disputeLink"), { type: "url" }),
        ],
        t("console.evidenceSubmit"),
        (o, data) =>
          submitEvidence(session, o, String(data.get(words) ?? ""), String(data.get("uri") ?? "")),
        t("console.evidenceAbout"),
        (data) => textTooLong(String(data.get(words) ?? "")),
      ),
    );
  }
  if (isOpenOrder(row.status as OrderStatusName)) {
    const amountOf = (data: FormData, name: string, decimals: number) =>
      parseAmount(String(data.get(name) ?? ""), decimals);
    action(t("console.partialRefund"), () =>
      openWithState((state, format) =>
        getAddress(state.sellerSide) !== session.account
          ? t("console.notSellerSide", { holder: state.sellerSide })
          : [
              formFor(
                t("console.partialRefundTitle"),
                [
                  input(
                    "partial",
                    t("console.partialRefundAmount", {
                      symbol: state.symbol,
                      held: format(state.held),
                    }),
                    { inputmode: "decimal" },
                  ),
                ],
                t("console.partialRefundSubmit"),
                (o, data) => partialRefund(session, o, amountOf(data, "partial", state.decimals)),
                t("console.partialRefundAbout", { held: format(state.held) }),
              ),
            ],
      ),
    );
    action(t("console.assign"), () =>
      openWithState((state) =>
        getAddress(state.payoutHolder) !== session.account
          ? t("console.notHolder", { holder: state.payoutHolder })
          : [
              formFor(
                t("console.assignTitle"),
                [input("holder", t("console.assignTo"), { spellcheck: "false" })],
                t("console.assignSubmit"),
                (o, data) => assignPayout(session, o, String(data.get("holder") ?? "").trim()),
                t("console.assignAbout", { holder: state.payoutHolder }),
              ),
            ],
      ),
    );
    action(t("console.settle"), () =>
      openWithState((state, format) => {
        if (getAddress(state.sellerSide) !== session.account)
          return t("console.notSellerSide", { holder: state.sellerSide });
        const forms: HTMLElement[] = [];
        const { proposal } = state;
        if (proposal !== undefined) {
          const split = {
            buyer: format(proposal.buyerAmount),
            seller: format(state.held - proposal.buyerAmount),
          };
          const paidOut = (paid: ReturnType<typeof splitOf>) => ({
            buyer: format(paid.buyerAmount),
            seller: format(paid.sellerAmount),
            fee: format(paid.fee),
          });
          const mine = getAddress(proposal.proposer) === session.account;
          forms.push(
            h(
              "p",
              { "data-testid": "console-proposal" },
              t(mine ? "console.proposalMine" : "console.buyerProposes", split),
            ),
            mine
              ? formFor(
                  t("order.withdrawProposal"),
                  [],
                  t("order.withdrawProposal"),
                  (o) => withdrawSettlement(session, o),
                  t("order.withdrawProposalAbout", { amount: split.buyer }),
                )
              : formFor(
                  t("console.acceptTitle"),
                  [],
                  t("console.acceptSubmit"),
                  (o) => acceptSettlement(session, o, proposal.buyerAmount),
                  t("order.acceptAbout", paidOut(splitOf(state, proposal.buyerAmount))),
                ),
          );
        }
        forms.push(
          formFor(
            t("console.settleTitle"),
            [
              input(
                "buyer-amount",
                t("order.proposeAmount", { symbol: state.symbol, amount: format(state.held) }),
                { inputmode: "decimal" },
              ),
            ],
            t("console.proposeSubmit"),
            (o, data) =>
              proposeSettlement(session, o, amountOf(data, "buyer-amount", state.decimals)),
            t("order.proposeAbout", { amount: format(state.held) }),
          ),
        );
        return forms;
      }),
    );
  }
  return h(
    "article",
    {
      class: "order-row",
      "aria-label": t("console.orderLabel", { order: label }),
      "data-order-id": row.orderId,
      "data-status": row.status,
    },
    h(
      "h3",
      {},
      `${row.settled === true ? t("orderStatus.Settled") : t(`orderStatus.${row.status}` as MessageKey)} · ${money}`,
    ),
    facts([
      [t("order.buyer"), h("span", { class: "mono", title: row.buyer }, short(row.buyer))],
      [t("console.nextStep"), needs(row, now)],
    ]),
    h(
      "p",
      { class: "row-actions" },
      ...buttons,
      h(
        "a",
        { href: appLink(`/order/${session.network.chainId}/${row.orderId}`) },
        t("console.openOrder"),
      ),
    ),
    panel,
    outcome,
  );
}

function refreshSoon(refresh: () => void): void {
  // The indexer sees the new block a moment after the receipt.
  setTimeout(refresh, 800);
  setTimeout(refresh, 2500);
}

// ------------------------------------------------------------------------------ credits

/**
 * The credits card and a `redraw` for the order book to call after its actions. The card stays
 * one element for the page's life, and a redraw never overtakes a newer one or a withdrawal in
 * flight: replacing the card mid-withdrawal would leave the page showing a stale button while the
 * withdrawal finished on a detached copy.
 */
function creditsSection(session: Console): { section: HTMLElement; redraw: () => void } {
  const body = h("div", {});
  const section = h(
    "section",
    { class: "card", "aria-labelledby": "credits-title" },
    h("h2", { id: "credits-title" }, t("console.credits")),
    body,
  );
  let generation = 0;
  let withdrawing = false;
  const draw = async (): Promise<void> => {
    const mine = ++generation;
    const escrow = connectEscrow(session.network.escrow, session.reader);
    const credits = await Promise.all(
      session.tokens.map((token) => escrow.credits(token.address, session.account)),
    );
    if (mine !== generation) return;
    const owed = session.tokens
      .map((token, i) => ({ token, credit: credits[i] }))
      .filter((x) => x.credit > 0n);
    const outcome = h("div", { "aria-live": "polite" });
    replace(
      body,
      owed.length === 0 ? h("p", {}, t("console.noCredits")) : null,
      owed.map(({ token, credit }) =>
        h(
          "button",
          {
            type: "button",
            onclick: async (event: Event) => {
              (event.currentTarget as HTMLButtonElement).disabled = true;
              withdrawing = true;
              try {
                const [tx] = await withdrawCredit(session, token.address);
                await waitForReceipt(session.reader, tx.hash, {
                  intervalMs: session.reader.pollingInterval,
                });
                withdrawing = false;
                await draw();
                body.append(banner("ok", t("order.done"), " ", txAnchor(session.network, tx.hash)));
              } catch (error) {
                withdrawing = false;
                replace(outcome, banner("error", explain(error)));
              }
            },
          },
          t("order.withdraw", { amount: amount(credit, token.decimals, token.symbol) }),
        ),
      ),
      outcome,
    );
  };
  void draw();
  return {
    section,
    redraw: () => {
      if (!withdrawing) void draw();
    },
  };
}

// ------------------------------------------------------------------------------ page

async function startConsole(root: HTMLElement, network: NetworkEntry, wallet: DiscoveredWallet) {
  const account = getAddress(await connect(wallet));
  if ((await walletChainId(wallet)) !== network.chainId) await switchChain(wallet, network);
  const reader = readProvider(network);
  const escrow = connectEscrow(network.escrow, reader);
  const [signer, tokens, config, arbitrationPeriod] = await Promise.all([
    signerOf(wallet, network, account),
    acceptedTokens(reader, network),
    escrow.config(),
    escrow.ARBITRATION_PERIOD(),
  ]);
  const session: Console = {
    network,
    reader,
    signer,
    account,
    tokens,
    feeBps: config.feeBps,
    arbitrationPeriod,
  };
  const record = h("section", { class: "card", "aria-labelledby": "console-record-title" });
  const credits = creditsSection(session);
  const drawRecord = async () =>
    replace(
      record,
      trackRecordSection(await loadTrackRecord(network, account), "console-record-title"),
    );
  void drawRecord();
  replace(
    root,
    h("h1", {}, t("console.heading")),
    h("p", { class: "mono", "data-testid": "merchant-account" }, t("pay.account", { account })),
    h("p", {}, t("console.network", { network: network.name })),
    offerSection(session),
    bookSection(session, () => {
      void drawRecord();
      credits.redraw();
    }),
    credits.section,
    record,
  );
}

export async function renderMerchant(root: HTMLElement): Promise<void> {
  document.title = t("console.pageTitle");
  const network = defaultNetwork();
  if (network === undefined) {
    replace(root, h("h1", {}, t("console.heading")), banner("error", t("console.noNetwork")));
    return;
  }
  const body = h("div", {});
  replace(root, h("h1", {}, t("console.heading")), h("p", {}, t("console.intro")), body);
  const show = (wallets: DiscoveredWallet[]) => {
    if (body.dataset.connected === "yes") return;
    replace(
      body,
      wallets.length === 0 ? h("p", {}, t("pay.noWallet")) : h("p", {}, t("console.connect")),
      wallets.map((wallet) =>
        h(
          "button",
          {
            type: "button",
            onclick: async () => {
              body.dataset.connected = "yes";
              try {
                await startConsole(root, network, wallet);
              } catch (error) {
                body.dataset.connected = "";
                show(wallets);
                body.append(banner("error", explain(error)));
              }
            },
          },
          t("pay.connect", { wallet: wallet.name }),
        ),
      ),
    );
  };
  show(discoverWallets(show));
}
