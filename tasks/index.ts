/**
 * Waybill's command line: one namespace per role, like `ignition deploy`.
 *   npx hardhat waybill deploy --network sepolia
 *   npx hardhat merchant offer --token USDC --price 120 --details "order #1042" --network sepolia
 *   npx hardhat buyer pay --order <offer line> --network sepolia
 * Every command prints what it does, waits for confirmations with a progress line, shows the
 * transaction hash and gas used, and fails with one line (never a stack trace).
 */
import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

function common<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) {
  return builder
    .addOption({
      name: "account",
      description:
        "Index of the signing account among the network's accounts (default on a local node: the command's role in the map `waybill deploy` prints)",
      type: ArgumentType.INT,
      defaultValue: -1,
    })
    .addOption({
      name: "deploymentId",
      description:
        "Ignition deployment to use (default: chain-<chainId>, or WAYBILL_DEPLOYMENT_ID)",
      defaultValue: "",
    });
}

const order = {
  name: "order" as const,
  description: "Order id, the offer line the merchant shared, or a file holding it",
  defaultValue: "",
};

const evidenceText = {
  name: "text" as const,
  description:
    "What the evidence shows, in words (up to 1,000 bytes of UTF-8, kept in full in the event for anyone to read)",
  defaultValue: "",
};

/**
 * `<role> settle`: the parties' own split of what the escrow holds, one action per call. The
 * merchant's side is the seller side: the merchant, or the payout's holder once assigned.
 */
function settleTask(role: "merchant" | "buyer") {
  const other = role === "buyer" ? "merchant" : "buyer";
  return common(
    task(
      [role, "settle"],
      `Settle an open order with the ${other === "buyer" ? "buyer" : "seller side"}: propose, accept, withdraw, sign or submit a split`,
    ),
  )
    .addOption(order)
    .addOption({
      name: "buyerAmount",
      description:
        "Tokens the buyer gets, e.g. 40 (the seller side gets the rest of what is held, less the fee): proposes it on-chain, or with --sign signs it",
      defaultValue: "",
    })
    .addFlag({
      name: "accept",
      description: `Accept the ${other === "buyer" ? "buyer's" : "seller side's"} on-chain proposal (with --buyer-amount: only if it is that amount)`,
    })
    .addFlag({ name: "withdraw", description: "Withdraw your own on-chain proposal" })
    .addFlag({
      name: "sign",
      description: `Sign the split off-chain (no gas) and print a settlement line the ${other} submits`,
    })
    .addOption({
      name: "valid",
      description: "With --sign: how long the signed split can be submitted",
      defaultValue: "3d",
    })
    .addOption({
      name: "out",
      description: "With --sign: also write the settlement line to this file",
      defaultValue: "",
    })
    .addOption({
      name: "signature",
      description: `Submit the ${other}'s settlement line (or a file holding it): the order ends in this transaction`,
      defaultValue: "",
    })
    .addOption({
      name: "revoke",
      description:
        "Revoke a settlement line you signed (or a file holding it) before it is submitted",
      defaultValue: "",
    })
    .setInlineAction(async (args, hre) =>
      (await import("./actions/settle.js")).settleAs(role)(args, hre),
    )
    .build();
}

/** `<role> withdraw`: pulls what was credited to the caller because a push failed. */
function withdrawTask(role: "merchant" | "buyer", what: string) {
  return common(
    task(
      [role, "withdraw"],
      `Withdraw ${what} credited to you (e.g. while your address was frozen)`,
    ),
  )
    .addOption({
      name: "token",
      description: "Stablecoin: USDC, EURC or an address",
      defaultValue: "USDC",
    })
    .addOption({
      name: "to",
      description: "Send to this address instead of yours",
      defaultValue: "",
    })
    .setInlineAction(async (args, hre) =>
      (await import("./actions/merchant.js")).withdrawAs(role)(args, hre),
    )
    .build();
}

