/**
 * Wallets: EIP-6963 discovery with mipd (late announcements keep arriving, duplicates are
 * dropped), `window.ethereum` as a fallback, connecting, and moving the wallet to the
 * offer's chain (switch, or add it when the wallet does not know it).
 */
import { BrowserProvider, type Eip1193Provider, type JsonRpcSigner, toBeHex } from "ethers";
import { type EIP6963ProviderDetail, createStore } from "mipd";

import { t } from "./i18n.js";
import type { NetworkEntry } from "./network-config.js";

export interface DiscoveredWallet {
  name: string;
  icon?: string;
  rdns: string;
  provider: Eip1193Provider & {
    on?(event: string, listener: (value: unknown) => void): unknown;
  };
}

let store: ReturnType<typeof createStore> | undefined;

function fromDetail(detail: EIP6963ProviderDetail): DiscoveredWallet {
  return {
    name: detail.info.name,
    icon: detail.info.icon,
    rdns: detail.info.rdns,
    provider: detail.provider as unknown as DiscoveredWallet["provider"],
  };
}

/** The wallets announced so far (or the injected `window.ethereum`), and a way to hear of more. */
export function discoverWallets(
  onChange: (wallets: DiscoveredWallet[]) => void,
): DiscoveredWallet[] {
  store ??= createStore();
  const list = (): DiscoveredWallet[] => {
    const announced = store!.getProviders().map(fromDetail);
    const injected = (window as unknown as { ethereum?: DiscoveredWallet["provider"] }).ethereum;
    if (announced.length === 0 && injected !== undefined) {
      return [{ name: t("pay.injectedWallet"), rdns: "injected", provider: injected }];
    }
    return announced;
  };
  store.subscribe(() => onChange(list()));
  return list();
}

/** An EIP-1193 error code (4001: the user rejected; 4902: unknown chain), if the error has one. */
export function walletErrorCode(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === "object"; depth++) {
    const record = current as { code?: unknown; error?: unknown; info?: { error?: unknown } };
    if (typeof record.code === "number") return record.code;
    current = record.error ?? record.info?.error;
  }
  return undefined;
}

export async function connect(wallet: DiscoveredWallet): Promise<string> {
  const accounts = (await wallet.provider.request({ method: "eth_requestAccounts" })) as string[];
  return accounts[0];
}

export async function walletChainId(wallet: DiscoveredWallet): Promise<number> {
  return Number(await wallet.provider.request({ method: "eth_chainId" }));
}

/** Asks the wallet to switch to `network`, adding it first when the wallet does not know it. */
export async function switchChain(wallet: DiscoveredWallet, network: NetworkEntry): Promise<void> {
  const chainId = toBeHex(network.chainId);
  try {
    await wallet.provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId }] });
  } catch (error) {
    if (walletErrorCode(error) !== 4902) throw error;
    await wallet.provider.request({
      method: "wallet_addEthereumChain",
      params: [
        {
          chainId,
          chainName: network.name,
          rpcUrls: [network.rpcUrl],
          nativeCurrency: network.nativeCurrency,
          ...(network.explorer === "" ? {} : { blockExplorerUrls: [network.explorer] }),
        },
      ],
    });
  }
}

/** A signer for `account` through the wallet, on `network` (which the wallet is on). */
export async function signerOf(
  wallet: DiscoveredWallet,
  network: NetworkEntry,
  account: string,
): Promise<JsonRpcSigner> {
  const provider = new BrowserProvider(wallet.provider, network.chainId, { staticNetwork: true });
  return provider.getSigner(account);
}
