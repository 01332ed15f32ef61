/**
 * Builds the web app with vite and serves the build on a free port, for `npm run web`, the
 * browser tests and the README screenshots. Runs in the caller's process: closing the
 * server (or the process ending) stops it.
 */
import path from "node:path";

import { build, preview } from "vite";

import type { NetworkEntry } from "../src/network-config.js";
import { freePort, projectRoot } from "../../test/e2e/harness.js";

export const webRoot = path.join(projectRoot, "web");

/** Builds the app into `outDir`, with `local` as an extra network when given. */
export async function buildApp(outDir: string, local?: NetworkEntry): Promise<void> {
  await build({
    root: webRoot,
    configFile: path.join(webRoot, "vite.config.ts"),
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
    define: { __WAYBILL_LOCAL_NETWORK__: JSON.stringify(local ?? null) },
  });
}

export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

/** Serves a build (any path falls back to index.html, as a static host should be set up). */
export async function serveApp(outDir: string): Promise<ServedApp> {
  const port = await freePort();
  const server = await preview({
    root: webRoot,
    configFile: path.join(webRoot, "vite.config.ts"),
    logLevel: "warn",
    build: { outDir },
    preview: { host: "127.0.0.1", port, strictPort: true, open: false },
  });
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
