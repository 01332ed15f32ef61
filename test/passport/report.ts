import { expect } from "chai";
import { network } from "hardhat";

import { formatPassportReport, isoDate, bytesToAscii, readLastShipment } from "@waybill/sdk";
import {
  DOC_HASH,
  GTIN_A,
  Kind,
  ORGANIC,
  Reason,
  SHIPMENT_1,
  Shipment,
  deployPassport,
  idOf,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

describe("formatPassportReport", function () {
  async function reportFixture() {
    const base = await deployPassport(ethers);
    const registry = await ethers.deployContract("PassportTestRegistry");
    await base.passport.setShipmentRegistry(await registry.getAddress());
    return { ...base, registry };
  }

  it("headlines a genuine unit and lists identity, lot, certificates and shipment", async function () {
    const { passport, registry, maker, certifier, alice, unit1, now } =
      await networkHelpers.loadFixture(reportFixture);
    await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, now + 400 * 86_400, "");
    await registry.ship(await passport.getAddress(), SHIPMENT_1, alice.address, [unit1]);
    await registry.setStatus(SHIPMENT_1, Shipment.Delivered);
    const report = formatPassportReport(await passport.verify(unit1), {
      names: { [maker.address]: "Acme GmbH", [certifier.address.toLowerCase()]: "Bio Control" },
      now: BigInt(now),
      lotNumber: "LOT-2026-001",
      lastShipment: await readLastShipment(passport, registry, unit1),
    });
    const lines = report.split("\n");
    expect(lines[0]).to.equal("GENUINE: this passport was issued by the manufacturer.");
    expect(report).to.include("Product:       GTIN 09506000134352, serial SN-1");
    expect(report).to.include(
      "Digital Link:  https://id.gs1.org/01/09506000134352/10/LOT-2026-001/21/SN-1",
    );
    expect(report).to.include(`Manufacturer:  Acme GmbH (${maker.address})`);
    expect(report).to.include("Made in:       DE");
    expect(report).to.include(`Produced on:   ${isoDate(BigInt(now - 86_400))}`);
    expect(report).to.include(`ORGANIC (unit #0) by Bio Control (${certifier.address})`);
    expect(report).to.include(`Last shipment: ${SHIPMENT_1} (Delivered)`);
    expect(report).not.to.include("Warning");
  });

  it("adds carrier, event count and delivery date when the caller passes the shipment's state", async function () {
    const { passport, carol, unit1, now } = await networkHelpers.loadFixture(reportFixture);
    const report = formatPassportReport(await passport.verify(unit1), {
      names: { [carol.address]: "Fast Freight" },
      lastShipment: {
        shipmentId: SHIPMENT_1,
        status: Shipment.Delivered,
        shipment: {
          status: Shipment.Delivered,
          carrier: carol.address,
          lastEventAt: BigInt(now),
          deliveredAt: BigInt(now),
          eventCount: 5n,
        },
      },
    });
    expect(report).to.include(
      `  carrier Fast Freight (${carol.address}), 5 event(s), last on ${isoDate(BigInt(now))}`,
    );
    expect(report).to.include(`  delivered on ${isoDate(BigInt(now))}`);
  });

  it("says none recorded when no shipment carried the unit, and leaves the line out when the caller did not look", async function () {
    const { passport, registry, unit1 } = await networkHelpers.loadFixture(reportFixture);
    const view = await passport.verify(unit1);
    const looked = formatPassportReport(view, {
      lastShipment: await readLastShipment(passport, registry, unit1),
    });
    expect(looked).to.include("Last shipment: none recorded");
    expect(formatPassportReport(view)).not.to.include("Last shipment");
  });

  it("says status unknown for a shipment the registry does not know, and warns of a lost one", async function () {
    const { passport, unit1 } = await networkHelpers.loadFixture(reportFixture);
    const view = await passport.verify(unit1);
    const unknown = formatPassportReport(view, {
      lastShipment: { shipmentId: SHIPMENT_1, status: Shipment.None },
    });
    expect(unknown).to.include(`Last shipment: ${SHIPMENT_1} (status unknown)`);
    const lost = formatPassportReport(view, {
      lastShipment: { shipmentId: SHIPMENT_1, status: Shipment.Lost },
    });
    expect(lost).to.include(`Last shipment: ${SHIPMENT_1} (Lost)`);
    expect(lost).to.include(
      "Warning:       the last shipment carrying this unit was reported lost",
    );
  });

  it("says NOT FOUND for an unregistered unit and shows what was scanned", async function () {
    const { passport } = await networkHelpers.loadFixture(reportFixture);
    const report = formatPassportReport(await passport.verify(idOf(GTIN_A, "FAKE")));
    expect(report.split("\n")[0]).to.equal("NOT FOUND: no passport was ever issued for this unit.");
    expect(report).to.include("GTIN 09506000134352, serial FAKE");
    expect(formatPassportReport(await passport.verify(5n))).to.include("not a valid GS1 id");
  });

  it("warns about a recall, a theft report and a certificate about to expire", async function () {
    const { passport, maker, certifier, alice, lotId, unit1, now } =
      await networkHelpers.loadFixture(reportFixture);
    await passport.connect(certifier).attestLot(lotId, ORGANIC, DOC_HASH, now + 10 * 86_400, "");
    await passport.connect(maker).recallLot(lotId, ethers.ZeroHash);
    const recalled = formatPassportReport(await passport.verify(unit1), { now: BigInt(now) });
    expect(recalled.split("\n")[0]).to.equal(
      "GENUINE, BUT RECALLED: the manufacturer recalled this lot.",
    );
    expect(recalled).to.include("Warning:       RECALLED");
    expect(recalled).to.include(
      `Warning:       certificate ORGANIC expires on ${isoDate(BigInt(now + 10 * 86_400))}`,
    );
    await passport.connect(alice).reportStolen(unit1);
    const stolen = formatPassportReport(await passport.verify(unit1), { now: BigInt(now) });
    expect(stolen.split("\n")[0]).to.equal("GENUINE, BUT REPORTED STOLEN: do not buy this unit.");
    expect(stolen).to.include("Warning:       STOLEN");
  });

  it("warns about certificates that expired or were revoked, and about consumed units", async function () {
    const { passport, certifier, alice, unit1, now } =
      await networkHelpers.loadFixture(reportFixture);
    await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, now + 100, "");
    await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, now + 100_000, "");
    await passport.connect(certifier).revokeCertificate(Kind.Unit, unit1, 1);
    await networkHelpers.time.increaseTo(now + 200);
    const expired = formatPassportReport(await passport.verify(unit1));
    expect(expired).to.include("Certificates:  none valid now");
    expect(expired).to.include("Warning:       2 certificate(s) expired, were revoked");
    await passport.connect(alice).burn(unit1, Reason.Consumed);
    const burned = formatPassportReport(await passport.verify(unit1));
    expect(burned.split("\n")[0]).to.equal("NO LONGER VALID: this unit was consumed or destroyed.");
    expect(burned).to.include("Owner:         none");
    expect(burned).to.include("Warning:       CONSUMED/DESTROYED");
  });

  it("stops warning about a lapsed certificate once a new certificate takes its slot", async function () {
    const { passport, certifier, unit1, now } = await networkHelpers.loadFixture(reportFixture);
    await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, now + 400 * 86_400, "");
    await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, now + 400 * 86_400, "");
    await passport.connect(certifier).revokeCertificate(Kind.Unit, unit1, 0);
    const lapsed = formatPassportReport(await passport.verify(unit1));
    expect(lapsed).to.include("Warning:       1 certificate(s) expired, were revoked");
    await passport.connect(certifier).attestUnit(unit1, ORGANIC, DOC_HASH, now + 400 * 86_400, "");
    const renewed = formatPassportReport(await passport.verify(unit1));
    expect(renewed).to.include("Certificates:  2 valid now");
    expect(renewed).to.include("(unit #0)");
    expect(renewed).not.to.include("certificate(s) expired, were revoked");
  });

  it("renders bytesN codes and dates as text", function () {
    expect(bytesToAscii("0x4f5247414e494300")).to.equal("ORGANIC");
    expect(isoDate(0n)).to.equal("1970-01-01");
  });
});
