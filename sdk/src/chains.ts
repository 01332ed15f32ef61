/**
 * What a client needs to know about each chain Waybill runs on besides the contract
 * addresses (those are in `deployments.ts`): its name, a public JSON-RPC URL, its block
 * explorer and native currency. Public endpoints are rate-limited; a page or a command may
 * override the URL (the web app's `?rpc=`).
 */
export interface ChainInfo {
  chainId: number;
  name: string;
  /** A public JSON-RPC endpoint, fit for reading; wallets bring their own for sending. */
  rpcUrl: string;
  /** Block explorer base URL, or "" where there is none (a local node). */
  explorer: string;
  nativeCurrency: { name: string; symbol: string; decimals: number };
}

const ether = { name: "Ether", symbol: "ETH", decimals: 18 };

/** Chain id → chain facts, for the networks `hardhat.config.ts` configures and a local node. */
export const CHAINS: Readonly<Record<number, ChainInfo>> = {
  11155111: {
    chainId: 11155111,
    name: "Ethereum Sepolia",
    rpcUrl: "https://ethereum-sepolia-rpc.publicnode.com",
    explorer: "https://sepolia.etherscan.io",
    nativeCurrency: { ...ether, name: "Sepolia Ether" },
  },
  84532: {
    chainId: 84532,
    name: "Base Sepolia",
    rpcUrl: "https://sepolia.base.org",
    explorer: "https://sepolia.basescan.org",
    nativeCurrency: { ...ether, name: "Sepolia Ether" },
  },
  11155420: {
    chainId: 11155420,
    name: "OP Sepolia",
    rpcUrl: "https://sepolia.optimism.io",
    explorer: "https://sepolia-optimism.etherscan.io",
    nativeCurrency: { ...ether, name: "Sepolia Ether" },
  },
  421614: {
    chainId: 421614,
    name: "Arbitrum Sepolia",
    rpcUrl: "https://sepolia-rollup.arbitrum.io/rpc",
    explorer: "https://sepolia.arbiscan.io",
    nativeCurrency: { ...ether, name: "Sepolia Ether" },
  },
  80002: {
    chainId: 80002,
    name: "Polygon Amoy",
    rpcUrl: "https://rpc-amoy.polygon.technology",
    explorer: "https://amoy.polygonscan.com",
    nativeCurrency: { name: "POL", symbol: "POL", decimals: 18 },
  },
  31337: {
    chainId: 31337,
    name: "Local node",
    rpcUrl: "http://127.0.0.1:8545",
    explorer: "",
    nativeCurrency: ether,
  },
};

/** The facts about `chainId`, or `undefined` for a chain Waybill does not know. */
export function chainInfo(chainId: bigint | number): ChainInfo | undefined {
  return CHAINS[Number(chainId)];
}