const merchant = emptyTask(
  "merchant",
  "Sell: sign offers, ship orders, cancel or refund in full or in part, settle, assign payouts, withdraw",
).build();
const merchantOffer = common(
  task(["merchant", "offer"], "Sign an offer off-chain and print the line to send the buyer"),
)
  .addOption({
    name: "token",
    description: "Stablecoin: USDC, EURC or an address",
    defaultValue: "USDC",
  })
  .addOption({ name: "price", description: "Price in whole tokens, e.g. 120.50", defaultValue: "" })
  .addOption({
    name: "items",
    description: 'What is sold, e.g. "2 Celadon vase; 1 Tea bowl" (shown to the buyer in the line)',
    defaultValue: "",
  })
  .addOption({
    name: "shipping",
    description: 'Shipping terms, e.g. "DAP Hamburg, sea freight"',
    defaultValue: "",
  })
  .addOption({
    name: "details",
    description: "A note for the buyer (carried in the line; only its hash goes on-chain)",
    defaultValue: "",
  })
  .addOption({
    name: "buyer",
    description: "Reserve the offer for one buyer address (default: anyone)",
    defaultValue: "",
  })
  .addOption({
    name: "payee",
    description: "Where the payout goes (default: your account)",
    defaultValue: "",
  })
  .addOption({ name: "shipWithin", description: "Time to ship after payment", defaultValue: "7d" })
  .addOption({
    name: "deliverWithin",
    description: "Time to deliver after payment",
    defaultValue: "30d",
  })
  .addOption({
    name: "inspection",
    description: "Buyer's inspection window after delivery (at least 1 day)",
    defaultValue: "3d",
  })
  .addOption({
    name: "maxFeeBps",
    description: "Highest platform fee you accept, in basis points (default: the current fee)",
    defaultValue: "",
  })
  .addOption({
    name: "expires",
    description: "How long the offer can be paid (at least 10 minutes)",
    defaultValue: "2d",
  })
  .addOption({
    name: "out",
    description: "Also write the offer line to this file",
    defaultValue: "",
  })
  .setInlineAction(async (args, hre) => (await import("./actions/merchant.js")).offer(args, hre))
  .build();
const merchantShip = common(
  task(["merchant", "ship"], "Register the order's shipment with its first carrier and link it"),
)
  .addOption(order)
  .addOption({
    name: "carrier",
    description: "Registered carrier taking the goods first",
    defaultValue: "",
  })
  .addOption({ name: "origin", description: "UN/LOCODE of origin, e.g. CNSHA", defaultValue: "" })
  .addOption({
    name: "destination",
    description: "UN/LOCODE of destination, e.g. DEHAM",
    defaultValue: "",
  })
  .addOption({
    name: "documents",
    description: "Reference of the shipping documents (hashed)",
    defaultValue: "",
  })
  .addOption({
    name: "passports",
    description: "Passport token ids travelling along, comma-separated",
    defaultValue: "",
  })
  .setInlineAction(async (args, hre) => (await import("./actions/merchant.js")).ship(args, hre))
  .build();
const merchantCancel = common(
  task(["merchant", "cancel"], "Cancel an unpaid offer, or refund a paid order before delivery"),
)
  .addOption(order)
  .setInlineAction(async (args, hre) => (await import("./actions/merchant.js")).cancel(args, hre))
  .build();
const merchantEvidence = common(
  task(["merchant", "evidence"], "Submit the seller's evidence on a delivered or disputed order"),
)
  .addOption(order)
  .addOption({
    name: "evidence",
    description: "Evidence reference or hash (e.g. the courier's proof of delivery)",
    defaultValue: "",
  })
  .addOption({ name: "uri", description: "Where the evidence can be seen", defaultValue: "" })
  .addOption(evidenceText)
  .setInlineAction(async (args, hre) => (await import("./actions/merchant.js")).evidence(args, hre))
  .build();
