import { expect } from "chai";

import { indexerClient, isWaybillError } from "@waybill/sdk";

/** A fetch that answers `status` with `body` and records the URLs asked for. */
function fakeFetch(status: number, body: unknown, asked: string[]): typeof fetch {
  return (async (input: string | URL | Request) => {
    asked.push(String(input));
    return new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json" },
    });
  }) as typeof fetch;
}

describe("SDK indexer client", function () {
  const merchant = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

  it("asks for a merchant's orders with the status filter, page and page size", async function () {
    const asked: string[] = [];
    const page = {
      merchant,
      status: ["Paid"],
      page: 2,
      pageSize: 5,
      total: 6,
      pages: 2,
      orders: [],
    };
    const client = indexerClient("http://127.0.0.1:42069/", { fetch: fakeFetch(200, page, asked) });
    expect(
      await client.merchantOrders(merchant, { status: ["Paid", "Shipped"], page: 2, pageSize: 5 }),
    ).to.deep.equal(page);
    expect(asked).to.deep.equal([
      `http://127.0.0.1:42069/merchants/${merchant}/orders?status=Paid%2CShipped&page=2&pageSize=5`,
    ]);
  });

  it("answers undefined for an order the indexer does not know (404)", async function () {
    const client = indexerClient("http://indexer", {
      fetch: fakeFetch(404, { error: "no such order" }, []),
    });
    expect(await client.order(`0x${"00".repeat(32)}`)).to.equal(undefined);
  });

  it("names the route and the indexer's reason when it refuses a request", async function () {
    const client = indexerClient("http://indexer", {
      fetch: fakeFetch(400, { error: "pageSize must be 1-100" }, []),
    });
    const failure: unknown = await client
      .merchantOrders(merchant, { pageSize: 500 })
      .catch((e: unknown) => e);
    expect(isWaybillError(failure)).to.equal(true);
    expect((failure as Error).message).to.match(
      /^the indexer refused \/merchants\/0x7099.+ \(400: pageSize must be 1-100\)$/,
    );
  });

  it("says the indexer did not answer, as NETWORK_UNREACHABLE, when nothing listens", async function () {
    const client = indexerClient("http://127.0.0.1:1", { timeoutMs: 2000 });
    const failure = (await client.trackRecord(merchant).catch((e: unknown) => e)) as {
      code?: string;
      shortMessage?: string;
    };
    expect(failure.code).to.equal("NETWORK_UNREACHABLE");
    expect(failure.shortMessage).to.equal("the indexer at http://127.0.0.1:1 did not answer");
  });
});
