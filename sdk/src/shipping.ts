/**
 * The escrow's one-call ship: the shipment a merchant hands to `WaybillEscrow.ship`, which creates
 * it in the registry in the merchant's name (id `shipmentIdOf(merchant, orderId)`) and links it to
 * the order in the same transaction, passports included.
 */
import { type BigNumberish, keccak256, toUtf8Bytes } from "ethers";

import { encodeLocode } from "./shipment-signing.js";

/** `IShipmentRegistry.NewShipment`, as `escrow.ship` and `registry.createShipment` take it. */
export interface NewShipment {
  shipperRef: string;
  carrier: string;
  origin: string;
  destination: string;
  documentsHash: string;
  passportIds: bigint[];
}

/** What a merchant says about an order's shipment. */
export interface OrderShipmentInput {
  /** The registered carrier taking the parcel first. */
  carrier: string;
  /** UN/LOCODE text, e.g. "CNSHA". */
  origin: string;
  /** UN/LOCODE text, e.g. "DEHAM". */
  destination: string;
  /** A bytes32 hash of the shipping documents, or their text (hashed here). */
  documents: string;
  /** Passport token ids travelling with it, in any order. */
  passportIds?: readonly BigNumberish[];
}

/**
 * The shipment of order `orderId` for `escrow.ship`: its reference is the order id (the escrow
 * refuses any other, `ShipmentRefNotOrder`) and its passport ids are sorted ascending, as the
 * registry requires. Throws on a repeated passport id or an invalid UN/LOCODE.
 */
export function orderShipment(orderId: string, input: OrderShipmentInput): NewShipment {
  const passportIds = (input.passportIds ?? [])
    .map((id) => BigInt(id))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const repeated = passportIds.find((id, i) => i > 0 && id === passportIds[i - 1]);
  if (repeated !== undefined) throw new Error(`passport ${repeated} is listed twice`);
  return {
    shipperRef: orderId,
    carrier: input.carrier,
    origin: encodeLocode(input.origin),
    destination: encodeLocode(input.destination),
    documentsHash: /^0x[0-9a-fA-F]{64}$/.test(input.documents)
      ? input.documents
      : keccak256(toUtf8Bytes(input.documents)),
    passportIds,
  };
}