const merchantSettle = settleTask("merchant");
const merchantPartialRefund = common(
  task(
    ["merchant", "partial-refund"],
    "Give the buyer part of the price back now (a missing item, shipping); the order goes on",
  ),
)
  .addOption(order)
  .addOption({
    name: "amount",
    description: "Tokens to give back, e.g. 12.50 (less than what the escrow holds)",
    defaultValue: "",
  })
  .setInlineAction(async (args, hre) =>
    (await import("./actions/merchant.js")).partialRefund(args, hre),
  )
  .build();
const merchantAssignPayout = common(
  task(
    ["merchant", "assign-payout"],
    "Assign the order's payout to another address, e.g. a financier (the payee, or a later holder)",
  ),
)
  .addOption(order)
  .addOption({ name: "to", description: "The new holder of the payout", defaultValue: "" })
  .setInlineAction(async (args, hre) =>
    (await import("./actions/merchant.js")).assignPayout(args, hre),
  )
  .build();
const merchantWithdraw = withdrawTask("merchant", "payouts");
const merchantStatus = common(
  task(["merchant", "status"], "Show an order, its deadlines and its shipment timeline"),
)
  .addOption(order)
  .setInlineAction(async (args, hre) => (await import("./actions/buyer.js")).status(args, hre))
  .build();

const merchantReputation = task(
  ["merchant", "reputation"],
  "Show a merchant's track record, computed by the indexer from on-chain events",
)
  .addPositionalArgument({ name: "merchant", description: "The merchant's address" })
  .addOption({
    name: "indexer",
    description: "The indexer's URL (default: WAYBILL_INDEXER_URL, else http://127.0.0.1:42069)",
    defaultValue: "",
  })
  .setInlineAction(async (args, hre) =>
    (await import("./actions/reputation.js")).reputation(args, hre),
  )
  .build();

const indexer = task(
  "indexer",
  "Run the indexer alone against a network (contracts and start blocks from its deployment record)",
)
  .addOption({
    name: "rpc",
    description: "The network's JSON-RPC URL (default: the URL configured for --network)",
    defaultValue: "",
  })
  .addOption({
    name: "port",
    description: "Port of the indexer's API",
    type: ArgumentType.INT,
    defaultValue: 42069,
  })
  .addOption({
    name: "schema",
    description:
      "Database schema the indexer writes (default: waybill_<chain id>_<escrow address prefix>; use a new one after upgrading the indexer)",
    defaultValue: "",
  })
  .addOption({
    name: "deploymentId",
    description:
      "Ignition deployment to index (default: chain-<chainId>, or WAYBILL_DEPLOYMENT_ID)",
    defaultValue: "",
  })
  .setInlineAction(async (args, hre) =>
    (await import("./actions/indexer.js")).runIndexer(args, hre),
  )
  .build();

const buyer = emptyTask(
  "buyer",
  "Buy: inspect and pay offers, follow orders, confirm, dispute, settle, refund, review",
).build();
const buyerInspect = common(
  task(
    ["buyer", "inspect"],
    "Show an offer's terms and details and check the merchant's signature (no key needed)",
  ),
)
  .addOption(order)
  .setInlineAction(async (args, hre) => (await import("./actions/buyer.js")).inspect(args, hre))
  .build();
const buyerPay = common(
  task(["buyer", "pay"], "Pay an offer into escrow (picks the cheapest method the token supports)"),
)
  .addOption(order)
  .addOption({
    name: "method",
    description: "auto, approve, permit or authorization",
    defaultValue: "auto",
  })
  .setInlineAction(async (args, hre) => (await import("./actions/buyer.js")).pay(args, hre))
  .build();
const buyerStatus = common(
  task(["buyer", "status"], "Show an order, its deadlines and its shipment timeline"),
)
  .addOption(order)
  .setInlineAction(async (args, hre) => (await import("./actions/buyer.js")).status(args, hre))
  .build();
const buyerConfirm = common(
  task(["buyer", "confirm"], "Confirm receipt early: the merchant is paid now"),
)
  .addOption(order)
  .setInlineAction(async (args, hre) => (await import("./actions/buyer.js")).confirm(args, hre))
  .build();
