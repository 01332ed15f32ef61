// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IRegistryListener
 * @notice What the {IShipmentRegistry} tells its escrow (the one address it names with
 * `setEscrow`): that it linked it, and every carrier suspension from then on. The escrow uses the
 * two to skip the registry read in `release` for a delivery recorded after the latest suspension
 * (docs/trust-model.md). The registry calls with a fixed gas allowance it guarantees, and a
 * listener that reverts never stops the registry's own action.
 */
interface IRegistryListener {
    /**
     * @notice The registry named the caller's listener as its escrow (`setEscrow`, once): from now
     * on it reports every carrier suspension here. Only the escrow's own registry may call.
     */
    function recordRegistryLink() external;

    /**
     * @notice The registry suspended `carrier` (`suspendCarrier`). Only the escrow's own registry
     * may call. Waybill's escrow records the time for each token it lists, at most
     * `MAX_LISTED_TOKENS` of them, so that the work fits the registry's allowance.
     * @param carrier The carrier just suspended.
     */
    function recordCarrierSuspension(address carrier) external;
}
