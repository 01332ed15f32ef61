// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IShipmentRegistry
 * @notice Authorised carriers record each step of a cross-border shipment. The escrow trusts
 * one kind of fact from here: a shipment reached a final status (Delivered, Lost, Returned),
 * when, and who produced it ({finalEventOf}): it refuses a final event whose recording key or
 * carrier is a party to the order, or whose carrier is suspended now. Who is trusted for what:
 * docs/trust-model.md.
 * @dev Shipment ids are derived, never chosen: `shipmentIdOf(shipper, shipperRef)`. An escrow
 * order's shipment uses the order id as its `shipperRef`, so the escrow can find the one
 * shipment a merchant made for an order without storing a link, and a shipment can serve
 * only the order it was created for.
 */
interface IShipmentRegistry {
    // ------------------------------------------------------------------------- types

    /// @notice Lifecycle of a shipment. Delivered, Lost and Returned are final.
    enum ShipmentStatus {
        None, // no such shipment
        Created, // registered by the shipper, not yet picked up
        InTransit, // in a carrier's hands
        CustomsHold, // held by customs: cannot be delivered until cleared
        Delivered, // proof of delivery recorded (final)
        Lost, // lost or destroyed in transit (final)
        Returned // returned to the shipper (final)
    }

    /// @notice What a carrier reports. The mapping to GS1 EPCIS 2.0 business steps and DCSA
    /// track-and-trace codes is documented in docs/shipment-events.md.
    enum EventCode {
        PickedUp, // Created → InTransit
        Departed, // InTransit → InTransit
        Arrived, // InTransit → InTransit
        CustomsHeld, // InTransit → CustomsHold
        CustomsCleared, // CustomsHold → InTransit
        HandedOver, // InTransit → InTransit, custody passes to `nextCarrier`
        OutForDelivery, // InTransit → InTransit
        Delivered, // InTransit → Delivered
        DeliveryFailed, // InTransit → InTransit (attempt failed; another may follow)
        Damaged, // InTransit or CustomsHold → same (goods damaged but still moving)
        Lost, // Created, InTransit or CustomsHold → Lost
        ReturnedToSender // InTransit or CustomsHold → Returned
    }

    /// @notice What a shipper registers. Nothing personal: places are UN/LOCODEs, documents hashes.
    struct NewShipment {
        bytes32 shipperRef; // the escrow order id, or any reference unique among this shipper's shipments
        address carrier; // the registered carrier that picks the shipment up first
        bytes5 origin; // UN/LOCODE, e.g. "CNSHA"
        bytes5 destination; // UN/LOCODE, e.g. "DEHAM"
        bytes32 documentsHash; // hash of commercial invoice, packing list, bill of lading / air waybill
        uint256[] passportIds; // product passports travelling in this shipment (may be empty)
    }

    /// @notice One step of a shipment, as a carrier reports it.
    // Never stored (calldata and logs only), so slot packing does not apply; the order is the ABI.
    // solhint-disable-next-line gas-struct-packing
    struct ShipmentEvent {
        bytes32 shipmentId;
        EventCode code;
        bytes5 location; // UN/LOCODE where it happened
        uint40 occurredAt; // when it happened: not in the future, not before the previous event
        bytes32 evidenceHash; // scan, photo, proof-of-delivery signature, customs declaration
        address nextCarrier; // the carrier taking over; only for HandedOver, zero otherwise
        string evidenceURI; // optional pointer to the evidence (may be empty)
    }

    /// @notice A list of events one carrier key signed off-chain (EIP-712) as a whole, for anyone to submit.
    /// @dev A depot scanner signs its scans as one list: one signature, one nonce and one
    /// deadline cover every event, in order. The signed struct is
    /// `EventBatch(address signer,ShipmentEvent[] events,uint256 nonce,uint40 deadline)`, its
    /// `signer` being this struct's `signer`; see {EVENT_BATCH_TYPEHASH}.
    struct SignedEventBatch {
        ShipmentEvent[] events; // recorded in this order; 1 to MAX_BATCH_EVENTS of them
        uint256 nonce; // unordered: any unused nonce of the signer (a bitmap, as in Permit2)
        uint40 deadline; // the signature is invalid after this time
        address signer; // the signing key, or the carrier itself (an EOA or an ERC-1271 contract)
        bytes signature; // 65-byte or 64-byte (EIP-2098) ECDSA, or an ERC-1271 blob
    }

