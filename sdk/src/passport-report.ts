/**
 * Renders `ProductPassport.verify(tokenId)` as a plain-English report for a buyer, a CLI
 * task or the demo, with the unit's last shipment the caller found in the passport's log
 * ({@link readLastShipment}). Pure formatting: no chain access.
 */
import { buildDigitalLink, isValidGtin } from "./gs1.js";
import { SHIPMENT_STATUSES, UNIT_STATUSES, nameOf, spokenName } from "./names.js";
import type { LastShipment } from "./passport-shipments.js";

/** A certificate as `verify` returns it (ethers decodes small integers as bigint). */
export interface PassportCertificate {
  kind: bigint;
  index: bigint;
  certifier: string;
  certType: string;
  expiresAt: bigint;
}

/** The lot part of `verify`'s result. */
export interface PassportLot {
  manufacturer: string;
  gtin: bigint;
  recalled: boolean;
  originCountry: string;
  productionDate: bigint;
  lotNumberHash: string;
  contentHash: string;
  uri: string;
}

/** `verify`'s result; typechain's `PassportViewStructOutput` satisfies it. */
export interface PassportResult {
  exists: boolean;
  genuine: boolean;
  gtin: bigint;
  serial: string;
  status: bigint;
  owner: string;
  lotId: bigint;
  lot: PassportLot;
  /** Certificates on record (valid plus lapsed ones whose slot was not reused yet), not a lifetime total. */
  issuedCertificateCount: bigint;
  certificates: readonly PassportCertificate[];
}

/** `IShipmentRegistry.getShipment(shipmentId)` of the unit's last shipment. */
export interface PassportShipmentView {
  status: bigint;
  carrier: string;
  lastEventAt: bigint;
  deliveredAt: bigint;
  eventCount: bigint;
}

/**
 * Optional context: the unit's last shipment, a directory of known parties and the report's
 * clock.
 */
export interface PassportReportRegistry {
  /**
   * The unit's last shipment ({@link readLastShipment}); `null` when its log shows none. Left
   * out, the report has no shipment line: `verify` does not say, so the report cannot either.
   */
  lastShipment?: LastShipment | null;
  /** Lower-case or checksummed address → display name (manufacturers, certifiers, owners). */
  names?: Readonly<Record<string, string>>;
  /** Unix seconds the report is "as of" (default: the machine's clock). */
  now?: bigint;
  /** Lot number (AI 10) to show in the Digital Link, when the caller knows it. */
  lotNumber?: string;
}

/** Certificates expiring within this many seconds get a warning. */
const EXPIRY_WARNING_SECONDS = 30n * 24n * 3600n;

/** ISO 8601 date (UTC) of a unix timestamp in seconds. */
export function isoDate(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().slice(0, 10);
}

/** ASCII text of a right-zero-padded bytesN hex string ("0x4f5247..." → "ORG..."). */
export function bytesToAscii(hex: string): string {
  const body = hex.startsWith("0x") ? hex.slice(2) : hex;
  let text = "";
  for (let i = 0; i + 1 < body.length; i += 2) {
    const code = parseInt(body.slice(i, i + 2), 16);
    if (code === 0) break;
    text += code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : "?";
  }
  return text;
}

function party(address: string, registry?: PassportReportRegistry): string {
  const names = registry?.names;
  const name = names?.[address] ?? names?.[address.toLowerCase()];
  return name === undefined ? address : `${name} (${address})`;
}

