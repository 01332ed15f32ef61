/**
 * @waybill/sdk: everything a client needs to talk to the Waybill contracts, and nothing that
 * ties it to Node or Hardhat, so the command line, the demo, the tests, the web app and the
 * indexer share one implementation.
 */
export * from "./contracts.js";
export * from "./deployments.js";
export * from "./errors.js";
export * from "./format.js";
export * from "./gs1.js";
export * from "./indexer-client.js";
export * from "./names.js";
export * from "./offer-line.js";
export * from "./offer-validation.js";
export * from "./offers.js";
export * from "./order-history.js";
export * from "./order-state.js";
export * from "./passport-report.js";
export * from "./passport-shipments.js";
export * from "./payment.js";
export * from "./places.js";
export * from "./receipts.js";
export * from "./settlement.js";
export * from "./shipment-signing.js";
export * from "./shipping.js";
export * from "./signatures.js";
export * from "./stablecoins.js";
export * from "./texts.js";
export * from "./timeline.js";
