// The engine's settings, grouped by concern. Every process loads the whole tree; each reads the part it needs.
import { z } from 'zod';
import { address, bool, boolFlag, csv, niceness, port, positiveInt, privateKey, setting } from './settings';

const optionalKey = privateKey.optional();

export const settingsTree = {
  mode: setting(
    'PROOFPATH_MODE',
    z.enum(['development', 'production']).default('development'),
    'development: embedded stack, anvil keys and the development enclave root are allowed. production: all of those are refused.',
  ),
  logLevel: setting(
    'LOG_LEVEL',
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    'pino log level for every process.',
  ),
  logFormat: setting(
    'LOG_FORMAT',
    z.enum(['auto', 'json', 'pretty']).default('auto'),
    'auto: pretty in development on a terminal, JSON otherwise.',
  ),
  stateDir: setting(
    'PROOFPATH_STATE_DIR',
    z.string().optional(),
    'Where the stack keeps PID files, logs, data and deployed addresses.',
    {
      defaultLabel: '$XDG_STATE_HOME/proofpath or ~/.local/state/proofpath',
    },
  ),
  cacheDir: setting(
    'PROOFPATH_CACHE_DIR',
    z.string().optional(),
    'Where built and downloaded binaries (Temporal CLI, Kafka jars, proving keys) are cached.',
    {
      defaultLabel: '$XDG_CACHE_HOME/proofpath or ~/.cache/proofpath',
    },
  ),
  temporal: {
    address: setting('TEMPORAL_ADDRESS', z.string().default('127.0.0.1:7233'), 'Temporal frontend gRPC address.'),
    namespace: setting('TEMPORAL_NAMESPACE', z.string().default('default'), 'Temporal namespace of the decisions.'),
    tlsCertPath: setting(
      'TEMPORAL_TLS_CERT',
      z.string().optional(),
      'PEM client certificate for mTLS to the Temporal frontend (with TEMPORAL_TLS_KEY); used by every Temporal connection the engine makes (worker, bridge, CLI, start).',
    ),
    tlsKeyPath: setting('TEMPORAL_TLS_KEY', z.string().optional(), 'PEM private key of TEMPORAL_TLS_CERT.'),
    tlsCaPath: setting(
      'TEMPORAL_TLS_CA',
      z.string().optional(),
      'PEM CA that signed the Temporal frontend certificate; unset: the system roots. Setting it (or a client certificate) turns TLS on.',
    ),
    tlsServerName: setting(
      'TEMPORAL_TLS_SERVER_NAME',
      z.string().optional(),
      'Overrides the server name checked against the frontend certificate (when connecting by IP or through a proxy).',
    ),
    apiKey: setting(
      'TEMPORAL_API_KEY',
      z.string().min(1).optional(),
      'API key sent as a bearer token on every Temporal call (Temporal Cloud API keys); turns TLS on.',
      { secret: true },
    ),
    taskQueue: setting(
      'PROOFPATH_TASK_QUEUE',
      z.string().default('proofpath-decisions'),
      'Task queue the worker polls.',
    ),
    uiPort: setting('TEMPORAL_UI_PORT', port(8233), 'Port of the Temporal Web UI of the embedded dev server.'),
  },
  kafka: {
    brokers: setting('KAFKA_BROKERS', csv('127.0.0.1:9092'), 'Comma-separated Kafka bootstrap brokers.'),
    clientId: setting('KAFKA_CLIENT_ID', z.string().default('proofpath'), 'Kafka client id prefix.'),
    inputTopic: setting(
      'KAFKA_TOPIC_IN',
      z.string().default('logistics.events'),
      'Logistics events consumed by the bridge.',
    ),
    decisionsTopic: setting(
      'KAFKA_TOPIC_DECISIONS',
      z.string().default('decisions.events'),
      'Decision lifecycle events (acted, verified, rolled back).',
    ),
    deadLetterTopic: setting(
      'KAFKA_TOPIC_DLQ',
      z.string().default('logistics.events.dlq'),
      'Invalid input events with the validation error and the original bytes.',
    ),
    verdictsTopic: setting(
      'KAFKA_TOPIC_VERDICTS',
      z.string().default('verification.verdicts'),
      'Verification verdicts published by the verifier.',
    ),
    bridgeGroupId: setting(
      'KAFKA_BRIDGE_GROUP',
      z.string().default('proofpath-bridge'),
      'Consumer group of the bridge.',
    ),
    eventLookupClockSkewMs: setting(
      'KAFKA_EVENT_LOOKUP_CLOCK_SKEW_MS',
      z.coerce.number().int().nonnegative().default(60_000),
      "A retried decision-event publish looks for its event on the topic from the activity's first scheduling time (Temporal's clock) minus this margin, since message timestamps come from the producing worker's clock: at least the clock skew between workers and the Temporal server. Larger reads more of the partition on a retry.",
    ),
    eventLookupTimeoutMs: setting(
      'KAFKA_EVENT_LOOKUP_TIMEOUT_MS',
      positiveInt(10_000),
      'How long that look-up may take before the attempt fails and Temporal retries it (keep it below the 30 s activity timeout; with the broker default group.initial.rebalance.delay.ms of 3 s, joining takes 3 s of it).',
    ),
    partitions: setting('KAFKA_TOPIC_PARTITIONS', positiveInt(3), 'Partitions for topics the engine creates.'),
    replicationFactor: setting(
      'KAFKA_REPLICATION_FACTOR',
      positiveInt(1),
      'Replication factor for topics the engine creates.',
    ),
  },
  chain: {
    rpcUrl: setting('CHAIN_RPC_URL', z.url().default('http://127.0.0.1:8545'), 'JSON-RPC endpoint of the EVM chain.'),
    chainId: setting('CHAIN_ID', positiveInt(31337), 'Chain id; x402 network is eip155:<id>.'),
    tokenAddress: setting(
      'PAYMENT_TOKEN_ADDRESS',
      address.optional(),
      'Existing EIP-3009 token (e.g. USDC). Unset in development: the deployed dev token is used.',
    ),
    tokenName: setting(
      'PAYMENT_TOKEN_EIP712_NAME',
      z.string().default('Proofpath Dev USD'),
      'EIP-712 domain name of the token.',
    ),
    tokenVersion: setting(
      'PAYMENT_TOKEN_EIP712_VERSION',
      z.string().default('1'),
      'EIP-712 domain version of the token.',
    ),
    registryAddress: setting(
      'SETTLEMENT_REGISTRY_ADDRESS',
      address.optional(),
      'Settlement registry contract. Unset in development: the deployed one is used.',
    ),
    nodeAddress: setting(
      'NODE_ADDRESS',
      address.optional(),
      '`contracts-deploy`: inference node account to register on the settlement registry, so the deployer needs no node key. Unset: derived from NODE_PRIVATE_KEY.',
    ),
    verifierAddress: setting(
      'VERIFIER_ADDRESS',
      address.optional(),
      '`contracts-deploy`: verifier account to enable on the settlement registry. Unset: derived from VERIFIER_PRIVATE_KEY.',
    ),
  },
  keys: {
    deployer: setting('DEPLOYER_PRIVATE_KEY', optionalKey, 'Deploys and administers the contracts.', {
      secret: true,
      defaultLabel: 'anvil account 0 (development only)',
    }),
    facilitator: setting('FACILITATOR_PRIVATE_KEY', optionalKey, 'Submits settlements on chain.', {
      secret: true,
      defaultLabel: 'anvil account 1 (development only)',
    }),
    node: setting('NODE_PRIVATE_KEY', optionalKey, 'Inference node: receives payments and commits receipts.', {
      secret: true,
      defaultLabel: 'anvil account 2 (development only)',
    }),
    verifier: setting('VERIFIER_PRIVATE_KEY', optionalKey, 'Verifier: flags nodes and disputes payments.', {
      secret: true,
      defaultLabel: 'anvil account 3 (development only)',
    }),
    payer: setting('PAYER_PRIVATE_KEY', optionalKey, 'Worker: pays for inference.', {
      secret: true,
      defaultLabel: 'anvil account 4 (development only)',
    }),
  },
  ports: {
    inferenceNode: setting('INFERENCE_NODE_PORT', port(8402), 'Inference node HTTP port.'),
    facilitator: setting('FACILITATOR_PORT', port(8403), 'Facilitator HTTP port.'),
    verifier: setting('VERIFIER_PORT', port(8404), 'Verifier HTTP port.'),
    erp: setting('ERP_PORT', port(8405), 'Development ERP/TMS service port.'),
    host: setting('BIND_HOST', z.string().default('127.0.0.1'), 'Interface the engine processes listen on.'),
  },
  limits: {
    nodeMaxBodyBytes: setting(
      'NODE_MAX_BODY_BYTES',
      positiveInt(1_048_576),
      'Inference node: largest request body; a larger one is refused with 413 `body_too_large`.',
    ),
    facilitatorMaxBodyBytes: setting(
      'FACILITATOR_MAX_BODY_BYTES',
      positiveInt(65_536),
      'Facilitator: largest request body (a payment payload and its requirements are a few kB); 413 `body_too_large` beyond.',
    ),
    verifierMaxBodyBytes: setting(
      'VERIFIER_MAX_BODY_BYTES',
      positiveInt(1_048_576),
      'Verifier: largest verification job body; 413 `body_too_large` beyond.',
    ),
    maxHeaderBytes: setting(
      'HTTP_MAX_HEADER_BYTES',
      positiveInt(16_384),
      'Node, facilitator, verifier: largest request head (request line and headers); Node.js answers 431 beyond.',
    ),
    rateLimitPerSecond: setting(
      'HTTP_RATE_LIMIT_PER_SECOND',
      z.coerce.number().int().nonnegative().default(500),
      'Node, facilitator, verifier: requests per second one client address may make (token bucket, refilled continuously); 429 `rate_limited` with Retry-After beyond. 0 turns the limit off.',
    ),
    rateLimitBurst: setting(
      'HTTP_RATE_LIMIT_BURST',
      positiveInt(1_000),
      'Node, facilitator, verifier: requests one client address may make at once before the rate applies.',
    ),
    headersTimeoutMs: setting(
      'HTTP_HEADERS_TIMEOUT_MS',
      positiveInt(10_000),
      'Node, facilitator, verifier: time a client has to send its request head; a slower one (slow-loris) gets 408 and is disconnected.',
    ),
    requestTimeoutMs: setting(
      'HTTP_REQUEST_TIMEOUT_MS',
      positiveInt(30_000),
      'Node, facilitator, verifier: time a client has to send its whole request, body included; 408 beyond.',
    ),
  },
  payments: {
    settlementMode: setting(
      'PAYMENT_SETTLEMENT_MODE',
      z.enum(['individual', 'deferred', 'batch', 'escrow', 'channel']).default('deferred'),
      "individual: settle on chain before answering. deferred: answer once the payment verifies, settle right after. batch: as deferred, receipts committed as Merkle roots. escrow: as deferred, but the payment (x402 auth-capture) is held in escrow until the verifier captures it for the node or refunds it. channel: x402 batch-settlement, one deposit and a cumulative voucher per inference; the verifier's verdicts claim verified charges in batches and refund rolled-back ones; receipts committed as Merkle roots.",
    ),
    channelName: setting(
      'PAYMENT_CHANNEL_NAME',
      z
        .string()
        .regex(/^[a-zA-Z0-9_-]{1,64}$/)
        .default('default'),
      "Worker (payer), channel mode: names this process's channels (their salt) and its channel journal. Processes that pay with the same PAYER_PRIVATE_KEY need distinct names, or the node refuses the second one's vouchers.",
    ),
    channelDepositMultiple: setting(
      'PAYMENT_CHANNEL_DEPOSIT_MULTIPLE',
      positiveInt(100),
      'Worker (payer), channel mode: a deposit covers this many inferences at the offered price (more if the next voucher needs it).',
    ),
    channelWithdrawDelaySeconds: setting(
      'PAYMENT_CHANNEL_WITHDRAW_DELAY_SECONDS',
      z.coerce.number().int().min(900).max(2_592_000).default(900),
      "Node, channel mode: the withdraw delay it offers (x402 batch-settlement, 900 s to 30 days): how long a payer's timed withdrawal waits, during which verified charges can still be claimed.",
    ),
    channelClaimBatchSize: setting(
      'PAYMENT_CHANNEL_CLAIM_BATCH_SIZE',
      positiveInt(16),
      'Facilitator, channel mode: claim verified charges (and pay the nodes) once this many are waiting.',
    ),
    channelClaimIntervalSeconds: setting(
      'PAYMENT_CHANNEL_CLAIM_INTERVAL_SECONDS',
      positiveInt(5),
      'Facilitator, channel mode: claim waiting verified charges at least this often.',
    ),
    escrowCaptureWindowSeconds: setting(
      'PAYMENT_ESCROW_CAPTURE_WINDOW_SECONDS',
      positiveInt(3600),
      "Escrow mode: how long a held payment waits for the verifier's verdict; afterwards anyone may refund it to the payer. Must exceed PAYMENT_MAX_TIMEOUT_SECONDS and the decision's verification timeout.",
    ),
    escrowSweepIntervalSeconds: setting(
      'PAYMENT_ESCROW_SWEEP_INTERVAL_SECONDS',
      z.coerce.number().int().nonnegative().default(60),
      "Facilitator: how often it refunds (refundExpired) escrowed payments in the engine's token that are still held past their capture deadline, so none waits for a worker that is gone. 0 turns the sweeper off.",
    ),
    batchSize: setting('PAYMENT_BATCH_SIZE', positiveInt(16), 'Batch mode: commit a Merkle root every N receipts.'),
    batchIntervalSeconds: setting(
      'PAYMENT_BATCH_INTERVAL_SECONDS',
      positiveInt(5),
      'Batch mode: commit pending receipts at least every T seconds.',
    ),
    defaultPrice: setting(
      'PAYMENT_DEFAULT_PRICE',
      z.string().regex(/^\d+$/).default('1000'),
      'Price of one inference in token units (1000 = 0.001 of a 6-decimal token).',
    ),
    modelPrices: setting(
      'PAYMENT_MODEL_PRICES',
      csv(''),
      'Per-model prices in token units: `modelId=amount,...`; others pay the default price.',
    ),
    maxTimeoutSeconds: setting(
      'PAYMENT_MAX_TIMEOUT_SECONDS',
      positiveInt(300),
      'How long an authorization stays valid (x402 maxTimeoutSeconds); bounds deferred settlement retries.',
    ),
    facilitatorUrl: setting(
      'FACILITATOR_URL',
      z.url().default('http://127.0.0.1:8403'),
      'Facilitator the inference node verifies and settles through.',
    ),
    nodeUrl: setting(
      'INFERENCE_NODE_URL',
      z.url().default('http://127.0.0.1:8402'),
      'Inference node the worker pays for inference.',
    ),
    maxPerPayment: setting(
      'PAYMENT_MAX_PER_PAYMENT',
      z.string().regex(/^\d+$/).default('1000000'),
      'Client spend control: largest single payment in token units.',
    ),
    dailyBudget: setting(
      'PAYMENT_DAILY_BUDGET',
      z.string().regex(/^\d+$/).default('100000000'),
      'Client spend control: token units one payer may spend per UTC day.',
    ),
    requestTimeoutMs: setting(
      'PAYMENT_REQUEST_TIMEOUT_MS',
      positiveInt(10_000),
      "Worker: longest wait for a node's answer to one paid request; beyond it the activity fails (retryable, node_timeout) and its retry presents the same payment, so a hung connection costs this long, not the activity's whole timeout.",
    ),
    settleAttempts: setting(
      'PAYMENT_SETTLE_ATTEMPTS',
      positiveInt(5),
      'Deferred/batch: receipt commitment attempts before a commitment is marked failed. A settlement is retried (backoff doubling up to 30 s) until its authorization expires (validBefore), so an outage of the facilitator or the chain shorter than that loses no payment.',
    ),
    settleBackoffMs: setting(
      'PAYMENT_SETTLE_BACKOFF_MS',
      positiveInt(250),
      'First retry delay of a failed settlement; doubles per attempt.',
    ),
    verifyInProcess: setting(
      'PAYMENT_VERIFY_IN_PROCESS',
      bool(true),
      "Inference node: run x402's EVM exact verify (signature, amount, asset, payTo, validity window, simulated transfer: unused nonce, balance) in the node's process over a read-only chain client, instead of a round trip to the facilitator's /verify. Settlement always goes through the facilitator.",
    ),
    verifyRpcUrl: setting(
      'PAYMENT_VERIFY_RPC_URL',
      z
        .string()
        .regex(/^(wss?|https?):\/\//, 'must be a ws://, wss://, http:// or https:// URL')
        .optional(),
      'Inference node, in-process verify: JSON-RPC endpoint it reads through. A ws:// URL costs less per read than HTTP; CHAIN_RPC_URL backs it up over HTTP.',
      { defaultLabel: 'CHAIN_RPC_URL (WebSocket is opt-in)' },
    ),
    verifyCodeCacheMs: setting(
      'PAYMENT_VERIFY_CODE_CACHE_MS',
      z.coerce.number().int().nonnegative().default(2_000),
      "Inference node, in-process verify: how long an address's contract code (payer, token) is reused across verifications. The code only picks x402's signature pre-check (ECDSA for an account without code, ERC-1271 with code); the simulated transfer, read fresh for every payment, decides. 0 reads it for every verification.",
    ),
    settleConcurrency: setting(
      'PAYMENT_SETTLE_CONCURRENCY',
      positiveInt(2),
      'Inference node, deferred/batch: settlements and receipt commitments in flight at once after answering; more wait in a queue (an unbounded backlog polls for receipts on every block and slows the verification of new requests).',
    ),
    settleQuietMs: setting(
      'PAYMENT_SETTLE_QUIET_MS',
      z.coerce.number().int().nonnegative().default(500),
      "Inference node: after-the-answer chain work (deferred settlements, per-receipt commitments, escrow holds; batch roots keep their own timer) waits until no request has been in progress for this long, so it does not take the CPU a paying decision's next request and fast path need; 0 starts it at once.",
    ),
    settleMaxDeferMs: setting(
      'PAYMENT_SETTLE_MAX_DEFER_MS',
      z.coerce.number().int().nonnegative().default(3_000),
      'Inference node: the longest an attempt of after-the-answer chain work waits for the node to be quiet (PAYMENT_SETTLE_QUIET_MS): a node that is never quiet still settles.',
    ),
  },
  models: {
    dir: setting(
      'MODELS_DIR',
      z.string().optional(),
      "Folder of the models users register with `proofpath models add` (registry.json plus one <id>.onnx per model). Nodes and verifiers serve and check them next to the built-in models of the repository's models/, which stay the default.",
      { defaultLabel: '<stateDir>/models' },
    ),
    prover: setting(
      'PROVER_BACKEND',
      z.enum(['auto', 'native', 'snarkjs']).default('auto'),
      "Inference node: which Groth16 prover makes the zkML proofs. `native`: the project's Rust prover (native/groth16-prover, arkworks), built once per machine with cargo under <cacheDir>/native by `stack up` (nodes never build it); about four times less CPU per proof; the node does not start without it. `snarkjs`: snarkjs in WebAssembly. `auto`: native when a built prover is there at node start, snarkjs otherwise, and for a while (30 s doubling up to 10 min) after the native process fails, for good after a native proof that does not verify (logged). Proofs are the same Groth16 proofs on the same keys either way.",
    ),
    proverNice: setting(
      'PROVER_NICE',
      niceness(19),
      "Inference node: CPU priority of its prover process and the native prover under it (0 normal, 19 lowest; every thread). 19 makes proofs take only the CPU the node's answers and a shared machine's fast path leave (verdicts wait instead of decisions); on a machine or cores given to proving, 0 gets verdicts sooner.",
    ),
    proverBinary: setting(
      'PROVER_NATIVE_BINARY',
      z.string().min(1).optional(),
      'Inference node and verifier: the native Groth16 binary built ahead (the production image carries one, built from native/groth16-prover); it proves on nodes (PROVER_BACKEND) and verifies on verifiers (VERIFY_PROOF_BACKEND); used as is, never built. Unset: the one built under <cacheDir>/native.',
      { defaultLabel: 'built under <cacheDir>/native' },
    ),
  },
  decisions: {
    approvalThreshold: setting(
      'DECISION_APPROVAL_THRESHOLD',
      z.coerce.number().nonnegative().default(50_000),
      'Orders (or freight) worth more than this wait for an ERP `approve` update.',
    ),
    approvalTimeoutMs: setting(
      'DECISION_APPROVAL_TIMEOUT_MS',
      positiveInt(4 * 3_600_000),
      'How long a decision waits for approval before it escalates.',
    ),
    escalationTimeoutMs: setting(
      'DECISION_ESCALATION_TIMEOUT_MS',
      positiveInt(24 * 3_600_000),
      'How long an escalated decision waits before it is rejected as approval_timeout.',
    ),
    verificationTimeoutMs: setting(
      'DECISION_VERIFICATION_TIMEOUT_MS',
      positiveInt(15 * 60_000),
      'How long a decision waits for all verdicts; a missing verdict counts as a timed-out check.',
    ),
    maxAttempts: setting(
      'DECISION_MAX_ATTEMPTS',
      z.coerce.number().int().min(1).max(5).default(2),
      '2 = re-decide once with another node after a failed verification.',
    ),
    alternateNodeUrls: setting(
      'INFERENCE_NODE_ALTERNATE_URLS',
      csv(''),
      'Further inference nodes, used when a decision re-decides after a node failed verification (and for new decisions under `spread`).',
    ),
    nodeSelection: setting(
      'INFERENCE_NODE_SELECTION',
      z.enum(['ordered', 'spread']).default('ordered'),
      'ordered: every decision pays INFERENCE_NODE_URL first; the alternates take over re-decisions. spread: decisions spread over all reachable nodes by rendezvous hashing on the decision id (a decision and its retries stay on one node).',
    ),
    verifierUrl: setting(
      'VERIFIER_URL',
      z.url().default('http://127.0.0.1:8404'),
      'Verifier the worker submits verification jobs to.',
    ),
    erpUrl: setting(
      'ERP_URL',
      z.url().default('http://127.0.0.1:8405'),
      'ERP/TMS the activities reserve orders and tender loads through.',
    ),
    supplierRiskModel: setting(
      'DECISION_MODEL_SUPPLIER_RISK',
      z.string().default('supplier-risk'),
      'Model (id or name) procurement decisions score suppliers with; a registered model must take the supplier-risk features and give lateOrShortProbability first.',
    ),
    laneEtaModel: setting(
      'DECISION_MODEL_LANE_ETA',
      z.string().default('lane-eta'),
      'Model (id or name) routing decisions score routes with; a registered model must take the lane-eta features and give transitHours, delayProbability first.',
    ),
    demandForecastModel: setting(
      'DECISION_MODEL_DEMAND_FORECAST',
      z.string().default('demand-forecast'),
      'Model (id or name) for demand forecasts; a registered model must take the demand-forecast features and give demandRatio first.',
    ),
    allowProofUnsupported: setting(
      'DECISION_ALLOW_PROOF_UNSUPPORTED',
      bool(false),
      'Let a decision confirm when the proof check of a verdict is `unsupported` (a registered model outside the zk circuit family; attestation and re-execution must still pass). Off: such a decision rolls back like any failed check.',
    ),
    eventSource: setting(
      'DECISION_EVENT_SOURCE',
      z.string().default('urn:proofpath:engine'),
      'CloudEvents `source` of decision events.',
    ),
  },
  attestation: {
    allowDevelopmentRoot: setting(
      'ATTESTATION_ALLOW_DEVELOPMENT_ROOT',
      boolFlag.optional(),
      'Trust the development enclave root generated at stack up (development stand-in for Nitro hardware). Defaults to true in development; setting it true in production is refused.',
      { defaultLabel: 'true in development, false in production' },
    ),
    nsmHelperUrl: setting(
      'NITRO_NSM_HELPER_URL',
      z.url().optional(),
      'Inference node on AWS Nitro Enclaves: the in-enclave helper that asks the Nitro Secure Module for attestation documents (POST /attestation). Required in production; unset in development, where the development enclave stands in.',
    ),
  },
  verification: {
    attestationTimeoutMs: setting(
      'VERIFY_ATTESTATION_TIMEOUT_MS',
      positiveInt(5000),
      'Verifier: time allowed for fetching and checking a node attestation document.',
    ),
    proofTimeoutMs: setting(
      'VERIFY_PROOF_TIMEOUT_MS',
      positiveInt(120000),
      'Verifier: time allowed for a zkML proof to become available and verify (proofs are made after the answer).',
    ),
    reexecutionTimeoutMs: setting(
      'VERIFY_REEXECUTION_TIMEOUT_MS',
      positiveInt(10000),
      'Verifier: time allowed for re-running the model.',
    ),
    jobSubmitters: setting(
      'VERIFIER_JOB_SUBMITTERS',
      csv('').pipe(z.array(address)),
      "Verifier: addresses allowed to submit jobs to POST /v1/jobs (each job is signed, EIP-191, with the worker's payer key). Required in production.",
      { defaultLabel: "the payer key's address (development only)" },
    ),
    verdictSigners: setting(
      'VERDICT_SIGNERS',
      csv('').pipe(z.array(address)),
      "Bridge and decisions: verifier addresses whose signed verdicts count (the address of the verifier's VERIFIER_PRIVATE_KEY); other verdicts are dead-lettered and ignored. Fixed per decision when it starts. Required in production unless VERIFIER_ADDRESS is set.",
      { defaultLabel: "VERIFIER_ADDRESS, else the verifier key's address (development only)" },
    ),
    jobMaxAgeMs: setting(
      'VERIFIER_JOB_MAX_AGE_MS',
      positiveInt(60_000),
      'Verifier: oldest (or furthest in the future) signed job timestamp it accepts; bounds replays of a captured job.',
    ),
    nice: setting(
      'VERIFIER_NICE',
      niceness(10),
      'Verifier: CPU priority the process gives itself (0 normal, 19 lowest). On a machine shared with the fast path (worker, bridge, node), checks then take the CPU the decisions leave; on its own machine it changes nothing.',
    ),
    proofPollMs: setting(
      'VERIFY_PROOF_POLL_MS',
      positiveInt(250),
      'Verifier: interval between polls of a pending proof (HTTP 202) that the node answered without holding (a node that has not queued the proof yet, or does not hold polls).',
    ),
    proofBackend: setting(
      'VERIFY_PROOF_BACKEND',
      z.enum(['auto', 'native', 'snarkjs']).default('auto'),
      "Verifier: which Groth16 verifier checks the zkML proofs. `native`: the project's Rust binary (native/groth16-prover, the prover's build, or PROVER_NATIVE_BINARY), about 2 ms of CPU per proof against 10-20 ms, and stricter (G2 points must lie in the prime-order subgroup); the verifier does not start without it. `snarkjs`: snarkjs in WebAssembly. `auto`: native when the binary is built at verifier start, snarkjs otherwise. Either way the binary's first answer per key is checked against snarkjs (and must refuse the proof with a public signal changed), or snarkjs verifies from then on; a failed native process hands its proofs to snarkjs and rests 30 s.",
    ),
    proofWaitMs: setting(
      'VERIFY_PROOF_WAIT_MS',
      z.coerce.number().int().min(0).max(10_000).default(10_000),
      'Verifier: how long the node may hold a poll of a pending proof (GET /v1/receipts/:id/proof?waitMs=, at most 10000); it answers the moment the proof is done. 0 polls every VERIFY_PROOF_POLL_MS.',
    ),
    attestationMaxAgeMs: setting(
      'ATTESTATION_MAX_AGE_MS',
      positiveInt(300000),
      'Oldest attestation document (by its timestamp) the verifier accepts.',
    ),
    keyMaxAgeMs: setting(
      'ATTESTATION_KEY_MAX_AGE_MS',
      positiveInt(7 * 24 * 3_600_000),
      "Verifier: a receipt whose node has restarted since is checked against its key's birth attestation; it must have been signed at most this long after that key was attested.",
    ),
    allowListPath: setting(
      'NODE_ALLOW_LIST_PATH',
      z.string().optional(),
      'Signed node allow-list (nodeId, PCRs, model ids) the verifier trusts.',
      {
        defaultLabel: '<stateDir>/attestation/allow-list.json',
      },
    ),
    allowListSigner: setting(
      'NODE_ALLOW_LIST_SIGNER',
      address.optional(),
      'Address of the operator key that signs the node allow-list. Required in production.',
      {
        defaultLabel: "the deployer key's address (development only)",
      },
    ),
    rootPemPath: setting(
      'ATTESTATION_ROOT_PEM',
      z.string().optional(),
      'Extra PEM root of trust for attestation documents, pinned next to the embedded AWS Nitro root G1.',
    ),
    nodeFaults: setting(
      'NODE_FAULTS',
      csv(''),
      'Inference node, tests and demos only: misbehaviours to inject, comma-separated (names in src/verification/faults.ts, e.g. `wrong_output,unattested_signing_key`). The node refuses to start with faults in production mode.',
    ),
    nodeFaultSubstituteModel: setting(
      'NODE_FAULT_SUBSTITUTE_MODEL',
      z
        .string()
        .regex(/^[0-9a-f]{64}$/, 'must be a model id (sha256 hex)')
        .optional(),
      'Inference node, tests and demos only: the served model the `output_for_other_model` fault runs instead of the requested one.',
    ),
  },
  observability: {
    tracing: setting(
      'PROOFPATH_TRACING',
      z.enum(['off', 'otlp', 'console']).default('off'),
      'OpenTelemetry traces of every process (bridge, workflows, activities, node, facilitator, verifier). off: a no-op tracer, nothing is recorded. otlp: spans go to OTEL_EXPORTER_OTLP_ENDPOINT over OTLP/HTTP (JSON encoding). console: spans are printed to stdout (debugging).',
    ),
    otlpEndpoint: setting(
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      z.url().default('http://127.0.0.1:4318'),
      'Base URL of the OTLP/HTTP collector (an OpenTelemetry Collector, Jaeger, Tempo...); traces are posted to `<endpoint>/v1/traces`.',
    ),
    serviceName: setting(
      'OTEL_SERVICE_NAME',
      z.string().min(1).optional(),
      'service.name of the spans this process exports.',
      { defaultLabel: 'proofpath-<command> (e.g. proofpath-worker)' },
    ),
    workerMetricsPort: setting(
      'WORKER_METRICS_PORT',
      z.coerce.number().int().min(0).max(65535).default(9464),
      'Worker: port of its GET /metrics listener; 0 turns the listener off.',
    ),
    bridgeMetricsPort: setting(
      'BRIDGE_METRICS_PORT',
      z.coerce.number().int().min(0).max(65535).default(9465),
      'Bridge: port of its GET /metrics listener; 0 turns the listener off (and the decision metrics and lag it serves).',
    ),
  },
} as const;
