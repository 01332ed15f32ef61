/**
 * A wallet for browser tests that keeps its key in Node: the page gets an EIP-1193 provider
 * (announced through EIP-6963) whose every request crosses to Node through
 * `page.exposeFunction`, where an ethers Wallet signs and everything else goes to the node.
 * It can start on another chain, not know the node's chain until asked to add it, and reject
 * the next approval the way a user pressing "Reject" does (EIP-1193 code 4001).
 */
import { JsonRpcProvider, Wallet, getAddress, toBeHex } from "ethers";
import type { Page } from "playwright-core";

export interface TestWalletOptions {
  privateKey: string;
  /** The node the wallet sends to (the test's Anvil). */
  rpcUrl: string;
  /** The node's chain id. */
  chainId: number;
  /** The chain the wallet is on when the page opens (default: the node's). */
  startChainId?: number;
  /** Whether the wallet already knows the node's chain (default true); if not, it must be added. */
  knowsChain?: boolean;
  /** An older wallet: only `window.ethereum`, no EIP-6963 announcement (default false). */
  legacy?: boolean;
}

interface Reply {
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
  chainChanged?: string;
  accountsChanged?: string[];
}

/** Requests a real wallet asks its user to approve. */
const APPROVALS = new Set([
  "eth_requestAccounts",
  "eth_signTypedData_v4",
  "personal_sign",
  "eth_sendTransaction",
  "wallet_switchEthereumChain",
  "wallet_addEthereumChain",
]);

export class TestWallet {
  readonly address: string;
  /** Every request the page made, in order (method names). */
  readonly requests: string[] = [];
  /** Transactions the wallet sent (hashes). */
  readonly sent: string[] = [];
  private chainId: number;
  private readonly knownChains = new Set<number>();
  private connected = false;
  private rejectNextApproval = false;
  private readonly signer: Wallet;
  private readonly node: JsonRpcProvider;

  constructor(private readonly options: TestWalletOptions) {
    this.node = new JsonRpcProvider(options.rpcUrl, options.chainId, {
      staticNetwork: true,
      cacheTimeout: -1,
    });
    this.signer = new Wallet(options.privateKey, this.node);
    this.address = this.signer.address;
    this.chainId = options.startChainId ?? options.chainId;
    this.knownChains.add(this.chainId);
    if (options.knowsChain !== false) this.knownChains.add(options.chainId);
  }

  /** The next request needing the user's approval fails with code 4001. */
  rejectNext(): void {
    this.rejectNextApproval = true;
  }

  /** Registers the bridge and the injected provider; call before the first `page.goto`. */
  async install(page: Page): Promise<void> {
    await page.exposeFunction("__waybillTestWallet", (method: string, params: string) =>
      this.handle(method, JSON.parse(params) as unknown[]).then((reply) => JSON.stringify(reply)),
    );
    await page.addInitScript(
      injectedWallet(
        {
          uuid: "5d1b8c1e-7a55-4d0e-9a41-2f0c6b7e9a11",
          name: "Waybill Test Wallet",
          rdns: "org.waybill.testwallet",
          icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'%3E%3Crect width='1' height='1' fill='%23164'/%3E%3C/svg%3E",
        },
        this.options.legacy === true,
      ),
    );
  }

  close(): void {
    this.node.destroy();
  }

  private async handle(method: string, params: unknown[]): Promise<Reply> {
    this.requests.push(method);
    if (APPROVALS.has(method) && this.rejectNextApproval) {
      this.rejectNextApproval = false;
      return { error: { code: 4001, message: "User rejected the request." } };
    }
    try {
      return await this.answer(method, params);
    } catch (error) {
      // Like a real wallet, pass the node's own JSON-RPC error on, revert data included, so the
      // page can decode the custom error a transaction would revert with.
      const rpc = (error as { info?: { error?: { code?: unknown; message?: unknown } } }).info
        ?.error;
      if (rpc !== undefined && typeof rpc.code === "number" && typeof rpc.message === "string")
        return { error: rpc as NonNullable<Reply["error"]> };
      return { error: { code: -32603, message: (error as Error).message } };
    }
  }

