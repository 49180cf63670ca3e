// What makes the node's answers checkable after the fact: an enclave attesting its receipt-signing key, zkML proofs made
// after each answer, and (in development) its own entry in the signed allow-list. Also the fault hooks that make the
// node misbehave on purpose for tests and demos (NODE_FAULTS); with no faults they change nothing.
import path from 'node:path';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { EngineConfig } from '../config';
import type { Logger } from '../log';
import { DEFAULT_MODELS_DIR, userModelsDirOf } from '../models';
import {
  FAULT_CATALOGUE,
  NODE_CODE_DIRECTORIES,
  createAttestationProvider,
  createDevelopmentEnclave,
  createFaultHooks,
  createGroth16Prover,
  nativeGroth16Choice,
  type NativeUse,
  createNsmHelperAttester,
  provingKeyPolicyOf,
  keyBirthNonce,
  createProofService,
  defaultAllowListPath,
  developmentPcrs,
  ensureDevelopmentRoot,
  measureFiles,
  modelBytesFromRegistry,
  parseFaults,
  registerNode,
  ProvingDisabledError,
  ProvingInterruptedError,
  type ProofJournalRecord,
  releaseProvingResources,
  type AttestationProvider,
  type EnclaveAttester,
  type Groth16Prover,
  type NodeFault,
  type NodeFaultHooks,
  type ProofService,
} from '../verification';
import { openJournal } from '../journal';
import { openKeyAttestationArchive, type KeyAttestationArchive } from './key-attestations';
import { NodeStartError } from './node-start-error';
import { createEphemeralReceiptSigner, type ReceiptSigner } from './receipt-signer';

/** The repository root: PCR0 measures the node's code directories under it (NODE_CODE_DIRECTORIES). */
const REPO_ROOT = path.resolve(__dirname, '..', '..');

export type VerifiabilityOptions = {
  config: EngineConfig;
  logger: Logger;
  nodeId: string;
  modelIds: string[];
  /** The key the attestation binds. */
  signer: ReceiptSigner;
  faults?: NodeFault[];
  substituteModelId?: string;
  enclave?: EnclaveAttester;
  registerInAllowList?: boolean;
  allowListOperatorKey?: Hex;
  /** false: this node makes no zkML proofs (its receipts then fail the proof check). For benchmarks that isolate the
   *  payment path, and for deployments where a separate prover pool proves; default true. */
  proving?: boolean;
  /** JSONL file that keeps proof jobs and results across restarts (the node puts it next to its receipt journal). */
  proofJournalFile?: string;
  /** Where key-birth attestation documents are journaled (one per receipt key the node ever had). */
  keyAttestationFile?: string;
};

export type NodeVerifiability = {
  faults: NodeFault[];
  hooks: NodeFaultHooks;
  /** The key receipts are signed with: the attested signer, or a rogue one under `unattested_signing_key`. */
  receiptSigner: ReceiptSigner;
  pcrs: Record<number, string>;
  attestation: AttestationProvider;
  /** Key-birth documents by signer address, this start's key and every earlier one. */
  keyAttestations: KeyAttestationArchive;
  proofs: ProofService;
  /** Drops queued proofs, waits for the one being made, and ends the prover's worker threads. */
  close(): Promise<void>;
};

function faultsOf(options: VerifiabilityOptions): NodeFault[] {
  try {
    return options.faults ?? parseFaults(options.config.verification.nodeFaults.join(','));
  } catch (error) {
    throw new NodeStartError('node_faults_unknown', (error as Error).message);
  }
}

