// A receipt signed before its node restarted is checked against its key's birth certificate: the document must be for
// that key (its nonce), predate the receipt, not be too old, and verify like any attestation.
import { keyBirthNonce, verifyKeyBirth } from '../../../src/verification/attestation';
import { buildAttestedNode, buildSignedReceipt } from './builders';

describe('key-birth attestation', () => {
  it('binds a receipt signed after its key was attested', async () => {
    const node = await buildAttestedNode();
    const document = await node.provider.attest(keyBirthNonce(node.account.address));
    const receipt = await buildSignedReceipt(node.signingKey, {
      issuedAt: new Date(Date.now() + 60_000).toISOString(),
    });
    await expect(verifyKeyBirth(receipt, document, node.options())).resolves.toEqual({ ok: true });
  });

  it('has nothing to say without a document (the caller keeps its own reason)', async () => {
    const node = await buildAttestedNode();
    await expect(
      verifyKeyBirth(await buildSignedReceipt(node.signingKey), undefined, node.options()),
    ).resolves.toBeUndefined();
  });

  it('refuses a document made for another key, one made after the receipt, and one older than the key lifetime', async () => {
    const node = await buildAttestedNode();
    const receipt = await buildSignedReceipt(node.signingKey);
    const forAnotherKey = await node.provider.attest(keyBirthNonce('0x0000000000000000000000000000000000000001'));
    await expect(verifyKeyBirth(receipt, forAnotherKey, node.options())).resolves.toMatchObject({
      ok: false,
      reason: 'attestation_nonce_mismatch',
    });

    const document = await node.provider.attest(keyBirthNonce(node.account.address));
    const before = await buildSignedReceipt(node.signingKey, {
      issuedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
    });
    await expect(verifyKeyBirth(before, document, node.options())).resolves.toMatchObject({
      ok: false,
      reason: 'attestation_stale',
    });
    const later = await buildSignedReceipt(node.signingKey, {
      issuedAt: new Date(Date.now() + 2 * 3_600_000).toISOString(),
    });
    await expect(verifyKeyBirth(later, document, node.options(), 3_600_000)).resolves.toMatchObject({
      ok: false,
      reason: 'attestation_stale',
    });
  });

  it('still applies the measurement policy: a node whose PCRs drifted from its registration is refused', async () => {
    const node = await buildAttestedNode({
      registeredPcrs: { 0: 'd'.repeat(96), 1: '1'.repeat(96), 2: '2'.repeat(96) },
    });
    const document = await node.provider.attest(keyBirthNonce(node.account.address));
    const receipt = await buildSignedReceipt(node.signingKey, { issuedAt: new Date(Date.now() + 1_000).toISOString() });
    await expect(verifyKeyBirth(receipt, document, node.options())).resolves.toMatchObject({
      ok: false,
      reason: 'attestation_pcr_mismatch',
    });
  });
});
