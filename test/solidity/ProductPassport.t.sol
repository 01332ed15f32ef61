// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ProductPassport} from "../../contracts/ProductPassport.sol";
import {IProductPassport} from "../../contracts/interfaces/IProductPassport.sol";
import {Test} from "./utils/Test.sol";

/// @dev GS1 building blocks computed independently of the contract, for the fuzz tests.
abstract contract Gs1Fixtures is Test {
    bytes internal constant CSET82 =
        "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
    bytes internal constant FORBIDDEN = " #$@[\\]^`{|}~\x00\x7f\x80\xff";

    /// @dev A valid GTIN-14 from any seed: 13 body digits and the GS1 mod-10 check digit.
    function _validGtin(uint256 seed) internal pure returns (uint64) {
        uint256 body = seed % 1e13;
        if (body == 0) body = 1;
        uint256 sum;
        uint256 rest = body;
        for (uint256 i; i < 13; ++i) {
            sum += (rest % 10) * (i % 2 == 0 ? 3 : 1);
            rest /= 10;
        }
        return uint64(body * 10 + ((10 - (sum % 10)) % 10));
    }

    /// @dev A serial of 1..20 characters drawn from CSET 82.
    function _validSerial(uint256 seed, uint256 lengthSeed) internal pure returns (string memory) {
        uint256 length = bound(lengthSeed, 1, 20);
        bytes memory s = new bytes(length);
        for (uint256 i; i < length; ++i) {
            s[i] = CSET82[uint256(keccak256(abi.encode(seed, i))) % CSET82.length];
        }
        return string(s);
    }
}

contract ProductPassportFuzzTest is Gs1Fixtures {
    ProductPassport internal passport;

    function setUp() public {
        passport = new ProductPassport(address(this), 0);
    }

    function testFuzz_tokenIdOf_roundTripsThroughDecode(
        uint256 gtinSeed,
        uint256 serialSeed,
        uint256 lengthSeed
    ) public view {
        uint64 gtin = _validGtin(gtinSeed);
        string memory serial = _validSerial(serialSeed, lengthSeed);
        uint256 id = passport.tokenIdOf(gtin, serial);
        assertEq(id >> 160, gtin, "GTIN sits above the low 160 bits");
        assertEq(uint256(uint160(id)), uint256(uint160(bytes20(bytes(serial)))), "serial left-aligned");
        (uint64 decodedGtin, string memory decodedSerial) = passport.decodeTokenId(id);
        assertEq(decodedGtin, gtin, "decoded GTIN");
        assertEq(keccak256(bytes(decodedSerial)), keccak256(bytes(serial)), "decoded serial");
    }

    function testFuzz_tokenIdOf_rejectsWrongCheckDigit(uint256 gtinSeed, uint256 delta) public {
        uint64 gtin = _validGtin(gtinSeed);
        uint64 wrong = gtin - (gtin % 10) + uint64(((gtin % 10) + bound(delta, 1, 9)) % 10);
        vm.expectRevert(abi.encodeWithSelector(IProductPassport.InvalidGtin.selector, wrong));
        passport.tokenIdOf(wrong, "1");
    }

    function testFuzz_tokenIdOf_rejectsGtinsBeyondFourteenDigits(uint64 gtin) public {
        gtin = uint64(bound(gtin, 1e14, type(uint64).max));
        vm.expectRevert(abi.encodeWithSelector(IProductPassport.InvalidGtin.selector, gtin));
        passport.tokenIdOf(gtin, "1");
    }

    function testFuzz_tokenIdOf_rejectsAByteOutsideCset82(
        uint256 serialSeed,
        uint256 lengthSeed,
        uint256 position,
        uint256 badSeed
    ) public {
        bytes memory serial = bytes(_validSerial(serialSeed, lengthSeed));
        serial[bound(position, 0, serial.length - 1)] = FORBIDDEN[badSeed % FORBIDDEN.length];
        vm.expectRevert(abi.encodeWithSelector(IProductPassport.InvalidSerial.selector, string(serial)));
        passport.tokenIdOf(_validGtin(serialSeed), string(serial));
    }

    function testFuzz_tokenIdOf_rejectsSerialsLongerThanTwenty(uint256 seed, uint256 extra) public {
        string memory serial = string.concat(
            _validSerial(seed, 20),
            _validSerial(seed >> 1, bound(extra, 1, 20))
        );
        vm.expectRevert(abi.encodeWithSelector(IProductPassport.InvalidSerial.selector, serial));
        passport.tokenIdOf(_validGtin(seed), serial);
    }

    /// @dev Any id that decodes must be exactly the id of what it decodes to: decoding is a
    /// true inverse, so no two (GTIN, serial) pairs share an id.
    function testFuzz_decodeTokenId_acceptsOnlyCanonicalIds(uint256 id) public view {
        try passport.decodeTokenId(id) returns (uint64 gtin, string memory serial) {
            assertEq(passport.tokenIdOf(gtin, serial), id, "decoded id re-encodes to itself");
        } catch (bytes memory reason) {
            assertEq(
                keccak256(reason),
                keccak256(abi.encodeWithSelector(IProductPassport.InvalidTokenId.selector, id)),
                "only InvalidTokenId"
            );
        }
    }

    function testFuzz_decodeTokenId_rejectsAnEmptySerial(uint256 gtinSeed) public {
        uint256 id = uint256(_validGtin(gtinSeed)) << 160;
        vm.expectRevert(abi.encodeWithSelector(IProductPassport.InvalidTokenId.selector, id));
        passport.decodeTokenId(id);
    }

    function test_tokenIdOf_matchesTheGs1DigitalLinkExample() public view {
        assertEq(
            passport.tokenIdOf(9506000134352, "1"),
            (uint256(9506000134352) << 160) | (uint256(0x31) << 152),
            "GTIN 09506000134352, serial 1"
        );
    }
}

