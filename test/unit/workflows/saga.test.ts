// Compensation order: undo newest first, then the consequences in the order given; a failure never stops the rest.
import { Saga, type Compensation } from '../../../workflows/saga';

const step = (ran: string[], action: string, fails = false): Compensation => ({
  action,
  reference: `ref-${action}`,
  run: async () => {
    ran.push(action);
    if (fails) throw new Error(`${action} broke`);
  },
});

describe('Saga', () => {
  it('undoes newest first, then runs the afterwards steps in order, recording each outcome', async () => {
    const ran: string[] = [];
    const saga = new Saga();
    saga.add(step(ran, 'release_budget'));
    saga.add(step(ran, 'cancel_po', true));
    const outcomes = await saga.compensate([step(ran, 'dispute_payment'), step(ran, 'flag_node')]);
    expect(ran).toEqual(['cancel_po', 'release_budget', 'dispute_payment', 'flag_node']);
    expect(outcomes).toEqual([
      { action: 'cancel_po', reference: 'ref-cancel_po', outcome: 'failed', error: 'cancel_po broke' },
      { action: 'release_budget', reference: 'ref-release_budget', outcome: 'done' },
      { action: 'dispute_payment', reference: 'ref-dispute_payment', outcome: 'done' },
      { action: 'flag_node', reference: 'ref-flag_node', outcome: 'done' },
    ]);
  });

  it('runs each compensation once: a second compensate has nothing left to undo', async () => {
    const ran: string[] = [];
    const saga = new Saga();
    saga.add(step(ran, 'retract_tender'));
    await saga.compensate();
    expect(saga.size).toBe(0);
    expect(await saga.compensate()).toEqual([]);
    expect(ran).toEqual(['retract_tender']);
  });
});