    /// @notice The current state of a shipment: what the escrow and a tracking page read.
    struct ShipmentView {
        ShipmentStatus status;
        address carrier; // the carrier currently allowed to record events
        EventCode lastEventCode; // meaningless while status is Created
        uint40 lastEventAt; // time of the last event, or creation time
        uint40 deliveredAt; // non-zero only when Delivered
        uint32 eventCount;
    }

    /**
     * @notice What the escrow checks before a shipment's final event moves money: who produced it.
     * @dev `recordedBy` is the key that recorded the final event (Delivered, Lost, Returned) or,
     * for a signed batch, the batch's signer, never its relayer; it is the carrier itself when the
     * carrier recorded or signed it, and zero while the status is not final. `carrier` held the
     * shipment at that event (a final event never hands over), and `carrierSuspended` is its
     * suspension NOW, so an escrow reading it later sees a suspension made after the event.
     */
    struct FinalEvent {
        ShipmentStatus status;
        uint40 occurredAt; // time of the last event: the delivery, loss or return time once final
        address carrier;
        address recordedBy;
        bool carrierSuspended;
    }

    // ------------------------------------------------------------------------ events

    event CarrierRegistered(address indexed carrier, bytes8 code);
    event CarrierSuspended(address indexed carrier);
    event CarrierReinstated(address indexed carrier);
    event CarrierKeyAuthorized(address indexed carrier, address indexed key);
    event CarrierKeyRevoked(address indexed carrier, address indexed key);

    event ShipmentCreated(
        bytes32 indexed shipmentId,
        address indexed shipper,
        address indexed carrier,
        bytes32 shipperRef,
        bytes5 origin,
        bytes5 destination,
        bytes32 documentsHash,
        uint256[] passportIds
    );

    /// @notice One step of a shipment. `recordedBy` is the key that recorded or signed it.
    event ShipmentEventRecorded(
        bytes32 indexed shipmentId,
        address indexed carrier,
        EventCode indexed code,
        bytes5 location,
        uint40 occurredAt,
        bytes32 evidenceHash,
        address nextCarrier,
        address recordedBy,
        string evidenceURI
    );

    /// @notice Emitted when a signed-batch nonce is used or cancelled.
    /// @notice The admin named the escrow that may create shipments for its merchants ({createShipmentFor}).
    event EscrowSet(address indexed escrow);
    /// @notice The escrow refused (reverted, or used up {ESCROW_NOTICE_GAS}) the notice `selector`
    /// ({IRegistryListener}): the registry's action stood anyway. Only a broken or hostile escrow does this.
    event EscrowNoticeFailed(address indexed escrow, bytes4 selector);

    event NonceUsed(address indexed signer, uint256 nonce);

    // ------------------------------------------------------------------------ errors

    error CarrierAlreadyRegistered(address carrier);
    error CarrierNotRegistered(address carrier);
    error CarrierNotActive(address carrier);
    error KeyAlreadyAuthorized(address key, address carrier);
    error KeyNotAuthorized(address key, address carrier);
    error ShipmentAlreadyExists(bytes32 shipmentId);
    error ShipmentNotFound(bytes32 shipmentId);
    error TooManyPassports(uint256 count, uint256 max);
    error InvalidLocation(bytes5 location);
    /// @dev `code` cannot follow a shipment in `status`.
    error InvalidTransition(bytes32 shipmentId, ShipmentStatus status, EventCode code);
    /// @dev `caller` is neither the shipment's current carrier nor one of its active keys.
    error NotShipmentCarrier(bytes32 shipmentId, address caller, address carrier);
    error EventInFuture(uint40 occurredAt, uint256 blockTime);
    error EventBeforePrevious(uint40 occurredAt, uint40 previous);
    error InvalidNextCarrier(address nextCarrier);
    error SignatureExpired(uint40 deadline, uint256 blockTime);
    /// @dev `signer` did not sign the batch it is named in with `nonce` (or any of its fields,
    /// events or their order differ from what was signed, or the domain is another chain or contract).
    error InvalidSignature(address signer, uint256 nonce);
    /// @dev A signed batch must hold at least one event, so a nonce is never spent on nothing.
    error EmptyBatch(address signer, uint256 nonce);
    /// @dev A signed batch holds at most `max` events.
    error BatchTooLarge(address signer, uint256 nonce, uint256 count, uint256 max);
    error NonceAlreadyUsed(address signer, uint256 nonce);
    /// @dev The zero address cannot be a carrier or a key.
    error InvalidAccount(address account);
    /// @dev A carrier needs a non-zero industry code (SCAC, IATA prefix, company code).
    error InvalidCarrierCode(bytes8 code);
    /// @dev Only a suspended carrier can be reinstated.
    error CarrierNotSuspended(address carrier);
    /// @dev A revoked key stays dead, so signatures it made before revocation can never revive.
    error KeyPreviouslyRevoked(address key);
    /// @dev The registry was deployed without a passport contract, so shipments cannot carry passports.
    error PassportsNotEnabled();
    /// @dev `code` is already the industry code of `holder`: a code names exactly one carrier.
    error CarrierCodeTaken(bytes8 code, address holder);
    /// @dev A shipment's passport ids must be strictly ascending; the one at `index` is not
    /// above its predecessor (a duplicate, or out of order).
    error PassportIdsNotAscending(uint256 index, uint256 tokenId);
    /// @dev Only the escrow set by the admin may create shipments on a shipper's behalf.
    error NotEscrow(address caller);
    /// @dev The escrow can be set once, to a non-zero address.
    error EscrowAlreadySet(address escrow);
    /// @dev A notice to the escrow needs `needed` gas left so that the escrow surely receives
    /// {ESCROW_NOTICE_GAS}; the call had `gasLeft`. Send the transaction with more gas.
    error EscrowNoticeGasTooLow(uint256 gasLeft, uint256 needed);

