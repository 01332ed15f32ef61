// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IShipmentRegistry} from "../interfaces/IShipmentRegistry.sol";

/**
 * @title MockShipmentRegistry
 * @notice The views of {IShipmentRegistry} the escrow reads, with setters that put a shipment in
 * any state, recorded by any key of any carrier, so escrow tests do not depend on carriers
 * recording real events. A shipment's carrier and recorder are zero until {setRecorder}.
 * @dev `shipmentIdOf` follows the registry's rule: keccak256(abi.encode(shipper, shipperRef)).
 */
contract MockShipmentRegistry {
    mapping(bytes32 shipmentId => IShipmentRegistry.ShipmentView) private _shipments;
    mapping(bytes32 shipmentId => uint256[]) private _passports;
    mapping(bytes32 shipmentId => address recordedBy) private _recorders;
    /// @notice Whether a carrier is suspended, as {IShipmentRegistry-FinalEvent} reports it.
    mapping(address carrier => bool) public suspended;

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

    /// @notice Makes `carrier` the shipment's carrier and `recordedBy` the key of its final event.
    function setRecorder(bytes32 shipmentId, address carrier, address recordedBy) external {
        _shipments[shipmentId].carrier = carrier;
        _recorders[shipmentId] = recordedBy;
    }

    /// @notice Suspends or reinstates `carrier`.
    function setSuspended(address carrier, bool isSuspended) external {
        suspended[carrier] = isSuspended;
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

    /// @notice See {IShipmentRegistry-finalEventOf}; `occurredAt` is the delivery time for a Delivered shipment.
    function finalEventOf(
        address shipper,
        bytes32 shipperRef
    ) external view returns (bytes32 shipmentId, IShipmentRegistry.FinalEvent memory) {
        shipmentId = keccak256(abi.encode(shipper, shipperRef));
        IShipmentRegistry.ShipmentView memory shipment = _shipments[shipmentId];
        bool isFinal = shipment.status >= IShipmentRegistry.ShipmentStatus.Delivered;
        return (
            shipmentId,
            IShipmentRegistry.FinalEvent({
                status: shipment.status,
                occurredAt: shipment.status == IShipmentRegistry.ShipmentStatus.Delivered
                    ? shipment.deliveredAt
                    : shipment.lastEventAt,
                carrier: shipment.carrier,
                recordedBy: isFinal ? _recorders[shipmentId] : address(0),
                carrierSuspended: suspended[shipment.carrier]
            })
        );
    }

    /// @notice See {IShipmentRegistry-passportsOf}.
    function passportsOf(bytes32 shipmentId) external view returns (uint256[] memory) {
        return _passports[shipmentId];
    }
}
