// Verdicts count only when signed by an allowed verifier over every field the decision records, for that decision.
import fc from 'fast-check';
import { hashTypedData } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import {
  checkVerdictSignature,
  recoverVerdictSignerWithNoble,
  VERDICT_EIP712_DOMAIN,
  VERDICT_EIP712_TYPES,
  verdictDigest,
  verdictTypedMessage,
  type Verdict,
} from '../../../src/contracts';
import { recoverAddressFromDigest } from '../../../src/signatures';
import { verdictSignerFor } from '../../../src/verification';

const verifierKey = generatePrivateKey();
const verifier = privateKeyToAccount(verifierKey).address;
const signVerdict = verdictSignerFor(verifierKey);

function buildVerdict(overrides: Partial<Verdict> = {}): Verdict {
  const pass = { status: 'pass' as const, durationMs: 12.5 };
  return {
    receiptId: '0x' + 'ab'.repeat(32),
    decisionId: 'procurement-REQ-1',
    modelId: 'sha256:supplier-risk',
    nodeId: '0x' + '11'.repeat(20),
    checks: { attestation: pass, proof: pass, reexecution: { status: 'fail', reason: 'reexecution_output_mismatch' } },
    verified: false,
    verifiedAt: '2026-12-03T08:00:00.000Z',
    ...overrides,
  };
}

describe('verdict signatures', () => {
  it('is the EIP-712 digest viem computes for the same typed data', () => {
    fc.assert(
      fc.property(
        fc.record({
          receiptId: fc.string({ minLength: 1 }),
          decisionId: fc.option(fc.string(), { nil: undefined }),
          modelId: fc.option(fc.string(), { nil: undefined }),
          verified: fc.boolean(),
          detail: fc.string(),
        }),
        ({ detail, ...fields }) => {
          const verdict = buildVerdict({
            ...fields,
            checks: { ...buildVerdict().checks, proof: { status: 'timeout', detail } },
          });
          const expected = hashTypedData({
            domain: VERDICT_EIP712_DOMAIN,
            types: VERDICT_EIP712_TYPES,
            primaryType: 'Verdict',
            message: verdictTypedMessage(verdict),
          });
          expect(verdictDigest(verdict)).toBe(expected);
        },
      ),
      { numRuns: 50, seed: 7 },
    );
  });

  it('accepts a verdict the verifier signed, for its decision', async () => {
    const signed = await signVerdict(buildVerdict());
    expect(signed.signer).toBe(verifier);
    expect(checkVerdictSignature(signed, [verifier.toLowerCase()], 'procurement-REQ-1')).toEqual({
      ok: true,
      signer: verifier,
    });
  });

  it('refuses an unsigned verdict', () => {
    expect(checkVerdictSignature(buildVerdict({ verified: true }), [verifier])).toMatchObject({
      ok: false,
      reason: 'verdict_unsigned',
    });
  });

  it('refuses a verdict signed by a key that is not an allowed verifier', async () => {
    const forged = await verdictSignerFor(generatePrivateKey())(buildVerdict({ verified: true }));
    expect(checkVerdictSignature(forged, [verifier])).toMatchObject({ ok: false, reason: 'verdict_signer_unknown' });
  });

  it.each([
    ['turned into a pass', (v: Verdict) => ({ ...v, verified: true })],
    ['a check changed', (v: Verdict) => ({ ...v, checks: { ...v.checks, reexecution: { status: 'pass' as const } } })],
    ['a detail changed', (v: Verdict) => ({ ...v, checks: { ...v.checks, proof: { status: 'pass' as const } } })],
    ['re-addressed to another decision', (v: Verdict) => ({ ...v, decisionId: 'procurement-REQ-2' })],
    ['moved to another receipt', (v: Verdict) => ({ ...v, receiptId: '0x' + 'cd'.repeat(32) })],
    ['re-dated', (v: Verdict) => ({ ...v, verifiedAt: '2026-12-04T08:00:00.000Z' })],
    ['claiming the verifier signed a forger signature', (v: Verdict) => ({ ...v, signature: '0x' + '1b'.repeat(65) })],
  ])('refuses a signed verdict %s after signing', async (_name, alter) => {
    const altered = alter(await signVerdict(buildVerdict()));
    expect(checkVerdictSignature(altered, [verifier])).toMatchObject({
      ok: false,
      reason: 'verdict_signature_invalid',
    });
  });

  it('refuses a genuine verdict signalled to another decision', async () => {
    const signed = await signVerdict(buildVerdict());
    expect(checkVerdictSignature(signed, [verifier], 'procurement-REQ-2')).toMatchObject({
      ok: false,
      reason: 'verdict_for_another_decision',
    });
  });
});

