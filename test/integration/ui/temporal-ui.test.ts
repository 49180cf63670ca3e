// An operator finds a rolled-back decision in the Temporal Web UI with a real browser: filtered by its search attribute,
// with its summary, its current details and the audit naming the failed check. Screenshots go to test-artifacts/ui/.
import type { Page } from 'playwright-core';
import { decisionWorkflowId } from '../../../src/contracts/decision';
import { startEngine, type Engine } from '../decisions/support/engine';
import { buildRequisition, requisitionCreated } from '../decisions/support/events';
import { chromiumUnavailableReason, launchHeadlessChromium, type HeadlessBrowser } from './browser';
import {
  clearScreenshots,
  markdownUnder,
  openFilteredListShowing,
  openTab,
  runQuery,
  saveScreenshot,
  type TemporalUi,
} from './temporal-ui-pages';

const skipReason = chromiumUnavailableReason();
if (skipReason) console.warn(skipReason);
const describeWithChromium = skipReason ? describe.skip : describe;

describeWithChromium('finding a rolled-back decision in the Temporal Web UI', () => {
  let engine: Engine;
  let browser: HeadlessBrowser;
  let page: Page;
  let ui: TemporalUi;
  const screenshots: string[] = [];
  let reachedTheEnd = false;

  beforeAll(async () => {
    engine = await startEngine({ faults: ['wrong_output'] });
    ui = { baseUrl: `http://127.0.0.1:${engine.config.temporal.uiPort}`, namespace: engine.config.temporal.namespace };
    clearScreenshots();
    browser = await launchHeadlessChromium();
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    // A failed step leaves the page where it stopped: keep that picture for whoever reads the CI log.
    if (page && !reachedTheEnd)
      screenshots.push(await saveScreenshot(page, 'failed-at').catch((e: Error) => `(no screenshot: ${e.message})`));
    if (screenshots.length) console.log(`Temporal UI screenshots:\n${screenshots.join('\n')}`);
    await browser?.close();
    await engine?.close();
  });

  it('lists it under DecisionStatus="ROLLED_BACK" and shows its summary, current details and failed check', async () => {
    const requisition = buildRequisition();
    const id = decisionWorkflowId('procurement', requisition.requisitionId);
    await engine.emit(requisitionCreated(requisition));
    const rolledBack = await engine.waitFor('decision.rolled_back', () =>
      engine.decisionEvents(id).find((e) => e.type === 'decision.rolled_back' || e.type === 'decision.verified'),
    );
    expect(rolledBack.type).toBe('decision.rolled_back');
    const failedCheck = rolledBack.data.failedCheck ?? '';
    const reason = rolledBack.data.reason ?? '';
    expect(failedCheck).toMatch(/^(proof|reexecution)$/);

    // The list, filtered the way the README tells operators to.
    const row = await openFilteredListShowing(
      page,
      ui,
      'DecisionStatus="ROLLED_BACK"',
      'DecisionStatus = "ROLLED_BACK"',
      id,
    );
    screenshots.push(await saveScreenshot(page, '1-rolled-back-decisions'));

    await row.click();
    await page.getByRole('heading', { name: id, level: 1 }).waitFor();

    // Static summary and details from the start, current details from the workflow (answered by the running worker).
    await openTab(page, 'User Metadata');
    expect(await markdownUnder(page, 'Summary')).toBe(
      `Procure 300 × PALLET-WRAP-500 (requisition ${requisition.requisitionId})`,
    );
    expect(await markdownUnder(page, 'Details')).toContain('acme-packaging @ 9.8');
    expect(await markdownUnder(page, 'Current Details')).toBe(`ROLLED_BACK — ${failedCheck} failed: ${reason}`);
    screenshots.push(await saveScreenshot(page, '2-decision-summary-and-current-details'));

    // The audit query, run from the UI, names the check that failed and why.
    const { text, result } = await runQuery(page, 'audit');
    const audit = JSON.parse(text);
    expect(audit.outcome).toEqual({ status: 'ROLLED_BACK', code: 'verification_failed', failedCheck, reason });
    const checks = audit.verifications.map(
      (v: { checks: Record<string, { status: string; reason?: string }> }) => v.checks[failedCheck],
    );
    expect(checks).toEqual([expect.objectContaining({ status: 'fail', reason: `${failedCheck}_output_mismatch` })]);
    screenshots.push(await saveScreenshot(page, '3-decision-audit-query', result));

    await openTab(page, 'Search Attributes');
    await page.getByText('"DecisionStatus": "ROLLED_BACK"').waitFor();
    await page.getByText('"DecisionKind": "procurement"').waitFor();
    screenshots.push(await saveScreenshot(page, '4-decision-search-attributes'));
    reachedTheEnd = true;
  });
});
