// Verification benchmarks: attestation checks, zk proving and verifying per model (time, memory, proof size), and the
// time from an answer to its verdict when the three checks run in process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { loadConfig } from '../src/config';
import { createEphemeralReceiptSigner } from '../src/inference-node';
import { createOnnxModelRuntime, DEFAULT_MODELS_DIR, inputHash, loadModelManifest, outputHash } from '../src/models';
import {
  awsNitroRoot,
  createAttestationProvider,
  createDevelopmentEnclave,
  createGroth16Prover,
  decodeAttestationDocument,
  decodeCoseSign1,
  ensureDevelopmentRoot,
  ensureNativeProver,
  ensureProvingKeys,
  modelBytesFromRegistry,
  openAllowList,
  reexecuteReceipt,
  releaseProvingResources,
  rootFromPem,
  signAllowList,
  verifyAttestation,
  verifyProof,
  verifyReceiptAgainstAttestation,
  createNativeGroth16Verifier,
  snarkjsGroth16Verify,
} from '../src/verification';
import { timeIterations, type BenchRow, type BenchSection } from './report';
import { readUsage } from './e2e/processes';
import { useSingleThreadBn254 } from '../src/verification/proof/bn254-curve';
import { proverProcessId } from '../src/verification/proof/prover-process';

const row = (name: string, t: { p50Ms: number; p99Ms: number }, note?: string): BenchRow => ({
  name,
  p50Ms: t.p50Ms,
  p99Ms: t.p99Ms,
  opsPerSec: 1000 / t.p50Ms,
  note,
});

