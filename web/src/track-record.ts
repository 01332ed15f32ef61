/**
 * A merchant's track record as buyers see it (on the checkout page, before paying) and as the
 * merchant sees it in the console: the indexer's numbers, derived from events only, in words.
 */
import { type IndexedReview, type TrackRecord, indexerClient } from "@waybill/sdk";

import { facts, h } from "./dom.js";
import { day } from "./format.js";
import { t } from "./i18n.js";
import type { NetworkEntry } from "./network-config.js";

/** How many of the newest reviews the record quotes. */
const RECENT_REVIEWS = 3;

/**
 * The record with the newest reviews' texts, "none" when the network has no indexer,
 * "unavailable" when it did not answer.
 */
export type TrackRecordState =
  (TrackRecord & { reviews: IndexedReview[] }) | "none" | "unavailable";

export async function loadTrackRecord(
  network: NetworkEntry,
  merchant: string,
): Promise<TrackRecordState> {
  if (network.indexerUrl === "") return "none";
  try {
    const client = indexerClient(network.indexerUrl, { timeoutMs: 4000 });
    const [record, reviews] = await Promise.all([
      client.trackRecord(merchant),
      client.merchantReviews(merchant, { pageSize: RECENT_REVIEWS }),
    ]);
    return { ...record, reviews: reviews.reviews };
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
    r.reviews.length === 0
      ? null
      : h(
          "div",
          { "data-testid": "recent-reviews" },
          h("h4", {}, t("record.recentReviews")),
          h(
            "ul",
            { class: "reviews" },
            r.reviews.map((review) =>
              h(
                "li",
                {},
                t("record.reviewLine", { rating: review.rating, date: day(review.reviewedAt) }),
                review.text === "" ? null : h("blockquote", { class: "party-text" }, review.text),
              ),
            ),
          ),
        ),
    h("p", { class: "hint" }, t("record.fromEvents")),
  );
}
