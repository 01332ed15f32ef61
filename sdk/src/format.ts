/**
 * How amounts, dates and durations are shown and read everywhere: amounts with their symbol,
 * dates with their time zone, durations in days and hours, never raw base units or Unix times.
 */

/** Amount in a token's smallest unit, printed with its decimals and symbol: "12.50 USDC". */
export function formatAmount(amount: bigint, decimals: number, symbol: string): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  const fraction = (abs % base)
    .toString()
    .padStart(decimals, "0")
    .replace(/0+$/, "")
    .padEnd(2, "0");
  return `${negative ? "-" : ""}${whole.toLocaleString("en-US")}.${fraction} ${symbol}`;
}

/** Parses "12.5" into the token's smallest unit, refusing more decimals than the token has. */
export function parseAmount(text: string, decimals: number): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (match === null)
    throw new Error(`"${text}" is not an amount (use digits and an optional decimal point)`);
  const fraction = match[2] ?? "";
  if (fraction.length > decimals) throw new Error(`"${text}" has more than ${decimals} decimals`);
  return BigInt(match[1]) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
}

/** The time zone dates are shown in unless a surface passes the user's own. */
export const DEFAULT_TIME_ZONE = "UTC";

/**
 * A Unix time in seconds as a date with its time zone, e.g. "2026-12-01 17:45 UTC" or, with
 * `timeZone: "Europe/Berlin"`, "2026-12-01 18:45 GMT+1".
 */
export function formatDate(seconds: bigint | number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  }).formatToParts(new Date(Number(seconds) * 1000));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")} ${part("timeZoneName")}`;
}

/** A date only, in UTC: "2026-12-01". */
export function formatDay(seconds: bigint | number): string {
  return new Date(Number(seconds) * 1000).toISOString().slice(0, 10);
}

/** A duration in seconds as words: "3 days", "1 day 6 hours", "45 minutes". */
export function formatDuration(seconds: bigint | number): string {
  let rest = Number(seconds);
  const units: [number, string][] = [
    [86_400, "day"],
    [3600, "hour"],
    [60, "minute"],
    [1, "second"],
  ];
  const words: string[] = [];
  for (const [size, unit] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 && words.length < 2) words.push(`${count} ${unit}${count === 1 ? "" : "s"}`);
  }
  return words.length === 0 ? "0 seconds" : words.join(" ");
}

/** A 32-byte id shortened for a sentence: "0x1a2b3c…9f8e". */
export function shortId(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex;
}