export async function setUpVerifiability(options: VerifiabilityOptions): Promise<NodeVerifiability> {
  const { config, logger, nodeId, modelIds, signer } = options;
  const production = config.mode === 'production';
  const faults = faultsOf(options);
  if (production && faults.length > 0)
    throw new NodeStartError(
      'node_faults_refused',
      `fault injection (${faults.join(', ')}) is refused in production mode`,
    );
  // In production documents come from the Nitro Secure Module, through the in-enclave NSM helper; the development
  // enclave is a named stand-in whose root production verifiers refuse. Failing here beats serving receipts no
  // verifier will ever accept.
  const nsmHelperUrl = config.attestation.nsmHelperUrl;
  const nitro = options.enclave ?? (nsmHelperUrl ? createNsmHelperAttester({ url: nsmHelperUrl }) : undefined);
  if (production && !nitro)
    throw new NodeStartError(
      'nitro_nsm_unavailable',
      'production mode needs the Nitro Secure Module: set NITRO_NSM_HELPER_URL to the in-enclave NSM helper (the development enclave is refused in production)',
    );

  const substituteModelId = options.substituteModelId ?? config.verification.nodeFaultSubstituteModel;
  if (faults.includes('output_for_other_model') && (!substituteModelId || !modelIds.includes(substituteModelId))) {
    throw new NodeStartError(
      'substitute_model_invalid',
      `output_for_other_model needs a substitute model this node serves (got ${substituteModelId ?? 'none'}; serving ${modelIds.join(', ')})`,
    );
  }
  const hooks = createFaultHooks(faults, { substituteModelId });
  if (faults.length > 0) {
    logger.warn(
      { faults, effects: faults.map((f) => FAULT_CATALOGUE[f].effect), substituteModelId },
      'FAULT INJECTION ON: this node misbehaves on purpose (tests and demos only)',
    );
  }

  const pcrs = developmentPcrs({
    files: await measureFiles(REPO_ROOT, NODE_CODE_DIRECTORIES),
    modelIds,
    nodeConfig: { nodeId },
  });
  const enclave =
    nitro ??
    createDevelopmentEnclave({
      root: await ensureDevelopmentRoot(config.stateDir),
      pcrs,
      moduleId: nodeId,
      mode: hooks.attestationMode,
    });
  const attestation = createAttestationProvider({
    enclave,
    identity: { nodeId, modelIds },
    signingPublicKey: signer.publicKey,
  });
  // The key's birth certificate, kept for verifiers that check this key's receipts after the node has restarted.
  const keyAttestations = openKeyAttestationArchive(options.keyAttestationFile, logger);
  keyAttestations.record(signer.address, await attestation.attest(keyBirthNonce(signer.address)));

  if (options.registerInAllowList ?? !production) await registerSelf(options, pcrs);

  // Queued proofs are left at shutdown (counted and logged once) rather than holding the process for minutes of
  // proving; with a proof journal the next start proves them, so a verifier polling across the restart still gets them.
  let closing = false;
  let dropped = 0;
  const proofLogger = logger.child({ concern: 'proofs' });
  let native: NativeUse | undefined;
  if (options.proving !== false) {
    try {
      native = await nativeGroth16Choice(
        'prover',
        { backend: config.models.prover, binary: config.models.proverBinary },
        config.cacheDir,
        proofLogger,
      );
    } catch (error) {
      throw new NodeStartError('native_prover_unavailable', (error as Error).message);
    }
    proofLogger.info({ prover: native ? 'native' : 'snarkjs', binary: native?.binary }, 'Groth16 prover chosen');
  }
  const groth16 = createGroth16Prover({
    cacheDir: config.cacheDir,
    loadModel: modelBytesFromRegistry(DEFAULT_MODELS_DIR, userModelsDirOf(config)),
    policy: provingKeyPolicyOf(config),
    native,
    nice: config.models.proverNice,
  });
  const prover: Groth16Prover = {
    prove(request, rowsToProve) {
      if (options.proving === false) return Promise.reject(new ProvingDisabledError());
      if (!closing) return groth16.prove(request, rowsToProve);
      dropped += 1;
      return Promise.reject(new ProvingInterruptedError());
    },
  };
  const journal = options.proofJournalFile
    ? openJournal<ProofJournalRecord>(options.proofJournalFile, proofLogger)
    : undefined;
  const proofs = createProofService({ prover, faults: hooks, logger: proofLogger, journal });

  return {
    faults,
    hooks,
    receiptSigner: hooks.signsWithUnattestedKey() ? createEphemeralReceiptSigner() : signer,
    pcrs,
    attestation,
    keyAttestations,
    proofs,
    async close() {
      closing = true;
      await proofs.idle();
      if (dropped > 0)
        logger.info({ left: dropped, journaled: Boolean(journal) }, 'queued proofs left for the next start');
      // snarkjs keeps the BN254 curve (and its worker threads) in a process global; without this a stopped node keeps
      // the process alive. Like the verifier's close, this assumes no other prover or verifier in the process is busy.
      await releaseProvingResources();
    },
  };
}

/**
 * Development: the node adds its measurements to the signed allow-list the verifier reads, signed with the key the
 * verifier pins (NODE_ALLOW_LIST_SIGNER, else the deployer's address; see src/verification/service/policy.ts). In
 * production the operator registers nodes out of band, after checking the measurements against a reproducible build.
 */
async function registerSelf(options: VerifiabilityOptions, pcrs: Record<number, string>): Promise<void> {
  const { config, logger, nodeId, modelIds } = options;
  const operatorKey = options.allowListOperatorKey ?? config.keys.deployer;
  const operator = privateKeyToAccount(operatorKey).address;
  const trusted = config.verification.allowListSigner;
  if (trusted && trusted.toLowerCase() !== operator.toLowerCase()) {
    throw new NodeStartError(
      'allow_list_operator_mismatch',
      `the verifier trusts allow-lists signed by ${trusted}, but this node would sign with ${operator}: pass the operator key or register the node out of band`,
    );
  }
  const file = config.verification.allowListPath ?? defaultAllowListPath(config.stateDir);
  await registerNode(file, { nodeId, pcrs, modelIds }, operatorKey);
  logger.info({ allowList: file, nodeId, operator, modelIds: modelIds.length }, 'node registered in the allow-list');
}
