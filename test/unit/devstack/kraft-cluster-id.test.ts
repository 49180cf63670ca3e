// The KRaft cluster id the devstack formats Kafka's storage with: 16 random bytes in base64url, never starting with '-'
// (the storage tool's argument parser would take such an id for an option, and the stack would not start).
import { kraftClusterId } from '../../../src/devstack/services/kafka';

it('draws again when the id would start with a dash', () => {
  const draws = [Buffer.from([0xf8, ...Array(15).fill(1)]), Buffer.from([0x10, ...Array(15).fill(2)])];
  expect(draws[0]!.toString('base64url').startsWith('-')).toBe(true);
  const id = kraftClusterId(() => draws.shift()!);
  expect(id).toBe(Buffer.from([0x10, ...Array(15).fill(2)]).toString('base64url'));
});

it('is 22 base64url characters from 16 random bytes', () => {
  for (let i = 0; i < 200; i += 1) expect(kraftClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
});