const buyerDispute = common(
  task(
    ["buyer", "dispute"],
    "Dispute a delivered order within the inspection window, with evidence",
  ),
)
  .addOption(order)
  .addOption({
    name: "evidence",
    description: "Evidence reference or hash (e.g. photos' checksum)",
    defaultValue: "",
  })
  .addOption({ name: "uri", description: "Where the evidence can be seen", defaultValue: "" })
  .addOption(evidenceText)
  .setInlineAction(async (args, hre) => (await import("./actions/buyer.js")).dispute(args, hre))
  .build();
const buyerRefund = common(
  task(["buyer", "refund"], "Take a full refund when a deadline passed or the shipment failed"),
)
  .addOption(order)
  .setInlineAction(async (args, hre) => (await import("./actions/buyer.js")).refund(args, hre))
  .build();
const buyerReview = common(
  task(["buyer", "review"], "Rate the merchant of a completed order, once"),
)
  .addOption(order)
  .addOption({ name: "rating", description: "1 to 5", type: ArgumentType.INT, defaultValue: 0 })
  .addOption({
    name: "text",
    description:
      "Review text, up to 1,000 bytes of UTF-8, kept in full in the event: public and permanent",
    defaultValue: "",
  })
  .setInlineAction(async (args, hre) => (await import("./actions/buyer.js")).review(args, hre))
  .build();
const buyerSettle = settleTask("buyer");
const buyerWithdraw = withdrawTask("buyer", "refunds");

/** `<role> retry-passports`: anyone may hand over again the units an ended order left in custody. */
function retryPassportsTask(role: "merchant" | "buyer") {
  return common(
    task(
      [role, "retry-passports"],
      "Hand over again the passports an ended order left in custody (e.g. a unit flagged stolen, since cleared)",
    ),
  )
    .addOption(order)
    .setInlineAction(async (args, hre) =>
      (await import("./actions/buyer.js")).retryPassports(role)(args, hre),
    )
    .build();
}
const buyerRetryPassports = retryPassportsTask("buyer");
const merchantRetryPassports = retryPassportsTask("merchant");

const eventOptions = <T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) =>
  common(builder)
    .addOption({
      name: "shipment",
      description: "Shipment id, or the order it serves",
      defaultValue: "",
    })
    .addOption({
      name: "event",
      description:
        "PickedUp, Departed, Arrived, CustomsHeld, CustomsCleared, HandedOver, OutForDelivery, Delivered, DeliveryFailed, Damaged, Lost, ReturnedToSender",
      defaultValue: "",
    })
    .addOption({
      name: "location",
      description: "UN/LOCODE where it happened, e.g. NLRTM",
      defaultValue: "",
    })
    .addOption({
      name: "at",
      description: "When it happened (ISO 8601 or unix seconds; default now)",
      defaultValue: "",
    })
    .addOption({
      name: "evidence",
      description: "Evidence reference or hash (scan, photo, POD signature)",
      defaultValue: "",
    })
    .addOption({ name: "uri", description: "Where the evidence can be seen", defaultValue: "" })
    .addOption({
      name: "nextCarrier",
      description: "For HandedOver: the carrier taking over",
      defaultValue: "",
    });

const carrier = emptyTask(
  "carrier",
  "Carry: record or sign shipment events, relay signed batches, track shipments",
).build();
const carrierRecord = eventOptions(
  task(["carrier", "record"], "Record one shipment event yourself"),
)
  .setInlineAction(async (args, hre) => (await import("./actions/carrier.js")).record(args, hre))
  .build();
const carrierSign = eventOptions(
  task(["carrier", "sign"], "Sign an event off-chain (no gas) into a batch file for relaying"),
)
  .addOption({
    name: "file",
    description: "Batch file to append to",
    defaultValue: "signed-events.json",
  })
  .addOption({
    name: "valid",
    description: "How long the signature stays valid",
    defaultValue: "1d",
  })
  .setInlineAction(async (args, hre) => (await import("./actions/carrier.js")).sign(args, hre))
  .build();
