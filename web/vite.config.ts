import { defineConfig } from "vite";

// The local shop (`npm run web`, the browser tests) passes its chain in `define`; a hosted
// build (`npm run build -w web`) knows only the SDK's deployments table.
export default defineConfig({
  base: "/",
  build: { target: "es2022", outDir: "dist", emptyOutDir: true },
  define: { __WAYBILL_LOCAL_NETWORK__: "null" },
});
