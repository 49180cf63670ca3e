// Verification jobs are accepted only when signed by a configured submitter, over these exact bytes, recently.
import fc from 'fast-check';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { checkJobSignature, jobSignerFor, JOB_SIGNATURE_HEADER, JOB_TIMESTAMP_HEADER } from '../../../src/verification';

const engineKey = generatePrivateKey();
const engine = privateKeyToAccount(engineKey).address;
const body = JSON.stringify({ receiptId: 'r-1', nodeUrl: 'http://127.0.0.1:8402', decisionId: 'procurement-1' });

async function check(headers: Record<string, string | undefined>, bytes: string = body, now = 1_000_000) {
  return checkJobSignature({
    body: Buffer.from(bytes),
    signature: headers[JOB_SIGNATURE_HEADER],
    timestamp: headers[JOB_TIMESTAMP_HEADER],
    submitters: [engine],
    maxAgeMs: 60_000,
    now,
  });
}

describe('job signatures', () => {
  const signed = () => jobSignerFor(engineKey, () => 1_000_000)(body);

  it('accepts a job signed by the engine within the window', async () => {
    await expect(check(await signed())).resolves.toEqual({ ok: true, submitter: engine });
  });

  it('refuses an unsigned job', async () => {
    await expect(check({})).resolves.toMatchObject({ ok: false, status: 401, reason: 'job_unsigned' });
  });

  it('refuses a job signed by another key', async () => {
    const forged = await jobSignerFor(generatePrivateKey(), () => 1_000_000)(body);
    await expect(check(forged)).resolves.toMatchObject({ ok: false, status: 403, reason: 'job_submitter_unknown' });
  });

  it('refuses a signed job whose body was changed', async () => {
    await expect(check(await signed(), body.replace('r-1', 'r-2'))).resolves.toMatchObject({
      ok: false,
      status: 403,
      reason: 'job_submitter_unknown',
    });
  });

  it('refuses a replay after the window, and a timestamp from the future', async () => {
    await expect(check(await signed(), body, 1_000_000 + 60_001)).resolves.toMatchObject({ reason: 'job_stale' });
    await expect(check(await signed(), body, 1_000_000 - 60_001)).resolves.toMatchObject({ reason: 'job_stale' });
  });

  it('refuses a signature moved to another timestamp', async () => {
    const headers = await signed();
    await expect(check({ ...headers, [JOB_TIMESTAMP_HEADER]: '1000001' })).resolves.toMatchObject({
      ok: false,
      reason: 'job_submitter_unknown',
    });
  });

  it('refuses a well-formed signature that recovers to no key as invalid, not as an unknown submitter', async () => {
    const headers = await signed();
    const v29 = `${headers[JOB_SIGNATURE_HEADER]!.slice(0, 130)}1d`;
    await expect(check({ ...headers, [JOB_SIGNATURE_HEADER]: v29 })).resolves.toMatchObject({
      ok: false,
      status: 401,
      reason: 'job_signature_invalid',
    });
  });

  it('accepts the same signature with v written as y-parity (0/1), as viem did', async () => {
    const headers = await signed();
    const signature = headers[JOB_SIGNATURE_HEADER]!;
    const parity = signature.endsWith('1b') ? '00' : '01';
    await expect(check({ ...headers, [JOB_SIGNATURE_HEADER]: `${signature.slice(0, 130)}${parity}` })).resolves.toEqual(
      { ok: true, submitter: engine },
    );
  });

  it('refuses, never throws, on arbitrary header values', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.string({ maxLength: 200 })),
        fc.option(fc.oneof(fc.string({ maxLength: 30 }), fc.nat().map(String))),
        async (signature, timestamp) => {
          const result = await check({
            [JOB_SIGNATURE_HEADER]: signature ?? undefined,
            [JOB_TIMESTAMP_HEADER]: timestamp ?? undefined,
          });
          return !result.ok && typeof result.message === 'string' && [401, 403].includes(result.status);
        },
      ),
      { numRuns: 200 },
    );
  });
});
