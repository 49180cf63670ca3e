// The sample scenario file: valid, the promised size and mix, and each play gets decision ids of its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SCENARIO_FILE, loadScenario, planScenario } from '../../../src/demo';
import { LogisticsEventSchema } from '../../../src/contracts/events';

describe('sample scenario', () => {
  const scenario = loadScenario();

  it('has 20 requisitions and 10 shipments, approvals, a rejection, a cancel and a faulty node', () => {
    expect(scenario.decisions.filter((d) => d.kind === 'procurement')).toHaveLength(20);
    expect(scenario.decisions.filter((d) => d.kind === 'routing')).toHaveLength(10);
    const steps = scenario.decisions.map((d) => d.erp).filter(Boolean);
    expect(steps.filter((s) => s === 'approve').length).toBeGreaterThanOrEqual(4);
    expect(steps).toEqual(expect.arrayContaining(['reject', 'cancel']));
    expect(scenario.faultyNode?.faults).toEqual(['wrong_output']);
  });

  it('plans valid logistics events under run-tagged ids, so every play starts new decisions', () => {
    const first = planScenario(scenario, 'aaa');
    const second = planScenario(scenario, 'bbb');
    for (const plan of first) {
      expect(LogisticsEventSchema.safeParse(plan.created).success).toBe(true);
      expect(LogisticsEventSchema.safeParse(plan.cancelled).success).toBe(true);
      expect(plan.decisionId).toMatch(/^(procurement|routing)-(REQ|SHP)-D\d\d-aaa$/);
    }
    expect(new Set([...first, ...second].map((p) => p.decisionId)).size).toBe(60);
  });

  it('refuses a file with an unknown fault, a bad event or a duplicated id, naming the field', () => {
    const raw = JSON.parse(fs.readFileSync(DEFAULT_SCENARIO_FILE, 'utf8'));
    const write = (content: unknown) => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-')), 'scenario.json');
      fs.writeFileSync(file, JSON.stringify(content));
      return file;
    };
    expect(() => loadScenario(write({ ...raw, faultyNode: { faults: ['be_evil'], port: 1 } }))).toThrow(
      /faultyNode\.faults\.0: must be a fault/,
    );
    const badEvent = structuredClone(raw);
    badEvent.decisions[0].data.candidates[0].onTimeRate = 3;
    expect(() => loadScenario(write(badEvent))).toThrow(
      /decisions\.0\.data\.candidates\.0\.onTimeRate: must be between 0 and 1/,
    );
    expect(() => loadScenario(write({ ...raw, decisions: [raw.decisions[0], raw.decisions[0]] }))).toThrow(
      /lists REQ-D01 twice/,
    );
  });
});
