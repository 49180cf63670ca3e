// Compensations pushed as each step succeeds and run in reverse when the decision must be rolled back.
/** What a compensation may report back for the audit: the transaction that undid it, and a plain note on the outcome. */
export type CompensationDetail = { transaction?: string; note?: string };
export type Compensation = { action: string; reference: string; run: () => Promise<void | CompensationDetail> };
export type CompensationOutcome = {
  action: string;
  reference: string;
  outcome: 'done' | 'failed';
  error?: string;
} & CompensationDetail;

async function attempt(step: Compensation): Promise<CompensationOutcome> {
  try {
    const detail = await step.run();
    return { action: step.action, reference: step.reference, outcome: 'done', ...(detail ?? {}) };
  } catch (error) {
    return { action: step.action, reference: step.reference, outcome: 'failed', error: (error as Error).message };
  }
}

export class Saga {
  private readonly steps: Compensation[] = [];

  add(step: Compensation): void {
    this.steps.push(step);
  }

  /** Forgets a step the process undid itself (e.g. a budget hold replaced after an amendment). */
  discard(action: string, reference: string): void {
    const index = this.steps.findIndex((step) => step.action === action && step.reference === reference);
    if (index >= 0) this.steps.splice(index, 1);
  }

  get size(): number {
    return this.steps.length;
  }

  /**
   * Runs every compensation, newest first, then the `afterwards` steps in the order given (consequences of the
   * rollback, such as disputing a payment, that follow the undoing). A failing step is recorded and the rest still run.
   */
  async compensate(afterwards: readonly Compensation[] = []): Promise<CompensationOutcome[]> {
    const outcomes: CompensationOutcome[] = [];
    while (this.steps.length > 0) outcomes.push(await attempt(this.steps.pop() as Compensation));
    for (const step of afterwards) outcomes.push(await attempt(step));
    return outcomes;
  }
}
