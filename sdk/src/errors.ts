/**
 * One error model for every surface. Whatever went wrong (a contract's custom error, a wallet
 * the user said no to, an unreachable node, a damaged offer line, a refused precondition) ends
 * up as a {@link WaybillError}: a stable `code`, a one-line `shortMessage` a person can act on,
 * optional `details`, the decoded contract error (`errorName` and named `args`) and the
 * original `cause`. The command line prints it as `✗ …`, the web app as a banner, the indexer
 * as a log line. Every custom error of the three contracts has a sentence here, with its
 * arguments named: statuses, event codes and roles by name, times as dates, never raw numbers.
 */
import { type ErrorDescription, type Interface, isCallException, isError } from "ethers";

import { formatBps, formatDate, formatDuration, shortId } from "./format.js";
import { CSET82, MAX_GS1_TEXT_LENGTH } from "./gs1.js";
import {
  EVENT_CODES,
  ORDER_STATUSES,
  SHIPMENT_STATUSES,
  SUBJECT_KINDS,
  nameOf,
  roleNameOf,
} from "./names.js";

/** What kind of failure an error is; stable, so surfaces and tests can branch on it. */
export type WaybillErrorCode =
  /** A contract refused the call; `errorName` and `args` say why. */
  | "CONTRACT_REVERTED"
  /** The user declined the request in their wallet: nothing happened, nothing is wrong. */
  | "USER_REJECTED"
  /** A command refused before sending anything (wrong account, wrong state, missing input). */
  | "REFUSED"
  /** An offer's terms cannot be paid or kept (price 0, too short an expiry or window…). */
  | "INVALID_OFFER"
  /** The offer line is not one, or was cut or altered. */
  | "OFFER_LINE_DAMAGED"
  | "OFFER_LINE_OUTDATED"
  /** A settlement line (a signed settlement proposal) is not one, or was cut or altered. */
  | "SETTLEMENT_LINE_DAMAGED"
  /** The order details in an offer line do not hash to the signed `detailsHash`. */
  | "OFFER_DETAILS_MISMATCH"
  /** The offer, order or contract belongs to another chain or escrow. */
  | "WRONG_NETWORK"
  /** No Waybill contracts are known, or they have no code, on this chain. */
  | "NOT_DEPLOYED"
  /** The sending account cannot pay for gas. */
  | "INSUFFICIENT_FUNDS"
  /** The RPC endpoint did not answer. */
  | "NETWORK_UNREACHABLE"
  /** Another transaction from the same account used the nonce first. */
  | "NONCE_USED"
  /** A setting (RPC URL, key) is missing. */
  | "CONFIGURATION_MISSING"
  /** A sent transaction was mined but reverted. */
  | "TRANSACTION_FAILED"
  /** A sent transaction was not mined within the time waited; it may still be. */
  | "TRANSACTION_PENDING"
  | "UNKNOWN";

const BRAND = "@waybill/sdk:WaybillError";

export interface WaybillErrorOptions {
  details?: string;
  errorName?: string;
  args?: Readonly<Record<string, unknown>>;
  cause?: unknown;
}

/**
 * The SDK's error. Recognise it with {@link isWaybillError} rather than `instanceof`, which
 * fails when two copies of the package are bundled.
 */
export class WaybillError extends Error {
  override readonly name = "WaybillError";
  readonly [BRAND] = true;
  readonly code: WaybillErrorCode;
  /** One line, no trailing period, fit for `✗ …` or a banner. */
  readonly shortMessage: string;
  readonly details?: string;
  /** The contract's custom error, for CONTRACT_REVERTED. */
  readonly errorName?: string;
  readonly args?: Readonly<Record<string, unknown>>;