    // ------------------------------------------------------------------- operations

    /// @notice Registers a carrier under an industry code (e.g. a SCAC) no other carrier holds.
    /// Carrier-manager role.
    function registerCarrier(address carrier, bytes8 code) external;

    /// @notice Stops a carrier and all its keys from recording events. Carrier-manager role.
    /// @dev The escrow also stops releasing payments on the carrier's recorded deliveries while it
    /// is suspended, and a suspension outlasting an order's inspection window opens the buyer's
    /// refund (docs/trust-model.md): suspend only for cause. Tells the escrow, once set
    /// ({IRegistryListener-recordCarrierSuspension}), with {ESCROW_NOTICE_GAS} guaranteed; an escrow
    /// that refuses cannot stop the suspension ({EscrowNoticeFailed}).
    function suspendCarrier(address carrier) external;

    /// @notice Lets a suspended carrier record events again. Carrier-manager role.
    function reinstateCarrier(address carrier) external;

    /// @notice Lets `key` (a depot, a scanner) record and sign events for the calling carrier.
    function authorizeKey(address key) external;

    /// @notice Withdraws a key of the calling carrier; its unsubmitted signatures die with it.
    function revokeKey(address key) external;

    /// @notice Marks one of the caller's signed-batch nonces used, killing a signature before submission.
    function cancelNonce(uint256 nonce) external;

    /// @notice Registers a shipment; the caller is its shipper. Passport ids must be strictly ascending.
    /// @return shipmentId `shipmentIdOf(msg.sender, s.shipperRef)`.
    function createShipment(NewShipment calldata s) external returns (bytes32 shipmentId);

    /// @notice Registers a shipment for `shipper`, exactly as if `shipper` had called
    /// {createShipment}: same id (`shipmentIdOf(shipper, s.shipperRef)`), same checks, and the
    /// passport contract checks that `shipper` owns the passports. Only the escrow set with
    /// {setEscrow}, which calls it from its one-call ship for the calling merchant's own paid order
    /// (the reference must be that order's id): it cannot create a shipment for anyone else.
    /// @param shipper The shipment's shipper (the order's merchant).
    /// @param s The shipment to register.
    /// @return shipmentId `shipmentIdOf(shipper, s.shipperRef)`.
    function createShipmentFor(address shipper, NewShipment calldata s) external returns (bytes32 shipmentId);

    /// @notice Names, once, the escrow allowed to call {createShipmentFor}. Default admin only.
    /// It tells that escrow ({IRegistryListener-recordRegistryLink}) and, from then on, every
    /// carrier suspension, as {suspendCarrier} says.
    /// @param escrow The escrow contract.
    function setEscrow(address escrow) external;

    /// @notice Records one event; the caller is the shipment's carrier or one of its keys.
    function recordEvent(ShipmentEvent calldata ev) external;

