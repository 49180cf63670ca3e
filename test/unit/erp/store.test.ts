// The single-writer store over the JSONL journal: one effect under concurrency, replay, torn lines, key replay.
import fs from 'node:fs';
import path from 'node:path';
import { ReservePurchaseOrderRequestSchema } from '../../../src/contracts/back-office';
import { JournalCorruptError, journalFileOf, openBackOfficeStore } from '../../../src/back-office';
import { reservePurchaseOrder } from '../../../src/back-office/erp-rules';
import type { Mutation } from '../../../src/back-office/store';
import { testLogger } from '../../support/test-config';
import { buildReserve, countEvents, readJournal, tempStateDir } from './builders';

const logger = testLogger('erp-store-test');

function reserveMutation(overrides = {}, idempotencyKey?: string): Mutation {
  const request = ReservePurchaseOrderRequestSchema.parse(buildReserve(overrides));
  return {
    fingerprint: JSON.stringify(request),
    decisionId: request.decisionId,
    ...(idempotencyKey ? { idempotencyKey } : {}),
    decide: (state, at) => reservePurchaseOrder(state, request, at),
  };
}

describe('back-office store', () => {
  let file: string;
  beforeEach(() => {
    file = journalFileOf(tempStateDir());
  });

  it('journals one effect for ten concurrent identical reservations', async () => {
    const store = await openBackOfficeStore({ file, logger });
    const replies = await Promise.all(Array.from({ length: 10 }, () => store.mutate(reserveMutation())));
    await store.close();
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(replies.map((r) => (r.body as { poId: string }).poId)).size).toBe(1);
    expect(readJournal(file)).toHaveLength(1);
  });

  it('knows every order after a restart', async () => {
    const first = await openBackOfficeStore({ file, logger });
    const reply = await first.mutate(reserveMutation());
    await first.close();
    const second = await openBackOfficeStore({ file, logger });
    const orders = await second.read((state) => [...state.purchaseOrders.values()]);
    expect(orders).toEqual([reply.body]);
    expect((await second.mutate(reserveMutation())).status).toBe(200);
    await second.close();
    expect(countEvents(file, 'purchase_order.reserved')).toBe(1);
  });

  it('replays the first answer for a repeated Idempotency-Key and refuses the key for another request', async () => {
    const store = await openBackOfficeStore({ file, logger });
    const first = await store.mutate(reserveMutation({}, 'key-1'));
    await store.close();
    const restarted = await openBackOfficeStore({ file, logger });
    expect(await restarted.mutate(reserveMutation({}, 'key-1'))).toEqual(first);
    expect(await restarted.mutate(reserveMutation({ decisionId: 'decision-2' }, 'key-1'))).toMatchObject({
      status: 409,
      body: { error: { code: 'idempotency_key_reused' } },
    });
    await restarted.close();
    expect(first.status).toBe(201);
  });

  it('drops a torn last line and keeps appending on a clean line', async () => {
    const store = await openBackOfficeStore({ file, logger });
    await store.mutate(reserveMutation());
    await store.close();
    fs.appendFileSync(file, '{"seq":2,"at":"2025-');
    const reopened = await openBackOfficeStore({ file, logger });
    await reopened.mutate(reserveMutation({ decisionId: 'decision-2' }));
    await reopened.close();
    expect(readJournal(file).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('refuses to start on an unreadable line in the middle of the journal', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'not json\n{"seq":1}\n');
    await expect(openBackOfficeStore({ file, logger })).rejects.toBeInstanceOf(JournalCorruptError);
  });
});
