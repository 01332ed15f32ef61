// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IShipmentRegistry} from "../interfaces/IShipmentRegistry.sol";

/**
 * @title MockShipmentRegistry
 * @notice The three views of {IShipmentRegistry} the escrow reads, with setters that put a shipment
 * in any state, so escrow tests do not depend on carriers recording real events.
 * @dev `shipmentIdOf` follows the registry's rule: keccak256(abi.encode(shipper, shipperRef)).
 */
contract MockShipmentRegistry {
    mapping(bytes32 shipmentId => IShipmentRegistry.ShipmentView) private _shipments;
    mapping(bytes32 shipmentId => uint256[]) private _passports;

    /// @notice Puts `shipmentId` in `status`, delivered at `deliveredAt` (meaningful only when Delivered).
    function setShipment(
        bytes32 shipmentId,
        IShipmentRegistry.ShipmentStatus status,
        uint40 deliveredAt
    ) external {
        IShipmentRegistry.ShipmentView storage shipment = _shipments[shipmentId];
        shipment.status = status;
        shipment.deliveredAt = deliveredAt;
        shipment.lastEventAt = uint40(block.timestamp);
    }

    /// @notice Sets the passports travelling in `shipmentId`.
    function setPassports(bytes32 shipmentId, uint256[] calldata tokenIds) external {
        _passports[shipmentId] = tokenIds;
    }

    /// @notice See {IShipmentRegistry-shipmentIdOf}.
    function shipmentIdOf(address shipper, bytes32 shipperRef) external pure returns (bytes32) {
        return keccak256(abi.encode(shipper, shipperRef));
    }

    /// @notice See {IShipmentRegistry-getShipment}.
    function getShipment(bytes32 shipmentId) external view returns (IShipmentRegistry.ShipmentView memory) {
        return _shipments[shipmentId];
    }

    /// @notice See {IShipmentRegistry-passportsOf}.
    function passportsOf(bytes32 shipmentId) external view returns (uint256[] memory) {
        return _passports[shipmentId];
    }
}
