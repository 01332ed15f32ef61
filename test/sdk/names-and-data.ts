import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";
import { id } from "ethers";

import {
  DEPLOYMENTS,
  ORDER_STATUSES,
  PLACE_NAMES,
  ROLE_NAMES,
  deploymentOn,
  formatAmount,
  formatDate,
  formatDuration,
  parseRoleName,
  placeName,
  roleHash,
  roleNameOf,
} from "@waybill/sdk";
import { deploymentsFromIgnition } from "../../scripts/sdk-deployments.js";
import { projectRoot } from "../e2e/harness.js";

const ARTIFACT_SOURCES: Record<string, string> = {
  WaybillEscrow: "WaybillEscrow.sol",
  ShipmentRegistry: "ShipmentRegistry.sol",
  ProductPassport: "ProductPassport.sol",
  MockStablecoin: "test/MockStablecoin.sol",
};

describe("sdk: names, formats and shipped data", function () {
  it("names each role once and maps hashes back to names", function () {
    for (const name of ROLE_NAMES) expect(roleNameOf(roleHash(name))).to.equal(name);
    expect(roleHash("ARBITER")).to.equal(id("ARBITER_ROLE"));
    expect(roleNameOf(id("NOBODY_ROLE"))).to.equal(undefined);
    expect(parseRoleName("arbiter_role")).to.equal("ARBITER");
    expect(parseRoleName("admin")).to.equal("DEFAULT_ADMIN");
    expect(ORDER_STATUSES[3]).to.equal("Delivered");
  });

  it("shows dates with their time zone, durations in words and amounts with symbols", function () {
    expect(formatDate(1_796_126_400n)).to.equal("2026-12-01 12:00 UTC");
    expect(formatDate(1_796_126_400n, "Europe/Berlin")).to.equal("2026-12-01 13:00 GMT+1");
    expect(formatDuration(93_600n)).to.equal("1 day 2 hours");
    expect(formatAmount(120_500_000n, 6, "USDC")).to.equal("120.50 USDC");
  });

  it("names the places the demo and tests use, and leaves other codes as they are", function () {
    for (const code of ["VNSGN", "NLRTM", "DEHAM", "CNSHA", "DEBER"])
      expect(PLACE_NAMES, code).to.have.property(code);
    expect(placeName("NLRTM")).to.equal("Rotterdam, Netherlands (NLRTM)");
    expect(placeName("USZZZ")).to.equal("USZZZ");
  });

  it("ships ABIs identical to the build artifacts (npm run sdk:abis regenerates them)", async function () {
    for (const [contract, source] of Object.entries(ARTIFACT_SOURCES)) {
      const artifact = JSON.parse(
        await readFile(
          path.join(projectRoot, "artifacts", "contracts", source, `${contract}.json`),
          "utf8",
        ),
      ) as { abi: unknown };
      const shipped = JSON.parse(
        await readFile(path.join(projectRoot, "sdk", "abi", `${contract}.json`), "utf8"),
      ) as unknown;
      expect(shipped, `sdk/abi/${contract}.json is stale: run npm run sdk:abis`).to.deep.equal(
        artifact.abi,
      );
    }
  });

  it("ships a deployments table that is empty until the first testnet deploy", function () {
    expect(DEPLOYMENTS).to.deep.equal({});
    expect(deploymentOn(84532n)).to.equal(undefined);
  });

  it("builds the table from Ignition's records, with each contract's creation block, skipping local chains", async function () {
    const root = await mkdtemp(path.join(os.tmpdir(), "waybill-deployments-"));
    try {
      const write = async (folder: string, addresses: Record<string, string>, journal: string) => {
        const dir = path.join(root, "ignition", "deployments", folder);
        await mkdir(dir, { recursive: true });
        await writeFile(path.join(dir, "deployed_addresses.json"), JSON.stringify(addresses));
        await writeFile(path.join(dir, "journal.jsonl"), journal);
      };
      const addresses = {
        "Waybill#ShipmentRegistry": "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        "Waybill#ProductPassport": "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
        "Waybill#WaybillEscrow": "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
      };
      const journal = Object.values(addresses)
        .map((contractAddress, i) =>
          JSON.stringify({
            type: "TRANSACTION_CONFIRM",
            receipt: { contractAddress, blockNumber: 100 + i },
          }),
        )
        .join("\n");
      await write("chain-84532", addresses, journal);
      await write("chain-31337", addresses, journal);
      expect(await deploymentsFromIgnition(root)).to.deep.equal({
        "84532": {
          WaybillEscrow: { address: addresses["Waybill#WaybillEscrow"], deployedOnBlock: 102 },
          ShipmentRegistry: {
            address: addresses["Waybill#ShipmentRegistry"],
            deployedOnBlock: 100,
          },
          ProductPassport: { address: addresses["Waybill#ProductPassport"], deployedOnBlock: 101 },
        },
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
