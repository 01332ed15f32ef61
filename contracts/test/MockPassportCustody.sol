// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPassportCustody} from "../interfaces/IPassportCustody.sol";

/**
 * @title MockPassportCustody
 * @notice Stands in for the passport contract in registry tests: remembers every
 * `recordShipment` call and can be told to refuse one token as not owned by the shipper.
 */
contract MockPassportCustody is IPassportCustody {
    /// @notice The registry allowed to call, or zero to allow anyone.
    address public registry;
    /// @notice A token id `recordShipment` refuses (zero refuses none).
    uint256 public refusedTokenId;
    /// @notice How many times `recordShipment` succeeded.
    uint256 public callCount;
    /// @notice The arguments of the last successful call.
    bytes32 public lastShipmentId;
    address public lastShipper;
    uint256[] private _lastTokenIds;

    /// @notice Restricts calls to `registry_`.
    function setRegistry(address registry_) external {
        registry = registry_;
    }

    /// @notice Makes the next calls refuse `tokenId` with `PassportNotOwnedByShipper`.
    function refuse(uint256 tokenId) external {
        refusedTokenId = tokenId;
    }

    /// @inheritdoc IPassportCustody
    function recordShipment(bytes32 shipmentId, address shipper, uint256[] calldata tokenIds) external {
        if (registry != address(0) && msg.sender != registry) revert NotShipmentRegistry(msg.sender);
        for (uint256 i; i < tokenIds.length; ++i) {
            if (refusedTokenId != 0 && tokenIds[i] == refusedTokenId) {
                revert PassportNotOwnedByShipper(tokenIds[i], shipper);
            }
            emit PassportShipped(tokenIds[i], shipmentId);
        }
        ++callCount;
        lastShipmentId = shipmentId;
        lastShipper = shipper;
        _lastTokenIds = tokenIds;
    }

    /// @notice The token ids of the last successful call.
    function lastTokenIds() external view returns (uint256[] memory) {
        return _lastTokenIds;
    }
}