/// @dev Random mints, transfers, theft reports and burns by four holders of one lot.
contract PassportHandler is Gs1Fixtures {
    ProductPassport public immutable passport;
    uint64 public immutable lotId;
    address[] public actors;
    uint256[] public minted;
    uint256 public liveCount;
    uint256 public burnedCount;
    /// @dev Counts re-mints of a burned id that the contract wrongly accepted (must stay zero).
    uint256 public remintedBurned;

    constructor(ProductPassport passport_, uint64 lotId_) {
        passport = passport_;
        lotId = lotId_;
        for (uint256 i = 1; i <= 4; ++i) actors.push(address(uint160(0xB000 + i)));
    }

    function mint(uint256 serialSeed, uint256 actorSeed) external {
        string memory serial = _validSerial(serialSeed, serialSeed >> 8);
        uint256 id = passport.tokenIdOf(9506000134352, serial);
        if (passport.unitStatus(id) != IProductPassport.UnitStatus.None) return;
        passport.mint(lotId, serial, _actor(actorSeed));
        minted.push(id);
        ++liveCount;
    }

    function transfer(uint256 unitSeed, uint256 toSeed) external {
        if (minted.length == 0) return;
        uint256 id = minted[unitSeed % minted.length];
        if (passport.unitStatus(id) != IProductPassport.UnitStatus.Active) return;
        address owner = passport.ownerOf(id);
        vm.prank(owner);
        passport.transferFrom(owner, _actor(toSeed), id);
    }

    function toggleStolen(uint256 unitSeed) external {
        if (minted.length == 0) return;
        uint256 id = minted[unitSeed % minted.length];
        IProductPassport.UnitStatus status = passport.unitStatus(id);
        if (status == IProductPassport.UnitStatus.Burned) return;
        vm.prank(passport.ownerOf(id));
        if (status == IProductPassport.UnitStatus.Active) passport.reportStolen(id);
        else passport.clearStolen(id);
    }

    function burn(uint256 unitSeed, uint8 reason) external {
        if (minted.length == 0) return;
        uint256 id = minted[unitSeed % minted.length];
        if (passport.unitStatus(id) != IProductPassport.UnitStatus.Active) return;
        vm.prank(passport.ownerOf(id));
        passport.burn(id, IProductPassport.BurnReason(reason % 4));
        --liveCount;
        ++burnedCount;
    }

    function remintBurned(uint256 unitSeed) external {
        if (minted.length == 0) return;
        uint256 id = minted[unitSeed % minted.length];
        if (passport.unitStatus(id) != IProductPassport.UnitStatus.Burned) return;
        (, string memory serial) = passport.decodeTokenId(id);
        try passport.mint(lotId, serial, address(this)) {
            ++remintedBurned;
        } catch {}
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function mintedCount() external view returns (uint256) {
        return minted.length;
    }

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % actors.length];
    }
}

