// A test inference node assembled from the real parts the engine's node uses (ephemeral receipt signer, model runtime,
// development enclave, proof service) plus the fault hooks, serving the verifier's three endpoints over HTTP.
// It stands in for src/inference-node until that node mounts the attestation and proof handlers (no x402 payment here).
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Hex } from 'viem';
import { createEphemeralReceiptSigner } from '../../../src/inference-node';
import { inputHash, outputHash, type ModelRuntime } from '../../../src/models';
import {
  NODE_CODE_DIRECTORIES,
  createAttestationProvider,
  createDevelopmentEnclave,
  createFaultHooks,
  createGroth16Prover,
  createProofService,
  developmentPcrs,
  ensureDevelopmentRoot,
  measureFiles,
  modelBytesFromRegistry,
  registerNode,
  type NodeFault,
} from '../../../src/verification';
import type { Receipt } from '../../../src/contracts';

export type FaultNodeOptions = {
  nodeId: string;
  faults: NodeFault[];
  stateDir: string;
  cacheDir: string;
  allowListPath: string;
  operatorKey: Hex;
  runtime: ModelRuntime;
  modelIds: string[];
  substituteModelId?: string;
};

const REPO_ROOT = path.resolve(__dirname, '../../..');

export async function startFaultNode(o: FaultNodeOptions) {
  const hooks = createFaultHooks(o.faults, { substituteModelId: o.substituteModelId });
  const signer = createEphemeralReceiptSigner();
  const rogue = createEphemeralReceiptSigner();
  const pcrs = developmentPcrs({ files: await measureFiles(REPO_ROOT, NODE_CODE_DIRECTORIES), modelIds: o.modelIds, nodeConfig: { nodeId: o.nodeId } });
  const enclave = createDevelopmentEnclave({ root: await ensureDevelopmentRoot(o.stateDir), pcrs, moduleId: o.nodeId, mode: hooks.attestationMode });
  const attestation = createAttestationProvider({ enclave, identity: { nodeId: o.nodeId, modelIds: o.modelIds }, signingPublicKey: signer.publicKey });
  await registerNode(o.allowListPath, { nodeId: o.nodeId, pcrs, modelIds: o.modelIds }, o.operatorKey);
  const proofs = createProofService({ prover: createGroth16Prover({ cacheDir: o.cacheDir, loadModel: modelBytesFromRegistry() }), faults: hooks });
  const receipts = new Map<string, Receipt>();
  let counter = 0;

  async function infer(modelId: string, rows: number[][]) {
    const ran = hooks.modelToRun(modelId);
    // A substitute model may take another number of features: the cheat pads or cuts the row to fit.
    const width = o.runtime.describe(ran).featureOrder.length;
    const ranRows = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? 0));
    const outputs = hooks.outputsToReturn((await o.runtime.infer(ran, ranRows)).outputs);
    counter += 1;
    const unsigned = {
      receiptId: `0x${counter.toString(16).padStart(64, '0')}` as Hex,
      modelId,
      inputHash: inputHash(rows),
      outputHash: outputHash(outputs),
      nodeId: o.nodeId,
      issuedAt: new Date().toISOString(),
      paymentRef: `test/${counter}`,
      settlementMode: 'deferred' as const,
    };
    const receipt = await (hooks.signsWithUnattestedKey() ? rogue : signer).sign(unsigned);
    receipts.set(receipt.receiptId, receipt);
    proofs.request(receipt.receiptId, ran, ranRows, outputs);
    return { receipt, outputs };
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://node');
    const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/v1/attestation') {
      const answer = await attestation.handle({ nonce: url.searchParams.get('nonce') ?? undefined });
      return reply(answer.status, answer.body);
    }
    const proof = /^\/v1\/receipts\/([^/]+)\/proof$/.exec(url.pathname);
    if (proof) {
      const answer = proofs.handle(proof[1] as string);
      return reply(answer.status, answer.body);
    }
    const receipt = /^\/v1\/receipts\/([^/]+)$/.exec(url.pathname);
    const found = receipt ? receipts.get(receipt[1] as string) : undefined;
    if (!found) return reply(404, { reason: 'receipt_unknown', message: 'no such receipt' });
    const updatedAt = new Date().toISOString();
    reply(200, { receipt: found, digest: '0x', settlement: { status: 'settled', attempts: 1, updatedAt }, commitment: { kind: 'receipt', status: 'committed' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, infer, proofs, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
