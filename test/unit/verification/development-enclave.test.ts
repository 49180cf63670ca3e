// The development enclave's documents through the same verifier as Nitro's, and every attestation failure it can show.
import crypto from 'node:crypto';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import {
  ensureDevelopmentRoot,
  openAllowList,
  signAllowList,
  verifyAttestation,
  verifyReceiptAgainstAttestation,
} from '../../../src/verification/attestation';
import { buildAttestedNode, buildSignedReceipt, MODEL_B, pcrsOf } from './builders';

const nonce = () => crypto.randomBytes(32);

describe('development enclave attestation', () => {
  it('issues documents that verify with a fresh nonce, registered PCRs and the bound key', async () => {
    const node = await buildAttestedNode();
    const n = nonce();
    const result = verifyAttestation(await node.provider.attest(n), node.options({ expectedNonce: n }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.attestation.nodeId).toBe('node-1');
    const receipt = await buildSignedReceipt(node.signingKey);
    await expect(verifyReceiptAgainstAttestation(receipt, result.attestation)).resolves.toEqual({ ok: true });
  });

  it('keeps the same development root across calls', async () => {
    const node = await buildAttestedNode();
    const again = await ensureDevelopmentRoot(node.stateDir);
    expect(again.certificate.fingerprint256).toBe(node.root.certificate.fingerprint256);
  });

  it('is refused when development roots are not allowed (production)', async () => {
    const node = await buildAttestedNode();
    expect(
      verifyAttestation(await node.provider.attest(), node.options({ allowDevelopmentRoot: false })),
    ).toMatchObject({
      ok: false,
      reason: 'attestation_development_root_refused',
    });
  });

  it('names an expired leaf, a foreign root, a wrong nonce and a stale document', async () => {
    const expired = await buildAttestedNode({ mode: () => 'expired' });
    expect(verifyAttestation(await expired.provider.attest(), expired.options())).toMatchObject({
      ok: false,
      reason: 'attestation_expired',
    });
    const foreign = await buildAttestedNode({ mode: () => 'foreign' });
    expect(verifyAttestation(await foreign.provider.attest(), foreign.options())).toMatchObject({
      ok: false,
      reason: 'attestation_chain_untrusted',
    });
    const node = await buildAttestedNode();
    const doc = await node.provider.attest(nonce());
    expect(verifyAttestation(doc, node.options({ expectedNonce: nonce() }))).toMatchObject({
      ok: false,
      reason: 'attestation_nonce_mismatch',
    });
    expect(verifyAttestation(doc, node.options({ now: new Date(Date.now() + 10 * 60_000) }))).toMatchObject({
      ok: false,
      reason: 'attestation_stale',
    });
  });

  it('refuses measurements that differ from the registration, and unregistered nodes', async () => {
    const drifted = await buildAttestedNode({ registeredPcrs: pcrsOf('d') });
    expect(verifyAttestation(await drifted.provider.attest(), drifted.options())).toMatchObject({
      ok: false,
      reason: 'attestation_pcr_mismatch',
    });
    const stranger = await buildAttestedNode({ nodeId: 'node-stranger' });
    const otherList = await openAllowList(
      await signAllowList({ version: 1, issuedAt: new Date().toISOString(), nodes: [] }, stranger.signingKey),
      privateKeyToAccount(stranger.signingKey).address,
    );
    expect(
      verifyAttestation(await stranger.provider.attest(), stranger.options({ registry: otherList })),
    ).toMatchObject({
      ok: false,
      reason: 'node_not_registered',
    });
  });

  it('refuses an allow-list signed by anyone but the pinned operator', async () => {
    const node = await buildAttestedNode();
    await expect(openAllowList(node.signed, privateKeyToAccount(generatePrivateKey()).address)).rejects.toMatchObject({
      code: 'allow_list_signature_invalid',
    });
    const forged = { ...node.signed, payload: { ...node.signed.payload, nodes: [] } };
    await expect(openAllowList(forged, node.signed.signer)).rejects.toMatchObject({ name: 'AllowListError' });
  });

  it('names a receipt signed by an unattested key, for an unattested model, or by another node', async () => {
    const node = await buildAttestedNode();
    const result = verifyAttestation(await node.provider.attest(), node.options());
    if (!result.ok) throw new Error(result.reason);
    const rogue = await buildSignedReceipt(generatePrivateKey());
    await expect(verifyReceiptAgainstAttestation(rogue, result.attestation)).resolves.toMatchObject({
      ok: false,
      reason: 'receipt_signer_not_attested',
    });
    const otherModel = await buildSignedReceipt(node.signingKey, { modelId: MODEL_B });
    await expect(verifyReceiptAgainstAttestation(otherModel, result.attestation)).resolves.toMatchObject({
      ok: false,
      reason: 'receipt_model_not_attested',
    });
    const otherNode = await buildSignedReceipt(node.signingKey, { nodeId: 'node-2' });
    await expect(verifyReceiptAgainstAttestation(otherNode, result.attestation)).resolves.toMatchObject({
      ok: false,
      reason: 'receipt_node_mismatch',
    });
  });

  it('answers the attestation endpoint with a base64 document and rejects a malformed nonce', async () => {
    const node = await buildAttestedNode();
    const ok = await node.provider.handle({ nonce: 'ab'.repeat(16) });
    expect(ok.status).toBe(200);
    expect((await node.provider.handle({ nonce: 'xyz' })).status).toBe(400);
    expect((await node.provider.handle({ nonce: 'ab'.repeat(65) })).status).toBe(400);
  });
});