// The bridge checks with libsecp256k1 (src/signatures), the workflow with noble: each must refuse what the other does.
describe('verdict signatures checked with the bridge’s libsecp256k1 recovery', () => {
  const check = (verdict: Verdict, signers: readonly string[], decisionId?: string) =>
    checkVerdictSignature(verdict, signers, decisionId, recoverAddressFromDigest);

  it('accepts a verdict the verifier signed, naming its signer', async () => {
    const signed = await signVerdict(buildVerdict());
    expect(check(signed, [verifier.toLowerCase()], 'procurement-REQ-1')).toEqual({ ok: true, signer: verifier });
  });

  it.each([
    [
      'signed by another key that claims to be the verifier',
      async () => ({
        ...(await verdictSignerFor(generatePrivateKey())(buildVerdict({ verified: true }))),
        signer: verifier,
      }),
    ],
    ['turned into a pass after signing', async () => ({ ...(await signVerdict(buildVerdict())), verified: true })],
    [
      'carrying a signature of 0x1b bytes',
      async () => ({ ...(await signVerdict(buildVerdict())), signature: '0x' + '1b'.repeat(65) }),
    ],
    [
      'with v out of range',
      async () => {
        const signed = await signVerdict(buildVerdict());
        return { ...signed, signature: `${signed.signature!.slice(0, 130)}1d` };
      },
    ],
  ])('refuses a verdict %s as verdict_signature_invalid', async (_name, build) => {
    const forged = await build();
    expect(check(forged, [verifier])).toMatchObject({ ok: false, reason: 'verdict_signature_invalid' });
    expect(checkVerdictSignature(forged, [verifier])).toMatchObject({ ok: false, reason: 'verdict_signature_invalid' });
  });

  it('refuses a genuine signature of a key that is not an allowed verifier', async () => {
    const forged = await verdictSignerFor(generatePrivateKey())(buildVerdict({ verified: true }));
    expect(check(forged, [verifier])).toMatchObject({ ok: false, reason: 'verdict_signer_unknown' });
  });

  it('recovers what the workflow’s noble recovery recovers, for genuine and arbitrary signatures', async () => {
    const digest = verdictDigest(buildVerdict());
    const genuine = (await signVerdict(buildVerdict())).signature!;
    expect(recoverAddressFromDigest(digest, genuine)?.toLowerCase()).toBe(
      recoverVerdictSignerWithNoble(digest, genuine),
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.constantFrom(0, 1, 27, 28, 29), (rs, v) => {
        const signature = `0x${Buffer.from(rs).toString('hex')}${v.toString(16).padStart(2, '0')}`;
        expect(recoverAddressFromDigest(digest, signature)?.toLowerCase()).toBe(
          recoverVerdictSignerWithNoble(digest, signature),
        );
      }),
      { numRuns: 200, seed: 8 },
    );
  });

  it('uses the recovery it is given rather than its own', async () => {
    // A recovery that names the verifier for anything: only a check that calls it would accept this forgery.
    const forged = { ...(await verdictSignerFor(generatePrivateKey())(buildVerdict())), signer: verifier };
    expect(checkVerdictSignature(forged, [verifier], undefined, () => verifier)).toEqual({
      ok: true,
      signer: verifier,
    });
  });
});
