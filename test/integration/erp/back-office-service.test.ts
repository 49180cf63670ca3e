// The development ERP/TMS service over real HTTP on a free port with a temporary journal: exactly-once effects under
// concurrency, idempotent compensation, conflicts, replay after restart, and refusals that never crash it.
import { startBackOffice, type BackOfficeService } from '../../../src/back-office';
import { testConfig, testLogger } from '../../support/test-config';
import {
  buildDecisionId,
  buildReserve,
  buildTender,
  countEvents,
  readJournal,
  tempStateDir,
} from '../../unit/erp/builders';

const config = testConfig();
const logger = testLogger('erp-service-test', config);

async function call(
  service: BackOfficeService,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('back-office service', () => {
  let stateDir: string;
  let service: BackOfficeService;
  beforeEach(async () => {
    stateDir = tempStateDir();
    service = await startBackOffice({ config, logger, port: 0, stateDir });
  });
  afterEach(() => service.close());

  it('reserves exactly one purchase order for ten concurrent identical requests', async () => {
    const decisionId = buildDecisionId();
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => call(service, 'POST', '/erp/purchase-orders', buildReserve({ decisionId }))),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(9);
    expect(new Set(replies.map((r) => r.body.poId)).size).toBe(1);
    const listed = await call(service, 'GET', `/erp/purchase-orders?decisionId=${decisionId}`);
    expect(listed.body.purchaseOrders).toHaveLength(1);
    expect(readJournal(service.journalFile)).toHaveLength(1);
  });

  it('cancels and retracts idempotently: one journaled effect each', async () => {
    const decisionId = buildDecisionId();
    const po = await call(service, 'POST', '/erp/purchase-orders', buildReserve({ decisionId }));
    const cancels = await Promise.all(
      [1, 2, 3].map(() =>
        call(service, 'POST', `/erp/purchase-orders/${po.body.poId}/cancel`, {
          decisionId,
          reason: 'verification failed',
        }),
      ),
    );
    expect(cancels.map((c) => c.status)).toEqual([200, 200, 200]);
    expect(cancels.map((c) => c.body.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const tender = await call(service, 'POST', '/tms/tenders', buildTender({ decisionId }));
    expect(tender.status).toBe(201);
    for (let i = 0; i < 3; i++)
      expect(
        (
          await call(service, 'POST', `/tms/tenders/${tender.body.tenderId}/retract`, {
            decisionId,
            reason: 'rolled back',
          })
        ).status,
      ).toBe(200);
    expect(countEvents(service.journalFile, 'purchase_order.cancelled')).toBe(1);
    expect(countEvents(service.journalFile, 'tender.retracted')).toBe(1);
    const confirm = await call(service, 'POST', `/erp/purchase-orders/${po.body.poId}/confirm`, { decisionId });
    expect(confirm).toMatchObject({ status: 409, body: { error: { code: 'invalid_transition' } } });
  });

  it('answers 409 idempotency_conflict when the decision reserves again with another supplier', async () => {
    const decisionId = buildDecisionId();
    await call(service, 'POST', '/erp/purchase-orders', buildReserve({ decisionId }));
    const conflict = await call(
      service,
      'POST',
      '/erp/purchase-orders',
      buildReserve({ decisionId, supplierId: 'SUP-OTHER' }),
    );
    expect(conflict).toMatchObject({
      status: 409,
      body: { error: { code: 'idempotency_conflict', details: { fields: ['supplierId'] } } },
    });
    expect(countEvents(service.journalFile, 'purchase_order.reserved')).toBe(1);
  });

  it('replays the response of a repeated Idempotency-Key, status included', async () => {
    const decisionId = buildDecisionId();
    const headers = { 'idempotency-key': `reserve-${decisionId}` };
    const first = await call(service, 'POST', '/erp/purchase-orders', buildReserve({ decisionId }), headers);
    const again = await call(service, 'POST', '/erp/purchase-orders', buildReserve({ decisionId }), headers);
    expect(again).toEqual(first);
    expect(first.status).toBe(201);
  });

  it('knows every purchase order and tender after a restart from its journal', async () => {
    const decisionId = buildDecisionId();
    const po = await call(service, 'POST', '/erp/purchase-orders', buildReserve({ decisionId }));
    await call(service, 'POST', `/erp/purchase-orders/${po.body.poId}/confirm`, { decisionId });
    const tender = await call(service, 'POST', '/tms/tenders', buildTender({ decisionId }));
    await service.close();
    service = await startBackOffice({ config, logger, port: 0, stateDir });
    const orders = await call(service, 'GET', `/erp/purchase-orders?decisionId=${decisionId}`);
    expect(orders.body.purchaseOrders).toEqual([
      {
        ...po.body,
        status: 'confirmed',
        history: [po.body.history[0], expect.objectContaining({ status: 'confirmed' })],
      },
    ]);
    expect((await call(service, 'GET', '/tms/tenders')).body.tenders).toEqual([tender.body]);
    expect((await call(service, 'POST', '/erp/purchase-orders', buildReserve({ decisionId }))).status).toBe(200);
    expect(readJournal(service.journalFile)).toHaveLength(3);
  });

  it('answers malformed JSON, bad fields, unknown ids and unknown routes with the error shape, and keeps serving', async () => {
    const malformed = await call(service, 'POST', '/erp/purchase-orders', '{"decisionId": ');
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'malformed_json' } } });
    const invalid = await call(
      service,
      'POST',
      '/erp/purchase-orders',
      buildReserve({ quantity: -1, currency: 'usd' }),
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('invalid_request');
    expect(invalid.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['currency', 'quantity']);
    expect((await call(service, 'POST', '/erp/purchase-orders', [1, 2])).status).toBe(400);
    expect((await call(service, 'POST', '/erp/purchase-orders/po_x/cancel', '"text"')).status).toBe(400);
    expect(
      await call(service, 'POST', '/erp/purchase-orders/po_missing/cancel', { decisionId: 'd', reason: 'r' }),
    ).toMatchObject({
      status: 404,
      body: { error: { code: 'purchase_order_not_found' } },
    });
    expect((await call(service, 'GET', '/erp/purchase-orders?decisionId=a&decisionId=b')).status).toBe(400);
    expect((await call(service, 'GET', '/nope')).body.error.code).toBe('route_not_found');
    expect(
      (
        await call(
          service,
          'POST',
          '/erp/budget-holds',
          { decisionId: 'd', amount: 1, currency: 'USD' },
          { 'idempotency-key': 'with space' },
        )
      ).status,
    ).toBe(400);
    expect(await call(service, 'GET', '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(readJournal(service.journalFile)).toHaveLength(0);
  });
});