  constructor(code: WaybillErrorCode, shortMessage: string, options: WaybillErrorOptions = {}) {
    super(
      options.details === undefined ? shortMessage : `${shortMessage}\n\n${options.details}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.shortMessage = shortMessage;
    if (options.details !== undefined) this.details = options.details;
    if (options.errorName !== undefined) this.errorName = options.errorName;
    if (options.args !== undefined) this.args = options.args;
  }

  /** Follows `cause` down the chain; returns the deepest error, or the first matching `predicate`. */
  walk(predicate?: (error: unknown) => boolean): unknown {
    let current: unknown = this;
    for (let depth = 0; depth < 16; depth++) {
      if (predicate?.(current) === true) return current;
      const next = (current as { cause?: unknown } | null)?.cause;
      if (next === undefined || next === null) return predicate === undefined ? current : undefined;
      current = next;
    }
    return predicate === undefined ? current : undefined;
  }
}

/** Whether `error` is a {@link WaybillError}, from this or any other copy of the SDK. */
export function isWaybillError(error: unknown): error is WaybillError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as Record<string, unknown>)[BRAND] === true
  );
}

// ------------------------------------------------------------------ sentences

type Args = Readonly<Record<string, unknown>>;

/**
 * What a surface knows that a revert does not: the order's token, so amounts read "12.50 USDC"
 * instead of base units. Without it, amounts are given in base units.
 */
export interface SentenceFormat {
  amount?: (baseUnits: bigint) => string;
}

const baseUnits = (value: bigint) => `${value.toLocaleString("en-US")} base units`;

const big = (value: unknown): bigint => BigInt(value as bigint);
const order = (a: Args) => `order ${shortId(String(a.orderId))}`;
const shipment = (a: Args) => `shipment ${shortId(String(a.shipmentId))}`;
const date = (value: unknown) => formatDate(big(value));
const orderStatus = (value: unknown) => nameOf(ORDER_STATUSES, big(value));
const shipmentStatus = (value: unknown) => nameOf(SHIPMENT_STATUSES, big(value));
const subject = (a: Args) =>
  `${nameOf(SUBJECT_KINDS, big(a.kind)).toLowerCase()} ${String(a.subjectId)}`;
const role = (value: unknown) => {
  const name = roleNameOf(String(value));
  return name === undefined ? `the role ${shortId(String(value))}` : `the ${name} role`;
};
/** A company prefix as printed: its digits with the leading zeros its length implies. */
const prefixDigits = (prefix: unknown, length: unknown) =>
  String(prefix).padStart(Number(length), "0");
const text = (hex: unknown) => {
  const body = String(hex).replace(/^0x/, "");
  let out = "";
  for (let i = 0; i + 1 < body.length; i += 2) {
    const code = parseInt(body.slice(i, i + 2), 16);
    if (code === 0) break;
    out += code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : "?";
  }
  return out;
};

/** Why a serial or lot number is not GS1 text (the contract only says it is invalid). */
export function gs1TextProblem(value: string): string {
  if (value.length === 0) return "it is empty";
  if (value.length > MAX_GS1_TEXT_LENGTH)
    return `it has ${value.length} characters, more than ${MAX_GS1_TEXT_LENGTH}`;
  const bad = [...value].find((c) => !CSET82.includes(c));
  return bad === undefined ? "it is not GS1 text" : `"${bad}" is not in GS1's character set 82`;
}

/**
 * A sentence for each custom error of WaybillEscrow, ShipmentRegistry and ProductPassport (and
 * the OpenZeppelin and stablecoin errors they can surface), keyed by error name.
 */
export const ERROR_SENTENCES: Readonly<
  Record<string, (a: Args, amount: (baseUnits: bigint) => string) => string>
> = {
  // Orders and offers (WaybillEscrow)
  InvalidOrderStatus: (a) =>
    `${order(a)} is ${orderStatus(a.current)}, so this step is not possible now`,
  InvalidOfferTerms: (a) =>
    `the terms of ${order(a)} cannot be kept (price 0, a period of 0 or over 365 days, or a deliver-by before the ship-by)`,
  OfferExpired: (a) => `the offer for ${order(a)} expired on ${date(a.expiry)}`,
  InvalidOfferSignature: (a) =>
    `the offer for ${order(a)} is not signed by its merchant ${String(a.merchant)}`,
  AlreadyReviewed: (a) => `${order(a)} has already been reviewed`,
  ReviewNotAllowed: (a) =>
    `${order(a)} cannot be reviewed: neither the escrow nor the registry shows a delivery by an independent, unsuspended carrier after the payment`,
  InvalidRating: (a) => `a rating is 1 to 5 stars, not ${String(a.rating)}`,
  InvalidShipmentStatus: (a) =>
    `${shipment(a)} of ${order(a)} is ${shipmentStatus(a.status)}, which does not allow this step`,
  DeliveredBeforePayment: (a) =>
    `the delivery of ${order(a)} is dated ${date(a.deliveredAt)}, before the order was paid on ${date(a.paidAt)}, so it cannot count as this order's delivery`,
  EvidenceFromParty: (a) =>
    `the shipment event for ${order(a)} was recorded by ${String(a.recordedBy)} for carrier ${String(a.carrier)}, a party to the order; only an independent carrier's event can move the money`,
  EvidenceCarrierSuspended: (a) =>
    `carrier ${String(a.carrier)}, which recorded the shipment event for ${order(a)}, is suspended; the payment waits until it is reinstated, and the buyer keeps every refund and dispute right`,
  FeeAboveOfferMaximum: (a) =>
    `the platform fee is now ${formatBps(big(a.currentFeeBps))}, above the ${formatBps(big(a.maxFeeBps))} the merchant accepted in the offer for ${order(a)}; ask the merchant for a new offer`,
  InspectionPeriodTooShort: (a) =>
    `the offer for ${order(a)} gives the buyer ${formatDuration(big(a.inspectionPeriod))} to inspect the goods; the escrow requires at least ${formatDuration(big(a.minimum))}`,
  PassportRecalled: (a) =>
    `passport ${String(a.tokenId)} belongs to a recalled lot and cannot be sold with ${order(a)}`,
  SelfReview: (a) =>
    `${String(a.reviewer)} is the merchant or payee of ${order(a)} and cannot review it`,
  ShipmentRefNotOrder: (a) =>
    `the shipment for ${order(a)} must use the order id as its reference, not ${String(a.shipperRef)}`,
  NoPassportsInCustody: (a) =>
    `the escrow holds no passport of ${order(a)} to hand over (none carried, or every one handed over)`,
  InvalidPartialRefund: (a, amount) =>
    `a partial refund of ${amount(big(a.amount))} on ${order(a)} must be more than nothing and less than the ${amount(big(a.held))} the escrow still holds (to give everything back, refund in full)`,
  TextTooLong: (a) =>
    `the text is ${big(a.length).toLocaleString("en-US")} bytes in UTF-8, more than the ${big(a.maximum).toLocaleString("en-US")} the escrow accepts`,

  // Settlements between the parties
  NoSettlementProposal: (a) =>
    `${order(a)} has no open settlement proposal (none was made, it was withdrawn or accepted, or its proposer has since assigned the payout)`,
  NotProposer: (a) =>
    `only ${String(a.proposer)}, who proposed the settlement of ${order(a)}, can withdraw it, not ${String(a.caller)}`,
  SettlementMismatch: (a, amount) =>
    `the settlement proposal on ${order(a)} gives the buyer ${amount(big(a.proposed))}, not ${amount(big(a.given))}: it changed since you read it, so read it again before accepting`,
  SettlementExpired: (a) =>
    `the signed settlement of ${order(a)} expired on ${date(a.deadline)}; ask for a new one`,
  InvalidSettlementSignature: (a) =>
    `the settlement signature for ${order(a)} is not a valid signature of ${String(a.signer)}, the other party, on these terms`,
  SettlementSignatureCancelled: (a) =>
    `${String(a.signer)} revoked this signed settlement of ${order(a)}, so it can no longer be submitted`,

  // Callers
  NotBuyer: (a) =>
    `only the buyer ${String(a.buyer)} can do this for ${order(a)}, not ${String(a.caller)}`,
  NotMerchant: (a) =>
    `only the merchant ${String(a.merchant)} can do this for ${order(a)}, not ${String(a.caller)}`,
  NotOfferBuyer: (a) =>
    `the offer for ${order(a)} is reserved for ${String(a.expected)}, not ${String(a.payer)}`,
  NotParty: (a) =>
    `${String(a.caller)} may not do this for ${order(a)}: only its buyer or merchant (for a settlement: the buyer or the seller side, and not the party that proposed it)`,
  NotSellerSide: (a) =>
    `only the seller side of ${order(a)}, ${String(a.sellerSide)} (the merchant until the payout is assigned, then its holder), can do this, not ${String(a.caller)}`,
  NotPayoutHolder: (a) =>
    `only ${String(a.holder)}, who holds the payout of ${order(a)}, can assign it, not ${String(a.caller)}`,
  NotShipmentCarrier: (a) =>
    `${String(a.caller)} is not the carrier holding ${shipment(a)} (that is ${String(a.carrier)}) nor one of its keys`,
  NotLotManufacturer: (a) => `${String(a.caller)} did not create lot ${String(a.lotId)}`,
  NotUnitOwner: (a) => `${String(a.caller)} does not own passport ${String(a.tokenId)}`,
  NotCertificateIssuer: (a) =>
    `${String(a.caller)} did not issue certificate #${String(a.index)} of ${subject(a)}`,
  NotShipmentRegistry: (a) =>
    `only the shipment registry can move passports, not ${String(a.caller)}`,
  AccessControlUnauthorizedAccount: (a) =>
    `${String(a.account)} does not hold ${role(a.neededRole)}`,
  AccessControlBadConfirmation: () => "an account can only renounce a role for itself",
  AccessControlEnforcedDefaultAdminRules: () =>
    "the admin role moves only by the two-step transfer (begin, wait, accept)",
  AccessControlEnforcedDefaultAdminDelay: (a) =>
    `the admin transfer can be accepted from ${date(a.schedule)}`,
  AccessControlInvalidDefaultAdmin: (a) => `${String(a.defaultAdmin)} cannot become the admin`,
  OwnableUnauthorizedAccount: (a) => `${String(a.account)} does not own this token contract`,

  // Deadlines and clocks
  ShipByDeadlinePassed: (a) => `the ship-by deadline of ${order(a)} passed on ${date(a.deadline)}`,
  RefundNotAvailable: (a) => `a refund of ${order(a)} becomes available on ${date(a.availableAt)}`,
  InspectionWindowOpen: (a) =>
    `the buyer's inspection window of ${order(a)} is open until ${date(a.endsAt)}`,
  InspectionWindowClosed: (a) =>
    `the inspection window of ${order(a)} closed on ${date(a.endedAt)}`,
  ArbitrationPeriodRunning: (a) =>
    `the arbiter has until ${date(a.endsAt)} to rule on ${order(a)}; the default ruling applies after that`,
  SignatureExpired: (a) =>
    `the signature expired on ${date(a.deadline)} (the chain is at ${date(a.blockTime)})`,
  EventInFuture: (a) =>
    `the event is dated ${date(a.occurredAt)}, after the chain's time ${date(a.blockTime)}`,
  EventBeforePrevious: (a) =>
    `the event is dated ${date(a.occurredAt)}, before the shipment's previous event on ${date(a.previous)}`,
  ProductionDateInFuture: (a) =>
    `the production date ${date(a.productionDate)} is after the chain's time ${date(a.blockTime)}`,
  InvalidExpiry: (a) =>
    `the certificate would expire on ${date(a.expiresAt)}, not after the chain's time ${date(a.blockTime)}`,
  InvalidArbitrationPeriod: (a) =>
    `an arbitration period of ${formatDuration(big(a.period))} is outside the allowed range`,

  // Shipments and carriers (ShipmentRegistry)
  InvalidTransition: (a) =>
    `${shipment(a)} is ${shipmentStatus(a.status)}, and ${nameOf(EVENT_CODES, big(a.code))} cannot follow it`,
  ShipmentNotFound: (a) => `${shipment(a)} is not registered`,
  ShipmentAlreadyExists: (a) => `${shipment(a)} is already registered`,
  CarrierNotRegistered: (a) => `${String(a.carrier)} is not a registered carrier`,
  CarrierNotActive: (a) => `the carrier ${String(a.carrier)} is not registered or is suspended`,
  CarrierAlreadyRegistered: (a) => `${String(a.carrier)} is already a registered carrier`,
  CarrierCodeTaken: (a) =>
    `the carrier code ${text(a.code)} already belongs to carrier ${String(a.holder)}`,
  PassportIdsNotAscending: (a) =>
    `a shipment lists its passports once each in ascending order; passport ${String(a.tokenId)} at position ${String(a.index)} repeats or breaks the order`,
  CarrierNotSuspended: (a) => `the carrier ${String(a.carrier)} is not suspended`,
  InvalidCarrierCode: (a) =>
    `"${text(a.code)}" is not a carrier code (2 to 8 capital letters or digits)`,
  InvalidLocation: (a) =>
    `"${text(a.location)}" is not a UN/LOCODE (2 letters of country, 3 of place)`,
  InvalidNextCarrier: (a) =>
    `${String(a.nextCarrier)} cannot take over the shipment (not an active carrier, or the current one)`,
  KeyAlreadyAuthorized: (a) => `the key ${String(a.key)} already signs for ${String(a.carrier)}`,
  KeyNotAuthorized: (a) => `the key ${String(a.key)} does not sign for ${String(a.carrier)}`,
  KeyPreviouslyRevoked: (a) =>
    `the key ${String(a.key)} was revoked once and cannot be authorised again`,
  InvalidAccount: (a) => `${String(a.account)} cannot be used here`,
  NotEscrow: (a) =>
    `only the escrow may create a shipment in a merchant's name, not ${String(a.caller)}`,
  EscrowAlreadySet: (a) =>
    `the registry's escrow is already set to ${String(a.escrow)} and cannot change`,
  EscrowNoticeGasTooLow: (a) =>
    `this registry call must leave the escrow enough gas to record it (${String(a.needed)} gas left at that point, only ${String(a.gasLeft)} remained); send the transaction again with a higher gas limit`,
  NotRegistry: (a) =>
    `only the escrow's shipment registry ${String(a.registry)} may report a carrier suspension or its link, not ${String(a.caller)}`,
  TooManyPassports: (a) =>
    `a shipment carries at most ${String(a.max)} passports, not ${String(a.count)}`,
  PassportsNotEnabled: () =>
    "this registry has no passport contract, so a shipment cannot carry passports",
  EmptyBatch: (a) =>
    `the signed batch of ${String(a.signer)} (nonce ${String(a.nonce)}) holds no events`,
  BatchTooLarge: (a) =>
    `the signed batch of ${String(a.signer)} holds ${String(a.count)} events, more than ${String(a.max)}`,
  InvalidSignature: (a) =>
    `the batch signature is not ${String(a.signer)}'s (nonce ${String(a.nonce)})`,
  NonceAlreadyUsed: (a) =>
    `${String(a.signer)} already used nonce ${String(a.nonce)}: this batch was relayed or cancelled`,

  // Passports and GS1 (ProductPassport)
  InvalidGtin: (a) => `${String(a.gtin)} is not a GTIN (wrong length or check digit)`,
  InvalidSerial: (a) =>
    `the serial "${String(a.serial)}" is invalid: ${gs1TextProblem(String(a.serial))}`,
  InvalidLotNumber: (a) =>
    `the lot number "${String(a.lotNumber)}" is invalid: ${gs1TextProblem(String(a.lotNumber))}`,
  InvalidTokenId: (a) => `${String(a.tokenId)} is not a passport token id (GTIN and serial)`,
  InvalidCountry: (a) => `"${text(a.country)}" is not an ISO 3166 country code`,
  InvalidPrefix: (a) =>
    `${prefixDigits(a.prefix, a.length)} is not a GS1 company prefix of ${String(a.length)} digits`,
  InvalidManufacturer: (a) => `${String(a.manufacturer)} cannot be a manufacturer`,
  PrefixAlreadyAssigned: (a) =>
    `the company prefix ${String(a.prefix)} already belongs to ${String(a.manufacturer)}`,
  PrefixNotAssigned: (a) =>
    `the GTIN ${String(a.gtin)} is not under a company prefix of ${String(a.manufacturer)}`,
  PrefixNotFound: (a) =>
    `the company prefix ${prefixDigits(a.prefix, a.length)} (${String(a.length)} digits) is not assigned`,
  PrefixOverlaps: (a) =>
    `the company prefix ${prefixDigits(a.prefix, a.length)} overlaps ${prefixDigits(a.assignedPrefix, a.assignedLength)}, which is already assigned: one GTIN would have two owners`,
  PrefixHasAssignedExtensions: (a) =>
    `the company prefix ${prefixDigits(a.prefix, a.length)} contains ${String(a.count)} longer prefix(es) already assigned to manufacturers`,
  LotAlreadyExists: (a) =>
    `lot "${String(a.lotNumber)}" of GTIN ${String(a.gtin)} already exists as lot ${String(a.lotId)}`,
  LotNotFound: (a) => `lot ${String(a.lotId)} does not exist`,
  LotIsRecalled: (a) => `lot ${String(a.lotId)} is recalled`,
  UnitAlreadyMinted: (a) => `passport ${String(a.tokenId)} already exists`,
  UnitNotFound: (a) => `passport ${String(a.tokenId)} does not exist`,
  UnitReportedStolen: (a) => `passport ${String(a.tokenId)} is reported stolen and cannot move`,
  UnitNotStolen: (a) => `passport ${String(a.tokenId)} is not reported stolen`,
  CertificateNotFound: (a) => `${subject(a)} has no certificate #${String(a.index)}`,
  TooManyCertificates: (a) =>
    `${subject(a)} already holds the maximum of ${String(a.max)} certificates`,
  InvalidBatchSize: (a) => `a batch holds 1 to ${String(a.max)} items, not ${String(a.size)}`,
  PassportNotOwnedByShipper: (a) =>
    `passport ${String(a.tokenId)} does not belong to the shipper ${String(a.shipper)}`,
  PassportsNotApproved: (a) =>
    `the merchant ${String(a.merchant)} has not let the escrow hand the passports on (setApprovalForAll)`,
  InvalidShipmentRegistry: () => "that address is not a shipment registry",
  ShipmentRegistryAlreadySet: (a) =>
    `the shipment registry is already set to ${String(a.registry)}`,
  ERC721NonexistentToken: (a) => `passport ${String(a.tokenId)} does not exist`,
  ERC721IncorrectOwner: (a) =>
    `${String(a.sender)} does not own passport ${String(a.tokenId)} (${String(a.owner)} does)`,
  ERC721InsufficientApproval: (a) =>
    `${String(a.operator)} may not move passport ${String(a.tokenId)}`,

  // Money and tokens
  PaymentsPaused: () => "new payments are paused by the platform",
  TokenNotAllowed: (a) => `the token ${String(a.token)} is not accepted by this escrow`,
  TooManyTokens: (a) =>
    `the escrow cannot accept the token ${String(a.token)}: it already lists its limit of ${String(a.max)} tokens, and a token once accepted keeps its place even when disallowed`,
  TokenHasNoCode: (a) =>
    `${String(a.token)} has no contract code on this network, so it cannot be a token: check the address (a mistyped one would take one of the escrow's places for good)`,
  AmountNotReceived: (a) =>
    `the token ${String(a.token)} delivered ${String(a.received)} of the ${String(a.expected)} base units expected (a fee-on-transfer token?)`,
  BuyerAmountTooHigh: (a, amount) =>
    `the buyer's share of ${amount(big(a.buyerAmount))} exceeds the ${amount(big(a.held ?? a.price))} the escrow holds for the order`,
  FeeTooHigh: (a) =>
    `a fee of ${Number(a.feeBps) / 100}% exceeds the maximum of ${Number(a.maxFeeBps) / 100}%`,
  NothingToWithdraw: (a) => `${String(a.account)} has nothing credited in ${String(a.token)}`,
  InvalidRecipient: (a) => `${String(a.to)} cannot receive the payout`,
  ZeroAddress: () => "an address is missing (the zero address was given)",
  SafeERC20FailedOperation: (a) => `the token ${String(a.token)} refused the transfer`,
  ERC20InsufficientBalance: (a) =>
    `${String(a.sender)} holds ${String(a.balance)} base units, ${String(a.needed)} are needed`,
  ERC20InsufficientAllowance: (a) =>
    `${String(a.spender)} may spend ${String(a.allowance)} base units, ${String(a.needed)} are needed (approve first)`,
  Blocklisted: (a) => `the token issuer has frozen ${String(a.account)}`,
  ERC2612ExpiredSignature: (a) => `the permit expired on ${date(a.deadline)}`,
  ERC2612InvalidSigner: (a) =>
    `the permit is signed by ${String(a.signer)}, not the owner ${String(a.owner)}`,
  ERC3009InvalidSignature: () => "the payment authorization's signature is invalid",
  ERC3009UsedAuthorization: (a) =>
    `${String(a.authorizer)} already used this payment authorization`,
  ERC3009InvalidAuthorizationTime: (a) =>
    `the payment authorization is valid only between ${date(a.validAfter)} and ${date(a.validBefore)}`,
  ReentrancyGuardReentrantCall: () => "a token tried to call back into the escrow mid-transfer",
};

/** The named arguments of a decoded custom error. */
export function namedArgs(parsed: ErrorDescription): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  parsed.fragment.inputs.forEach((input, i) => {
    args[input.name === "" ? `arg${i}` : input.name] = parsed.args[i];
  });
  return args;
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  return String(value);
}

/** `Name(arg=value, …)`: the raw form, kept in `details` for support and bug reports. */
export function formatCustomError(name: string, args: Args): string {
  return `${name}(${Object.entries(args)
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join(", ")})`;
}

/** The sentence for a custom error, or its raw form when the SDK has none for it. */
export function revertSentence(name: string, args: Args, format: SentenceFormat = {}): string {
  const sentence = ERROR_SENTENCES[name];
  return sentence === undefined
    ? `the contract refused: ${formatCustomError(name, args)}`
    : sentence(args, format.amount ?? baseUnits);
}

/** Decodes `data` with the first interface that knows its selector. */
export function decodeRevertData(
  data: string,
  interfaces: readonly Interface[],
): { name: string; args: Record<string, unknown> } | undefined {
  for (const iface of interfaces) {
    try {
      const parsed = iface.parseError(data);
      if (parsed !== null) return { name: parsed.name, args: namedArgs(parsed) };
    } catch {
      // Not this interface's error: try the next one.
    }
  }
  return undefined;
}

/** Finds revert data anywhere in an ethers, wallet or provider error chain. */
function revertDataOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === "object"; depth++) {
    const record = current as Record<string, unknown>;
    if (
      typeof record.data === "string" &&
      record.data.startsWith("0x") &&
      record.data.length >= 10
    ) {
      return record.data;
    }
    current = record.error ?? record.info ?? record.cause;
  }
  return undefined;
}