    /// @notice Records batches of events signed off-chain by carrier keys, one signature per batch.
    /// All-or-nothing across the whole call: one bad batch or event reverts everything with
    /// its error (relayers simulate first).
    function recordEventsBySig(SignedEventBatch[] calldata batches) external;

    // ------------------------------------------------------------------------ views

    /// @notice The role allowed to register, suspend and reinstate carriers.
    // solhint-disable-next-line func-name-mixedcase
    function CARRIER_MANAGER_ROLE() external view returns (bytes32);

    /// @notice The EIP-712 type hash of a signed batch:
    /// `EventBatch(address signer,ShipmentEvent[] events,uint256 nonce,uint40 deadline)ShipmentEvent(bytes32 shipmentId,uint8 code,bytes5 location,uint40 occurredAt,bytes32 evidenceHash,address nextCarrier,string evidenceURI)`.
    // solhint-disable-next-line func-name-mixedcase
    function EVENT_BATCH_TYPEHASH() external view returns (bytes32);

    /// @notice The EIP-712 type hash of one event inside a signed batch:
    /// `ShipmentEvent(bytes32 shipmentId,uint8 code,bytes5 location,uint40 occurredAt,bytes32 evidenceHash,address nextCarrier,string evidenceURI)`.
    // solhint-disable-next-line func-name-mixedcase
    function SHIPMENT_EVENT_TYPEHASH() external view returns (bytes32);

    /// @notice The most events one signed batch can hold.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_BATCH_EVENTS() external view returns (uint256);

    /// @notice The most passports one shipment can carry.
    // solhint-disable-next-line func-name-mixedcase
    function MAX_PASSPORTS() external view returns (uint256);

    /// @notice The gas the registry forwards to its escrow's {IRegistryListener} notices, and
    /// guarantees by refusing a call left with too little ({EscrowNoticeGasTooLow}).
    // solhint-disable-next-line func-name-mixedcase
    function ESCROW_NOTICE_GAS() external view returns (uint256);

    /// @notice The passport contract told about shipped passports, or zero when passports are not enabled.
    function passportCustody() external view returns (address);

    /// @notice The industry code a carrier was registered under (zero when not a carrier).
    function carrierCode(address carrier) external view returns (bytes8);

    /// @notice The id of the shipment `shipper` registers under `shipperRef`.
    function shipmentIdOf(address shipper, bytes32 shipperRef) external pure returns (bytes32);

    /// @notice A shipment's current state.
    function getShipment(bytes32 shipmentId) external view returns (ShipmentView memory);

    /// @notice The evidence behind the status of the shipment `shipper` registered under
    /// `shipperRef` (an escrow order id): the final event's time, carrier and recording key, and
    /// whether that carrier is suspended now (see {FinalEvent}); one call for the escrow.
    /// @return shipmentId `shipmentIdOf(shipper, shipperRef)`.
    /// @return evidence The status and who produced it.
    function finalEventOf(
        address shipper,
        bytes32 shipperRef
    ) external view returns (bytes32 shipmentId, FinalEvent memory evidence);

    /// @notice The carrier that holds (or recorded the final event of) the shipment `shipper`
    /// registered under `shipperRef`, and whether it is suspended now: the part of
    /// {finalEventOf} the escrow's release needs, without the struct round trip.
    /// @return carrier The carrier.
    /// @return suspended Whether it is suspended now.
    function carrierStandingOf(
        address shipper,
        bytes32 shipperRef
    ) external view returns (address carrier, bool suspended);

    /// @notice The escrow allowed to call {createShipmentFor} (zero until the admin sets it).
    function escrow() external view returns (address);

    /// @notice The carrier registered under an industry code (zero when none).
    function carrierByCode(bytes8 code) external view returns (address);

    /// @notice The passport token ids travelling in a shipment.
    function passportsOf(bytes32 shipmentId) external view returns (uint256[] memory);

    /// @notice The carrier a key signs for (the carrier itself for its own address), and whether it may act now.
    function carrierOf(address key) external view returns (address carrier, bool active);

    /// @notice Whether `signer` has used (or cancelled) `nonce`.
    function isNonceUsed(address signer, uint256 nonce) external view returns (bool);

    /// @notice The EIP-712 digest a carrier key signs for `events` (in order) with `nonce` and
    /// `deadline`, to be submitted under `signer` (the digest differs per claimed signer).
    function signedBatchDigest(
        address signer,
        ShipmentEvent[] calldata events,
        uint256 nonce,
        uint40 deadline
    ) external view returns (bytes32);
}
