// Which Temporal failures send an event to the dead-letter topic (the message itself is refused) and which are retried.
import { isPermanentTemporalRejection } from '../../../src/kafka/bridge';
import { clip } from '../../../src/decisions/starter';

const grpc = (code: number) => Object.assign(new Error(`grpc status ${code}`), { code });

describe('bridge error classification', () => {
  it('dead-letters what Temporal refuses for the message itself (INVALID_ARGUMENT, OUT_OF_RANGE), also when wrapped', () => {
    expect(isPermanentTemporalRejection(grpc(3))).toBe(true);
    expect(isPermanentTemporalRejection(grpc(11))).toBe(true);
    expect(isPermanentTemporalRejection(new Error('start failed', { cause: grpc(3) }))).toBe(true);
  });

  it('retries everything else: Temporal down or overloaded, misconfiguration, unknown errors', () => {
    for (const code of [2, 4, 5, 7, 8, 13, 14]) expect(isPermanentTemporalRejection(grpc(code))).toBe(false);
    expect(isPermanentTemporalRejection(new Error('socket hang up'))).toBe(false);
    expect(isPermanentTemporalRejection(undefined)).toBe(false);
  });

  it('clips UI texts that come from the event so Temporal does not refuse the start', () => {
    expect(clip('short', 10)).toBe('short');
    const clipped = clip('x'.repeat(500), 180);
    expect(clipped).toHaveLength(180);
    expect(clipped.endsWith('…')).toBe(true);
  });
});
