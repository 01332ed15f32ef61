// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IPassportCustody
 * @notice The part of the product-passport contract the shipment registry calls, so a
 * passport always knows the last shipment that carried it.
 */
interface IPassportCustody {
    /// @dev `tokenId` is not owned by the shipper who tried to ship it.
    error PassportNotOwnedByShipper(uint256 tokenId, address shipper);
    /// @dev Only the configured shipment registry may record shipments.
    error NotShipmentRegistry(address caller);

    /// @notice Emitted when a passport is put on a shipment.
    event PassportShipped(uint256 indexed tokenId, bytes32 indexed shipmentId);

    /**
     * @notice Records that `shipper`'s passports `tokenIds` travel in `shipmentId`.
     * @dev Only the shipment registry. Reverts unless `shipper` owns every token.
     */
    function recordShipment(bytes32 shipmentId, address shipper, uint256[] calldata tokenIds) external;
}
