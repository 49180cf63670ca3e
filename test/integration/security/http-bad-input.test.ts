// Bad-input campaign over HTTP: hostile requests to the inference node, the facilitator and the verifier, each a real
// OS process. Every one is refused with a named reason (or Node's own 408/431), no process goes down, nothing is charged
// for a refusal, and a valid request sent after them is served. The counts per surface are printed and saved.
import fc from 'fast-check';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { createPayingClientFromConfig } from '../../../src/payments';
import { jobSignerFor } from '../../../src/verification';
import { craftPayment, encode, fetchRequirements } from '../payments/support/craft-payment';
import { realModels, validRows } from '../payments/support/payments-stack';
import { startEngineProcesses, type EngineProcesses } from './support/engine-processes';
import { rawRequest, slowLoris, type RawAnswer } from './support/raw-http';
import { createTally } from './support/tally';

const tally = createTally();
const OTHER_LOOPBACK = '127.0.0.2';

/** A refusal is a 4xx that names its reason in JSON; Node's own 408 and 431 carry no body and are named by status. */
function judge(answer: RawAnswer): { refused: boolean; reason: string } {
  const reason =
    typeof answer.body.reason === 'string'
      ? answer.body.reason
      : answer.status === 431 || answer.status === 408
        ? `http_${answer.status}`
        : '';
  return {
    refused: answer.status >= 400 && answer.status < 500 && reason !== '',
    reason:
      answer.status >= 500
        ? `${answer.status} ${answer.text.slice(0, 300)}`
        : reason || `status ${answer.status}: ${answer.text.slice(0, 80)}`,
  };
}

