import { expect } from "chai";
import { id } from "ethers";
import { network } from "hardhat";

import { decodeLocode, encodeLocode } from "@waybill/sdk";
import { formatTimeline, getTimeline } from "@waybill/sdk";
import {
  EventCode,
  HAMBURG,
  ROTTERDAM,
  SHANGHAI,
  createShipment,
  deployRegistry,
  shipmentEvent,
} from "./helpers.js";

const { ethers, networkHelpers } = await network.create();

describe("sdk: timeline and UN/LOCODE helpers", function () {
  /** Shanghai → Rotterdam by sea, customs hold and clearance in Rotterdam, last mile to Hamburg by another carrier. */
  async function customsCrossingFixture() {
    const f = await deployRegistry(ethers);
    const shipmentId = await createShipment(f, "order-7");
    const other = await createShipment(f, "order-8");
    const steps: {
      by: typeof f.carrier;
      code: number;
      location: string;
      next?: string;
      uri?: string;
    }[] = [
      { by: f.key, code: EventCode.PickedUp, location: SHANGHAI },
      { by: f.carrier, code: EventCode.Departed, location: SHANGHAI },
      { by: f.carrier, code: EventCode.Arrived, location: ROTTERDAM },
      {
        by: f.carrier,
        code: EventCode.CustomsHeld,
        location: ROTTERDAM,
        uri: "ipfs://customs-decl",
      },
      { by: f.carrier, code: EventCode.CustomsCleared, location: ROTTERDAM },
      { by: f.carrier, code: EventCode.HandedOver, location: ROTTERDAM, next: f.carrier2.address },
      { by: f.carrier2, code: EventCode.OutForDelivery, location: HAMBURG },
      { by: f.carrier2, code: EventCode.Delivered, location: HAMBURG, uri: "ipfs://pod" },
    ];
    const times: number[] = [];
    for (const [i, step] of steps.entries()) {
      await networkHelpers.time.increase(6 * 3600);
      const t = await networkHelpers.time.latest();
      times.push(t);
      await f.registry.connect(step.by).recordEvent(
        shipmentEvent(shipmentId, step.code, t, {
          location: step.location,
          nextCarrier: step.next ?? ethers.ZeroAddress,
          evidenceURI: step.uri ?? "",
          evidenceHash: id(`step ${i}`),
        }),
      );
      // Noise from another shipment must not appear in the timeline.
      if (i === 0) {
        await f.registry
          .connect(f.carrier)
          .recordEvent(shipmentEvent(other, EventCode.PickedUp, t));
      }
    }
    return { ...f, shipmentId, times };
  }

  it("returns the creation and every event of one shipment in order, human-readable", async function () {
    const f = await networkHelpers.loadFixture(customsCrossingFixture);
    const timeline = await getTimeline(f.registry, f.shipmentId);
    expect(timeline.map((e) => e.code)).to.deep.equal([
      "Created",
      "PickedUp",
      "Departed",
      "Arrived",
      "CustomsHeld",
      "CustomsCleared",
      "HandedOver",
      "OutForDelivery",
      "Delivered",
    ]);
    expect(timeline.map((e) => e.location)).to.deep.equal([
      "CNSHA",
      "CNSHA",
      "CNSHA",
      "NLRTM",
      "NLRTM",
      "NLRTM",
      "NLRTM",
      "DEHAM",
      "DEHAM",
    ]);
    expect(timeline[0]).to.include({ recordedBy: f.shipper.address, detail: "to DEHAM" });
    expect(timeline[0].evidence).to.equal(id("documents of order-7"));
    expect(timeline[1]).to.include({
      time: new Date(f.times[0] * 1000).toISOString(),
      carrier: f.carrier.address,
      recordedBy: f.key.address,
      evidence: id("step 0"),
    });
    expect(timeline[4].evidenceURI).to.equal("ipfs://customs-decl");
    expect(timeline[6]).to.include({
      carrier: f.carrier2.address,
      detail: `to ${f.carrier2.address}`,
    });
    expect(timeline[8]).to.include({
      time: new Date(f.times[7] * 1000).toISOString(),
      carrier: f.carrier2.address,
      evidenceURI: "ipfs://pod",
    });
  });

  it("formats one text line per step: dates with their time zone, places by name", async function () {
    const f = await networkHelpers.loadFixture(customsCrossingFixture);
    const lines = formatTimeline(await getTimeline(f.registry, f.shipmentId));
    expect(lines).to.have.length(9);
    expect(lines[0]).to.match(
      /^\d{4}-\d\d-\d\d \d\d:\d\d UTC {2}Created {9}Shanghai, China \(CNSHA\) {2}carrier 0x.* to Hamburg, Germany \(DEHAM\)$/,
    );
    const named = formatTimeline(await getTimeline(f.registry, f.shipmentId), {
      timeZone: "Asia/Shanghai",
      names: { [f.carrier.address]: "Pacific Freight" },
    });
    expect(named[0]).to.match(/ GMT\+8 {2}Created .* carrier Pacific Freight \(0x/);
    expect(lines[4])
      .to.contain("CustomsHeld")
      .and.to.contain("NLRTM")
      .and.to.contain("ipfs://customs-decl");
    expect(lines[8]).to.contain("Delivered").and.to.contain("DEHAM");
  });

  it("returns an empty timeline for an unknown shipment", async function () {
    const f = await networkHelpers.loadFixture(customsCrossingFixture);
    expect(await getTimeline(f.registry, id("unknown"))).to.deep.equal([]);
    expect(formatTimeline([])).to.deep.equal([]);
  });

  it("encodes and decodes UN/LOCODEs, refusing malformed ones", function () {
    expect(encodeLocode("CNSHA")).to.equal("0x434e534841");
    expect(encodeLocode("cn sha")).to.equal("0x434e534841");
    expect(decodeLocode("0x444548414d")).to.equal("DEHAM");
    for (const bad of ["CNSH", "CNSHAX", "C1SHA", "CNSH1", "CN-SH"]) {
      expect(() => encodeLocode(bad)).to.throw(/not a UN\/LOCODE/);
    }
    expect(() => decodeLocode("0x4344")).to.throw(/not a bytes5 location/);
  });
});
