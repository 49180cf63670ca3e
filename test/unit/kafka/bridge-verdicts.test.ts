// The bridge's verdict gate on an in-memory Kafka: it checks each verdict's signature with libsecp256k1 (not the
// workflow's noble), delivers the verifier's own verdicts and dead-letters forged ones with the refusal reason.
import type { EachMessagePayload, Kafka, ProducerRecord } from 'kafkajs';
import pino from 'pino';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { loadConfig } from '../../../src/config';
import type { Verdict } from '../../../src/contracts/verdict';
import type { DecisionStarter } from '../../../src/decisions/starter';
import { startBridge } from '../../../src/kafka/bridge';
import { recoverAddressFromDigest } from '../../../src/signatures';
import { verdictSignerFor } from '../../../src/verification';

jest.mock('../../../src/signatures', () => {
  const actual = jest.requireActual('../../../src/signatures');
  return { ...actual, recoverAddressFromDigest: jest.fn(actual.recoverAddressFromDigest) };
});

const verifierKey = generatePrivateKey();
const config = loadConfig(
  {
    PROOFPATH_MODE: 'production',
    PAYMENT_TOKEN_ADDRESS: '0x0000000000000000000000000000000000000001',
    SETTLEMENT_REGISTRY_ADDRESS: '0x0000000000000000000000000000000000000002',
    VERDICT_SIGNERS: privateKeyToAccount(verifierKey).address,
  },
  { keyRoles: [] },
);

/** Just enough of kafkajs for the bridge: consumers whose handler the test calls, a producer that records sends. */
function buildKafka() {
  const handlers = new Map<string, (payload: EachMessagePayload) => Promise<void>>();
  const sent: ProducerRecord[] = [];
  const kafka = {
    consumer: ({ groupId }: { groupId: string }) => ({
      connect: async () => {},
      subscribe: async () => {},
      disconnect: async () => {},
      commitOffsets: async () => {},
      events: { CRASH: 'consumer.crash' },
      on: () => () => {},
      run: async ({ eachMessage }: { eachMessage: (payload: EachMessagePayload) => Promise<void> }) => {
        handlers.set(groupId, eachMessage);
      },
    }),
    producer: () => ({
      connect: async () => {},
      disconnect: async () => {},
      send: async (record: ProducerRecord) => {
        sent.push(record);
        return [];
      },
    }),
  } as unknown as Kafka;
  let offset = 0;
  const deliverVerdict = (verdict: Verdict) =>
    handlers.get(`${config.kafka.bridgeGroupId}-verdicts`)!({
      topic: config.kafka.verdictsTopic,
      partition: 0,
      message: { key: null, value: Buffer.from(JSON.stringify(verdict)), offset: String(offset++), headers: {} },
    } as unknown as EachMessagePayload);
  const deadLetterReasons = () =>
    sent.filter((r) => r.topic === config.kafka.deadLetterTopic).map((r) => r.messages[0]!.headers!['dlq-reason']);
  return { kafka, deliverVerdict, deadLetterReasons };
}

function buildVerdict(overrides: Partial<Verdict> = {}): Verdict {
  const pass = { status: 'pass' as const };
  return {
    receiptId: '0x' + 'ab'.repeat(32),
    decisionId: 'procurement-REQ-1',
    checks: { attestation: pass, proof: pass, reexecution: pass },
    verified: true,
    verifiedAt: '2026-12-03T08:00:00.000Z',
    ...overrides,
  };
}

describe('the bridge’s verdict gate', () => {
  it('delivers the verifier’s verdict and dead-letters forgeries, checking signatures with libsecp256k1', async () => {
    const { kafka, deliverVerdict, deadLetterReasons } = buildKafka();
    const delivered: Verdict[] = [];
    const starter = {
      deliverVerdict: async (_decisionId: string, verdict: Verdict) => {
        delivered.push(verdict);
        return true;
      },
    } as unknown as DecisionStarter;
    const bridge = await startBridge({ config, logger: pino({ level: 'silent' }), kafka, starter });
    try {
      const genuine = await verdictSignerFor(verifierKey)(buildVerdict());
      const byForger = await verdictSignerFor(generatePrivateKey())(buildVerdict());
      await deliverVerdict({ ...byForger, signer: genuine.signer });
      await deliverVerdict({ ...genuine, verifiedAt: '2026-12-03T08:00:01.000Z' });
      await deliverVerdict(byForger);
      await deliverVerdict(genuine);

      expect(deadLetterReasons()).toEqual([
        'verdict_signature_invalid',
        'verdict_signature_invalid',
        'verdict_signer_unknown',
      ]);
      expect(delivered).toEqual([genuine]);
      expect(jest.mocked(recoverAddressFromDigest)).toHaveBeenCalledTimes(4);
    } finally {
      await bridge.stop();
    }
  });
});