const carrierRelay = common(
  task(["carrier", "relay"], "Submit a batch file of signed events in one transaction"),
)
  .addOption({
    name: "file",
    description: "Batch file written by `carrier sign`",
    defaultValue: "signed-events.json",
  })
  .setInlineAction(async (args, hre) => (await import("./actions/carrier.js")).relay(args, hre))
  .build();
const carrierTrack = common(task(["carrier", "track"], "Show a shipment's history as a timeline"))
  .addOption({
    name: "shipment",
    description: "Shipment id, or the order it serves",
    defaultValue: "",
  })
  .setInlineAction(async (args, hre) => (await import("./actions/carrier.js")).track(args, hre))
  .build();
const carrierKey = common(
  task(
    ["carrier", "key"],
    "Authorise a signing key (depot, scanner) for your company, or --revoke it",
  ),
)
  .addOption({ name: "key", description: "The key's address", defaultValue: "" })
  .addFlag({ name: "revoke", description: "Withdraw the key instead" })
  .setInlineAction(async (args, hre) => (await import("./actions/carrier.js")).key(args, hre))
  .build();

const manufacturer = emptyTask(
  "manufacturer",
  "Make: create lots, mint product passports, recall lots",
).build();
const manufacturerLot = common(task(["manufacturer", "lot"], "Create a production lot of one GTIN"))
  .addOption({
    name: "gtin",
    description: "GTIN-8/12/13/14 with its check digit",
    defaultValue: "",
  })
  .addOption({
    name: "prefixLength",
    description: "Digits of your GS1 company prefix in the GTIN",
    type: ArgumentType.INT,
    defaultValue: 7,
  })
  .addOption({ name: "lot", description: "Lot number (GS1 AI 10)", defaultValue: "" })
  .addOption({
    name: "origin",
    description: "Country of origin, ISO 3166 alpha-2 (e.g. VN)",
    defaultValue: "",
  })
  .addOption({
    name: "produced",
    description: "Production date (ISO 8601; default now)",
    defaultValue: "",
  })
  .addOption({
    name: "document",
    description: "Reference or hash of the passport document",
    defaultValue: "",
  })
  .addOption({ name: "uri", description: "Where the passport document lives", defaultValue: "" })
  .setInlineAction(async (args, hre) =>
    (await import("./actions/passport.js")).createLot(args, hre),
  )
  .build();
const manufacturerMint = common(
  task(["manufacturer", "mint"], "Mint passports for serial numbers of a lot"),
)
  .addOption({ name: "lot", description: "Lot id", type: ArgumentType.BIGINT, defaultValue: 0n })
  .addOption({
    name: "serials",
    description: "Serial numbers (GS1 AI 21), comma-separated",
    defaultValue: "",
  })
  .addOption({
    name: "to",
    description: "Owner of the new passports (default: you)",
    defaultValue: "",
  })
  .setInlineAction(async (args, hre) => (await import("./actions/passport.js")).mint(args, hre))
  .build();
const manufacturerRecall = common(
  task(["manufacturer", "recall"], "Recall a whole lot in one transaction"),
)
  .addOption({ name: "lot", description: "Lot id", type: ArgumentType.BIGINT, defaultValue: 0n })
  .addOption({ name: "reason", description: "Recall notice reference (hashed)", defaultValue: "" })
  .setInlineAction(async (args, hre) => (await import("./actions/passport.js")).recall(args, hre))
  .build();

