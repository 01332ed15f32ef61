/**
 * The contracts' ABIs (shipped as JSON in `sdk/abi/`, generated from the build by
 * `npm run sdk:abis`) and typed handles on them. A handle is an ethers `Contract` typed with
 * the typechain interface, so callers get the same types as the Hardhat tests without the
 * typechain factories (which embed bytecode and are not needed by a client).
 */
import { Contract, type ContractRunner, Interface, type InterfaceAbi } from "ethers";

import type {
  MockStablecoin,
  ProductPassport,
  ShipmentRegistry,
  WaybillEscrow,
} from "../../typechain-types/index.js";
import stablecoinAbi from "../abi/MockStablecoin.json" with { type: "json" };
import passportAbi from "../abi/ProductPassport.json" with { type: "json" };
import registryAbi from "../abi/ShipmentRegistry.json" with { type: "json" };
import escrowAbi from "../abi/WaybillEscrow.json" with { type: "json" };

export const WAYBILL_ESCROW_ABI: InterfaceAbi = escrowAbi;
export const SHIPMENT_REGISTRY_ABI: InterfaceAbi = registryAbi;
export const PRODUCT_PASSPORT_ABI: InterfaceAbi = passportAbi;
/** ERC-20 with ERC-2612 permit, ERC-3009 authorizations, ERC-5267 and a local faucet's mint. */
export const STABLECOIN_ABI: InterfaceAbi = stablecoinAbi;

/** The stablecoin surface Waybill uses (Circle's USDC and EURC, or the local mocks). */
export type Stablecoin = MockStablecoin;
export type { ProductPassport, ShipmentRegistry, WaybillEscrow };

export function connectEscrow(address: string, runner: ContractRunner | null): WaybillEscrow {
  return new Contract(address, WAYBILL_ESCROW_ABI, runner) as unknown as WaybillEscrow;
}

export function connectRegistry(address: string, runner: ContractRunner | null): ShipmentRegistry {
  return new Contract(address, SHIPMENT_REGISTRY_ABI, runner) as unknown as ShipmentRegistry;
}

export function connectPassports(address: string, runner: ContractRunner | null): ProductPassport {
  return new Contract(address, PRODUCT_PASSPORT_ABI, runner) as unknown as ProductPassport;
}

export function connectStablecoin(address: string, runner: ContractRunner | null): Stablecoin {
  return new Contract(address, STABLECOIN_ABI, runner) as unknown as Stablecoin;
}

/** Every ABI whose custom errors a Waybill call may surface, for {@link toWaybillError}. */
export function waybillInterfaces(): Interface[] {
  return [WAYBILL_ESCROW_ABI, SHIPMENT_REGISTRY_ABI, PRODUCT_PASSPORT_ABI, STABLECOIN_ABI].map(
    (abi) => new Interface(abi),
  );
}

/** The three Waybill contracts of one deployment, as typed handles. */
export interface WaybillContracts {
  escrow: WaybillEscrow;
  registry: ShipmentRegistry;
  passports: ProductPassport;
}

/**
 * Opens the whole suite from the escrow's address alone: the escrow names its registry, the
 * registry its passport contract. This is how a buyer holding only an offer line gets there.
 */
export async function contractsFromEscrow(
  escrowAddress: string,
  runner: ContractRunner | null,
): Promise<WaybillContracts> {
  const escrow = connectEscrow(escrowAddress, runner);
  const registry = connectRegistry(await escrow.REGISTRY(), runner);
  const passports = connectPassports(await registry.passportCustody(), runner);
  return { escrow, registry, passports };
}
