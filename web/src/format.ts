/**
 * Amounts, dates and durations in the buyer's locale and time zone (the SDK's formatters
 * print a fixed English/UTC form for the command line and logs).
 */
import { formatUnits } from "ethers";

import { locale, t } from "./i18n.js";

/** "240.00 USDC" (grouping and decimal mark of the page's language). */
export function amount(value: bigint, decimals: number, symbol: string): string {
  const [whole, fraction = ""] = formatUnits(value, decimals).split(".");
  const digits = Math.max(2, fraction.replace(/0+$/, "").length);
  const number = new Intl.NumberFormat(locale(), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(Number(`${whole}.${fraction || "0"}`));
  return `${number} ${symbol}`;
}

/** A Unix time as a date and time in the buyer's own time zone, with the zone's name. */
export function date(seconds: bigint | number): string {
  // dateStyle/timeStyle cannot be combined with timeZoneName, so the fields are spelled out.
  return new Intl.DateTimeFormat(locale(), {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(new Date(Number(seconds) * 1000));
}

/** A Unix time as a calendar day in the buyer's time zone ("11 Nov 2026"). */
export function day(seconds: bigint | number): string {
  return new Intl.DateTimeFormat(locale(), {
    year: "numeric",
    month: "short",
    day: "numeric",
  }).format(new Date(Number(seconds) * 1000));
}

/** A duration in days and hours, in words of the page's language. */
export function duration(seconds: bigint | number): string {
  const total = Number(seconds);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const parts: string[] = [];
  if (days > 0) parts.push(t(days === 1 ? "unit.day" : "unit.days", { n: days }));
  if (hours > 0) parts.push(t(hours === 1 ? "unit.hour" : "unit.hours", { n: hours }));
  if (days === 0 && minutes > 0) parts.push(t("unit.minutes", { n: minutes }));
  return parts.length === 0 ? t("unit.minutes", { n: 0 }) : parts.join(" ");
}

/** A country's name from its ISO 3166 code ("VN" → "Vietnam"), or the code itself. */
export function country(code: string): string {
  try {
    return new Intl.DisplayNames([locale()], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** An address shortened for a line of text; the full one stays in the title. */
export function short(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}
