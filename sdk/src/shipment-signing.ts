/**
 * Helpers for the shipment registry: UN/LOCODE encoding and EIP-712 signing of batches of
 * carrier events that any relayer can submit through `recordEventsBySig`. Shared by tests, tasks
 * and the demo.
 */
import {
  Signature,
  type Signer,
  type TypedDataDomain,
  getBytes,
  hexlify,
  toUtf8Bytes,
} from "ethers";

import type { IShipmentRegistry, ShipmentRegistry } from "../../typechain-types/index.js";

export { EVENT_CODES, EventCode, SHIPMENT_STATUSES, ShipmentStatus } from "./names.js";
export type { EventCodeName, ShipmentStatusName } from "./names.js";

const LOCODE = /^[A-Z]{2}[A-Z2-9]{3}$/;

/** Encodes a UN/LOCODE ("CNSHA", spaces allowed as in "CN SHA") as the contract's `bytes5`. */
export function encodeLocode(locode: string): string {
  const compact = locode.replace(/\s+/g, "").toUpperCase();
  if (!LOCODE.test(compact)) throw new Error(`not a UN/LOCODE: "${locode}"`);
  return hexlify(toUtf8Bytes(compact));
}

/** Decodes a `bytes5` location back to its UN/LOCODE text, e.g. "CNSHA". */
export function decodeLocode(location: string): string {
  const bytes = getBytes(location);
  if (bytes.length !== 5) throw new Error(`not a bytes5 location: ${location}`);
  return String.fromCharCode(...bytes);
}

/** The EIP-712 type of one event inside a signed batch; must match `SHIPMENT_EVENT_TYPEHASH`. */
export const SHIPMENT_EVENT_TYPE = [
  { name: "shipmentId", type: "bytes32" },
  { name: "code", type: "uint8" },
  { name: "location", type: "bytes5" },
  { name: "occurredAt", type: "uint40" },
  { name: "evidenceHash", type: "bytes32" },
  { name: "nextCarrier", type: "address" },
  { name: "evidenceURI", type: "string" },
];

/**
 * The EIP-712 types of a signed batch (primary type `EventBatch`, which includes the claimed
 * `signer`); must match `EVENT_BATCH_TYPEHASH`. Wallets and ethers' `signTypedData` sign it natively.
 */
export const EVENT_BATCH_TYPES = {
  EventBatch: [
    { name: "signer", type: "address" },
    { name: "events", type: "ShipmentEvent[]" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint40" },
  ],
  ShipmentEvent: SHIPMENT_EVENT_TYPE,
};

/** The registry's EIP-712 domain, read through ERC-5267 `eip712Domain()`. */
export async function registryDomain(registry: ShipmentRegistry): Promise<TypedDataDomain> {
  const [, name, version, chainId, verifyingContract] = await registry.eip712Domain();
  return { name, version, chainId, verifyingContract };
}

export interface SignOptions {
  /** Sign a 64-byte EIP-2098 compact signature instead of the 65-byte form (cheaper calldata). */
  compact?: boolean;
  /** Overrides of the domain (tests sign for another chain or contract with these). */
  domain?: Partial<TypedDataDomain>;
  /**
   * The `signer` field to submit, when it differs from the signing key: a smart-contract
   * carrier (ERC-1271) whose owner key signs the digest on its behalf.
   */
  signerAddress?: string;
}

/** The contract's cap on events per signed batch (`MAX_BATCH_EVENTS`). */
export const MAX_BATCH_EVENTS = 256;

/**
 * Signs `events` as one batch (one signature, recorded in this order) for submission by
 * anyone through `recordEventsBySig`, with an unused `nonce` of the signer and a `deadline`
 * (unix seconds) after which the signature is refused. Returns the `SignedEventBatch` to submit.
 */
export async function signEventBatch(
  registry: ShipmentRegistry,
  signer: Signer,
  events: IShipmentRegistry.ShipmentEventStruct[],
  nonce: bigint,
  deadline: bigint,
  options: SignOptions = {},
): Promise<IShipmentRegistry.SignedEventBatchStruct> {
  if (events.length === 0 || events.length > MAX_BATCH_EVENTS) {
    throw new Error(`a signed batch holds 1 to ${MAX_BATCH_EVENTS} events, not ${events.length}`);
  }
  const domain = { ...(await registryDomain(registry)), ...options.domain };
  // The claimed signer is signed too, so the signature is valid only under that signer's nonces.
  const claimedSigner = options.signerAddress ?? (await signer.getAddress());
  const message = {
    signer: claimedSigner,
    events: events.map((ev) => ({
      shipmentId: ev.shipmentId,
      code: ev.code,
      location: ev.location,
      occurredAt: ev.occurredAt,
      evidenceHash: ev.evidenceHash,
      nextCarrier: ev.nextCarrier,
      evidenceURI: ev.evidenceURI,
    })),
    nonce,
    deadline,
  };
  const raw = await signer.signTypedData(domain, EVENT_BATCH_TYPES, message);
  const signature = options.compact ? Signature.from(raw).compactSerialized : raw;
  return {
    events,
    nonce,
    deadline,
    signer: claimedSigner,
    signature,
  };
}
