/**
 * The page's language: from the browser (`navigator.language`) unless the buyer picked one in
 * the header, remembered in localStorage. Messages come from the one catalogue.
 */
import { CATALOGUE, type Language, type MessageKey } from "./catalogue.js";

export type { Language, MessageKey } from "./catalogue.js";

const STORAGE_KEY = "waybill.language";

function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === "en" || stored === "zh") return stored;
  } catch {
    // storage may be blocked; fall back to the browser's language
  }
  return navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en";
}

let current: Language = initialLanguage();

export function language(): Language {
  return current;
}

/** The BCP 47 locale for numbers and dates. */
export function locale(): string {
  return current === "zh"
    ? "zh-CN"
    : navigator.language.startsWith("en")
      ? navigator.language
      : "en";
}

export function setLanguage(next: Language): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not remembered, but still switched for this page
  }
  document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
}

export function has(key: string): key is MessageKey {
  return key in CATALOGUE.en;
}

/** The message for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = CATALOGUE[current][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
