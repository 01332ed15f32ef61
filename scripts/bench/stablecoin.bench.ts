import { signPermit } from "@waybill/sdk";
import type { BenchSuite } from "./types.js";

/** The mock stablecoin's own calls: the baseline every escrow figure is compared with. */
const suite: BenchSuite = {
  ceilings: {},
  async run({ ethers, measure }) {
    const [owner, buyer, spender, merchant] = await ethers.getSigners();
    const token = await ethers.deployContract("MockStablecoin", [
      "USD Coin",
      "USDC",
      owner.address,
    ]);
    const amount = 25_000_000n;
    // Every account already holds tokens, as on a live chain: no first-time storage writes.
    for (const account of [buyer, spender, merchant])
      await token.mint(account.address, 1_000_000_000n);

    await measure("token.transfer", token.connect(buyer).transfer(merchant.address, amount));
    await token.connect(buyer).approve(spender.address, 1n);
    await measure("token.approve", token.connect(buyer).approve(spender.address, amount));
    await measure(
      "token.transferFrom",
      token.connect(spender).transferFrom(buyer.address, merchant.address, amount),
    );
    const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 3600);
    const { v, r, s } = await signPermit(token, buyer, spender.address, amount, deadline);
    await measure(
      "token.permit",
      token.connect(spender).permit(buyer.address, spender.address, amount, deadline, v, r, s),
    );
  },
};

export default suite;
