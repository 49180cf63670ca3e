// Small page helpers for the Temporal Web UI (2.42): they find things by role and visible text, as an operator would,
// rather than by CSS classes that change between UI releases.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

/** Screenshots are test artifacts (gitignored), kept after the run for a human to look at. */
export const UI_ARTIFACTS_DIR = path.resolve(__dirname, '..', '..', '..', 'test-artifacts', 'ui');

export type TemporalUi = { baseUrl: string; namespace: string };

export function workflowListUrl(ui: TemporalUi, query: string): string {
  return `${ui.baseUrl}/namespaces/${encodeURIComponent(ui.namespace)}/workflows?query=${encodeURIComponent(query)}`;
}

/**
 * Opens the workflow list filtered by a visibility query and waits until `workflowId` is listed, reloading meanwhile:
 * visibility is updated after the workflow's own state, so the last upsert can trail the event that announced it.
 * `filterLabel` is how the UI's filter bar shows the query back (e.g. `DecisionStatus = "ROLLED_BACK"`), which proves
 * the UI parsed and applied it rather than listing everything.
 */
export async function openFilteredListShowing(
  page: Page,
  ui: TemporalUi,
  query: string,
  filterLabel: string,
  workflowId: string,
  timeoutMs = 30_000,
): Promise<Locator> {
  const row = page.getByRole('table', { name: 'Workflows' }).getByRole('link', { name: workflowId, exact: true });
  const deadline = Date.now() + timeoutMs;
  await page.goto(workflowListUrl(ui, query));
  await page.getByRole('button', { name: filterLabel, exact: true }).waitFor({ timeout: timeoutMs });
  for (;;) {
    // The list loads after the page does; give each load a few seconds before asking the server again.
    const listed = await row
      .first()
      .waitFor({ timeout: 5_000 })
      .then(
        () => true,
        () => false,
      );
    if (listed) return row.first();
    if (Date.now() > deadline) throw new Error(`workflow ${workflowId} not listed for ${query} after ${timeoutMs} ms`);
    await page.reload();
  }
}

/** The tabs of a workflow's page, by their visible label (some labels carry a count, e.g. "History 76"). */
export type WorkflowTab = 'History' | 'Queries' | 'User Metadata' | 'Search Attributes';

export async function openTab(page: Page, tab: WorkflowTab): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^${tab}\\b`) }).click();
  await page.getByRole('tab', { name: new RegExp(`^${tab}\\b`), selected: true }).waitFor();
}

/**
 * The rendered text of a markdown block (summary, details, current details) under a section heading. The UI renders
 * user markdown inside a sandboxed iframe, so its text is not part of the page's own text.
 */
export async function markdownUnder(
  page: Page,
  heading: 'Summary' | 'Details' | 'Current Details',
  timeoutMs = 30_000,
): Promise<string> {
  await page.getByRole('heading', { name: heading, exact: true }).waitFor({ timeout: timeoutMs });
  const frame = page.locator(`xpath=//h3[normalize-space()="${heading}"]/following::iframe[1]`).contentFrame();
  const body = frame.locator('body');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = (await body.innerText({ timeout: timeoutMs }).catch(() => '')).trim();
    if (text) return text;
    if (Date.now() > deadline) throw new Error(`no rendered text under "${heading}" after ${timeoutMs} ms`);
    await page.waitForTimeout(500);
  }
}

/**
 * Runs a workflow query from the Queries tab and returns its result as the UI shows it. JSON formatting is switched off
 * first: the result viewer only renders the lines in view, and one unformatted line holds the whole result.
 */
export async function runQuery(
  page: Page,
  queryType: string,
  timeoutMs = 30_000,
): Promise<{ text: string; result: Locator }> {
  await openTab(page, 'Queries');
  const picker = page
    .getByRole('button', { name: /./ })
    .filter({ has: page.getByRole('textbox', { name: 'Query Type' }) });
  await picker.click();
  await page.getByRole('option', { name: queryType, exact: true }).click();
  const formatting = page.getByRole('switch', { name: 'JSON Formatting' });
  if (await formatting.isChecked()) await formatting.click({ force: true });
  await page.getByRole('button', { name: 'Run Query' }).click();
  const result = page.getByRole('textbox').filter({ hasText: '{' }).last();
  await result.waitFor({ timeout: timeoutMs });
  return { text: await result.innerText(), result };
}

/** Empties the artifacts folder, so the screenshots in it are always those of the last run. */
export function clearScreenshots(): void {
  fs.rmSync(UI_ARTIFACTS_DIR, { recursive: true, force: true });
}

/**
 * Saves a screenshot under the artifacts folder and returns its path. The UI scrolls inside its own panes, so a
 * "full page" is only the window: with `showAll`, the window is made tall enough for that element for the shot.
 */
export async function saveScreenshot(page: Page, name: string, showAll?: Locator): Promise<string> {
  fs.mkdirSync(UI_ARTIFACTS_DIR, { recursive: true });
  const file = path.join(UI_ARTIFACTS_DIR, `${name}.png`);
  const viewport = page.viewportSize();
  const box = showAll ? await showAll.boundingBox() : null;
  if (viewport && box && box.y + box.height > viewport.height)
    await page.setViewportSize({ width: viewport.width, height: Math.ceil(box.y + box.height + 40) });
  try {
    await page.screenshot({ path: file, fullPage: true });
  } finally {
    if (viewport) await page.setViewportSize(viewport);
  }
  return file;
}
