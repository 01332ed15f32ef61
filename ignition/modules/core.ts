import type { ArgumentType, IgnitionModuleBuilder } from "@nomicfoundation/ignition-core";

/** Seconds a default-admin handover waits before the new admin can accept it. */
const ADMIN_TRANSFER_DELAY = 3n * 24n * 3600n;
/** Seconds an arbiter has to rule on a dispute before the default ruling applies. */
const ARBITRATION_PERIOD = 14n * 24n * 3600n;
/** The platform fee new orders pay, in basis points (1%). */
const FEE_BPS = 100n;

/**
 * Deploys the three contracts wired together: passports know the registry, the registry
 * tells passports about shipments, the escrow reads the registry and hands passports over.
 * The deployer becomes the admin and holds every operational role, to hand out later with
 * `npx hardhat admin grant-role`.
 */
export function deployWaybill(m: IgnitionModuleBuilder, stablecoins: ArgumentType) {
  const deployer = m.getAccount(0);
  const adminDelay = m.getParameter("adminTransferDelay", ADMIN_TRANSFER_DELAY);
  const treasury = m.getParameter("treasury", deployer);

  const passports = m.contract("ProductPassport", [deployer, adminDelay]);
  const registry = m.contract("ShipmentRegistry", [deployer, adminDelay, passports]);
  m.call(passports, "setShipmentRegistry", [registry]);

  const escrow = m.contract("WaybillEscrow", [
    registry,
    passports,
    m.getParameter("arbitrationPeriod", ARBITRATION_PERIOD),
    adminDelay,
    deployer,
    treasury,
    m.getParameter("feeBps", FEE_BPS),
  ]);
  // Roles first: allow-listing needs TOKEN_MANAGER_ROLE, and Ignition runs independent calls in any order.
  const grants = ["ARBITER_ROLE", "FEE_MANAGER_ROLE", "TOKEN_MANAGER_ROLE", "PAUSER_ROLE"].map(
    (role) =>
      m.call(
        escrow,
        "grantRole",
        [m.staticCall(escrow, role, [], 0, { id: `escrow_${role}` }), deployer],
        {
          id: `grant_escrow_${role}`,
        },
      ),
  );
  const allowed = m.call(escrow, "setTokensAllowed", [stablecoins, true], { after: grants });
  // Circle's USDC and EURC move exact amounts: payments skip the fee-on-transfer measurement.
  m.call(escrow, "setTokensPlain", [stablecoins, true], { after: [allowed] });
  // The escrow's one-call ship creates registry shipments for the calling merchant's own paid order.
  m.call(registry, "setEscrow", [escrow]);
  m.call(registry, "grantRole", [m.staticCall(registry, "CARRIER_MANAGER_ROLE", [], 0), deployer], {
    id: "grant_registry_CARRIER_MANAGER_ROLE",
  });

  return { registry, escrow, passports };
}
