/**
 * Circle's stablecoins on the testnets Waybill deploys to, by chain id. Source: Circle's
 * documentation, https://developers.circle.com/stablecoins/usdc-contract-addresses and
 * https://developers.circle.com/stablecoins/eurc-contract-addresses (EURC exists only on
 * Ethereum Sepolia and Base Sepolia among these). The Ignition parameter files list the same
 * addresses; a test keeps the two in step.
 */
export interface StablecoinAddresses {
  USDC: string;
  EURC?: string;
}

export const CIRCLE_TESTNET_STABLECOINS: Readonly<Record<string, StablecoinAddresses>> = {
  // Ethereum Sepolia
  "11155111": {
    USDC: "0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238",
    EURC: "0x08210F9170F89Ab7658F0B5E3fF39b0E03C594D4",
  },
  // Base Sepolia
  "84532": {
    USDC: "0x036CbD53842c5426634e7929541eC2318f3dCF7e",
    EURC: "0x808456652fdb597867f38412077A9182bf77359F",
  },
  // OP Sepolia
  "11155420": { USDC: "0x5fd84259d66Cd46123540766Be93DFE6D43130D7" },
  // Arbitrum Sepolia
  "421614": { USDC: "0x75faf114eafb1BDbe2F0316DF893fd58CE46AA4d" },
  // Polygon PoS Amoy
  "80002": { USDC: "0x41E94Eb019C0762f9Bfcf9Fb1E58725BfB0e7582" },
};
