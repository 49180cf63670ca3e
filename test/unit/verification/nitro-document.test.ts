// A real AWS Nitro attestation document (see test/fixtures/nitro/README.md) verified against the pinned AWS root.
import fs from 'node:fs';
import path from 'node:path';
import { awsNitroRoot, decodeAttestationDocument, decodeCoseSign1, verifyAttestation } from '../../../src/verification/attestation';

const fixture = Buffer.from(fs.readFileSync(path.join(__dirname, '../../fixtures/nitro/example_attestation.b64'), 'utf8').trim(), 'base64');
const document = decodeAttestationDocument(decodeCoseSign1(fixture).payload);
const issuedAt = new Date(document.timestamp);
const zeros = '00'.repeat(48);
const options = (now = issuedAt) => ({
  now,
  rootOfTrust: [awsNitroRoot()],
  allowDevelopmentRoot: false,
  expectedNonce: document.nonce,
  pcrAllowList: [{ 0: zeros, 1: zeros, 2: zeros }],
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
    expect(verifyAttestation(fixture, { ...options(new Date('2025-06-01T00:00:00Z')), maxAgeMs: Number.MAX_SAFE_INTEGER })).toMatchObject({
      ok: false,
      reason: 'attestation_expired',
    });
  });

  it('fails after any one-byte change', () => {
    const positions = [3, 10, 40, 200, 400, 700, 1500, 3000, 4000, fixture.length - 40, fixture.length - 1];
    for (const position of positions) {
      const tampered = Buffer.from(fixture);
      tampered[position] = (tampered[position] as number) ^ 0x01;
      const result = verifyAttestation(tampered, options());
      expect({ position, ok: result.ok }).toEqual({ position, ok: false });
    }
  });

  it('names a flipped PCR byte as a signature failure', () => {
    const pcr3 = Buffer.from(document.pcrs.get(3) as Uint8Array);
    const at = fixture.indexOf(pcr3);
    const tampered = Buffer.from(fixture);
    tampered[at] = (tampered[at] as number) ^ 0xff;
    expect(verifyAttestation(tampered, options())).toMatchObject({ ok: false, reason: 'attestation_signature_invalid' });
  });

  it('refuses measurements outside the allow-list', () => {
    expect(verifyAttestation(fixture, { ...options(), pcrAllowList: [{ 3: '11'.repeat(48) }] })).toMatchObject({ ok: false, reason: 'attestation_pcr_mismatch' });
  });

  it('refuses another nonce', () => {
    expect(verifyAttestation(fixture, { ...options(), expectedNonce: Buffer.from('fresh nonce') })).toMatchObject({ ok: false, reason: 'attestation_nonce_mismatch' });
  });

  it('is untrusted without the AWS root pinned', () => {
    expect(verifyAttestation(fixture, { ...options(), rootOfTrust: [] })).toMatchObject({ ok: false, reason: 'attestation_chain_untrusted' });
  });
});
