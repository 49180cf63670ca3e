// Each speed-up made for issue 13 with its measured effect (before/after, same run conditions), carried into the report.
// Quick end-to-end runs (baseline + deferred lanes, 2-core machine shared with four other engineers' test runs, load
// average 13-18 throughout): absolute times are dominated by that load; compare the rows with each other.
export const CHANGES: Array<{ change: string; before: string; after: string }> = [
  {
    change:
      "Groth16 proving moved from the node's event loop to a child process (src/verification/proof/prover-process.ts); measured on one 3-row supplier-risk proof, 5 in a row",
    before: 'event-loop stall up to 140 ms (p99 120 ms); 664 ms of main-thread CPU per proof',
    after: "event-loop stall up to 24 ms (p99 20 ms, the machine's own noise); 17 ms of main-thread CPU per proof",
  },
  {
    change: 'same change, quick end-to-end run (deferred lane)',
    before:
      'fast path p50 7.9 s / p99 8.8 s (2.72x / 2.38x baseline); time to verdict p50 11.3 s / p99 22.3 s; node CPU 58 s',
    after:
      'fast path p50 15.9 s / p99 21.9 s (6.41x / 6.56x baseline); time to verdict p50 7.4 s / p99 8.8 s; node + prover CPU 28 s',
  },
  {
    change: 'prover process at nice 19: proofs take only the CPU the fast path leaves',
    before: 'fast path p50 15.9 s / p99 21.9 s (6.41x / 6.56x baseline); time to verdict p99 8.8 s',
    after: 'fast path p50 7.0 s / p99 10.1 s (2.28x / 2.13x baseline); time to verdict p50 6.5 s / p99 8.2 s',
  },
  {
    change:
      'x402 verify ECDSA recovery (not changed): viem recoverAddress over @noble/curves 1.9.7; secp256k1.utils.precompute(8) tried',
    before: '6.8 ms per recovery (300 recoveries, loaded machine; 2.2 ms measured earlier on a quieter one)',
    after:
      '7.8 ms with precompute(8): no gain (the base point is already precomputed; recovery also multiplies R, which cannot be)',
  },
  {
    change:
      "Paying client caches the node's x402 offer per (node, model): the payment goes with the first request (a 402 offering something else replaces the cached offer and is paid once more, same nonce); payments section, payAndInfer in turns with and without a known offer, 50 each, load average 15-46",
    before: 'p50 62.5 ms / p99 515 ms (402 round trip, then sign and pay)',
    after:
      'p50 47.2 ms / p99 272 ms (sign and pay): one HTTP round trip and the 402 handling less per paid inference, two per decision',
  },
  {
    change:
      'Verifier lowers its own CPU priority (VERIFIER_NICE, default 10); quick e2e runs, baseline and deferred in turns, VERIFIER_NICE=0 then 10',
    before:
      'fast path 3.69x / 6.69x baseline (p50 / p99), throughput 0.50x, max verdict backlog 3; load average 11-19 (two decisions lost 30 s to a payAndInfer attempt that timed out and was retried)',
    after:
      'fast path 2.77x / 8.73x baseline, throughput 0.73x, max verdict backlog 4; load average 19-40. Inconclusive at this load: 8 decisions per lane, and one run had two 30 s retries',
  },
  {
    change:
      "bench runs on a fresh chain of its own (bench/chain.ts: anvil with the devstack's flags, empty state), not on the shared dev chain: anvil recomputes its state root over every account for every block, and the dev chain had 4,096 accounts, 1,392 contracts and 64,565 storage slots from months of test runs (20 transfers: 1.95 CPU s on it, 0.03 s on a fresh chain; the same state without its block history: 2.08 s, so it is the state, not the blocks)",
    before:
      'quick deferred lane alone (17:16): anvil 633 ms CPU per decision, 1.04 acted/s; full run 14:24: throughput 0.35x, facilitator settle 220 ms p50, paid individual request 232 ms, settlement backlog of 110 deferred answers 24.6 s',
    after:
      'quick deferred lane alone (17:22): anvil 25 ms per decision, 1.68 acted/s; full run 17:52: throughput 0.51x, facilitator settle 47 ms, paid individual request 40 ms, backlog 4.3 s',
  },
  {
    change:
      "workflow threads share the verdict-signature check and the @noble modules it imports (the SDK's preloadModules, src/worker/create-worker.ts) instead of evaluating them per workflow: noble rebuilt its secp256k1 base-point tables for each decision's verdict check",
    before:
      'quick baseline lane, workflow thread CPU profiled: 363 ms per decision, 95 ms of it secp256k1 arithmetic (25 decisions)',
    after: 'same lane and profile: 141 ms per decision, 11 ms of it secp256k1 arithmetic (45 decisions)',
  },
  {
    change:
      "verifier's and prover's nice applied to every thread (src/cli/process-priority.ts): on Linux a nice value is per thread, and the threads Node starts before the process's code (V8's helpers, the module loader) stayed at 0",
    before: 'per decision at nice 0 (quick deferred lane): verifier 76 ms, prover process 35 ms',
    after: 'none of their threads at nice 0 (unit tests read every thread from /proc)',
  },
  {
    change:
      "prover process proves on a single-thread BN254 curve (src/verification/proof/prover-process.ts): ffjavascript's worker threads cost more than they share on circuits of 562-1,682 constraints; 20 one-row proofs per model in the prover process",
    before: 'prover CPU per proof 126 / 187 / 176 ms (supplier-risk, lane-eta, demand-forecast), threaded curve',
    after:
      '89 / 133 / 120 ms: about 160 ms less per procurement decision (1 forecast + 3 supplier rows); wall time per proof about the same (85 / 129 / 119 ms)',
  },
  {
    change:
      "native Groth16 prover (native/groth16-prover: Rust over arkworks BN254, built once per machine by stack up; PROVER_BACKEND=auto): the prover process still computes the witness with circom's runtime, the native process proves on snarkjs' zkey; zeros and ones of the witness (788 of 837 signals on supplier-risk) are added, not multiplied. Same run (03:14), same prover process at nice 19, 30 one-row proofs per model",
    before:
      'snarkjs (single-thread curve): prover CPU per proof 83 / 136 / 129 ms (supplier-risk, lane-eta, demand-forecast)',
    after:
      'native: 20 / 32 / 35 ms; full e2e run: the prover process 100 ms per decision at load against 451 ms (18:10), time to verdict p99 over the load steps 7.9 s against 11.4 s',
  },
  {
    change:
      "verifier checks proofs on a single-thread BN254 curve (src/verification/proof/bn254-curve.ts, installed by the verifier command) and recovers each receipt's signer once per job",
    before:
      'Groth16 verification 26.9 ms of CPU (threaded curve, 50 verifications of a supplier-risk proof); verifier 237 ms per decision at load (18:10 run)',
    after:
      '13.7 ms of CPU per verification; verifier 110 ms per decision at load (03:14 run, together with the native prover, whose proofs it polls for less)',
  },
  {
    change:
      "bench: a step's acted rate counted between its first and last act (bench/e2e/load.ts; measurement, not speed)",
    before:
      "acted over first send to last act: a lane's latency counted once per step as lost throughput; two runs 6 minutes apart 0.76x and 0.58x",
    after: "the lane's completion rate; throughput 0.72x, 0.74x and 0.60x in the next runs",
  },
  {
    change:
      'bench: a step counts at the lower of its acted and verdict rates, and verification falling behind saturates the lane (judgeStep in bench/e2e/load.ts; measurement, not speed)',
    before: 'sustained = best acted rate, though at the saturated step the verdict backlog grew (17 awaiting, rising)',
    after: 'sustained = best completed rate (acted and judged); 07:21: 0.52x completed, 0.58x fast path only, same run',
  },
  {
    change:
      'the verifier long-polls the node for a proof (GET /v1/receipts/:id/proof?waitMs=, VERIFY_PROOF_WAIT_MS 10 s)',
    before: 'a poll every 250 ms while a proof waits (about ten per receipt at a 2.8 s time to verdict)',
    after:
      'one held request per proof; node 82 -> 76 ms and verifier 110 -> 111 ms per decision at load (within noise)',
  },
  {
    change:
      'the verifier checks Groth16 proofs with the native binary (native/groth16-prover/src/verify.rs, VERIFY_PROOF_BACKEND=auto; first answer per key checked against snarkjs)',
    before:
      'snarkjs on a single-thread curve: 11.7-13.5 ms of CPU per proof check; verifier 111 ms per decision at load (07:21)',
    after:
      'native: 1.8-2.2 ms of CPU per proof check (snarkjs 10.6-13.5) (12:06 unit costs); verifier 47 ms per decision at load (12:06, with the row below)',
  },
  {
    change:
      'our own secp256k1 signing and recovery on libsecp256k1 (tiny-secp256k1, WebAssembly; src/signatures): receipt signing and recovery, job signatures, verdict signing, the bridge verdict check, channel and escrow signatures',
    before: 'noble (pure JS): recover 1.86 ms, sign 0.54 ms',
    after:
      'recover 0.35 ms, sign 0.16 ms, byte-identical signatures; bridge 43 -> 37 ms per decision at load (07:21 -> 12:06)',
  },
  {
    change:
      "native prover: the key's H points kept with their 12-bit window shifts (native/groth16-prover/src/fixed_base.rs), one round of signed-digit bucket additions per proof",
    before:
      'H multi-exponentiation 13-14 ms; native proof CPU 20 / 32 / 35 ms (03:14); prover 98 ms per decision at load (07:21)',
    after: 'H 7.8 ms; 15 / 24 / 25 ms (12:06); prover 71 ms per decision at load (12:06)',
  },
  {
    change:
      "the engine's outgoing HTTP on undici's request API (src/http-client leanFetch, one keep-alive pool per process): viem's JSON-RPC transports (settlements, commitments, receipt polls, the node's payment-verify reads), the traced calls between worker, node, verifier and facilitator, the ERP/TMS clients; and the node's receipt digest computed once per answer instead of twice",
    before:
      "Node 20's global fetch: 0.95 ms of CPU per JSON-RPC read to anvil (2,000 calls); at 12:54 node 66, facilitator 46, verifier 44 ms per decision at load",
    after:
      "0.28-0.32 ms per call (same loop); 14:59 / 15:04 full runs: node 63 / 59, facilitator 45 / 39, verifier 49 / 45 ms per decision at load, within the machine's run-to-run swing (the baseline total moved 361 -> 508 / 446 ms on its own); throughput 0.69x / 0.79x, deferred lane 2.72 / 2.98 completed/s against 2.99 at 12:54: the ratio moved with the baseline, not the deferred lane",
  },
  {
    change:
      "x402's in-process verify in a worker thread of the node, so that its ~2 ms of pure-JS ECDSA recovery runs beside the event loop while the model runs and the receipt is signed (tried, not kept); payments section, same code otherwise, runs back to back",
    before: 'on the event loop (PAYMENT_VERIFY_THREAD=false): paid/unpaid 3.1x, verify as the node sees it 4.9 ms',
    after:
      'in a thread: 3.4x and 3.4x, verify 6.7 and 7.2 ms: on two busy cores the thread competes with the event loop, anvil and the facilitator instead of overlapping, and adds two message hops; removed',
  },
  {
    change:
      "x402's verifyECDSA on libsecp256k1 (tiny-secp256k1) instead of viem's pure-JS recovery, measured with a temporary edit of @x402/evm's compiled exact facilitator in node_modules and removed after (not kept: changing the package is the lead's decision); payments section, ten runs alternating without and with it, 2026-12-04 17:18-17:46",
    before:
      'paid deferred / unpaid 3.12x, 3.12x, 3.27x, 3.36x, 2.96x (median 3.12x); paid minus unpaid median 3.94 ms; x402 verify in process, isolated, median 3.02 ms',
    after:
      'paid deferred / unpaid 2.52x, 2.51x, 2.47x, 2.47x, 2.31x (median 2.47x); paid minus unpaid median 2.49 ms (two pairs, where the machine slowed the run with it, unchanged); verify isolated median 1.72 ms',
  },
  {
    change:
      'native prover: the H buckets summed in affine coordinates, pairwise in rounds sharing one batched field inversion (native/groth16-prover/src/fixed_base.rs sum_segments_affine), instead of projective-plus-affine additions; npm run bench -- verification, three runs of each binary, 2026-12-04 18:19-18:21',
    before:
      'a 1,024-point H MSM 9.9-10.2 ms (timing loop, beside a CI run); prover CPU per one-row proof 15 / 28 / 25 ms (supplier-risk / lane-eta / demand-forecast, medians)',
    after:
      '5.9-6.1 ms (same loop); 13 / 20 / 20 ms: about 11 ms of prover CPU less per procurement decision; the prover process at load 67 / 62 ms per decision in the 18:21 / 18:26 full runs, against 70-80 in the afternoon runs',
  },
];