/** EIP-1193's "user rejected the request", however the wallet or ethers wraps it. */
function isUserRejection(error: unknown): boolean {
  if (isError(error, "ACTION_REJECTED")) return true;
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === "object"; depth++) {
    const record = current as Record<string, unknown>;
    if (record.code === 4001) return true;
    current = record.error ?? record.info ?? record.cause;
  }
  return false;
}

/**
 * Turns anything thrown while talking to Waybill into a {@link WaybillError}. `interfaces` are
 * the ABIs whose custom errors to decode (see `waybillInterfaces()`); `format` words amounts in
 * the order's token when the surface knows it.
 */
export function toWaybillError(
  error: unknown,
  interfaces: readonly Interface[] = [],
  format: SentenceFormat = {},
): WaybillError {
  if (isWaybillError(error)) return error;
  if (isUserRejection(error)) {
    return new WaybillError(
      "USER_REJECTED",
      "you declined the request in your wallet; nothing was sent",
      {
        cause: error,
      },
    );
  }
  const data = revertDataOf(error);
  const decoded = data === undefined ? undefined : decodeRevertData(data, interfaces);
  if (decoded !== undefined) {
    return new WaybillError(
      "CONTRACT_REVERTED",
      revertSentence(decoded.name, decoded.args, format),
      {
        errorName: decoded.name,
        args: decoded.args,
        details: formatCustomError(decoded.name, decoded.args),
        cause: error,
      },
    );
  }
  if (isCallException(error)) {
    if (error.revert !== null) {
      const args = Object.fromEntries(
        error.revert.args.map((value, i) => [`arg${i}`, value as unknown]),
      );
      return new WaybillError(
        "CONTRACT_REVERTED",
        revertSentence(error.revert.name, args, format),
        {
          errorName: error.revert.name,
          args,
          cause: error,
        },
      );
    }
    return new WaybillError(
      "CONTRACT_REVERTED",
      `the contract refused${error.reason === null ? "" : `: ${error.reason}`}`,
      { cause: error },
    );
  }
  if (isError(error, "INVALID_ARGUMENT")) {
    return new WaybillError(
      "REFUSED",
      `invalid ${error.argument} "${String(error.value)}": ${error.shortMessage}`,
      { cause: error },
    );
  }
  if (isError(error, "INSUFFICIENT_FUNDS")) {
    return new WaybillError(
      "INSUFFICIENT_FUNDS",
      "the sending account has too little ETH to pay for gas",
      {
        cause: error,
      },
    );
  }
  if (isError(error, "NONCE_EXPIRED")) {
    return new WaybillError(
      "NONCE_USED",
      "nonce already used: another transaction from this account got there first",
      { cause: error },
    );
  }
  if (
    isError(error, "NETWORK_ERROR") ||
    isError(error, "SERVER_ERROR") ||
    isError(error, "TIMEOUT")
  ) {
    return new WaybillError(
      "NETWORK_UNREACHABLE",
      `cannot reach the network's RPC endpoint (${error.shortMessage})`,
      { cause: error },
    );
  }
  if (error instanceof Error) {
    const message = (error as Error & { shortMessage?: string }).shortMessage ?? error.message;
    return new WaybillError("UNKNOWN", message.split("\n")[0], { cause: error });
  }
  return new WaybillError("UNKNOWN", String(error));
}
