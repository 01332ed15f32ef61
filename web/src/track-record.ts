/**
 * A merchant's track record as buyers see it (on the checkout page, before paying) and as the
 * merchant sees it in the console: the indexer's numbers, derived from events only, in words.
 */
import { type TrackRecord, indexerClient } from "@waybill/sdk";

import { facts, h } from "./dom.js";
import { day } from "./format.js";
import { t } from "./i18n.js";
import type { NetworkEntry } from "./network-config.js";

/** The record, "none" when the network has no indexer, "unavailable" when it did not answer. */
export type TrackRecordState = TrackRecord | "none" | "unavailable";

export async function loadTrackRecord(
  network: NetworkEntry,
  merchant: string,
): Promise<TrackRecordState> {
  if (network.indexerUrl === "") return "none";
  try {
    return await indexerClient(network.indexerUrl, { timeoutMs: 4000 }).trackRecord(merchant);
  } catch {
    return "unavailable";
  }
}

const percent = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 100)}%`);

/** The track record section; `titleId` names its heading for screen readers. */
export function trackRecordSection(state: TrackRecordState, titleId: string): HTMLElement {
  const heading = h("h3", { id: titleId }, t("record.title"));
  const section = (...children: (HTMLElement | null)[]) =>
    h(
      "section",
      { class: "track-record", "aria-labelledby": titleId, "data-testid": "track-record" },
      heading,
      ...children,
    );
  if (state === "none") return section(h("p", { class: "hint" }, t("record.noIndexer")));
  if (state === "unavailable") return section(h("p", { class: "hint" }, t("record.unavailable")));
  if (!state.hasHistory) return section(h("p", {}, t("record.noHistory")));
  const r = state;
  return section(
    facts([
      [
        t("record.orders"),
        t("record.ordersValue", {
          completed: r.orders.completed,
          total: r.orders.total,
          open: r.orders.open,
        }),
      ],
      [
        t("record.shipping"),
        t("record.rateValue", {
          rate: percent(r.shipping.onTimeRate),
          onTime: r.shipping.onTime,
          due: r.shipping.due,
        }),
      ],
      [
        t("record.delivery"),
        t("record.rateValue", {
          rate: percent(r.delivery.onTimeRate),
          onTime: r.delivery.onTime,
          due: r.delivery.due,
        }),
      ],
      [
        t("record.refunds"),
        t("record.refundsValue", {
          total: r.refunds.total,
          notShipped: r.refunds.byReason.NotShippedInTime ?? 0,
          cancelled: r.refunds.byReason.MerchantCancelled ?? 0,
        }),
      ],
      [
        t("record.disputes"),
        t("record.disputesValue", {
          opened: r.disputes.opened,
          buyerWon: r.disputes.buyerWon,
          merchantWon: r.disputes.merchantWon,
          split: r.disputes.split + r.disputes.defaultRuling,
          settled: r.disputes.settled,
        }),
      ],
      [
        t("record.ratings"),
        r.ratings.count === 0
          ? t("checkout.noReviews")
          : t("checkout.rating", {
              stars: (r.ratings.average ?? 0).toFixed(1),
              count: String(r.ratings.count),
            }),
      ],
      [
        t("record.since"),
        r.firstOrderAt === null || r.lastOrderAt === null
          ? "—"
          : t("record.sinceValue", { first: day(r.firstOrderAt), last: day(r.lastOrderAt) }),
      ],
    ]),
    h("p", { class: "hint" }, t("record.fromEvents")),
  );
}
