/**
 * @waybill/sdk: everything a client needs to talk to the Waybill contracts, and nothing that
 * ties it to Node or Hardhat, so the command line, the demo, the tests, the web app and the
 * indexer share one implementation.
 */
export * from "./gs1.js";
export * from "./offer-payload.js";
export * from "./offers.js";
export * from "./passport-report.js";
export * from "./shipment-signing.js";
export * from "./signatures.js";
export * from "./timeline.js";
