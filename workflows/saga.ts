// Compensations pushed as each step succeeds and run in reverse when the decision must be rolled back.
export type Compensation = { action: string; reference: string; run: () => Promise<void> };
export type CompensationOutcome = { action: string; reference: string; outcome: 'done' | 'failed'; error?: string };

export class Saga {
  private readonly steps: Compensation[] = [];

  add(step: Compensation): void {
    this.steps.push(step);
  }

  get size(): number {
    return this.steps.length;
  }

  /** Runs every compensation, newest first; a failing one is recorded and the rest still run. */
  async compensate(): Promise<CompensationOutcome[]> {
    const outcomes: CompensationOutcome[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop() as Compensation;
      try {
        await step.run();
        outcomes.push({ action: step.action, reference: step.reference, outcome: 'done' });
      } catch (error) {
        outcomes.push({ action: step.action, reference: step.reference, outcome: 'failed', error: (error as Error).message });
      }
    }
    return outcomes;
  }
}
