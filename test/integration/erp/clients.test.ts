// The ERP and TMS HTTP clients against the running service: a procurement and a routing saga, and every failure
// surfacing as the named error class activities' retry policies match on.
import { startBackOffice, type BackOfficeService } from '../../../src/back-office';
import {
  createErpClient,
  ErpConflictError,
  ErpNotFoundError,
  ErpUnavailableError,
  ErpValidationError,
  type Erp,
} from '../../../src/erp';
import {
  createTmsClient,
  TmsConflictError,
  TmsNotFoundError,
  TmsUnavailableError,
  TmsValidationError,
  type Tms,
} from '../../../src/tms';
import { testConfig, testLogger } from '../../support/test-config';
import {
  buildDecisionId,
  buildHold,
  buildReserve,
  buildTender,
  countEvents,
  tempStateDir,
} from '../../unit/erp/builders';

const config = testConfig();
const logger = testLogger('erp-clients-test', config);

describe('ERP and TMS clients', () => {
  let service: BackOfficeService;
  let erp: Erp;
  let tms: Tms;
  beforeAll(async () => {
    service = await startBackOffice({ config, logger, port: 0, stateDir: tempStateDir() });
    erp = createErpClient({ baseUrl: service.url });
    tms = createTmsClient({ baseUrl: service.url });
  });
  afterAll(() => service.close());

  it('runs a procurement saga: hold, reserve, confirm (consuming the hold), then a late cancel releasing it', async () => {
    const decisionId = buildDecisionId();
    const hold = await erp.holdBudget(buildHold({ decisionId }));
    const po = await erp.reservePurchaseOrder(buildReserve({ decisionId }));
    expect(await erp.reservePurchaseOrder(buildReserve({ decisionId }))).toEqual(po);
    expect((await erp.confirmPurchaseOrder({ decisionId, poId: po.poId })).status).toBe('confirmed');
    expect(await erp.listBudgetHolds({ decisionId })).toEqual([
      expect.objectContaining({ holdId: hold.holdId, status: 'consumed', poId: po.poId }),
    ]);
    const cancelled = await erp.cancelPurchaseOrder({
      decisionId,
      poId: po.poId,
      reason: 'verification failed after confirmation',
    });
    expect(cancelled.history.map((h) => h.status)).toEqual(['reserved', 'confirmed', 'cancelled']);
    expect(await erp.releaseBudget({ decisionId, holdId: hold.holdId, reason: 'rolled back' })).toMatchObject({
      status: 'released',
    });
    expect(await erp.listPurchaseOrders({ decisionId })).toEqual([cancelled]);
  });

  it('runs a routing saga and re-tenders on attempt 2 after a retraction', async () => {
    const decisionId = buildDecisionId();
    const first = await tms.tenderLoad(buildTender({ decisionId }));
    await tms.retractTender({ decisionId, tenderId: first.tenderId, reason: 'rolled back' });
    const second = await tms.tenderLoad(buildTender({ decisionId, attempt: 2, carrierId: 'CAR-2' }));
    expect(second.tenderId).not.toBe(first.tenderId);
    expect((await tms.confirmTender({ decisionId, tenderId: second.tenderId })).status).toBe('accepted');
    expect((await tms.listTenders({ decisionId })).map((t) => [t.attempt, t.status])).toEqual([
      [1, 'retracted'],
      [2, 'accepted'],
    ]);
  });

  it('maps refusals to ErpConflictError, ErpValidationError and ErpNotFoundError', async () => {
    const decisionId = buildDecisionId();
    await erp.reservePurchaseOrder(buildReserve({ decisionId }));
    await expect(erp.reservePurchaseOrder(buildReserve({ decisionId, quantity: 999 }))).rejects.toMatchObject({
      name: 'ErpConflictError',
      code: 'idempotency_conflict',
      retryable: false,
    });
    await expect(erp.reservePurchaseOrder(buildReserve({ decisionId, quantity: 999 }))).rejects.toBeInstanceOf(
      ErpConflictError,
    );
    await expect(erp.holdBudget(buildHold({ decisionId, currency: 'dollars' }))).rejects.toBeInstanceOf(
      ErpValidationError,
    );
    await expect(erp.confirmPurchaseOrder({ decisionId, poId: 'po_unknown' })).rejects.toMatchObject({
      name: 'ErpNotFoundError',
      code: 'purchase_order_not_found',
    });
    await expect(erp.confirmPurchaseOrder({ decisionId, poId: 'po_unknown' })).rejects.toBeInstanceOf(ErpNotFoundError);
    expect(countEvents(service.journalFile, 'purchase_order.reserved')).toBeGreaterThanOrEqual(1);
  });

  it('maps refusals to TmsConflictError, TmsValidationError and TmsNotFoundError', async () => {
    const decisionId = buildDecisionId();
    const tender = await tms.tenderLoad(buildTender({ decisionId }));
    await tms.retractTender({ decisionId, tenderId: tender.tenderId, reason: 'rolled back' });
    await expect(tms.confirmTender({ decisionId, tenderId: tender.tenderId })).rejects.toMatchObject({
      name: 'TmsConflictError',
      code: 'invalid_transition',
    });
    await expect(tms.confirmTender({ decisionId: 'someone-else', tenderId: tender.tenderId })).rejects.toBeInstanceOf(
      TmsConflictError,
    );
    await expect(tms.tenderLoad(buildTender({ decisionId, cost: -5 }))).rejects.toBeInstanceOf(TmsValidationError);
    await expect(tms.retractTender({ decisionId, tenderId: 'tender_unknown', reason: 'x' })).rejects.toBeInstanceOf(
      TmsNotFoundError,
    );
  });

  it('maps a stopped service to the retryable Unavailable errors', async () => {
    const stopped = await startBackOffice({ config, logger, port: 0, stateDir: tempStateDir() });
    await stopped.close();
    await expect(createErpClient({ baseUrl: stopped.url }).listPurchaseOrders()).rejects.toMatchObject({
      name: 'ErpUnavailableError',
      retryable: true,
    });
    await expect(createTmsClient({ baseUrl: stopped.url, timeoutMs: 2000 }).listTenders()).rejects.toBeInstanceOf(
      TmsUnavailableError,
    );
    await expect(createErpClient({ baseUrl: stopped.url }).holdBudget(buildHold())).rejects.toBeInstanceOf(
      ErpUnavailableError,
    );
  });
});
