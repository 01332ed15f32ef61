/**
 * `npm run demo`: a whole cross-border sale on Hardhat's in-process network, told so a
 * non-developer can follow it. Deploys with the real Ignition module, then a Vietnamese
 * workshop's vases travel to a buyer in Hamburg under escrow, with passports, two carriers and
 * a customs stop; a second order ends in a dispute the parties settle themselves before the
 * arbiter rules; a third is financed: its payout is assigned to a trade financier, who is paid
 * on delivery.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse } from "ethers";
import { network } from "hardhat";

import WaybillLocalModule from "../ignition/modules/WaybillLocal.js";
import {
  EventCode,
  type EventCodeName,
  type Offer,
  type Stablecoin,
  type WaybillEscrow,
  connectEscrow,
  connectPassports,
  connectRegistry,
  connectStablecoin,
  digitalLinkOf,
  encodeLocode,
  orderShipment,
  formatAmount,
  formatPassportReport,
  formatTimeline,
  getTimeline,
  orderIdOf,
  readEvidence,
  readLastShipment,
  readOrderState,
  readReviews,
  signEventBatch,
  signOffer,
  signPermit,
  signReceiveAuthorization,
  signSettlement,
  toWaybillError,
  tokenIdOf,
  waybillInterfaces,
  withCheckDigit,
} from "@waybill/sdk";

const DAY = 86_400;
const L1_GWEI = 1;
const L2_GWEI = 0.01;
const ETH_USD = 3_000;

const { ethers, ignition, networkHelpers } = await network.create();

interface GasLine {
  who: string;
  what: string;
  gas: bigint;
  /** Calldata bytes the transaction carried (what rollups charge most for). */
  bytes: number;
  /** Part of order 1's lifecycle: paid by the merchant and buyer, or by the carriers. */
  part?: "parties" | "carriers";
}
const gasLedger: GasLine[] = [];

function say(text = ""): void {
  console.log(text);
}

function heading(text: string): void {
  say();
  say(`━━ ${text} ${"━".repeat(Math.max(0, 86 - text.length))}`);
}