contract ProductPassportInvariantTest is Test {
    ProductPassport internal passport;
    PassportHandler internal handler;

    function setUp() public {
        passport = new ProductPassport(address(this), 0);
        handler = new PassportHandler(passport, 1);
        passport.grantRole(passport.MANUFACTURER_ROLE(), address(handler));
        passport.assignPrefix(address(handler), 9506000, 7);
        vm.prank(address(handler));
        passport.createLot(
            IProductPassport.NewLot({
                gtin: 9506000134352,
                prefixLength: 7,
                originCountry: "DE",
                productionDate: uint40(block.timestamp),
                contentHash: keccak256("lot"),
                lotNumber: "L1",
                uri: "ipfs://lot"
            })
        );
        targetContract(address(handler));
    }

    /// @dev Balances are kept outside OpenZeppelin's storage, so they must match ownership exactly.
    function invariant_balancesSumToLiveUnits() public view {
        uint256 sum;
        for (uint256 i; i < handler.actorCount(); ++i) sum += passport.balanceOf(handler.actors(i));
        assertEq(sum, handler.liveCount(), "sum of balances == minted - burned");
    }

    function invariant_everyUnitIsOwnedExactlyWhenNotBurned() public view {
        uint256 burned;
        for (uint256 i; i < handler.mintedCount(); ++i) {
            uint256 id = handler.minted(i);
            IProductPassport.PassportView memory v = passport.verify(id);
            assertTrue(v.exists, "a minted unit exists forever");
            if (v.status == IProductPassport.UnitStatus.Burned) {
                ++burned;
                assertEq(v.owner, address(0), "a burned unit has no owner");
            } else {
                assertTrue(v.owner != address(0), "a live unit has an owner");
                assertEq(passport.ownerOf(id), v.owner, "ownerOf agrees with verify");
            }
            assertEq(v.lotId, 1, "the lot id survives transfers and burning");
        }
        assertEq(burned, handler.burnedCount(), "burned count");
    }

    function invariant_aBurnedIdIsNeverMintedAgain() public view {
        assertEq(handler.remintedBurned(), 0, "no re-mint of a burned id");
    }
}

contract ProductPassportCertificateFuzzTest is Test {
    ProductPassport internal passport;
    uint64 internal lotId;

    function setUp() public {
        passport = new ProductPassport(address(this), 0);
        passport.grantRole(passport.MANUFACTURER_ROLE(), address(this));
        passport.grantRole(passport.CERTIFIER_ROLE(), address(this));
        passport.assignPrefix(address(this), 9506000, 7);
        lotId = passport.createLot(
            IProductPassport.NewLot({
                gtin: 9506000134352,
                prefixLength: 7,
                originCountry: "DE",
                productionDate: uint40(block.timestamp),
                contentHash: keccak256("lot"),
                lotNumber: "L1",
                uri: "ipfs://lot"
            })
        );
    }

    /// @dev Fills every slot, revokes some, lets time pass: the next attestation must take the
    /// first revoked or expired slot, and revert only while all eight certificates are live.
    function testFuzz_attest_takesTheFirstLapsedSlotAndNeverALiveOne(
        uint256 revokeSeed,
        uint256 expirySeed,
        uint256 timeSeed
    ) public {
        uint256 max = passport.MAX_CERTIFICATES();
        uint32[] memory expiries = new uint32[](max);
        for (uint256 i; i < max; ++i) {
            expiries[i] = uint32(
                block.timestamp + bound(uint256(keccak256(abi.encode(expirySeed, i))), 1, 1000)
            );
            assertEq(passport.attestLot(lotId, "CE", keccak256("doc"), expiries[i], ""), i, "fills in order");
        }
        // Each slot is revoked with probability 1/4, so about one run in ten revokes none.
        bool[] memory revoked = new bool[](max);
        for (uint256 i; i < max; ++i) {
            revoked[i] = uint256(keccak256(abi.encode(revokeSeed, i))) % 4 == 0;
            if (revoked[i]) passport.revokeCertificate(IProductPassport.SubjectKind.Lot, lotId, uint8(i));
        }
        // No time passing, landing exactly on one certificate's expiry, or any time up to past all.
        uint256 mode = timeSeed % 3;
        if (mode == 1) vm.warp(expiries[(timeSeed / 3) % max]);
        if (mode == 2) vm.warp(block.timestamp + bound(timeSeed / 3, 0, 1100));
        uint256 expected = max;
        for (uint256 i; i < max && expected == max; ++i) {
            if (revoked[i] || expiries[i] <= block.timestamp) expected = i;
        }
        uint32 expiry = uint32(block.timestamp + 1);
        if (expected == max) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IProductPassport.TooManyCertificates.selector,
                    IProductPassport.SubjectKind.Lot,
                    uint256(lotId),
                    max
                )
            );
            passport.attestLot(lotId, "CE", keccak256("doc"), expiry, "");
        } else {
            assertEq(
                passport.attestLot(lotId, "CE", keccak256("doc"), expiry, ""),
                expected,
                "first lapsed slot"
            );
        }
    }
}

