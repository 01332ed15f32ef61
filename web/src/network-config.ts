/**
 * The shape of a network the app can talk to. Kept free of DOM and Node types so the local
 * shop script (Node) and the app (browser) share it.
 */
export interface NetworkEntry {
  chainId: number;
  /** Shown to the buyer, e.g. "Base Sepolia". */
  name: string;
  /** A public JSON-RPC URL; `?rpc=` in the page's address overrides it. */
  rpcUrl: string;
  escrow: string;
  registry: string;
  passports: string;
  /** The block the suite was deployed in: log queries start there (public RPCs limit ranges). */
  fromBlock: number;
  /** Block explorer base URL ("https://sepolia.basescan.org"), or "" for none. */
  explorer: string;
  /**
   * The Waybill indexer's base URL (order book, track records), or "" for none: the pages then
   * read the chain directly and say what they cannot show. `?indexer=` overrides it.
   */
  indexerUrl: string;
  /** The native currency, for wallet_addEthereumChain. */
  nativeCurrency: { name: string; symbol: string; decimals: number };
}
