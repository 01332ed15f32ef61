/**
 * `buyer settle` and `merchant settle`: the parties end an order between themselves, disputed
 * or not, with one split of what the escrow holds. One party proposes an amount for the buyer
 * (on-chain, or signed off-chain into a settlement line), the other accepts it (or submits the
 * line) and the order is paid out in that transaction. The merchant's side is the seller side:
 * the merchant while the payout is unassigned, its holder (a financier, say) once assigned.
 */
import { readFile, writeFile } from "node:fs/promises";

import { getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  type OrderV2State,
  type SignedSettlement,
  decodeSettlementLine,
  encodeSettlementLine,
  formatDate,
  isOpenOrder,
  isSettlementLine,
  parseAmount,
  parseEscrowEvents,
  partyOf,
  readOrderState,
  recoverSettlementSigner,
  signSettlement,
  splitOf,
} from "@waybill/sdk";
import {
  type Output,
  type SentTransaction,
  consoleOutput,
  runCommand,
  sendTransaction,
} from "../lib/cli.js";
import { type Context, type TokenInfo, resolveToken } from "../lib/context.js";
import { UserError } from "../lib/errors.js";
import { type OrderArgs, type OrderRef, openOrder } from "../lib/orders.js";
import { parseDuration } from "../lib/parse.js";

