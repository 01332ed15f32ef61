import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { ZeroAddress, ZeroHash, id } from "ethers";

import type {
  IShipmentRegistry,
  MockPassportCustody,
  ShipmentRegistry,
} from "../../typechain-types/index.js";
import { EventCode, encodeLocode } from "@waybill/sdk";

export const ADMIN_DELAY = 3n * 24n * 3600n;
export const CODE_MAERSK = "0x4d41455500000000"; // "MAEU"
export const CODE_DHL = "0x44484c5800000000"; // "DHLX"
export const SHANGHAI = encodeLocode("CNSHA");
export const HAMBURG = encodeLocode("DEHAM");
export const ROTTERDAM = encodeLocode("NLRTM");

export interface RegistryFixture {
  registry: ShipmentRegistry;
  passports: MockPassportCustody;
  admin: HardhatEthersSigner;
  manager: HardhatEthersSigner;
  carrier: HardhatEthersSigner;
  carrier2: HardhatEthersSigner;
  key: HardhatEthersSigner;
  shipper: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
  relayer: HardhatEthersSigner;
  managerRole: string;
}

/** A registry with passports enabled, a carrier manager, two carriers and one depot key of the first. */
export async function deployRegistry(ethers: HardhatEthers): Promise<RegistryFixture> {
  const [admin, manager, carrier, carrier2, key, shipper, stranger, relayer] =
    await ethers.getSigners();
  const passports = await ethers.deployContract("MockPassportCustody");
  const registry = await ethers.deployContract("ShipmentRegistry", [
    admin.address,
    ADMIN_DELAY,
    await passports.getAddress(),
  ]);
  await passports.setRegistry(await registry.getAddress());
  const managerRole = await registry.CARRIER_MANAGER_ROLE();
  await registry.connect(admin).grantRole(managerRole, manager.address);
  await registry.connect(manager).registerCarrier(carrier.address, CODE_MAERSK);
  await registry.connect(manager).registerCarrier(carrier2.address, CODE_DHL);
  await registry.connect(carrier).authorizeKey(key.address);
  return {
    registry,
    passports,
    admin,
    manager,
    carrier,
    carrier2,
    key,
    shipper,
    stranger,
    relayer,
    managerRole,
  };
}

export function newShipment(
  carrier: string,
  ref: string,
  passportIds: bigint[] = [],
): IShipmentRegistry.NewShipmentStruct {
  return {
    shipperRef: id(ref),
    carrier,
    origin: SHANGHAI,
    destination: HAMBURG,
    documentsHash: id(`documents of ${ref}`),
    passportIds,
  };
}

/** Creates a shipment from `shipper` and returns its id. */
export async function createShipment(
  f: RegistryFixture,
  ref = "order-1",
  carrier: string = f.carrier.address,
): Promise<string> {
  await f.registry.connect(f.shipper).createShipment(newShipment(carrier, ref));
  return f.registry.shipmentIdOf(f.shipper.address, id(ref));
}

export function shipmentEvent(
  shipmentId: string,
  code: number,
  occurredAt: number | bigint,
  overrides: Partial<IShipmentRegistry.ShipmentEventStruct> = {},
): IShipmentRegistry.ShipmentEventStruct {
  return {
    shipmentId,
    code,
    location: SHANGHAI,
    occurredAt,
    evidenceHash: id(`evidence ${shipmentId} ${code} ${occurredAt}`),
    nextCarrier: ZeroAddress,
    evidenceURI: "",
    ...overrides,
  };
}

export const STATUS = {
  None: 0,
  Created: 1,
  InTransit: 2,
  CustomsHold: 3,
  Delivered: 4,
  Lost: 5,
  Returned: 6,
} as const;

/** The event codes that take a fresh shipment into each status, recorded by its carrier. */
export const PATH_TO: Record<number, number[]> = {
  [STATUS.Created]: [],
  [STATUS.InTransit]: [EventCode.PickedUp],
  [STATUS.CustomsHold]: [EventCode.PickedUp, EventCode.CustomsHeld],
  [STATUS.Delivered]: [EventCode.PickedUp, EventCode.Delivered],
  [STATUS.Lost]: [EventCode.Lost],
  [STATUS.Returned]: [EventCode.PickedUp, EventCode.ReturnedToSender],
};

/** Every allowed (status, code) pair with the status it leads to, from the EventCode comments. */
export const ALLOWED: { from: number; code: number; to: number }[] = [
  { from: STATUS.Created, code: EventCode.PickedUp, to: STATUS.InTransit },
  { from: STATUS.Created, code: EventCode.Lost, to: STATUS.Lost },
  { from: STATUS.InTransit, code: EventCode.Departed, to: STATUS.InTransit },
  { from: STATUS.InTransit, code: EventCode.Arrived, to: STATUS.InTransit },
  { from: STATUS.InTransit, code: EventCode.CustomsHeld, to: STATUS.CustomsHold },
  { from: STATUS.InTransit, code: EventCode.HandedOver, to: STATUS.InTransit },
  { from: STATUS.InTransit, code: EventCode.OutForDelivery, to: STATUS.InTransit },
  { from: STATUS.InTransit, code: EventCode.Delivered, to: STATUS.Delivered },
  { from: STATUS.InTransit, code: EventCode.DeliveryFailed, to: STATUS.InTransit },
  { from: STATUS.InTransit, code: EventCode.Damaged, to: STATUS.InTransit },
  { from: STATUS.InTransit, code: EventCode.Lost, to: STATUS.Lost },
  { from: STATUS.InTransit, code: EventCode.ReturnedToSender, to: STATUS.Returned },
  { from: STATUS.CustomsHold, code: EventCode.CustomsCleared, to: STATUS.InTransit },
  { from: STATUS.CustomsHold, code: EventCode.Damaged, to: STATUS.CustomsHold },
  { from: STATUS.CustomsHold, code: EventCode.Lost, to: STATUS.Lost },
  { from: STATUS.CustomsHold, code: EventCode.ReturnedToSender, to: STATUS.Returned },
];

export { EventCode, ZeroHash };