/** `scale` (0..1] shortens every loop (the quick run uses 0.2). */
export async function benchVerification(scale = 1): Promise<BenchSection> {
  const n = (count: number) => Math.max(3, Math.round(count * scale));
  const config = loadConfig();
  const rows: BenchRow[] = [];
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-bench-'));
  const manifest = await loadModelManifest(DEFAULT_MODELS_DIR);
  const modelIds = manifest.models.map((m) => m.id);

  // Attestation: a development-enclave document with a registered node, then the real Nitro document (4-certificate chain).
  const root = await ensureDevelopmentRoot(stateDir);
  const signer = createEphemeralReceiptSigner();
  const pcrs = { 0: 'aa'.repeat(48), 1: 'bb'.repeat(48), 2: 'cc'.repeat(48) };
  const provider = createAttestationProvider({
    enclave: createDevelopmentEnclave({ root, pcrs, moduleId: 'bench' }),
    identity: { nodeId: 'bench', modelIds },
    signingPublicKey: signer.publicKey,
  });
  const operator = generatePrivateKey();
  const registry = await openAllowList(
    await signAllowList(
      { version: 1, issuedAt: new Date().toISOString(), nodes: [{ nodeId: 'bench', pcrs, modelIds }] },
      operator,
    ),
    privateKeyToAccount(operator).address,
  );
  const nonce = crypto.randomBytes(32);
  const doc = await provider.attest(nonce);
  const policy = {
    rootOfTrust: [rootFromPem(root.certificatePem, 'development')],
    allowDevelopmentRoot: true,
    registry,
    expectedNonce: nonce,
  };
  // Every timed check must pass: a refusal would be fast and mean nothing.
  const mustPass = (result: ReturnType<typeof verifyAttestation>) => {
    if (!result.ok) throw new Error(`bench attestation refused: ${result.reason}: ${result.detail}`);
    return result;
  };
  rows.push(
    row(
      'attestation verify (development enclave, registry)',
      await timeIterations(() => mustPass(verifyAttestation(doc, { ...policy, now: new Date() })), n(300)),
      'goal < 5 ms',
    ),
  );
  const attested = mustPass(verifyAttestation(doc, { ...policy, now: new Date() })).attestation;
  const { receipt: signed } = await signer.sign({
    receiptId: `0x${'ab'.repeat(32)}`,
    modelId: modelIds[0]!,
    inputHash: `0x${'11'.repeat(32)}`,
    outputHash: `0x${'22'.repeat(32)}`,
    nodeId: 'bench',
    issuedAt: new Date().toISOString(),
    paymentRef: 'bench',
    settlementMode: 'deferred',
  });
  rows.push(
    row(
      '  + receipt bound to the attested key (signer recovery)',
      await timeIterations(async () => {
        const bound = await verifyReceiptAgainstAttestation(signed, attested);
        if (!bound.ok) throw new Error('bench receipt binding refused');
      }, n(300)),
      'the rest of the attestation check, per receipt',
    ),
  );
  const nitro = Buffer.from(
    fs.readFileSync(path.join(__dirname, '../test/fixtures/nitro/example_attestation.b64'), 'utf8').trim(),
    'base64',
  );
  const nitroAt = new Date(decodeAttestationDocument(decodeCoseSign1(nitro).payload).timestamp);
  const zeros = '00'.repeat(48);
  // AWS's sample document comes from a debug-mode enclave (zero PCRs), allowed here only to time the full chain check.
  const nitroPolicy = {
    now: nitroAt,
    rootOfTrust: [awsNitroRoot()],
    allowDevelopmentRoot: false,
    pcrAllowList: [{ 0: zeros, 1: zeros, 2: zeros }],
    allowDebugEnclave: true,
  };
  rows.push(
    row(
      'attestation verify (real Nitro document, AWS root)',
      await timeIterations(() => mustPass(verifyAttestation(nitro, nitroPolicy)), n(300)),
      'chain links cached after first',
    ),
  );

  // zk proofs per model: one row per proof.
  const runtime = await createOnnxModelRuntime();
  const loadModel = modelBytesFromRegistry();
  // The verifier command checks proofs on a single-thread curve (src/verification/proof/bn254-curve.ts); so do these rows.
  await useSingleThreadBn254();
  const native = await ensureNativeProver(config.cacheDir);
  if (!native.available) throw new Error(`the native prover is needed for its rows: ${native.reason}`);
  // Both provers in the same run, each in the prover process at nice 19: the native one (the default once built) and
  // snarkjs (PROVER_BACKEND=snarkjs, and the fallback without cargo).
  const provers = {
    native: createGroth16Prover({
      cacheDir: config.cacheDir,
      loadModel,
      native: { binary: native.binary, fallback: false },
    }),
    snarkjs: createGroth16Prover({ cacheDir: config.cacheDir, loadModel }),
  };
  const prover = provers.native;
  const nativeVerifier = createNativeGroth16Verifier(native.binary);
  const verifiers = { native: nativeVerifier.verify, snarkjs: snarkjsGroth16Verify };
  for (const entry of manifest.models) {
    const keys = await ensureProvingKeys(entry.id, config.cacheDir, loadModel);
    const holdout = JSON.parse(fs.readFileSync(path.join(DEFAULT_MODELS_DIR, entry.name, 'holdout.json'), 'utf8')) as {
      sets: Array<{ rows: number[][] }>;
    };
    const input = [(holdout.sets[0]?.rows ?? [])[0] as number[]];
    const { outputs } = await runtime.infer(entry.id, input);
    const receipt = { modelId: entry.id, inputHash: inputHash(input), outputHash: outputHash(outputs) };
    let bundle = await prover.prove({ receiptId: 'bench', modelId: entry.id, rows: input, outputs });
    for (const [backend, each] of Object.entries(provers)) {
      await each.prove({ receiptId: 'bench', modelId: entry.id, rows: input, outputs }); // loads the circuit
      // CPU of the prover process tree (the native prover is its child), against wall time.
      const proverPid = proverProcessId();
      const cpuBefore = proverPid ? readUsage(proverPid)?.cpuSeconds : undefined;
      const proving = await timeIterations(
        async () => {
          bundle = await each.prove({ receiptId: 'bench', modelId: entry.id, rows: input, outputs });
        },
        n(30),
        1,
      );
      const cpu =
        proverPid && cpuBefore !== undefined
          ? `; prover CPU ${((((readUsage(proverPid)?.cpuSeconds ?? cpuBefore) - cpuBefore) * 1000) / (proving.samplesMs.length + 1)).toFixed(0)} ms per proof` // + its one warm-up proof
          : '';
      const size = Buffer.byteLength(JSON.stringify(bundle.proofs[0]));
      rows.push(
        row(
          `proof generation ${entry.name} (1 row, ${backend})`,
          proving,
          `${keys.circuit.constraints} constraints; proof ${size} B JSON${cpu}; goal < 10 s`,
        ),
      );
    }
    // Both verifiers (VERIFY_PROOF_BACKEND): the whole proof check (hashes, public signals, then the Groth16 pairing).
    for (const [backend, groth16Verify] of Object.entries(verifiers)) {
      await verifyProof(receipt, bundle, input, outputs, keys, groth16Verify); // starts the binary, checks its key
      const cpuBefore = process.cpuUsage();
      const childPid = backend === 'native' ? nativeVerifier.processId() : undefined;
      const childBefore = childPid ? readUsage(childPid)?.cpuSeconds : undefined;
      const verifying = await timeIterations(
        async () => {
          const verified = await verifyProof(receipt, bundle, input, outputs, keys, groth16Verify);
          if (!verified.ok) throw new Error(`bench proof refused: ${verified.reason}`);
        },
        n(100),
        3,
      );
      const used = process.cpuUsage(cpuBefore);
      const checks = verifying.samplesMs.length + 3; // with the warm-up checks
      const ownMs = (used.user + used.system) / 1000 / checks;
      // The native check runs in the binary, a child process: its CPU is counted apart.
      const childMs =
        childPid && childBefore !== undefined
          ? (((readUsage(childPid)?.cpuSeconds ?? childBefore) - childBefore) * 1000) / checks
          : 0;
      const cpu =
        backend === 'native'
          ? `CPU ${(ownMs + childMs).toFixed(1)} ms per check (${childMs.toFixed(1)} in the binary)`
          : `CPU ${ownMs.toFixed(1)} ms per check`;
      rows.push(row(`proof verification ${entry.name} (${backend})`, verifying, `${cpu}; goal < 100 ms`));
    }
  }

  // Answer → verdict, in process: infer + sign, prove, then attestation + proof + re-execution.
  const model = manifest.models[0]!;
  const modelKeys = await ensureProvingKeys(model.id, config.cacheDir, loadModel);
  const holdout = JSON.parse(fs.readFileSync(path.join(DEFAULT_MODELS_DIR, model.name, 'holdout.json'), 'utf8')) as {
    sets: Array<{ rows: number[][] }>;
  };
  const input = (holdout.sets[0]?.rows ?? []).slice(0, 3);
  const endToEnd = await timeIterations(
    async () => {
      const answer = await runtime.infer(model.id, input);
      const { receipt } = await signer.sign({
        receiptId: `0x${crypto.randomBytes(32).toString('hex')}`,
        modelId: model.id,
        inputHash: answer.inputHash,
        outputHash: answer.outputHash,
        nodeId: 'bench',
        issuedAt: new Date().toISOString(),
        paymentRef: 'bench',
        settlementMode: 'deferred',
      });
      const proof = await prover.prove({
        receiptId: receipt.receiptId,
        modelId: model.id,
        rows: input,
        outputs: answer.outputs,
      });
      const n = crypto.randomBytes(32);
      const attested = verifyAttestation(await provider.attest(n), { ...policy, expectedNonce: n, now: new Date() });
      if (!attested.ok) throw new Error(attested.reason);
      const checks = await Promise.all([
        verifyReceiptAgainstAttestation(receipt, attested.attestation),
        verifyProof(receipt, proof, input, answer.outputs, modelKeys, nativeVerifier.verify),
        reexecuteReceipt(receipt, input, runtime),
      ]);
      if (checks.some((c) => !c.ok)) throw new Error('bench verdict failed');
    },
    Math.max(2, Math.round(5 * scale)),
    1,
  );
  rows.push(
    row(
      `answer to verdict (${model.name}, 3 rows, in process)`,
      endToEnd,
      'prove 3 rows sequentially + all three checks',
    ),
  );

  nativeVerifier.close();
  await runtime.close();
  await releaseProvingResources();
  return { title: 'Verification (attestation, zkML proof, re-execution)', rows };
}

if (require.main === module) {
  benchVerification().then(
    async (section) => {
      const { renderMarkdown } = await import('./report');
      console.log(renderMarkdown(section));
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
