// Builders for verification tests: a development enclave with a registered node, and receipts signed like a node signs them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Hex } from 'viem';
import {
  createAttestationProvider,
  createDevelopmentEnclave,
  ensureDevelopmentRoot,
  openAllowList,
  rootFromPem,
  signAllowList,
  type AttestationOptions,
} from '../../../src/verification/attestation';
import { receiptTypedData, type ReceiptLike } from '../../../src/verification/receipt';

export const MODEL_A = 'a'.repeat(64);
export const MODEL_B = 'b'.repeat(64);
export const OPERATOR_KEY = generatePrivateKey();

export const pcrsOf = (seed: string): Record<number, string> => ({
  0: seed.repeat(96).slice(0, 96),
  1: '1'.repeat(96),
  2: '2'.repeat(96),
});

export async function buildAttestedNode(
  overrides: {
    nodeId?: string;
    pcrs?: Record<number, string>;
    registeredPcrs?: Record<number, string>;
    modelIds?: string[];
    mode?: () => 'honest' | 'expired' | 'foreign';
  } = {},
) {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-att-'));
  const root = await ensureDevelopmentRoot(stateDir);
  const nodeId = overrides.nodeId ?? 'node-1';
  const pcrs = overrides.pcrs ?? pcrsOf('c');
  const modelIds = overrides.modelIds ?? [MODEL_A];
  const signingKey = generatePrivateKey();
  const account = privateKeyToAccount(signingKey);
  const enclave = createDevelopmentEnclave({ root, pcrs, moduleId: 'dev-enclave-test', mode: overrides.mode });
  const provider = createAttestationProvider({
    enclave,
    identity: { nodeId, modelIds },
    signingPublicKey: account.publicKey,
  });
  const signed = await signAllowList(
    {
      version: 1,
      issuedAt: new Date().toISOString(),
      nodes: [{ nodeId, pcrs: Object.fromEntries(Object.entries(overrides.registeredPcrs ?? pcrs)), modelIds }],
    },
    OPERATOR_KEY,
  );
  const registry = await openAllowList(signed, privateKeyToAccount(OPERATOR_KEY).address);
  const options = (o: Partial<AttestationOptions> = {}): AttestationOptions => ({
    now: new Date(),
    rootOfTrust: [rootFromPem(root.certificatePem, 'development')],
    allowDevelopmentRoot: true,
    registry,
    ...o,
  });
  return { stateDir, root, nodeId, modelIds, signingKey, account, provider, registry, signed, options };
}

export async function buildSignedReceipt(signingKey: Hex, overrides: Partial<ReceiptLike> = {}): Promise<ReceiptLike> {
  const account = privateKeyToAccount(signingKey);
  const unsigned = {
    receiptId: `0x${'ab'.repeat(32)}` as Hex,
    modelId: MODEL_A,
    inputHash: `0x${'11'.repeat(32)}` as Hex,
    outputHash: `0x${'22'.repeat(32)}` as Hex,
    nodeId: 'node-1',
    issuedAt: new Date().toISOString(),
    paymentRef: 'eip155:31337/0xtoken/0xpayer/0x01',
    settlementMode: 'deferred' as const,
    signer: account.address,
    ...overrides,
  };
  const signature = await account.signTypedData(receiptTypedData(unsigned));
  return { ...unsigned, signature };
}
