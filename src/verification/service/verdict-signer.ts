// The verifier signs each verdict with its key (VERIFIER_PRIVATE_KEY, the account the settlement registry lists as a
// verifier), so the bridge and the decision can tell its verdicts from anyone else's (scheme: src/contracts/verdict-signature.ts).
import { privateKeyToAccount } from 'viem/accounts';
import { verdictDigest, type Verdict } from '../../contracts';
import { signDigest } from '../../signatures';

export type VerdictSigner = (verdict: Verdict) => Promise<Verdict>;

export function verdictSignerFor(privateKey: `0x${string}`): VerdictSigner {
  const { address } = privateKeyToAccount(privateKey);
  return async ({ signer: _signer, signature: _signature, ...unsigned }) => {
    // The digest is signed directly (no EIP-191 prefix), as the node signs its receipts.
    const signature = signDigest(verdictDigest(unsigned), privateKey);
    return { ...unsigned, signer: address, signature };
  };
}