/// @dev Random prefix assignments and revocations over a crowded digit space (614141 followed by
/// up to three digits of 0 or 1, and the same digits behind a leading zero), where most
/// candidates overlap another; plus certifier grants, revocations and attestations.
contract PassportTrustHandler is Test {
    ProductPassport public immutable passport;
    uint64 public immutable lotId;
    address[] internal _certifiers;

    /// @dev Prefixes the passport currently shows assigned, as (digits, length).
    uint64[] public assignedPrefixes;
    uint8[] public assignedLengths;
    /// @dev Counts assignments the contract accepted although they overlapped (must stay zero).
    uint256 public acceptedOverlaps;
    /// @dev Per certifier: how many times it was granted CERTIFIER_ROLE.
    mapping(address certifier => uint256 grants) public grantCount;
    /// @dev Per lot certificate slot: the issuer and its grant count when it attested.
    mapping(uint256 index => address certifier) public slotIssuer;
    mapping(uint256 index => uint256 grant) public slotGrant;

    constructor() {
        passport = new ProductPassport(address(this), 0);
        passport.grantRole(passport.MANUFACTURER_ROLE(), address(this));
        passport.assignPrefix(address(this), 9506000, 7);
        lotId = passport.createLot(
            IProductPassport.NewLot({
                gtin: 9506000134352,
                prefixLength: 7,
                originCountry: "DE",
                productionDate: uint40(block.timestamp),
                contentHash: keccak256("lot"),
                lotNumber: "L1",
                uri: "ipfs://lot"
            })
        );
        for (uint256 i = 1; i <= 3; ++i) _certifiers.push(address(uint160(0xC000 + i)));
    }

    function assign(uint256 seed) external {
        (uint64 prefix, uint8 length) = _candidate(seed);
        bool overlaps = _overlapsAssigned(prefix, length);
        try passport.assignPrefix(address(uint160(0xA000 + (seed % 5))), prefix, length) {
            if (overlaps) ++acceptedOverlaps;
            assignedPrefixes.push(prefix);
            assignedLengths.push(length);
        } catch {}
    }

    function revoke(uint256 seed) external {
        uint256 count = assignedPrefixes.length;
        if (count == 0) return;
        uint256 i = seed % count;
        passport.revokePrefix(assignedPrefixes[i], assignedLengths[i]);
        assignedPrefixes[i] = assignedPrefixes[count - 1];
        assignedLengths[i] = assignedLengths[count - 1];
        assignedPrefixes.pop();
        assignedLengths.pop();
    }

    function grantCertifier(uint256 seed) external {
        address certifier = _certifiers[seed % _certifiers.length];
        if (passport.hasRole(passport.CERTIFIER_ROLE(), certifier)) return;
        passport.grantRole(passport.CERTIFIER_ROLE(), certifier);
        ++grantCount[certifier];
    }

    function revokeCertifier(uint256 seed) external {
        address certifier = _certifiers[seed % _certifiers.length];
        passport.revokeRole(passport.CERTIFIER_ROLE(), certifier);
    }

    function attest(uint256 seed, uint256 lifetime) external {
        address certifier = _certifiers[seed % _certifiers.length];
        if (!passport.hasRole(passport.CERTIFIER_ROLE(), certifier)) return;
        vm.prank(certifier);
        try
            passport.attestLot(
                lotId,
                "CE",
                keccak256("doc"),
                uint32(block.timestamp + bound(lifetime, 1, 500)),
                ""
            )
        returns (uint8 index) {
            slotIssuer[index] = certifier;
            slotGrant[index] = grantCount[certifier];
        } catch {}
    }

    function wait(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 0, 200));
    }

    function assignedCount() external view returns (uint256) {
        return assignedPrefixes.length;
    }

    function isOverlap(uint64 a, uint8 aLength, uint64 b, uint8 bLength) public pure returns (bool) {
        if (aLength == bLength) return a == b;
        return aLength < bLength ? b / 10 ** (bLength - aLength) == a : a / 10 ** (aLength - bLength) == b;
    }

    /// @dev "614141" + 0..3 digits of 0/1, or the same behind a leading zero (a different prefix).
    function _candidate(uint256 seed) private pure returns (uint64 prefix, uint8 length) {
        uint256 extra = seed % 4;
        prefix = 614141;
        for (uint256 i; i < extra; ++i) prefix = prefix * 10 + uint64((seed >> (8 + i)) & 1);
        length = uint8(6 + extra);
        if ((seed >> 16) & 3 == 0 && length < 12) ++length;
    }

    function _overlapsAssigned(uint64 prefix, uint8 length) private view returns (bool) {
        for (uint256 i; i < assignedPrefixes.length; ++i) {
            if (isOverlap(prefix, length, assignedPrefixes[i], assignedLengths[i])) return true;
        }
        return false;
    }
}

