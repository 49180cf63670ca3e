// A real AWS Nitro attestation document (see test/fixtures/nitro/README.md) verified against the pinned AWS root.
import fs from 'node:fs';
import path from 'node:path';
import {
  awsNitroRoot,
  decodeAttestationDocument,
  decodeCoseSign1,
  verifyAttestation,
} from '../../../src/verification/attestation';
import { ATTESTATION_REASONS } from '../../../src/verification/reasons';

const REASONS = new Set<string>(ATTESTATION_REASONS);

const fixture = Buffer.from(
  fs.readFileSync(path.join(__dirname, '../../fixtures/nitro/example_attestation.b64'), 'utf8').trim(),
  'base64',
);
const document = decodeAttestationDocument(decodeCoseSign1(fixture).payload);
const issuedAt = new Date(document.timestamp);
const zeros = '00'.repeat(48);
const options = (now = issuedAt) => ({
  now,
  rootOfTrust: [awsNitroRoot()],
  allowDevelopmentRoot: false,
  expectedNonce: document.nonce,
  pcrAllowList: [{ 0: zeros, 1: zeros, 2: zeros }],
  // AWS's published sample comes from a debug-mode enclave (all PCRs zero); the engine refuses those by default.
  allowDebugEnclave: true,
});

describe('a real Nitro attestation document', () => {
  it('decodes the fields of the Nitro specification', () => {
    expect(document.moduleId).toBe('i-0bbf1bfe232b8c2ce-enc0191ba35c9d1b77a');
    expect(document.digest).toBe('SHA384');
    expect(document.pcrs.size).toBe(16);
    expect(document.cabundle).toHaveLength(4);
  });

  it('verifies at its issue time against the pinned AWS Nitro root', () => {
    const result = verifyAttestation(fixture, options());
    expect(result).toMatchObject({ ok: true });
  });

  it('is expired today: its leaf certificate lived three hours', () => {
    expect(
      verifyAttestation(fixture, { ...options(new Date('2025-06-01T00:00:00Z')), maxAgeMs: Number.MAX_SAFE_INTEGER }),
    ).toMatchObject({
      ok: false,
      reason: 'attestation_expired',
    });
  });

  it('fails after a one-byte change at any position, always with a named reason', () => {
    const failures: Array<{ position: number; ok: boolean; reason?: string }> = [];
    for (let position = 0; position < fixture.length; position++) {
      const tampered = Buffer.from(fixture);
      tampered[position] = (tampered[position] as number) ^ 0x01;
      const result = verifyAttestation(tampered, options());
      if (result.ok || !REASONS.has(result.reason))
        failures.push({ position, ok: result.ok, reason: result.ok ? undefined : result.reason });
    }
    expect(failures).toEqual([]);
  });

  it('refuses a debug-mode enclave (all-zero PCR0) unless explicitly allowed', () => {
    expect(verifyAttestation(fixture, { ...options(), allowDebugEnclave: false })).toMatchObject({
      ok: false,
      reason: 'attestation_debug_enclave',
    });
  });

  it('refuses to pass without a measurement policy, and never matches an empty one', () => {
    expect(verifyAttestation(fixture, { ...options(), pcrAllowList: undefined })).toMatchObject({
      ok: false,
      reason: 'attestation_pcr_mismatch',
    });
    expect(verifyAttestation(fixture, { ...options(), pcrAllowList: [{}] })).toMatchObject({
      ok: false,
      reason: 'attestation_pcr_mismatch',
    });
  });

  it('names a flipped PCR byte as a signature failure', () => {
    const pcr3 = Buffer.from(document.pcrs.get(3) as Uint8Array);
    const at = fixture.indexOf(pcr3);
    const tampered = Buffer.from(fixture);
    tampered[at] = (tampered[at] as number) ^ 0xff;
    expect(verifyAttestation(tampered, options())).toMatchObject({
      ok: false,
      reason: 'attestation_signature_invalid',
    });
  });

  it('refuses measurements outside the allow-list', () => {
    expect(verifyAttestation(fixture, { ...options(), pcrAllowList: [{ 3: '11'.repeat(48) }] })).toMatchObject({
      ok: false,
      reason: 'attestation_pcr_mismatch',
    });
  });

  it('refuses another nonce', () => {
    expect(verifyAttestation(fixture, { ...options(), expectedNonce: Buffer.from('fresh nonce') })).toMatchObject({
      ok: false,
      reason: 'attestation_nonce_mismatch',
    });
  });

  it('is untrusted without the AWS root pinned', () => {
    expect(verifyAttestation(fixture, { ...options(), rootOfTrust: [] })).toMatchObject({
      ok: false,
      reason: 'attestation_chain_untrusted',
    });
  });
});
