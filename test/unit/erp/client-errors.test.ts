// The clients turn every failure into a named error class whose `name` is the class name (Temporal retry policies
// match on it) and whose `retryable` flag says whether trying again can help; checked here with a stubbed fetch.
import {
  createErpClient,
  ErpConflictError,
  ErpNotFoundError,
  ErpUnavailableError,
  ErpValidationError,
} from '../../../src/erp';
import { createTmsClient, TmsConflictError, TmsUnavailableError } from '../../../src/tms';
import { buildReserve, buildTender } from './builders';

function answering(
  status: number,
  body: unknown,
): { fetch: typeof fetch; calls: { url: string; init: RequestInit }[] } {
  const calls: { url: string; init: RequestInit }[] = [];
  const stub = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  }) as unknown as typeof fetch;
  return { fetch: stub, calls };
}

const errorBody = (code: string) => ({ error: { code, message: `refused: ${code}` } });

describe('ERP client errors', () => {
  it.each([
    [409, 'idempotency_conflict', ErpConflictError, false],
    [400, 'invalid_request', ErpValidationError, false],
    [404, 'purchase_order_not_found', ErpNotFoundError, false],
    [503, 'store_unavailable', ErpUnavailableError, true],
    [500, 'internal_error', ErpUnavailableError, true],
  ] as const)('maps %i %s to %p', async (status, code, ErrorClass, retryable) => {
    const erp = createErpClient({ baseUrl: 'http://erp.test', fetch: answering(status, errorBody(code)).fetch });
    const error = await erp.reservePurchaseOrder(buildReserve()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ name: ErrorClass.name, code, retryable, status });
  });

  it('treats an unreachable service as retryable', async () => {
    const refused = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    const error = await createErpClient({ baseUrl: 'http://erp.test', fetch: refused })
      .listPurchaseOrders()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ErpUnavailableError', code: 'service_unreachable', retryable: true });
  });

  it('refuses a 2xx body that does not match the contract', async () => {
    const error = await createErpClient({ baseUrl: 'http://erp.test', fetch: answering(200, { poId: 1 }).fetch })
      .reservePurchaseOrder(buildReserve())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ErpUnavailableError', code: 'invalid_response' });
  });

  it('derives the same Idempotency-Key for the same request and honours a caller-supplied one', async () => {
    const { fetch: stub, calls } = answering(503, errorBody('store_unavailable'));
    const erp = createErpClient({ baseUrl: 'http://erp.test/', fetch: stub });
    await erp.reservePurchaseOrder(buildReserve()).catch(() => undefined);
    await erp.reservePurchaseOrder(buildReserve()).catch(() => undefined);
    await erp.reservePurchaseOrder(buildReserve({ quantity: 51 })).catch(() => undefined);
    await erp.reservePurchaseOrder(buildReserve(), { idempotencyKey: 'mine' }).catch(() => undefined);
    const keys = calls.map((c) => (c.init.headers as Record<string, string>)['idempotency-key']);
    expect(calls[0]?.url).toBe('http://erp.test/erp/purchase-orders');
    expect(keys[0]).toMatch(/^erp:reservePurchaseOrder:decision-1:[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
    expect(keys[3]).toBe('mine');
  });
});

describe('TMS client errors', () => {
  it('maps 409 to TmsConflictError and 502 to TmsUnavailableError', async () => {
    const conflict = await createTmsClient({
      baseUrl: 'http://tms.test',
      fetch: answering(409, errorBody('invalid_transition')).fetch,
    })
      .confirmTender({ decisionId: 'd', tenderId: 't' })
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(TmsConflictError);
    expect(conflict).toMatchObject({ name: 'TmsConflictError', code: 'invalid_transition', retryable: false });
    const gateway = await createTmsClient({
      baseUrl: 'http://tms.test',
      fetch: answering(502, '<html>bad gateway</html>').fetch,
    })
      .tenderLoad(buildTender())
      .catch((e: unknown) => e);
    expect(gateway).toBeInstanceOf(TmsUnavailableError);
    expect(gateway).toMatchObject({ name: 'TmsUnavailableError', code: 'http_502', retryable: true });
  });
});