const certifier = emptyTask("certifier", "Certify: attest certificates to units or lots").build();
const certifierAttest = common(
  task(["certifier", "attest"], "Attest a certificate to a unit or a whole lot"),
)
  .addOption({
    name: "unit",
    description: "Token id or GS1 Digital Link of the unit",
    defaultValue: "",
  })
  .addOption({ name: "lot", description: "Lot id (instead of --unit)", defaultValue: "" })
  .addOption({
    name: "type",
    description: "Certificate type, up to 8 characters (ORGANIC, CE, COO…)",
    defaultValue: "",
  })
  .addOption({
    name: "document",
    description: "Reference or hash of the certificate document",
    defaultValue: "",
  })
  .addOption({ name: "uri", description: "Where the certificate can be seen", defaultValue: "" })
  .addOption({ name: "valid", description: "Validity period", defaultValue: "365d" })
  .setInlineAction(async (args, hre) => (await import("./actions/passport.js")).attest(args, hre))
  .build();

const passport = emptyTask("passport", "Verify a product passport").build();
const passportVerify = common(
  task(
    ["passport", "verify"],
    "Is this unit genuine? Origin, maker, owner, certificates, last shipment",
  ),
)
  .addPositionalArgument({
    name: "unit",
    description: "Token id or GS1 Digital Link URI (https://id.gs1.org/01/…/21/…)",
  })
  .setInlineAction(async (args, hre) => (await import("./actions/passport.js")).verify(args, hre))
  .build();

const admin = emptyTask(
  "admin",
  "Administer: roles, carriers, manufacturers, tokens, fees, pause",
).build();
const adminRole = common(
  task(["admin", "role"], "Grant (or --revoke) a role on a Waybill contract"),
)
  .addOption({
    name: "contract",
    description: "escrow, registry or passports",
    defaultValue: "escrow",
  })
  .addOption({
    name: "role",
    description: "e.g. ARBITER, PAUSER, FEE_MANAGER, TOKEN_MANAGER, CARRIER_MANAGER, CERTIFIER",
    defaultValue: "",
  })
  .addOption({ name: "to", description: "The account", defaultValue: "" })
  .addFlag({ name: "revoke", description: "Revoke instead of grant" })
  .setInlineAction(async (args, hre) => (await import("./actions/admin.js")).role(args, hre))
  .build();
const adminCarrier = common(task(["admin", "carrier"], "Register a carrier (or --suspend it)"))
  .addOption({ name: "carrier", description: "The carrier's address", defaultValue: "" })
  .addOption({
    name: "code",
    description: "SCAC or company code, up to 8 characters",
    defaultValue: "",
  })
  .addFlag({ name: "suspend", description: "Suspend the carrier instead" })
  .setInlineAction(async (args, hre) => (await import("./actions/admin.js")).carrier(args, hre))
  .build();
const adminManufacturer = common(
  task(["admin", "manufacturer"], "Let an account mint passports for a GS1 company prefix"),
)
  .addOption({ name: "manufacturer", description: "The manufacturer's address", defaultValue: "" })
  .addOption({
    name: "prefix",
    description: "GS1 company prefix, 6 to 12 digits",
    defaultValue: "",
  })
  .setInlineAction(async (args, hre) =>
    (await import("./actions/admin.js")).manufacturer(args, hre),
  )
  .build();
const adminToken = common(
  task(
    ["admin", "token"],
    "Allow-list a stablecoin for new offers (or --disallow it); at most 8 are ever allowed",
  ),
)
  .addOption({ name: "token", description: "USDC, EURC or an address", defaultValue: "" })
  .addFlag({ name: "disallow", description: "Stop accepting it for new payments" })
  .setInlineAction(async (args, hre) => (await import("./actions/admin.js")).token(args, hre))
  .build();
const adminFee = common(task(["admin", "fee"], "Set the platform fee for future payments"))
  .addOption({
    name: "bps",
    description: "Basis points (100 = 1%)",
    type: ArgumentType.INT,
    defaultValue: -1,
  })
  .setInlineAction(async (args, hre) => (await import("./actions/admin.js")).fee(args, hre))
  .build();
const adminPause = common(task(["admin", "pause"], "Pause new payments (or --resume them)"))
  .addFlag({ name: "resume", description: "Accept payments again" })
  .setInlineAction(async (args, hre) => (await import("./actions/admin.js")).pause(args, hre))
  .build();
