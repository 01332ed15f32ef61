/**
 * Launches a headless Chromium for the browser tests and screenshots: `CHROMIUM_PATH` when
 * set, else the one `@sparticuz/chromium` ships inside its npm package (so `npm ci` is all a
 * fresh machine needs).
 */
import chromium from "@sparticuz/chromium";
import { type Browser, chromium as playwright } from "playwright-core";

export async function launchBrowser(): Promise<Browser> {
  const systemBrowser = process.env.CHROMIUM_PATH;
  if (systemBrowser !== undefined && systemBrowser !== "") {
    return playwright.launch({ executablePath: systemBrowser, headless: true });
  }
  return playwright.launch({
    executablePath: await chromium.executablePath(),
    // Its serverless flags include --single-process, where closing one context ends the browser.
    args: chromium.args.filter((arg) => arg !== "--single-process"),
    headless: true,
  });
}
