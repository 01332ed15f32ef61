// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRegistryListener} from "../interfaces/IRegistryListener.sol";
import {IShipmentRegistry} from "../interfaces/IShipmentRegistry.sol";

/**
 * @title MockShipmentRegistry
 * @notice The views of {IShipmentRegistry} the escrow reads, with setters that put a shipment in
 * any state, recorded by any key of any carrier, so escrow tests do not depend on carriers
 * recording real events. A shipment's carrier and recorder are zero until {setRecorder}.
 * @dev `shipmentIdOf` follows the registry's rule: keccak256(abi.encode(shipper, shipperRef)).
 * Storage mirrors the real registry's reads, so escrow benchmarks stay representative: one
 * record slot per shipment, the recording key's slot only when a key (not the carrier) recorded
 * the final event, and one slot for the carrier's suspension.
 */
contract MockShipmentRegistry {
    // 1 + 20 + 5 + 5 + 1 = 32 bytes: one slot, like the real registry's record.
    // solhint-disable-next-line gas-struct-packing
    struct Record {
        IShipmentRegistry.ShipmentStatus status;
        address carrier;
        uint40 deliveredAt;
        uint40 lastEventAt;
        bool keyRecorded;
    }

    mapping(bytes32 shipmentId => Record) private _shipments;
    mapping(bytes32 shipmentId => uint256[]) private _passports;
    mapping(bytes32 shipmentId => address key) private _recorders;
    /// @notice Whether a carrier is suspended, as {IShipmentRegistry-FinalEvent} reports it.
    mapping(address carrier => bool) public suspended;

    /// @notice Puts `shipmentId` in `status`, delivered at `deliveredAt` (meaningful only when Delivered).
    function setShipment(
        bytes32 shipmentId,
        IShipmentRegistry.ShipmentStatus status,
        uint40 deliveredAt
    ) external {
        Record storage shipment = _shipments[shipmentId];
        shipment.status = status;
        shipment.deliveredAt = deliveredAt;
        shipment.lastEventAt = uint40(block.timestamp);
    }

    /// @notice Makes `carrier` the shipment's carrier and `recordedBy` the key of its final event.
    function setRecorder(bytes32 shipmentId, address carrier, address recordedBy) external {
        Record storage shipment = _shipments[shipmentId];
        shipment.carrier = carrier;
        shipment.keyRecorded = recordedBy != carrier;
        _recorders[shipmentId] = recordedBy;
    }

    /// @notice The escrow told of suspensions, once {linkEscrow} named it (zero before).
    IRegistryListener public escrow;

    /// @notice Links `listener` as the real registry's `setEscrow` does: tells it now, and of every
    /// later suspension. Until then the mock tells nobody, like a registry linked to another escrow.
    function linkEscrow(IRegistryListener listener) external {
        escrow = listener;
        listener.recordRegistryLink();
    }

    /// @notice Suspends or reinstates `carrier`; a suspension is reported to the linked escrow.
    function setSuspended(address carrier, bool isSuspended) external {
        suspended[carrier] = isSuspended;
        if (isSuspended && address(escrow) != address(0)) escrow.recordCarrierSuspension(carrier);
    }

    /// @notice Sets the passports travelling in `shipmentId`.
    function setPassports(bytes32 shipmentId, uint256[] calldata tokenIds) external {
        _passports[shipmentId] = tokenIds;
    }

    /// @notice See {IShipmentRegistry-shipmentIdOf}.
    function shipmentIdOf(address shipper, bytes32 shipperRef) external pure returns (bytes32) {
        return keccak256(abi.encode(shipper, shipperRef));
    }

    /// @notice See {IShipmentRegistry-getShipment}; the last event code and count stay zero.
    function getShipment(
        bytes32 shipmentId
    ) external view returns (IShipmentRegistry.ShipmentView memory view_) {
        Record memory shipment = _shipments[shipmentId];
        view_.status = shipment.status;
        view_.carrier = shipment.carrier;
        view_.lastEventAt = shipment.lastEventAt;
        view_.deliveredAt = shipment.deliveredAt;
    }

    /// @notice See {IShipmentRegistry-finalEventOf}; `occurredAt` is the delivery time for a Delivered shipment.
    function finalEventOf(
        address shipper,
        bytes32 shipperRef
    ) external view returns (bytes32 shipmentId, IShipmentRegistry.FinalEvent memory evidence) {
        shipmentId = keccak256(abi.encode(shipper, shipperRef));
        Record memory shipment = _shipments[shipmentId];
        evidence.status = shipment.status;
        evidence.carrier = shipment.carrier;
        if (shipment.status >= IShipmentRegistry.ShipmentStatus.Delivered) {
            evidence.recordedBy = shipment.keyRecorded ? _recorders[shipmentId] : shipment.carrier;
        }
        evidence.occurredAt =
            shipment.status == IShipmentRegistry.ShipmentStatus.Delivered
                ? shipment.deliveredAt
                : shipment.lastEventAt;
        evidence.carrierSuspended = suspended[shipment.carrier];
    }

    /// @notice See {IShipmentRegistry-carrierStandingOf}.
    function carrierStandingOf(
        address shipper,
        bytes32 shipperRef
    ) external view returns (address carrier, bool isSuspended) {
        carrier = _shipments[keccak256(abi.encode(shipper, shipperRef))].carrier;
        isSuspended = suspended[carrier];
    }

    /// @notice See {IShipmentRegistry-createShipmentFor}: records the shipment Created with its
    /// passports; open to any caller (the real registry admits only its escrow).
    function createShipmentFor(
        address shipper,
        IShipmentRegistry.NewShipment calldata s
    ) external returns (bytes32 shipmentId) {
        shipmentId = keccak256(abi.encode(shipper, s.shipperRef));
        Record storage shipment = _shipments[shipmentId];
        if (shipment.status != IShipmentRegistry.ShipmentStatus.None)
            revert IShipmentRegistry.ShipmentAlreadyExists(shipmentId);
        shipment.status = IShipmentRegistry.ShipmentStatus.Created;
        shipment.carrier = s.carrier;
        shipment.lastEventAt = uint40(block.timestamp);
        _passports[shipmentId] = s.passportIds;
    }

    /// @notice See {IShipmentRegistry-passportsOf}.
    function passportsOf(bytes32 shipmentId) external view returns (uint256[] memory) {
        return _passports[shipmentId];
    }
}
