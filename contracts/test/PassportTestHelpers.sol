// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";

import {IPassportCustody} from "../interfaces/IPassportCustody.sol";
import {IShipmentRegistry} from "../interfaces/IShipmentRegistry.sol";

/**
 * @title PassportTestRegistry
 * @notice Test stand-in for the shipment registry: forwards {IPassportCustody-recordShipment}
 * and answers `getShipment` with a status the test sets (None for unknown ids).
 */
contract PassportTestRegistry {
    mapping(bytes32 shipmentId => IShipmentRegistry.ShipmentStatus status) private _statuses;

    /// @notice Sets the status `getShipment` reports for `shipmentId`.
    function setStatus(bytes32 shipmentId, IShipmentRegistry.ShipmentStatus status) external {
        _statuses[shipmentId] = status;
    }

    /// @notice Calls `passport.recordShipment` as the registry would on shipment creation.
    function ship(
        IPassportCustody passport,
        bytes32 shipmentId,
        address shipper,
        uint256[] calldata ids
    ) external {
        passport.recordShipment(shipmentId, shipper, ids);
    }

    /// @notice The shipment's state: only its status, None for a shipment never given one, as
    /// the real registry reports a shipment it does not know.
    function getShipment(
        bytes32 shipmentId
    ) external view returns (IShipmentRegistry.ShipmentView memory view_) {
        view_.status = _statuses[shipmentId];
    }
}

/**
 * @title PassportReceiver
 * @notice An ERC-721 receiver that records the last token it accepted, or rejects every token.
 */
contract PassportReceiver is IERC721Receiver {
    error ReceiverRejected(uint256 tokenId);

    event Received(address operator, address from, uint256 tokenId, bytes data);

    bool public immutable accept;

    constructor(bool accept_) {
        accept = accept_;
    }

    /// @inheritdoc IERC721Receiver
    function onERC721Received(
        address operator,
        address from,
        uint256 tokenId,
        bytes calldata data
    ) external returns (bytes4) {
        if (!accept) revert ReceiverRejected(tokenId);
        emit Received(operator, from, tokenId, data);
        return IERC721Receiver.onERC721Received.selector;
    }
}

/**
 * @title NonReceiver
 * @notice A contract with no ERC-721 receiver hook: safe transfers to it must fail.
 */
contract NonReceiver {}