contract ProductPassportTrustInvariantTest is Test {
    PassportTrustHandler internal handler;
    ProductPassport internal passport;

    function setUp() public {
        handler = new PassportTrustHandler();
        passport = handler.passport();
        targetContract(address(handler));
    }

    /// @dev GENUINE rests on this: no GTIN lies under two assigned prefixes.
    function invariant_noTwoAssignedPrefixesOverlap() public view {
        assertEq(handler.acceptedOverlaps(), 0, "no overlapping assignment accepted");
        uint256 count = handler.assignedCount();
        for (uint256 i; i < count; ++i) {
            (uint64 a, uint8 aLength) = (handler.assignedPrefixes(i), handler.assignedLengths(i));
            assertTrue(passport.prefixOwner(a, aLength) != address(0), "a tracked prefix is assigned");
            for (uint256 j = i + 1; j < count; ++j) {
                assertTrue(
                    !handler.isOverlap(a, aLength, handler.assignedPrefixes(j), handler.assignedLengths(j)),
                    "assigned prefixes are pairwise free of overlaps"
                );
            }
        }
    }

    /// @dev A certificate counts only while the accreditation it was issued under lasts: its
    /// issuer holds the role now and was not granted it again since.
    function invariant_validCertificatesComeFromTheirIssuingAccreditation() public view {
        for (uint8 i; i < passport.MAX_CERTIFICATES(); ++i) {
            (address certifier, , uint32 expiresAt, bool valid) = passport.certificateAt(
                IProductPassport.SubjectKind.Lot,
                handler.lotId(),
                i
            );
            if (certifier == address(0)) break;
            bool expected =
                expiresAt > block.timestamp &&
                    passport.hasRole(passport.CERTIFIER_ROLE(), certifier) &&
                    handler.slotGrant(i) == handler.grantCount(certifier) &&
                    handler.slotIssuer(i) == certifier;
            assertTrue(valid == expected, "certificate validity follows its accreditation");
        }
    }
}