describe('bad input over HTTP to node, facilitator and verifier processes', () => {
  let engine: EngineProcesses;
  let inferUrl: string;
  let rows: number[][];
  let modelId: string;
  const payerKey = () => engine.payerKeys[3]!;
  const payer = () => privateKeyToAccount(payerKey()).address;
  const sign = (body: string, key = engine.config.keys.payer, now?: () => number) => jobSignerFor(key, now)(body);

  async function hostile(
    surface: string,
    input: string,
    send: () => Promise<RawAnswer>,
    expected?: { status: number; reason?: string },
  ) {
    const answer = await send();
    const verdict = judge(answer);
    tally.record(surface, input, verdict);
    expect({ input, ...verdict }).toEqual({ input, refused: true, reason: expected?.reason ?? verdict.reason });
    if (expected) expect({ input, status: answer.status }).toEqual({ input, status: expected.status });
    return answer;
  }

  beforeAll(async () => {
    engine = await startEngineProcesses();
    const models = await realModels();
    modelId = models.describe('supplier-risk').id;
    rows = validRows(models, 'supplier-risk');
    inferUrl = `${engine.urls.node}/v1/models/${modelId}/infer`;
  }, 180_000);

  afterAll(async () => {
    console.log(`bad-input campaign (HTTP)\n${tally.table()}`);
    if (process.env.BAD_INPUT_COUNTS_FILE) tally.save(process.env.BAD_INPUT_COUNTS_FILE);
    await engine?.close();
  });

  const json = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    rawRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });

  it('node: refuses oversized, malformed, deeply nested, invalid UTF-8, forged, expired, other-domain and replayed requests; then serves a paid one', async () => {
    const balances = () => Promise.all([engine.balanceOf(payer()), engine.balanceOf(engine.deployment.token.address)]);
    const before = await balances();
    const s = 'node x402';
    await hostile(s, '400 kB body', () => json(inferUrl, { rows: [Array.from({ length: 100_000 }, () => 1.5)] }), {
      status: 413,
      reason: 'body_too_large',
    });
    await hostile(s, 'truncated JSON', () => json(inferUrl, '{"rows": ['), { status: 400, reason: 'malformed_body' });
    await hostile(
      s,
      'invalid UTF-8',
      () => json(inferUrl, Buffer.from([0x7b, 0x22, 0x72, 0xff, 0xfe, 0x22, 0x3a, 0x5b, 0x5d, 0x7d])),
      { status: 400 },
    );
    await hostile(s, '50,000-deep nesting', () =>
      json(inferUrl, `{"rows":${'['.repeat(50_000)}${']'.repeat(50_000)}}`),
    );
    await hostile(s, 'rows of strings', () => json(inferUrl, { rows: [['a', 'b']] }, { 'payment-signature': 'x' }));
    await hostile(s, 'unknown model', () => json(`${engine.urls.node}/v1/models/${'0'.repeat(64)}/infer`, { rows }), {
      status: 404,
      reason: 'unknown_model',
    });
    await hostile(
      s,
      'payment header not base64 JSON',
      () => json(inferUrl, { rows }, { 'payment-signature': '%%%not-base64%%%' }),
      { status: 400, reason: 'malformed_payment_header' },
    );
    await hostile(s, 'unpaid', () => json(inferUrl, { rows }), { status: 402, reason: 'payment_required' });
    const required = await fetchRequirements(inferUrl, { rows });
    const crafted = (idempotencyKey: string, options: Partial<Parameters<typeof craftPayment>[0]> = {}) =>
      craftPayment({ required, payerKey: payerKey(), idempotencyKey, ...options }).then(encode);
    await hostile(
      s,
      'forged signature',
      async () =>
        json(
          inferUrl,
          { rows },
          {
            'payment-signature': await crafted('forged', {
              tamper: (p) => ({ ...p, payload: { ...p.payload, signature: `0x${'ab'.repeat(65)}` } }),
            }),
          },
        ),
      { status: 402 },
    );
    await hostile(
      s,
      'signed by a key without funds',
      async () =>
        json(
          inferUrl,
          { rows },
          {
            'payment-signature': encode(
              await craftPayment({ required, payerKey: generatePrivateKey(), idempotencyKey: 'poor' }),
            ),
          },
        ),
      { status: 402 },
    );
    await hostile(
      s,
      'expired authorization',
      async () =>
        json(
          inferUrl,
          { rows },
          { 'payment-signature': await crafted('expired', { issuedAt: Date.now() - 3_600_000 }) },
        ),
      { status: 402 },
    );
    await hostile(
      s,
      'other chain (domain)',
      async () =>
        json(
          inferUrl,
          { rows },
          { 'payment-signature': await crafted('chain', { sign: (r) => ({ ...r, network: 'eip155:8453' }) }) },
        ),
      { status: 402, reason: 'payment_network_mismatch' },
    );
    await hostile(
      s,
      'other token (domain)',
      async () =>
        json(
          inferUrl,
          { rows },
          {
            'payment-signature': await crafted('asset', {
              sign: (r) => ({ ...r, asset: engine.deployment.registry.address }),
            }),
          },
        ),
      { status: 402, reason: 'payment_asset_mismatch' },
    );
    await hostile(
      s,
      'underpaid',
      async () =>
        json(
          inferUrl,
          { rows },
          { 'payment-signature': await crafted('cheap', { sign: (r) => ({ ...r, amount: '1' }) }) },
        ),
      { status: 402, reason: 'payment_amount_mismatch' },
    );
    await expect(balances()).resolves.toEqual(before);

    // A valid payment goes through, and the same authorization presented again with other rows is a replay.
    const client = createPayingClientFromConfig(engine.config, { privateKey: payerKey() });
    const issuedAt = Date.now();
    const paid = await client.payAndInfer({
      nodeUrl: engine.urls.node,
      modelId,
      rows,
      idempotencyKey: 'valid-after-hostile',
      issuedAt,
    });
    expect(paid.receipt.receiptId).toMatch(/\S/);
    const again = await craftPayment({
      required,
      payerKey: payerKey(),
      idempotencyKey: 'valid-after-hostile',
      issuedAt,
    });
    await hostile(
      s,
      'replayed authorization, other rows',
      () => json(inferUrl, { rows: [rows[0]!.map((v) => v + 0.01)] }, { 'payment-signature': encode(again) }),
      { status: 402, reason: 'payment_replayed' },
    );
    expect(engine.alive()).toEqual({ node: true, facilitator: true, verifier: true });
  }, 120_000);

  it('node: any JSON body with any printable payment header gets a 4xx and a reason, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.json({ maxDepth: 4 }), fc.constant(JSON.stringify({ rows: [[0.5, 0.5]] }))),
        fc.string({ unit: 'grapheme-ascii', maxLength: 300 }),
        async (body, header) => {
          await hostile('node x402 (property)', `${body.slice(0, 40)} / ${header.slice(0, 20)}`, () =>
            json(inferUrl, body, header.trim() ? { 'payment-signature': header.trim() } : {}),
          );
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('facilitator: refuses oversized, malformed, unsupported and forged payments; then verifies a valid one', async () => {
    const s = 'facilitator';
    const verify = `${engine.urls.facilitator}/verify`;
    const settle = `${engine.urls.facilitator}/settle`;
    await hostile(s, '100 kB body', () => json(verify, { paymentPayload: 'x'.repeat(100_000) }), {
      status: 413,
      reason: 'body_too_large',
    });
    await hostile(s, 'truncated JSON', () => json(verify, '{"paymentPayload":'), { status: 400 });
    await hostile(s, 'missing fields', () => json(settle, {}), { status: 400, reason: 'malformed_request' });
    await hostile(s, 'wrong types', () => json(verify, { paymentPayload: 42, paymentRequirements: [] }), {
      status: 400,
      reason: 'malformed_request',
    });
    const required = await fetchRequirements(inferUrl, { rows });
    const payment = (idempotencyKey: string, options: Partial<Parameters<typeof craftPayment>[0]> = {}) =>
      craftPayment({ required, payerKey: payerKey(), idempotencyKey, ...options });
    const other = await payment('f-chain', { sign: (r) => ({ ...r, network: 'eip155:8453' }) });
    await hostile(
      s,
      'other chain',
      () => json(verify, { paymentPayload: other, paymentRequirements: other.accepted }),
      { status: 400, reason: 'unsupported_scheme_network' },
    );
    // x402: an invalid payment is a normal answer (200, isValid false, invalidReason); counted as refused by its reason.
    const invalid = async (input: string, p: Awaited<ReturnType<typeof payment>>) => {
      const answer = await json(verify, { paymentPayload: p, paymentRequirements: required.accepts[0] });
      const refused =
        answer.status === 200 && answer.body.isValid === false && typeof answer.body.invalidReason === 'string';
      tally.record(s, input, { refused, reason: String(answer.body.invalidReason ?? answer.text.slice(0, 80)) });
      expect({ input, refused }).toEqual({ input, refused: true });
    };
    await invalid(
      'forged signature',
      await payment('f-forged', {
        tamper: (p) => ({ ...p, payload: { ...p.payload, signature: `0x${'cd'.repeat(65)}` } }),
      }),
    );
    await invalid('expired', await payment('f-expired', { issuedAt: Date.now() - 3_600_000 }));
    await invalid(
      'payer without funds',
      await craftPayment({ required, payerKey: generatePrivateKey(), idempotencyKey: 'f-poor' }),
    );
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        await hostile(
          'facilitator (property)',
          JSON.stringify(value).slice(0, 40),
          () => json(verify, { paymentPayload: value, paymentRequirements: value }),
          { status: 400 },
        );
      }),
      { numRuns: 60 },
    );
    const valid = await payment('f-valid');
    const answer = await json(verify, { paymentPayload: valid, paymentRequirements: required.accepts[0] });
    expect(answer.body).toMatchObject({ isValid: true });
  }, 120_000);

  it('verifier: refuses unsigned, forged, tampered, stale, oversized and invalid jobs; then runs a signed one once', async () => {
    const s = 'verifier jobs';
    const jobs = `${engine.urls.verifier}/v1/jobs`;
    const client = createPayingClientFromConfig(engine.config, { privateKey: engine.payerKeys[4]! });
    const paid = await client.payAndInfer({
      nodeUrl: engine.urls.node,
      modelId,
      rows,
      idempotencyKey: 'verifier-valid',
      issuedAt: Date.now(),
    });
    const job = JSON.stringify({
      receiptId: paid.receipt.receiptId,
      decisionId: 'security-campaign',
      nodeUrl: engine.urls.node,
      rows,
      outputs: paid.outputs,
    });
    await hostile(s, 'unsigned', () => json(jobs, job), { status: 401, reason: 'job_unsigned' });
    await hostile(s, 'signed by another key', async () => json(jobs, job, await sign(job, generatePrivateKey())), {
      status: 403,
      reason: 'job_submitter_unknown',
    });
    await hostile(s, 'signed by the node key', async () => json(jobs, job, await sign(job, engine.config.keys.node)), {
      status: 403,
      reason: 'job_submitter_unknown',
    });
    await hostile(
      s,
      'body changed after signing',
      async () => json(jobs, job.replace('security-campaign', 'someone-else'), await sign(job)),
      { status: 403, reason: 'job_submitter_unknown' },
    );
    await hostile(
      s,
      'signed 2 minutes ago (replay)',
      async () => json(jobs, job, await sign(job, undefined, () => Date.now() - 120_000)),
      { status: 401, reason: 'job_stale' },
    );
    await hostile(
      s,
      'signed 2 minutes ahead',
      async () => json(jobs, job, await sign(job, undefined, () => Date.now() + 120_000)),
      { status: 401, reason: 'job_stale' },
    );
    const big = JSON.stringify({
      receiptId: 'big',
      nodeUrl: engine.urls.node,
      rows: [Array.from({ length: 100_000 }, () => 1.5)],
    });
    await hostile(s, '400 kB body', async () => json(jobs, big, await sign(big)), {
      status: 413,
      reason: 'body_too_large',
    });
    const bad = [
      '{"receiptId":',
      '[]',
      '{"receiptId":"r","nodeUrl":"not a url"}',
      `{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
    ];
    for (const body of bad)
      await hostile(s, `signed, invalid: ${body.slice(0, 30)}`, async () => json(jobs, body, await sign(body)), {
        status: 400,
        reason: 'job_invalid',
      });
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        const body = JSON.stringify(value);
        await hostile('verifier jobs (property)', body.slice(0, 40), async () => json(jobs, body, await sign(body)), {
          status: 400,
          reason: 'job_invalid',
        });
      }),
      { numRuns: 60 },
    );

    const headers = await sign(job);
    expect((await json(jobs, job, headers)).status).toBe(202);
    const deadline = Date.now() + 150_000;
    let verdict: RawAnswer | undefined;
    while (Date.now() < deadline) {
      verdict = await rawRequest(`${engine.urls.verifier}/v1/verdicts/${paid.receipt.receiptId}`);
      if (verdict.status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(verdict).toMatchObject({ status: 200, body: { receiptId: paid.receipt.receiptId, verified: true } });
    // The same signed request again, inside its window: absorbed by the receipt id, no second job.
    const replay = await json(jobs, job, headers);
    expect(replay).toMatchObject({ status: 202, body: { status: 'done' } });
    tally.record(s, 'signed job replayed in its window', {
      refused: replay.body.status === 'done',
      reason: 'absorbed_by_receipt_id',
    });
  }, 240_000);

  it('all three: refuse oversized heads (431) and slow-loris clients (408), and throttle a flooding address (429) while others are served', async () => {
    const bodyPaths = { node: new URL(inferUrl).pathname, facilitator: '/verify', verifier: '/v1/jobs' };
    for (const [name, url] of Object.entries(engine.urls) as Array<[keyof typeof bodyPaths, string]>) {
      const surface = `${name} transport`;
      await hostile(
        surface,
        '16 kB header',
        () => rawRequest(`${url}/healthz`, { headers: { 'x-padding': 'a'.repeat(16_384) } }),
        { status: 431, reason: 'http_431' },
      );
      const heads = await slowLoris(`${url}/healthz`, { everyMs: 300, giveUpMs: 10_000 });
      tally.record(surface, 'slow-loris head', {
        refused: heads.status === 408 && heads.heldMs < 4_000,
        reason: `http_${heads.status}`,
      });
      expect({ url, ...heads, quick: heads.heldMs < 4_000 }).toMatchObject({ status: 408, quick: true });
      const body = await slowLoris(`${url}${bodyPaths[name]}`, { everyMs: 300, giveUpMs: 12_000, trickleBody: true });
      tally.record(surface, 'slow body', {
        refused: body.status === 408 && body.heldMs < 7_000,
        reason: `http_${body.status}`,
      });
      expect({ url, ...body, quick: body.heldMs < 7_000 }).toMatchObject({ status: 408, quick: true });

      const flood = await Promise.all(
        Array.from({ length: 600 }, () => rawRequest(`${url}/healthz`, { localAddress: OTHER_LOOPBACK })),
      );
      const limited = flood.filter((a) => a.status === 429 && a.body.reason === 'rate_limited').length;
      for (const answer of flood)
        if (answer.status === 429) tally.record(surface, 'request beyond the burst (flood of 600)', judge(answer));
      expect(limited).toBeGreaterThanOrEqual(150);
      expect((await rawRequest(`${url}/healthz`)).status).toBe(200);
    }
    expect(engine.alive()).toEqual({ node: true, facilitator: true, verifier: true });
  }, 120_000);

  it('no process logged any configured private key, even at debug level', () => {
    const logs = engine.logs();
    for (const [name, text] of Object.entries(logs)) {
      expect(text.length).toBeGreaterThan(500);
      for (const secret of engine.secrets) {
        const hex = secret.slice(2).toLowerCase();
        expect({ process: name, leaked: text.toLowerCase().includes(hex) }).toEqual({ process: name, leaked: false });
      }
    }
  });
});
