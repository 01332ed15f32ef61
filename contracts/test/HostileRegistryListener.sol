// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRegistryListener} from "../interfaces/IRegistryListener.sol";

/**
 * @title HostileRegistryListener
 * @notice An escrow a careless admin could name in the registry's `setEscrow`: it refuses every
 * notice by reverting, by burning all the gas it is given, or by answering with a huge return
 * payload, so tests can show that none of them stops a link or a suspension.
 */
contract HostileRegistryListener is IRegistryListener {
    enum Mode {
        Revert,
        BurnGas,
        ReturnBomb
    }

    /// @notice How the next notices are refused.
    Mode public mode;

    error Refused();

    /// @notice Chooses how notices are refused from now on.
    function setMode(Mode newMode) external {
        mode = newMode;
    }

    /// @inheritdoc IRegistryListener
    function recordRegistryLink() external view {
        _refuse();
    }

    /// @inheritdoc IRegistryListener
    function recordCarrierSuspension(address) external view {
        _refuse();
    }

    function _refuse() private view {
        Mode current = mode;
        if (current == Mode.Revert) revert Refused();
        if (current == Mode.BurnGas) {
            // Spins until the forwarded gas runs out.
            while (true) {}
        }
        assembly ("memory-safe") {
            return(0, 100000)
        }
    }
}
