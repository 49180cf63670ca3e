// The verdict's signing scheme and its check. Pure (@noble, no Node built-ins, no viem), so the decision workflow checks
// every verdict itself: a forged one is refused even when it arrives as a direct signal rather than through the bridge.
//
// Scheme: EIP-712 typed data (https://eips.ethereum.org/EIPS/eip-712), domain {name: "proofpath.verdict", version: "1"},
// primary type `Verdict` below; `checks` is the canonical JSON of the three check results (status, reason, detail,
// duration), so everything the decision records is signed. signature = secp256k1 signature of the digest (65 bytes,
// r‖s‖v) by the verifier's key (VERIFIER_PRIVATE_KEY, the account the settlement registry lists as a verifier); `signer`
// names its address. The decision id binds a verdict to one decision, the receipt id to one paid inference.
import { secp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';
import { canonicalJson } from './canonical-json';
import type { Verdict } from './verdict';

export const VERDICT_EIP712_DOMAIN = { name: 'proofpath.verdict', version: '1' } as const;
export const VERDICT_EIP712_TYPES = {
  Verdict: [
    { name: 'decisionId', type: 'string' },
    { name: 'receiptId', type: 'string' },
    { name: 'modelId', type: 'string' },
    { name: 'nodeId', type: 'string' },
    { name: 'checks', type: 'string' },
    { name: 'verified', type: 'bool' },
    { name: 'verifiedAt', type: 'string' },
  ],
} as const;

export type UnsignedVerdict = Omit<Verdict, 'signer' | 'signature'>;

/** Why a verdict does not count; the bridge dead-letters with this reason, the workflow notes it as ignored. */
export type VerdictRefusalReason =
  'verdict_unsigned' | 'verdict_signature_invalid' | 'verdict_signer_unknown' | 'verdict_for_another_decision';

export type VerdictSignatureCheck =
  { ok: true; signer: string } | { ok: false; reason: VerdictRefusalReason; message: string };

/** The EIP-712 message of a verdict (absent model or node ids are signed as empty strings). */
export function verdictTypedMessage(verdict: UnsignedVerdict) {
  return {
    decisionId: verdict.decisionId ?? '',
    receiptId: verdict.receiptId,
    modelId: verdict.modelId ?? '',
    nodeId: verdict.nodeId ?? '',
    checks: canonicalJson(verdict.checks),
    verified: verdict.verified,
    verifiedAt: verdict.verifiedAt,
  };
}

// EIP-712 encoding of this one struct: `string` members are encoded as keccak256 of their UTF-8 bytes, `bool` as a
// 32-byte word (§ "Definition of encodeData"). A unit test holds the digest equal to viem's hashTypedData.
const keccakText = (text: string): Uint8Array => keccak_256(utf8ToBytes(text));
const typeSignature = (name: string, fields: ReadonlyArray<{ name: string; type: string }>): string =>
  `${name}(${fields.map((f) => `${f.type} ${f.name}`).join(',')})`;
const DOMAIN_SEPARATOR = keccak_256(
  concatBytes(
    keccakText('EIP712Domain(string name,string version)'),
    keccakText(VERDICT_EIP712_DOMAIN.name),
    keccakText(VERDICT_EIP712_DOMAIN.version),
  ),
);
const VERDICT_TYPE_HASH = keccakText(typeSignature('Verdict', VERDICT_EIP712_TYPES.Verdict));

/** The 32-byte digest the verifier signs (0x-prefixed hex). */
export function verdictDigest(verdict: UnsignedVerdict): `0x${string}` {
  const message = verdictTypedMessage(verdict);
  const verifiedWord = new Uint8Array(32);
  verifiedWord[31] = message.verified ? 1 : 0;
  const structHash = keccak_256(
    concatBytes(
      VERDICT_TYPE_HASH,
      keccakText(message.decisionId),
      keccakText(message.receiptId),
      keccakText(message.modelId),
      keccakText(message.nodeId),
      keccakText(message.checks),
      verifiedWord,
      keccakText(message.verifiedAt),
    ),
  );
  return `0x${bytesToHex(keccak_256(concatBytes(new Uint8Array([0x19, 0x01]), DOMAIN_SEPARATOR, structHash)))}`;
}

/**
 * Port: the address whose key made `signature` (65 bytes, r‖s‖v) over `digest`, or undefined when it does not recover.
 * Any case of hex: the check compares lowercase.
 */
export type VerdictSignerRecovery = (digest: `0x${string}`, signature: string) => string | undefined;

/**
 * The default recovery, pure-JS noble: the one that runs inside the workflow sandbox, which cannot load WebAssembly
 * from a file. Code outside workflows (the bridge) passes the libsecp256k1 one from src/signatures, which accepts the
 * same signatures (v of 0, 1, 27 or 28; r and s in [1, n); high s too) and is five times faster.
 */
export const recoverVerdictSignerWithNoble: VerdictSignerRecovery = (digest, signature) => {
  try {
    const bytes = hexToBytes(signature.slice(2));
    const v = bytes[64] as number;
    const recovery = v >= 27 ? v - 27 : v;
    if (recovery !== 0 && recovery !== 1) return undefined;
    const publicKey = secp256k1.Signature.fromBytes(bytes.slice(0, 64), 'compact')
      .addRecoveryBit(recovery)
      .recoverPublicKey(hexToBytes(digest.slice(2)))
      .toBytes(false);
    return `0x${bytesToHex(keccak_256(publicKey.slice(1)).slice(-20))}`;
  } catch {
    return undefined;
  }
};

/**
 * Whether a verdict counts: signed, by the address it names, that address one of `allowedSigners`, and (when the
 * caller is a decision) about that decision. A verdict altered after signing recovers another address and is refused
 * as `verdict_signature_invalid`. `recover` does the curve work: noble unless the caller injects a faster one.
 */
export function checkVerdictSignature(
  verdict: Verdict,
  allowedSigners: readonly string[],
  forDecisionId?: string,
  recover: VerdictSignerRecovery = recoverVerdictSignerWithNoble,
): VerdictSignatureCheck {
  const { signer, signature, ...unsigned } = verdict;
  if (!signer || !signature)
    return { ok: false, reason: 'verdict_unsigned', message: 'a verdict must carry the verifier signer and signature' };
  const recovered = recover(verdictDigest(unsigned), signature);
  if (recovered?.toLowerCase() !== signer.toLowerCase())
    return {
      ok: false,
      reason: 'verdict_signature_invalid',
      message: `the signature does not recover to ${signer} over this verdict (forged, or altered after signing)`,
    };
  if (!allowedSigners.some((a) => a.toLowerCase() === signer.toLowerCase()))
    return {
      ok: false,
      reason: 'verdict_signer_unknown',
      message: `signer ${signer} is not an allowed verifier (VERDICT_SIGNERS)`,
    };
  if (forDecisionId !== undefined && verdict.decisionId !== forDecisionId)
    return {
      ok: false,
      reason: 'verdict_for_another_decision',
      message: `the verdict was signed for decision ${verdict.decisionId ?? '(none)'}, not ${forDecisionId}`,
    };
  return { ok: true, signer };
}