const adminWithdrawFees = common(
  task(["admin", "withdraw-fees"], "Send accrued platform fees to the treasury"),
)
  .addOption({ name: "token", description: "USDC, EURC or an address", defaultValue: "USDC" })
  .setInlineAction(async (args, hre) =>
    (await import("./actions/admin.js")).withdrawFees(args, hre),
  )
  .build();

const arbiter = emptyTask("arbiter", "Arbitrate disputes").build();
const arbiterRule = common(
  task(["arbiter", "rule"], "Rule on a dispute: the buyer's share, the rest to the seller"),
)
  .addOption(order)
  .addOption({
    name: "buyerAmount",
    description: "Tokens to the buyer, e.g. 40 (the seller gets the rest less the fee)",
    defaultValue: "",
  })
  .setInlineAction(async (args, hre) => (await import("./actions/admin.js")).rule(args, hre))
  .build();
const arbiterDefault = common(
  task(["arbiter", "default"], "After the arbitration period, apply the default ruling (anyone)"),
)
  .addOption(order)
  .setInlineAction(async (args, hre) =>
    (await import("./actions/admin.js")).defaultRuling(args, hre),
  )
  .build();

const keeper = emptyTask("keeper", "Keep orders moving").build();
const keeperRelease = common(
  task(["keeper", "release"], "Release every delivered order whose inspection window has passed"),
)
  .addOption({
    name: "fromBlock",
    description: "Scan events from this block",
    type: ArgumentType.INT,
    defaultValue: 0,
  })
  .setInlineAction(async (args, hre) => (await import("./actions/admin.js")).release(args, hre))
  .build();

const waybill = emptyTask("waybill", "Deploy Waybill").build();
const waybillDeploy = task(
  ["waybill", "deploy"],
  "Deploy the whole suite with Ignition (mock stablecoins on local chains)",
)
  .addOption({
    name: "deploymentId",
    description: "Ignition deployment id (default chain-<chainId>)",
    defaultValue: "",
  })
  .addFlag({
    name: "verify",
    description: "Verify the source code on the block explorer afterwards",
  })
  .setInlineAction(async (args, hre) => (await import("./actions/deploy.js")).default(args, hre))
  .build();

const waybillFaucet = common(task(["waybill", "faucet"], "Mint mock USDC or EURC on a local chain"))
  .addOption({ name: "token", description: "USDC or EURC", defaultValue: "USDC" })
  .addOption({ name: "to", description: "Recipient (default: you)", defaultValue: "" })
  .addOption({ name: "amount", description: "Whole tokens, e.g. 1000", defaultValue: "1000" })
  .setInlineAction(async (args, hre) => (await import("./actions/deploy.js")).faucet(args, hre))
  .build();

export const waybillTasks = [
  waybill,
  waybillDeploy,
  waybillFaucet,
  merchant,
  merchantOffer,
  merchantShip,
  merchantCancel,
  merchantEvidence,
  merchantSettle,
  merchantPartialRefund,
  merchantAssignPayout,
  merchantWithdraw,
  merchantRetryPassports,
  merchantStatus,
  merchantReputation,
  indexer,
  buyer,
  buyerInspect,
  buyerPay,
  buyerStatus,
  buyerConfirm,
  buyerDispute,
  buyerRefund,
  buyerReview,
  buyerSettle,
  buyerWithdraw,
  buyerRetryPassports,
  carrier,
  carrierRecord,
  carrierSign,
  carrierRelay,
  carrierTrack,
  carrierKey,
  manufacturer,
  manufacturerLot,
  manufacturerMint,
  manufacturerRecall,
  certifier,
  certifierAttest,
  passport,
  passportVerify,
  admin,
  adminRole,
  adminCarrier,
  adminManufacturer,
  adminToken,
  adminFee,
  adminPause,
  adminWithdrawFees,
  arbiter,
  arbiterRule,
  arbiterDefault,
  keeper,
  keeperRelease,
];