  private async answer(method: string, params: unknown[]): Promise<Reply> {
    switch (method) {
      case "eth_requestAccounts":
        this.connected = true;
        return { result: [this.address], accountsChanged: [this.address] };
      case "eth_accounts":
        return { result: this.connected ? [this.address] : [] };
      case "eth_chainId":
        return { result: toBeHex(this.chainId) };
      case "net_version":
        return { result: String(this.chainId) };
      case "wallet_switchEthereumChain": {
        const wanted = Number((params[0] as { chainId: string }).chainId);
        if (!this.knownChains.has(wanted)) {
          return { error: { code: 4902, message: `Unrecognized chain ID ${toBeHex(wanted)}.` } };
        }
        this.chainId = wanted;
        return { result: null, chainChanged: toBeHex(wanted) };
      }
      case "wallet_addEthereumChain": {
        const wanted = Number((params[0] as { chainId: string }).chainId);
        this.knownChains.add(wanted);
        this.chainId = wanted;
        return { result: null, chainChanged: toBeHex(wanted) };
      }
      case "eth_signTypedData_v4": {
        this.requireAccount(params[0]);
        const typed = JSON.parse(params[1] as string) as {
          domain: Record<string, unknown>;
          types: Record<string, { name: string; type: string }[]>;
          message: Record<string, unknown>;
        };
        const { EIP712Domain: _domainType, ...types } = typed.types;
        return { result: await this.signer.signTypedData(typed.domain, types, typed.message) };
      }
      case "personal_sign":
        this.requireAccount(params[1]);
        return { result: await this.signer.signMessage(params[0] as string) };
      case "eth_sendTransaction": {
        const tx = params[0] as {
          from?: string;
          to: string;
          data?: string;
          value?: string;
          gas?: string;
        };
        this.requireAccount(tx.from ?? this.address);
        if (this.chainId !== this.options.chainId) {
          throw new Error(`the wallet is on chain ${this.chainId}, not the node's`);
        }
        const response = await this.signer.sendTransaction({
          to: tx.to,
          data: tx.data,
          value: tx.value,
          gasLimit: tx.gas,
        });
        this.sent.push(response.hash);
        return { result: response.hash };
      }
      default: {
        const result: unknown = await this.node.send(method, params);
        return { result };
      }
    }
  }

  private requireAccount(account: unknown): void {
    if (!this.connected) throw new Error("not connected");
    if (getAddress(String(account)) !== this.address) throw new Error(`unknown account ${account}`);
  }
}

interface WalletInfo {
  uuid: string;
  name: string;
  rdns: string;
  icon: string;
}

/**
 * Runs in the page: an EIP-1193 provider announced via EIP-6963. Plain JavaScript text, not a
 * serialised function, because the TypeScript loader decorates functions with helpers
 * (`__name`) that do not exist in the page.
 */
function injectedWallet(info: WalletInfo, legacy: boolean): string {
  return `(() => {
  const legacy = ${JSON.stringify(legacy)};
  const info = ${JSON.stringify(info)};
  const bridge = window.__waybillTestWallet;
  const listeners = new Map();
  const emit = (event, value) => (listeners.get(event) || new Set()).forEach((l) => l(value));
  const provider = {
    async request(args) {
      const reply = JSON.parse(await bridge(args.method, JSON.stringify(args.params || [])));
      if (reply.error !== undefined) {
        throw Object.assign(new Error(reply.error.message), {
          code: reply.error.code,
          data: reply.error.data,
        });
      }
      if (reply.accountsChanged !== undefined) emit("accountsChanged", reply.accountsChanged);
      if (reply.chainChanged !== undefined) emit("chainChanged", reply.chainChanged);
      return reply.result;
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
      return provider;
    },
    removeListener(event, listener) {
      (listeners.get(event) || new Set()).delete(listener);
      return provider;
    },
  };
  const announce = () =>
    window.dispatchEvent(
      new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }),
    );
  if (legacy) {
    window.ethereum = provider;
    return;
  }
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();`;
}
