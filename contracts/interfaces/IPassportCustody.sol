// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IPassportCustody
 * @notice The part of the product-passport contract the shipment registry calls, so only a
 * unit's owner can put it on a shipment, and every shipment that carried a unit is in the unit's
 * {PassportShipped} log (a unit's last shipment is its latest such event).
 */
interface IPassportCustody {
    /// @dev `tokenId` is not owned by the shipper who tried to ship it.
    error PassportNotOwnedByShipper(uint256 tokenId, address shipper);
    /// @dev Only the configured shipment registry may record shipments.
    error NotShipmentRegistry(address caller);

    /// @notice Emitted when a passport is put on a shipment: the record of a unit's shipments,
    /// which the passport does not store.
    event PassportShipped(uint256 indexed tokenId, bytes32 indexed shipmentId);

    /**
     * @notice Records that `shipper`'s passports `tokenIds` travel in `shipmentId`, in one
     * {PassportShipped} per unit.
     * @dev Only the shipment registry. Reverts unless `shipper` owns every token.
     */
    function recordShipment(bytes32 shipmentId, address shipper, uint256[] calldata tokenIds) external;
}
