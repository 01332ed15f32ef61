/**
 * EIP-712 signing helpers for the stablecoin authorisations a buyer gives: ERC-2612
 * `permit` and ERC-3009 `receiveWithAuthorization`. Shared by tests, tasks and the demo.
 */
import { Signature, type Signer, type TypedDataDomain } from "ethers";

/** The token surface these helpers need (a MockStablecoin or Circle's FiatToken). */
export interface SignableToken {
  getAddress(): Promise<string>;
  name(): Promise<string>;
  nonces(owner: string): Promise<bigint>;
  eip712Domain(): Promise<[string, string, string, bigint, string, string, bigint[]]>;
}

export interface SplitSignature {
  v: number;
  r: string;
  s: string;
}

/**
 * The token's EIP-712 domain. Read from ERC-5267 `eip712Domain()` where the token has it
 * (OpenZeppelin tokens); Circle's FiatToken lacks it and signs with its name and version "2".
 */
export async function tokenDomain(token: SignableToken, signer: Signer): Promise<TypedDataDomain> {
  const verifyingContract = await token.getAddress();
  try {
    const [, name, version, chainId] = await token.eip712Domain();
    return { name, version, chainId, verifyingContract };
  } catch {
    const { chainId } = await signer.provider!.getNetwork();
    return { name: await token.name(), version: "2", chainId, verifyingContract };
  }
}

/** Signs an ERC-2612 permit letting `spender` pull `value` from the signer until `deadline`. */
export async function signPermit(
  token: SignableToken,
  owner: Signer,
  spender: string,
  value: bigint,
  deadline: bigint,
): Promise<SplitSignature> {
  const ownerAddress = await owner.getAddress();
  const signature = await owner.signTypedData(
    await tokenDomain(token, owner),
    {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    { owner: ownerAddress, spender, value, nonce: await token.nonces(ownerAddress), deadline },
  );
  const { v, r, s } = Signature.from(signature);
  return { v, r, s };
}

export interface ReceiveAuthorization {
  from: string;
  to: string;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: string;
}

/** Signs an ERC-3009 `ReceiveWithAuthorization`: only `to` can submit it, so it cannot be front-run. */
export async function signReceiveAuthorization(
  token: SignableToken,
  from: Signer,
  authorization: Omit<ReceiveAuthorization, "from">,
): Promise<ReceiveAuthorization & SplitSignature> {
  const message = { from: await from.getAddress(), ...authorization };
  const signature = await from.signTypedData(
    await tokenDomain(token, from),
    {
      ReceiveWithAuthorization: [
        { name: "from", type: "address" },
        { name: "to", type: "address" },
        { name: "value", type: "uint256" },
        { name: "validAfter", type: "uint256" },
        { name: "validBefore", type: "uint256" },
        { name: "nonce", type: "bytes32" },
      ],
    },
    message,
  );
  const { v, r, s } = Signature.from(signature);
  return { ...message, v, r, s };
}
