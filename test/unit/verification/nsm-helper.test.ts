// The production attester talks to the in-enclave NSM helper over HTTP. Here a helper backed by the development enclave
// answers (no Nitro hardware on this machine): the node's documents then verify like any other, and a helper that
// answers for another key, a malformed body or not at all is refused by name.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import {
  createAttestationProvider,
  createDevelopmentEnclave,
  createNsmHelperAttester,
  ensureDevelopmentRoot,
  verifyAttestation,
  type EnclaveAttester,
} from '../../../src/verification/attestation';
import { buildAttestedNode, MODEL_A, pcrsOf } from './builders';

type HelperBehaviour = (
  request: { public_key?: string; user_data?: string; nonce?: string },
  enclave: EnclaveAttester,
) => Promise<{ status: number; body: unknown }>;

const honest: HelperBehaviour = async (request, enclave) => {
  const bytes = (v?: string) => (v ? new Uint8Array(Buffer.from(v, 'base64')) : undefined);
  const document = await enclave.attest({
    publicKey: bytes(request.public_key),
    userData: bytes(request.user_data),
    nonce: bytes(request.nonce),
  });
  return { status: 200, body: { document: Buffer.from(document).toString('base64') } };
};

async function startHelper(
  behaviour: HelperBehaviour,
  enclave: EnclaveAttester,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', async () => {
      const { status, body } = await behaviour(JSON.parse(raw) as never, enclave);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('NSM helper attester', () => {
  let node: Awaited<ReturnType<typeof buildAttestedNode>>;
  let enclave: EnclaveAttester;
  beforeAll(async () => {
    node = await buildAttestedNode();
    enclave = createDevelopmentEnclave({
      root: await ensureDevelopmentRoot(node.stateDir),
      pcrs: pcrsOf('c'),
      moduleId: 'nsm-helper-test',
    });
  });

  const providerThrough = (url: string) =>
    createAttestationProvider({
      enclave: createNsmHelperAttester({ url }),
      identity: { nodeId: node.nodeId, modelIds: [MODEL_A] },
      signingPublicKey: node.account.publicKey,
    });

  it('serves the documents the helper obtains, which verify and bind the node key and the nonce', async () => {
    const helper = await startHelper(honest, enclave);
    try {
      const nonce = crypto.randomBytes(32);
      const result = verifyAttestation(
        await providerThrough(helper.url).attest(nonce),
        node.options({ expectedNonce: nonce }),
      );
      expect(result).toMatchObject({ ok: true, attestation: { nodeId: node.nodeId } });
    } finally {
      await helper.close();
    }
  });

  it('refuses a document that binds another key', async () => {
    const otherKey = privateKeyToAccount(generatePrivateKey()).publicKey;
    const helper = await startHelper(
      (request, e) => honest({ ...request, public_key: Buffer.from(otherKey.slice(2), 'hex').toString('base64') }, e),
      enclave,
    );
    try {
      await expect(providerThrough(helper.url).attest(crypto.randomBytes(32))).rejects.toMatchObject({
        name: 'NsmHelperError',
        code: 'nsm_helper_wrong_binding',
      });
    } finally {
      await helper.close();
    }
  });

  it('names a malformed answer and an unreachable helper', async () => {
    const helper = await startHelper(
      async () => ({ status: 200, body: { document: Buffer.from('not cbor').toString('base64') } }),
      enclave,
    );
    try {
      await expect(providerThrough(helper.url).attest()).rejects.toMatchObject({ code: 'nsm_helper_bad_answer' });
    } finally {
      await helper.close();
    }
    await expect(providerThrough('http://127.0.0.1:9').attest()).rejects.toMatchObject({
      code: 'nsm_helper_unavailable',
    });
  });
});