/** Renders a `verify` result as a multi-line report; the first line is the verdict. */
export function formatPassportReport(
  result: PassportResult,
  registry?: PassportReportRegistry,
): string {
  const now = registry?.now ?? BigInt(Math.floor(Date.now() / 1000));
  const gtin14 = result.gtin.toString().padStart(14, "0");
  const identity =
    result.serial.length > 0 ? `GTIN ${gtin14}, serial ${result.serial}` : "not a valid GS1 id";
  const status = nameOf(UNIT_STATUSES, result.status);

  if (!result.exists) {
    return [
      "NOT FOUND: no passport was ever issued for this unit.",
      `Scanned:       ${identity}`,
      "Warning:       treat an unregistered unit as unverified; it may be counterfeit.",
    ].join("\n");
  }

  const lines: string[] = [];
  const warnings: string[] = [];
  const { lot } = result;
  if (result.genuine && !lot.recalled)
    lines.push("GENUINE: this passport was issued by the manufacturer.");
  else if (result.genuine) lines.push("GENUINE, BUT RECALLED: the manufacturer recalled this lot.");
  else if (status === "Stolen") lines.push("GENUINE, BUT REPORTED STOLEN: do not buy this unit.");
  else lines.push("NO LONGER VALID: this unit was consumed or destroyed.");

  lines.push(`Product:       ${identity}`);
  if (isValidGtin(result.gtin) && result.serial.length > 0) {
    lines.push(
      `Digital Link:  ${buildDigitalLink(result.gtin, result.serial, registry?.lotNumber)}`,
    );
  }
  lines.push(`Status:        ${status}`);
  lines.push(
    `Owner:         ${result.owner === "0x0000000000000000000000000000000000000000" ? "none" : party(result.owner, registry)}`,
  );
  lines.push(`Manufacturer:  ${party(lot.manufacturer, registry)}`);
  lines.push(`Lot:           #${result.lotId} (lot number hash ${lot.lotNumberHash})`);
  lines.push(`Made in:       ${bytesToAscii(lot.originCountry)}`);
  lines.push(`Produced on:   ${isoDate(lot.productionDate)}`);
  lines.push(`Passport doc:  ${lot.uri} (content hash ${lot.contentHash})`);

  if (result.certificates.length === 0) {
    lines.push("Certificates:  none valid now");
  } else {
    lines.push(`Certificates:  ${result.certificates.length} valid now`);
    for (const c of result.certificates) {
      const scope = c.kind === 0n ? "unit" : "lot";
      lines.push(
        `  - ${bytesToAscii(c.certType)} (${scope} #${c.index}) by ${party(c.certifier, registry)}, expires ${isoDate(c.expiresAt)}`,
      );
      if (c.expiresAt - now <= EXPIRY_WARNING_SECONDS) {
        warnings.push(`certificate ${bytesToAscii(c.certType)} expires on ${isoDate(c.expiresAt)}`);
      }
    }
  }
  const invalid = result.issuedCertificateCount - BigInt(result.certificates.length);
  if (invalid > 0n) {
    warnings.push(
      `${invalid} certificate(s) expired, were revoked or lost their certifier's accreditation`,
    );
  }

  const last = registry?.lastShipment;
  if (last === null) {
    lines.push("Last shipment: none recorded");
  } else if (last !== undefined) {
    const shipment = nameOf(SHIPMENT_STATUSES, last.status);
    const shown =
      last.status === 0n
        ? "status unknown"
        : spokenName(shipment).replace(/^./, (c) => c.toUpperCase());
    lines.push(`Last shipment: ${last.shipmentId} (${shown})`);
    const detail = last.shipment;
    if (detail !== undefined) {
      lines.push(
        `  carrier ${party(detail.carrier, registry)}, ${detail.eventCount} event(s), last on ${isoDate(detail.lastEventAt)}`,
      );
      if (detail.deliveredAt !== 0n) lines.push(`  delivered on ${isoDate(detail.deliveredAt)}`);
    }
    if (shipment === "Lost")
      warnings.push("the last shipment carrying this unit was reported lost");
  }

  if (lot.recalled)
    warnings.push("RECALLED: the manufacturer recalled this lot; see the passport document");
  if (status === "Stolen")
    warnings.push("STOLEN: the owner reported this unit stolen; it cannot be transferred");
  if (status === "Burned")
    warnings.push("CONSUMED/DESTROYED: this serial must not appear on any product for sale");
  for (const w of warnings) lines.push(`Warning:       ${w}`);
  return lines.join("\n");
}