async function today(): Promise<string> {
  const seconds = await networkHelpers.time.latest();
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/** Sends a transaction, records its gas under the actor's name, and prints one story line. */
async function step(
  who: string,
  what: string,
  send: () => Promise<ContractTransactionResponse>,
  part?: GasLine["part"],
): Promise<void> {
  const sent = await send();
  const receipt = await sent.wait();
  if (receipt === null) throw new Error(`${what}: not mined`);
  gasLedger.push({ who, what, gas: receipt.gasUsed, bytes: (sent.data.length - 2) / 2, part });
  say(
    `  ${await today()}  ${who.padEnd(20)} ${what}  ·  ${receipt.gasUsed.toLocaleString("en-US")} gas`,
  );
}

function note(text: string): void {
  say(`  ${" ".repeat(10)}  ${" ".repeat(20)} ${text}`);
}

async function wait(days: number): Promise<void> {
  await networkHelpers.time.increase(days * DAY);
}

async function main(): Promise<void> {
  const [ops, workshop, exporter, anna, oceanLine, parcel, certifier, bot, financier] =
    await ethers.getSigners();
  const names: Record<string, string> = {
    [ops.address]: "Waybill ops",
    [workshop.address]: "Bat Trang Ceramics",
    [exporter.address]: "Saigon Craft Export",
    [anna.address]: "Anna (Hamburg)",
    [oceanLine.address]: "Mekong Ocean Lines",
    [parcel.address]: "Hanse Parcel",
    [certifier.address]: "VinaCert",
    [bot.address]: "keeper bot",
    [financier.address]: "Mekong Trade Finance",
  };
  const who = (signer: HardhatEthersSigner): string => names[signer.address];

  heading("1. Waybill is deployed (Hardhat Ignition, the module testnets use)");
  const deployed = await ignition.deploy(WaybillLocalModule, { displayUi: false });
  const escrow = connectEscrow(await deployed.escrow.getAddress(), ops);
  const registry = connectRegistry(await deployed.registry.getAddress(), ops);
  const passports = connectPassports(await deployed.passports.getAddress(), ops);
  const usdc = connectStablecoin(await deployed.usdc.getAddress(), ops);
  names[await escrow.getAddress()] = "Waybill escrow (custody while in transit)";
  const eurc = connectStablecoin(await deployed.eurc.getAddress(), ops);
  say(`  escrow ${await escrow.getAddress()}, shipment registry ${await registry.getAddress()},`);
  say(
    `  passports ${await passports.getAddress()}; stablecoins USDC and EURC (local mocks of Circle's).`,
  );
  const [feeBps] = await escrow.config();
  say(
    `  Platform fee: ${Number(feeBps) / 100}% of what the seller receives; arbiter and treasury: Waybill ops.`,
  );

  heading("2. Onboarding: carriers, a manufacturer's GS1 prefix, a certifier");
  await step(who(ops), "registers Mekong Ocean Lines (sea freight) as a carrier", () =>
    registry.registerCarrier(oceanLine.address, ethers.encodeBytes32String("MKOL").slice(0, 18)),
  );
  await step(who(ops), "registers Hanse Parcel (customs broker + courier)", () =>
    registry.registerCarrier(parcel.address, ethers.encodeBytes32String("HNSP").slice(0, 18)),
  );
  await step(who(ops), "lets Bat Trang Ceramics mint passports", async () =>
    passports.grantRole(await passports.MANUFACTURER_ROLE(), workshop.address),
  );
  await step(who(ops), "assigns it the GS1 company prefix 893 4567", () =>
    passports.assignPrefix(workshop.address, 8_934_567n, 7),
  );
  await step(who(ops), "accredits VinaCert as a certifier", async () =>
    passports.grantRole(await passports.CERTIFIER_ROLE(), certifier.address),
  );
  await usdc.mint(anna.address, 1_000_000_000n);
  await eurc.mint(anna.address, 500_000_000n);
  say("  (Anna's wallet holds 1,000 USDC and 500 EURC from the local faucet.)");

  heading("3. The workshop makes two vases and gives each a product passport");
  const gtin = withCheckDigit("0893456700002");
  const lot = {
    gtin: BigInt(gtin),
    prefixLength: 7,
    originCountry: ethers.hexlify(ethers.toUtf8Bytes("VN")),
    productionDate: BigInt(await networkHelpers.time.latest()),
    contentHash: ethers.id(
      "passport document: glazed stoneware, lead-free glaze test report #4471",
    ),
    lotNumber: "BT-2026-11",
    uri: "ipfs://bafy.../lot-BT-2026-11.json",
  };
  await step(who(workshop), `creates lot BT-2026-11 of GTIN ${gtin}, made in VN`, () =>
    passports.connect(workshop).createLot(lot),
  );
  const serials = ["VASE-0001", "VASE-0002"];
  await step(who(workshop), `mints passports for ${serials.join(" and ")} to the exporter`, () =>
    passports.connect(workshop).mintBatch(1n, serials, exporter.address),
  );
  // Ascending, as the registry requires of a shipment's passports.
  const vaseIds = serials.map((serial) => tokenIdOf(gtin, serial)).sort((a, b) => (a < b ? -1 : 1));
  note(`scan code on vase 1: ${digitalLinkOf(vaseIds[0], lot.lotNumber)}`);
  const inAYear = BigInt(await networkHelpers.time.latest()) + 365n * BigInt(DAY);
  await step(who(certifier), "attests a certificate of origin (COO) to the whole lot", () =>
    passports
      .connect(certifier)
      .attestLot(
        1n,
        ethers.zeroPadBytes(ethers.toUtf8Bytes("COO"), 8),
        ethers.id("VCCI C/O 2026-118"),
        inAYear,
        "ipfs://bafy.../coo.pdf",
      ),
  );

  await usdc.mint(financier.address, 1_000_000_000n);
  const before = await balances({ usdc, eurc, escrow, anna, exporter, ops, financier });

  heading("4. Order 1: Anna buys the two vases for 240 USDC");
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const offer1: Offer = {
    merchant: exporter.address,
    payee: exporter.address,
    buyer: anna.address,
    token: await usdc.getAddress(),
    price: 240_000_000n,
    detailsHash: ethers.id("2 hand-painted vases; ship to Anna, Hamburg (address kept off-chain)"),
    shipWithin: BigInt(5 * DAY),
    deliverWithin: BigInt(45 * DAY),
    inspectionPeriod: BigInt(3 * DAY),
    // The platform fee the exporter agrees to: today's rate, which the escrow may not exceed.
    maxFeeBps: (await escrow.config()).feeBps,
    expiry: BigInt(await networkHelpers.time.latest()) + BigInt(2 * DAY),
    salt: 1n,
  };
  const offer1Signature = await signOffer(escrow, exporter, offer1);
  const order1 = await orderIdOf(escrow, offer1, chainId);
  say(
    `  ${await today()}  ${who(exporter).padEnd(20)} signs the offer off-chain and sends Anna the link  ·  0 gas`,
  );
  const permitDeadline = BigInt(await networkHelpers.time.latest()) + 3600n;
  const permit = await signPermit(
    usdc,
    anna,
    await escrow.getAddress(),
    offer1.price,
    permitDeadline,
  );
  await step(
    who(anna),
    "pays 240 USDC into escrow in one transaction (ERC-2612 permit, no approval)",
    () =>
      escrow
        .connect(anna)
        .payWithPermit(offer1, offer1Signature, permitDeadline, permit.v, permit.r, permit.s),
    "parties",
  );
  note(`order ${order1.slice(0, 18)}…: the money is safe in escrow, not yet the seller's`);

  heading("5. Shipping: Ho Chi Minh City → Rotterdam (customs) → Hamburg, two carriers");
  await wait(1);
  const shipment1 = await registry.shipmentIdOf(exporter.address, order1);
  await step(
    who(exporter),
    "approves the escrow to hold the passports while the vases travel (once per merchant)",
    () => passports.connect(exporter).setApprovalForAll(escrow.getAddress(), true),
  );
  await step(
    who(exporter),
    "ships in one call: books Mekong Ocean Lines, links the order, escrow takes the passports",
    () =>
      escrow.connect(exporter).ship(
        offer1,
        orderShipment(order1, {
          carrier: oceanLine.address,
          origin: "VNSGN",
          destination: "DEHAM",
          documents: "commercial invoice SCE-1042, packing list, bill of lading MKOL-77120",
          passportIds: vaseIds,
        }),
      ),
    "parties",
  );
  const track = (
    carrier: HardhatEthersSigner,
    code: EventCodeName,
    place: string,
    evidence: string,
    nextCarrier = ethers.ZeroAddress,
  ) =>
    step(
      who(carrier),
      `${code} at ${place}`,
      async () =>
        registry.connect(carrier).recordEvent({
          shipmentId: shipment1,
          code: EventCode[code],
          location: encodeLocode(place),
          occurredAt: BigInt(await networkHelpers.time.latest()) + 1n,
          evidenceHash: ethers.id(evidence),
          nextCarrier,
          evidenceURI: "",
        }),
      "carriers",
    );
  await track(oceanLine, "PickedUp", "VNSGN", "gate-in scan, container MKLU 441203-7");
  // At sea the vessel has no node to talk to: its scanner signs events and a relayer submits them.
  await wait(1);
  const departedAt = BigInt(await networkHelpers.time.latest());
  await wait(24);
  const seaEvents = [
    { code: "Departed", at: departedAt, place: "VNSGN", evidence: "vessel departure, voyage 026W" },
    {
      code: "Arrived",
      at: BigInt(await networkHelpers.time.latest()),
      place: "NLRTM",
      evidence: "vessel arrival, Rotterdam",
    },
  ] as const;
  const signedBatch = await signEventBatch(
    registry,
    oceanLine,
    seaEvents.map((e) => ({
      shipmentId: shipment1,
      code: EventCode[e.code],
      location: encodeLocode(e.place),
      occurredAt: e.at,
      evidenceHash: ethers.id(e.evidence),
      nextCarrier: ethers.ZeroAddress,
      evidenceURI: "",
    })),
    0n,
    BigInt(await networkHelpers.time.latest()) + BigInt(DAY),
    { compact: true },
  );
  say(
    `  ${await today()}  ${who(oceanLine).padEnd(20)} signs Departed (VNSGN) and Arrived (NLRTM) as one batch, offline  ·  0 gas`,
  );
  await step(
    who(bot),
    "relays the carrier's signed batch (anyone may; the signature binds chain, registry and nonce)",
    () => registry.connect(bot).recordEventsBySig([signedBatch]),
    "carriers",
  );
  await track(oceanLine, "CustomsHeld", "NLRTM", "customs selection notice (DCSA CUSS)");
  await wait(1);
  await track(oceanLine, "CustomsCleared", "NLRTM", "customs release MRN 26NL0000123456789");
  await track(oceanLine, "HandedOver", "NLRTM", "handover receipt to Hanse Parcel", parcel.address);
  await wait(1);
  const track2 = (code: EventCodeName, place: string, evidence: string) =>
    track(parcel, code, place, evidence);
  await track2("OutForDelivery", "DEHAM", "courier route HH-12");
  await track2(
    "Delivered",
    "DEHAM",
    "proof of delivery: Anna's signature on the courier's scanner",
  );

  heading("6. Delivery proven: Anna checks a vase and confirms; the exporter is paid");
  note(
    "no markDelivered needed: Anna confirms herself, and may still review (the escrow reads the registry's delivery then).",
  );
  say();
  say("  Anna scans vase 1 with her phone:");
  const now = BigInt(await networkHelpers.time.latest());
  for (const line of formatPassportReport(await passports.verify(vaseIds[0]), {
    now,
    names,
    lotNumber: lot.lotNumber,
    // The passport stores no shipment: its PassportShipped log names the vase's last one.
    lastShipment: await readLastShipment(passports, registry, vaseIds[0]),
  }).split("\n")) {
    say(`    │ ${line}`);
  }
  await step(
    who(anna),
    "confirms receipt: payout to the exporter, passports to Anna, same transaction",
    () => escrow.connect(anna).confirmReceipt(offer1),
    "parties",
  );
  note(
    `vase passports now belong to ${names[await passports.ownerOf(vaseIds[0])]} and ${names[await passports.ownerOf(vaseIds[1])]}`,
  );
  await step(
    who(anna),
    "leaves a permanent 5★ review, its text in the event for anyone to read",
    () => escrow.connect(anna).review(offer1, 5, "Beautiful vases, very well packed. Danke!"),
  );
  const [reviews, stars] = await escrow.ratingOf(exporter.address);
  note(
    `Saigon Craft Export: ${reviews} review(s), average ${(Number(stars) / Number(reviews)).toFixed(1)}★`,
  );
  for (const review of await readReviews(escrow, { merchant: exporter.address }))
    note(`read back from the log: ${review.rating}★ "${review.text}"`);

  say();
  say("  The shipment's full history, rebuilt from the chain's event log:");
  for (const line of formatTimeline(await getTimeline(registry, shipment1))) {
    const readable = Object.entries(names)
      .reduce((text, [address, name]) => text.replaceAll(address, name), line)
      .replace(".000Z", "Z")
      .replace(/(0x[0-9a-f]{8})[0-9a-f]{56}/g, "$1…");
    say(`    ${readable}`);
  }

  heading("7. Order 2: a lamp for 85 EURC arrives broken; a dispute the parties settle themselves");
  const offer2: Offer = {
    ...offer1,
    token: await eurc.getAddress(),
    price: 85_000_000n,
    detailsHash: ethers.id("1 ceramic table lamp; ship to Anna, Hamburg"),
    expiry: BigInt(await networkHelpers.time.latest()) + BigInt(2 * DAY),
    salt: 2n,
  };
  const offer2Signature = await signOffer(escrow, exporter, offer2);
  const order2 = await orderIdOf(escrow, offer2, chainId);
  const auth = await signReceiveAuthorization(eurc, anna, {
    to: await escrow.getAddress(),
    value: offer2.price,
    validAfter: 0n,
    validBefore: BigInt(await networkHelpers.time.latest()) + 3600n,
    nonce: order2,
  });
  await step(
    who(exporter),
    "submits Anna's signed EURC authorization for her (ERC-3009: Anna pays no gas)",
    () =>
      escrow
        .connect(exporter)
        .payWithAuthorization(
          offer2,
          offer2Signature,
          anna.address,
          auth.validAfter,
          auth.validBefore,
          auth.v,
          auth.r,
          auth.s,
        ),
  );
  await step(
    who(exporter),
    "ships order 2 in one call with Hanse Parcel from its Hamburg stock",
    () =>
      escrow.connect(exporter).ship(
        offer2,
        orderShipment(order2, {
          carrier: parcel.address,
          origin: "DEHAM",
          destination: "DEHAM",
          documents: "delivery note SCE-1043",
        }),
      ),
  );
  const shipment2 = await registry.shipmentIdOf(exporter.address, order2);
  for (const code of ["PickedUp", "Delivered"] as const) {
    await step(who(parcel), `${code} at DEHAM`, async () =>
      registry.connect(parcel).recordEvent({
        shipmentId: shipment2,
        code: EventCode[code],
        location: encodeLocode("DEHAM"),
        occurredAt: BigInt(await networkHelpers.time.latest()) + 1n,
        evidenceHash: ethers.id(`${code} scan`),
        nextCarrier: ethers.ZeroAddress,
        evidenceURI: "",
      }),
    );
  }
  await step(who(anna), "marks the order delivered herself (no need to wait for a keeper)", () =>
    escrow.connect(anna).markDelivered(offer2),
  );
  await step(who(anna), "disputes within her inspection window: the lamp's base is cracked", () =>
    escrow.connect(anna).openDispute(offer2),
  );
  await step(who(anna), "submits photos as evidence (hash, link and words)", () =>
    escrow
      .connect(anna)
      .submitEvidence(
        offer2,
        ethers.id("photos of the cracked base"),
        "ipfs://bafy.../photos",
        "The base arrived cracked right through; the box was dented on one corner.",
      ),
  );
  await step(who(exporter), "submits its packing video as evidence", () =>
    escrow
      .connect(exporter)
      .submitEvidence(
        offer2,
        ethers.id("packing video"),
        "ipfs://bafy.../video",
        "Packed in double foam; the courier's dent suggests a drop in transit.",
      ),
  );
  for (const evidence of await readEvidence(escrow, order2))
    note(`${who(evidence.party === anna.address ? anna : exporter)} says: "${evidence.text}"`);
  await wait(2);
  const settlement = {
    orderId: order2,
    buyerAmount: 40_000_000n,
    deadline: BigInt(await networkHelpers.time.latest()) + BigInt(3 * DAY),
  };
  const settlementSignature = await signSettlement(escrow, exporter, settlement);
  say(
    `  ${await today()}  ${who(exporter).padEnd(20)} signs a settlement off-chain: 40.00 EURC back to Anna, the rest to the seller  ·  0 gas`,
  );
  await step(
    who(anna),
    "submits the signed settlement before the arbiter rules: the order ends in this transaction",
    () =>
      escrow
        .connect(anna)
        .settleWithSignature(
          offer2,
          settlement.buyerAmount,
          settlement.deadline,
          settlementSignature,
        ),
  );
  const [settled] = await escrow.queryFilter(escrow.filters.OrderSettled(order2));
  note(
    `settled: ${formatAmount(settled.args.buyerAmount, 6, "EURC")} to Anna, ${formatAmount(settled.args.sellerAmount, 6, "EURC")} to the exporter, ${formatAmount(settled.args.fee, 6, "EURC")} platform fee; no ruling needed`,
  );

  heading("8. Order 3: 600 USDC of tiles by sea, financed while they travel");
  const offer3: Offer = {
    ...offer1,
    price: 600_000_000n,
    detailsHash: ethers.id("40 glazed floor tiles; sea freight to Hamburg"),
    expiry: BigInt(await networkHelpers.time.latest()) + BigInt(2 * DAY),
    salt: 3n,
  };
  const order3 = await orderIdOf(escrow, offer3, chainId);
  await step(who(anna), "pays 600 USDC into escrow (approve + pay)", async () => {
    await (await usdc.connect(anna).approve(escrow.getAddress(), offer3.price)).wait();
    return escrow.connect(anna).pay(offer3, await signOffer(escrow, exporter, offer3));
  });
  await step(who(exporter), "ships the tiles with Mekong Ocean Lines", () =>
    escrow.connect(exporter).ship(
      offer3,
      orderShipment(order3, {
        carrier: oceanLine.address,
        origin: "VNSGN",
        destination: "DEHAM",
        documents: "bill of lading MKOL-77388",
      }),
    ),
  );
  await step(
    who(exporter),
    "refunds 20 USDC now: two tiles were out of stock (the order goes on)",
    () => escrow.connect(exporter).partialRefund(offer3, 20_000_000n),
  );
  await step(
    who(exporter),
    "assigns the order's payout to Mekong Trade Finance, which advances the money",
    () => escrow.connect(exporter).assignPayout(offer3, financier.address),
  );
  const financed = await readOrderState(escrow, offer3, order3);
  note(
    `escrow holds ${formatAmount(financed.held, 6, "USDC")} (${formatAmount(financed.refunded, 6, "USDC")} refunded); payout holder: ${names[financed.payoutHolder]}`,
  );
  await step(
    who(financier),
    "advances 560 USDC to the exporter today (outside the escrow; its fee is the difference)",
    () => usdc.connect(financier).transfer(exporter.address, 560_000_000n),
  );
  note("the financier bears the refund risk: a refund would still go to Anna, not to it");
  const shipment3 = await registry.shipmentIdOf(exporter.address, order3);
  await wait(20);
  for (const [code, place] of [
    ["PickedUp", "VNSGN"],
    ["Delivered", "DEHAM"],
  ] as const) {
    await step(who(oceanLine), `${code} at ${place}`, async () =>
      registry.connect(oceanLine).recordEvent({
        shipmentId: shipment3,
        code: EventCode[code],
        location: encodeLocode(place),
        occurredAt: BigInt(await networkHelpers.time.latest()) + 1n,
        evidenceHash: ethers.id(`${code} scan, tiles`),
        nextCarrier: ethers.ZeroAddress,
        evidenceURI: "",
      }),
    );
  }
  const financierBefore = await usdc.balanceOf(financier.address);
  await step(
    who(anna),
    "confirms receipt: the payout goes to the financier, not the exporter",
    () => escrow.connect(anna).confirmReceipt(offer3),
  );
  note(
    `Mekong Trade Finance received ${formatAmount((await usdc.balanceOf(financier.address)) - financierBefore, 6, "USDC")} (the ${formatAmount(financed.held, 6, "USDC")} held, less the platform fee)`,
  );

  heading("9. The platform collects its fees");
  for (const token of [usdc, eurc]) {
    const symbol = await token.symbol();
    const accrued = await escrow.accruedFees(token.getAddress());
    await step(who(bot), `sends ${formatAmount(accrued, 6, symbol)} of fees to the treasury`, () =>
      escrow.connect(bot).withdrawFees(token.getAddress()),
    );
  }

  heading("10. Who holds what");
  const after = await balances({ usdc, eurc, escrow, anna, exporter, ops, financier });
  say(`  ${"".padEnd(32)} ${"before".padStart(22)} ${"after".padStart(22)}`);
  for (const key of Object.keys(before)) {
    say(`  ${key.padEnd(32)} ${before[key].padStart(22)} ${after[key].padStart(22)}`);
  }

  heading("11. What it cost in gas");
  const byWho = new Map<string, bigint>();
  for (const line of gasLedger) byWho.set(line.who, (byWho.get(line.who) ?? 0n) + line.gas);
  for (const [name, gas] of byWho)
    say(`  ${name.padEnd(22)} ${gas.toLocaleString("en-US").padStart(10)} gas`);
  const partGas = (part: GasLine["part"]): bigint =>
    gasLedger.filter((l) => l.part === part).reduce((total, l) => total + l.gas, 0n);
  const usd = (gas: bigint, gwei: number): string =>
    `$${(Number(gas) * gwei * 1e-9 * ETH_USD).toFixed(3)}`;
  const cost = (gas: bigint): string =>
    `${gas.toLocaleString("en-US").padStart(9)} gas = ${usd(gas, L1_GWEI)} at ${L1_GWEI} gwei, ${usd(gas, L2_GWEI)} at ${L2_GWEI} gwei`;
  say();
  say(
    `  Order 1 (two vases with passports), offer → pay → ship → confirm (ETH at $${ETH_USD.toLocaleString("en-US")}):`,
  );
  const partBytes = gasLedger
    .filter((l) => l.part === "parties")
    .reduce((total, l) => total + l.bytes, 0);
  say(
    `    merchant and buyer   ${cost(partGas("parties"))}  (lifecycle: pay + ship + confirmReceipt, ${partBytes.toLocaleString("en-US")} calldata bytes)`,
  );
  say(`    carriers' events      ${cost(partGas("carriers"))}`);
  say("  A card payment costs about $0.30 fixed plus ~2.9%: $7.26 on this 240 USD order.");
  say();
  say(
    'Done. Try the same flow against a node with the command line: see README, "Command line by role".',
  );
}

async function balances(c: {
  usdc: Stablecoin;
  eurc: Stablecoin;
  escrow: WaybillEscrow;
  anna: HardhatEthersSigner;
  exporter: HardhatEthersSigner;
  ops: HardhatEthersSigner;
  financier: HardhatEthersSigner;
}): Promise<Record<string, string>> {
  const rows: Record<string, string> = {};
  for (const token of [c.usdc, c.eurc]) {
    const symbol = await token.symbol();
    for (const [label, address] of [
      ["Anna (buyer)", c.anna.address],
      ["Saigon Craft Export (seller)", c.exporter.address],
      ["Waybill treasury", c.ops.address],
      ["Mekong Trade Finance", c.financier.address],
      ["escrow contract", await c.escrow.getAddress()],
    ] as const) {
      rows[`${label} ${symbol}`] = formatAmount(await token.balanceOf(address), 6, symbol);
    }
  }
  return rows;
}

try {
  await main();
} catch (error) {
  console.error(`\n✗ The demo stopped: ${toWaybillError(error, waybillInterfaces()).shortMessage}`);
  process.exitCode = 1;
}