export interface SettleArgs extends OrderArgs {
  buyerAmount: string;
  accept: boolean;
  withdraw: boolean;
  sign: boolean;
  valid: string;
  out: string;
  signature: string;
  revoke: string;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** A settlement line given as the line itself or a file holding it. */
async function readSettlementLine(text: string, option: string): Promise<SignedSettlement> {
  let line = text;
  if (!isSettlementLine(text)) {
    try {
      line = (await readFile(text, "utf8")).trim();
    } catch {
      throw new UserError(`${option} "${text}" is neither a settlement line nor a readable file`);
    }
  }
  return decodeSettlementLine(line);
}

/** The opened order, its v2 state and the caller's side, refusing a closed order or a stranger. */
async function openParty(
  hre: HardhatRuntimeEnvironment,
  args: SettleArgs,
  role: "buyer" | "merchant",
  out: Output,
  line?: SignedSettlement,
) {
  const orderArgs =
    args.order === "" && line !== undefined ? { ...args, order: line.orderId } : args;
  const { ctx, ref } = await openOrder(
    hre,
    orderArgs,
    role,
    out,
    line === undefined ? undefined : { chainId: line.chainId, escrow: line.escrow },
  );
  const token = await resolveToken(ctx, ref.offer.token);
  const state = await readOrderState(ctx.escrow, ref.offer, ref.orderId);
  if (!isOpenOrder(state.status)) {
    throw new UserError(
      `cannot settle: order ${ref.orderId} is ${state.status} (a settlement needs Paid, Shipped, Delivered or Disputed)`,
    );
  }
  const side = partyOf(state, ctx.signer.address);
  if (side === undefined) {
    throw new UserError(
      `only the buyer ${state.buyer} or the seller side ${state.sellerSide} can settle order ${ref.orderId}, and you are signing as ${ctx.signer.address} (choose the account with --account)`,
    );
  }
  return { ctx, ref, token, state, side };
}

function parseBuyerAmount(text: string, token: TokenInfo, state: OrderV2State): bigint {
  let amount: bigint;
  try {
    amount = parseAmount(text, token.decimals);
  } catch (error) {
    throw new UserError(`--buyer-amount: ${(error as Error).message}`);
  }
  if (amount > state.held) {
    throw new UserError(
      `--buyer-amount ${token.format(amount)} is more than the ${token.format(state.held)} the escrow holds for the order`,
    );
  }
  return amount;
}

function describeSplit(token: TokenInfo, state: OrderV2State, buyerAmount: bigint): string {
  const split = splitOf(state, buyerAmount);
  return `${token.format(split.buyerAmount)} to the buyer, ${token.format(split.sellerAmount)} to the seller side ${state.payoutHolder} (after a ${token.format(split.fee)} platform fee)`;
}

/** Prints what the settlement paid, from its OrderSettled event. */
function reportSettled(out: Output, ctx: Context, token: TokenInfo, sent: SentTransaction): void {
  const [settled] = parseEscrowEvents(ctx.escrow, sent.receipt.logs, "OrderSettled");
  if (settled === undefined)
    throw new UserError(`the transaction ${sent.hash} settled nothing (no OrderSettled event)`);
  out.line(
    `✓ Settled: ${token.format(settled.args.buyerAmount as bigint)} to the buyer, ${token.format(settled.args.sellerAmount as bigint)} to the seller side, ${token.format(settled.args.fee as bigint)} platform fee; the order is final`,
  );
}

/** Checks a settlement line against the order and the caller before it is submitted or revoked. */
function checkLine(line: SignedSettlement, ctx: Context, ref: OrderRef): void {
  if (line.orderId !== ref.orderId)
    throw new UserError(`the settlement line is for order ${line.orderId}, not ${ref.orderId}`);
  if (line.chainId !== ctx.chainId || !same(line.escrow, ctx.escrowAddress))
    throw new UserError(
      `the settlement line is for escrow ${line.escrow} on chain ${line.chainId}, not ${ctx.escrowAddress} on chain ${ctx.chainId}`,
    );
}

/**
 * `buyer settle` / `merchant settle`. Exactly one action per call: propose (`--buyer-amount`),
 * `--accept`, `--withdraw`, `--sign` (off-chain, with `--buyer-amount`), `--signature <line>`
 * (submit the other party's) or `--revoke <line>` (revoke your own signed line).
 */
export function settleAs(role: "buyer" | "merchant") {
  return async (args: SettleArgs, hre: HardhatRuntimeEnvironment, out: Output = consoleOutput) =>
    runCommand(async () => {
      const chosen = [
        args.accept && "--accept",
        args.withdraw && "--withdraw",
        args.sign && "--sign",
        args.signature !== "" && "--signature",
        args.revoke !== "" && "--revoke",
      ].filter((x): x is string => typeof x === "string");
      if (chosen.length > 1)
        throw new UserError(`choose one of ${chosen.join(", ")}: each is a separate step`);
      if (chosen.length === 0 && args.buyerAmount === "")
        throw new UserError(
          "say what to do: --buyer-amount N to propose a split, --accept, --withdraw, --sign --buyer-amount N, --signature <line> or --revoke <line>",
        );
      const lineText = args.signature !== "" ? args.signature : args.revoke;
      const line =
        lineText === ""
          ? undefined
          : await readSettlementLine(lineText, args.signature !== "" ? "--signature" : "--revoke");
      const { ctx, ref, token, state, side } = await openParty(hre, args, role, out, line);
      const other = side === "buyer" ? "the seller side" : "the buyer";
      out.line(
        `Order ${ref.orderId}: ${state.status}, the escrow holds ${token.format(state.held)}; you are ${side === "buyer" ? "the buyer" : "the seller side"}`,
      );

      if (args.accept) {
        const proposal = state.proposal;
        if (proposal === undefined)
          throw new UserError(`order ${ref.orderId} has no open settlement proposal to accept`);
        if (same(proposal.proposer, ctx.signer.address))
          throw new UserError(
            `you proposed this settlement yourself; ${other} accepts it (or withdraw it with --withdraw)`,
          );
        if (args.buyerAmount !== "") {
          const expected = parseBuyerAmount(args.buyerAmount, token, state);
          if (expected !== proposal.buyerAmount)
            throw new UserError(
              `the proposal gives the buyer ${token.format(proposal.buyerAmount)}, not the ${token.format(expected)} you expect; nothing was sent`,
            );
        }
        const sent = await sendTransaction(
          out,
          `accept ${proposal.proposer}'s settlement: ${describeSplit(token, state, proposal.buyerAmount)}`,
          () => ctx.escrow.acceptSettlement(ref.offer, proposal.buyerAmount),
          { format: { amount: token.format } },
        );
        reportSettled(out, ctx, token, sent);
        return;
      }

      if (args.withdraw) {
        const proposal = state.proposal;
        if (proposal === undefined)
          throw new UserError(`order ${ref.orderId} has no settlement proposal to withdraw`);
        if (!same(proposal.proposer, ctx.signer.address))
          throw new UserError(
            `only ${proposal.proposer}, who proposed the settlement, can withdraw it, and you are signing as ${ctx.signer.address}`,
          );
        await sendTransaction(
          out,
          `withdraw your settlement proposal (${token.format(proposal.buyerAmount)} to the buyer)`,
          () => ctx.escrow.withdrawSettlement(ref.offer),
          { format: { amount: token.format } },
        );
        out.line(`✓ Proposal withdrawn; order ${ref.orderId} goes on as ${state.status}`);
        return;
      }

      if (line !== undefined) {
        checkLine(line, ctx, ref);
        if (args.revoke !== "") {
          if (!same(line.signer, ctx.signer.address))
            throw new UserError(
              `only ${line.signer}, who signed this settlement, can revoke it, and you are signing as ${ctx.signer.address}`,
            );
          await sendTransaction(
            out,
            `revoke your signed settlement (${token.format(line.buyerAmount)} to the buyer, valid until ${formatDate(line.deadline)})`,
            () => ctx.escrow.cancelSettlementSignature(ref.offer, line.buyerAmount, line.deadline),
            { format: { amount: token.format } },
          );
          out.line("✓ Revoked: the line can no longer settle the order");
          return;
        }
        const signerSide = partyOf(state, line.signer);
        if (signerSide === undefined || signerSide === side)
          throw new UserError(
            `the line is signed by ${line.signer}, who is not ${other} of order ${ref.orderId}; submit a line ${other} signed`,
          );
        const now = BigInt((await ctx.ethers.provider.getBlock("latest"))!.timestamp);
        if (line.deadline < now)
          throw new UserError(
            `the signed settlement expired on ${formatDate(line.deadline)}; ask ${other} for a new one`,
          );
        if (line.buyerAmount > state.held)
          throw new UserError(
            `the line gives the buyer ${token.format(line.buyerAmount)}, more than the ${token.format(state.held)} the escrow now holds`,
          );
        if ((await ctx.ethers.provider.getCode(line.signer)) === "0x") {
          const recovered = await recoverSettlementSigner(
            ctx.escrow,
            ctx.chainId,
            line,
            line.signature,
          );
          if (!same(recovered, line.signer))
            throw new UserError(
              `the line's signature is not ${line.signer}'s (it was signed by ${recovered}); ask for the line again`,
            );
        }
        const sent = await sendTransaction(
          out,
          `settle with ${line.signer}'s signature: ${describeSplit(token, state, line.buyerAmount)}`,
          () =>
            ctx.escrow.settleWithSignature(
              ref.offer,
              line.buyerAmount,
              line.deadline,
              line.signature,
            ),
          { format: { amount: token.format } },
        );
        reportSettled(out, ctx, token, sent);
        return;
      }

      if (args.buyerAmount === "")
        throw new UserError("--sign needs --buyer-amount: what the buyer gets of the held amount");
      const buyerAmount = parseBuyerAmount(args.buyerAmount, token, state);
      if (args.sign) {
        const now = BigInt((await ctx.ethers.provider.getBlock("latest"))!.timestamp);
        const deadline = now + parseDuration(args.valid, "--valid");
        const settlement = { orderId: ref.orderId, buyerAmount, deadline };
        out.line(
          `Signing a settlement off-chain (no transaction, no gas): ${describeSplit(token, state, buyerAmount)}, valid until ${formatDate(deadline)}`,
        );
        const signature = await signSettlement(ctx.escrow, ctx.signer, settlement);
        const encoded = encodeSettlementLine({
          ...settlement,
          chainId: ctx.chainId,
          escrow: ctx.escrowAddress,
          signer: getAddress(ctx.signer.address),
          signature,
        });
        out.line(
          `✓ Signed. Send ${other} this line; they settle with \`npx hardhat ${role === "buyer" ? "merchant" : "buyer"} settle --signature <line>\`:`,
        );
        out.line(encoded);
        if (args.out !== "") {
          await writeFile(args.out, `${encoded}\n`);
          out.line(`(also written to ${args.out})`);
        }
        out.line(
          `Changed your mind before they submit it? \`npx hardhat ${role} settle --revoke <line>\``,
        );
        return;
      }
      await sendTransaction(
        out,
        `propose a settlement: ${describeSplit(token, state, buyerAmount)}${state.proposal === undefined ? "" : " (replaces the open proposal)"}`,
        () => ctx.escrow.proposeSettlement(ref.offer, buyerAmount),
        { format: { amount: token.format } },
      );
      out.line(
        `✓ Proposed. ${other === "the buyer" ? "The buyer" : "The seller side"} accepts with \`npx hardhat ${role === "buyer" ? "merchant" : "buyer"} settle --order ${ref.orderId} --accept\``,
      );
    }, out);
}
