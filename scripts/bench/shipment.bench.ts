import { id } from "ethers";

import type { IShipmentRegistry } from "../../typechain-types/index.js";
import { EventCode, encodeLocode, signEventBatch } from "@waybill/sdk";
import type { BenchSuite } from "./types.js";

const BATCH = 20;

/** The shipment registry's user-facing calls (issue "Shipment-event logging"). */
const suite: BenchSuite = {
  ceilings: {
    "shipment.create": 75_000,
    "shipment.recordEvent": 40_000,
    [`shipment.recordEventsBySig[${BATCH}]/event`]: 18_000,
  },
  async run({ ethers, measure, record }) {
    const [admin, carrier, key, shipper, relayer] = await ethers.getSigners();
    const registry = await ethers.deployContract("ShipmentRegistry", [
      admin.address,
      3 * 24 * 3600,
      ethers.ZeroAddress,
    ]);
    await registry.grantRole(await registry.CARRIER_MANAGER_ROLE(), admin.address);
    await registry.registerCarrier(
      carrier.address,
      ethers.encodeBytes32String("MAEU").slice(0, 18),
    );
    await registry.connect(carrier).authorizeKey(key.address);

    const origin = encodeLocode("CNSHA");
    const destination = encodeLocode("DEHAM");
    const newShipment = (ref: string): IShipmentRegistry.NewShipmentStruct => ({
      shipperRef: id(ref),
      carrier: carrier.address,
      origin,
      destination,
      documentsHash: id(`docs ${ref}`),
      passportIds: [],
    });
    // The shipper has shipped before, as on a live chain.
    await registry.connect(shipper).createShipment(newShipment("order-0"));
    await measure(
      "shipment.create",
      registry.connect(shipper).createShipment(newShipment("order-1")),
    );

    const now = async (): Promise<number> => (await ethers.provider.getBlock("latest"))!.timestamp;
    const event = (
      shipmentId: string,
      code: number,
      occurredAt: number,
    ): IShipmentRegistry.ShipmentEventStruct => ({
      shipmentId,
      code,
      location: origin,
      occurredAt,
      evidenceHash: id(`scan ${shipmentId} ${code}`),
      nextCarrier: ethers.ZeroAddress,
      evidenceURI: "",
    });

    const first = await registry.shipmentIdOf(shipper.address, id("order-1"));
    await registry.connect(carrier).recordEvent(event(first, EventCode.PickedUp, await now()));
    await measure(
      "shipment.recordEvent",
      registry.connect(carrier).recordEvent(event(first, EventCode.Departed, await now())),
    );

    // Twenty shipments already picked up; the depot key has signed before (nonce 0 used, so
    // its nonce-bitmap word is already non-zero, as on a live chain).
    const ids: string[] = [];
    for (let i = 0; i < BATCH; i++) {
      const ref = `batch-${i}`;
      await registry.connect(shipper).createShipment(newShipment(ref));
      const shipmentId = await registry.shipmentIdOf(shipper.address, id(ref));
      await registry
        .connect(carrier)
        .recordEvent(event(shipmentId, EventCode.PickedUp, await now()));
      ids.push(shipmentId);
    }
    await registry.connect(key).cancelNonce(0n);
    const at = await now();
    // One relayer transaction carrying ONE batch of twenty events signed once by the depot key.
    const signed = await signEventBatch(
      registry,
      key,
      ids.map((shipmentId) => event(shipmentId, EventCode.Departed, at)),
      1n,
      BigInt(at + 3600),
      { compact: true },
    );
    const receipt = await (await registry.connect(relayer).recordEventsBySig([signed])).wait();
    if (receipt === null) throw new Error("recordEventsBySig was not mined");
    record(`shipment.recordEventsBySig[${BATCH}]/event`, receipt.gasUsed / BigInt(BATCH));
  },
};

export default suite;
