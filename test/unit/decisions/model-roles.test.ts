// Decision settings name a model per role; absent roles fall back to the built-in model of the role's name.
import { loadConfig } from '../../../src/config';
import { DecisionSettingsSchema, modelFor } from '../../../src/contracts/decision';
import { decisionSettings } from '../../../src/decisions/starter';

describe('model per decision role', () => {
  it('uses the configured model id for a role and the built-in name for the others', () => {
    const id = 'a'.repeat(64);
    const config = loadConfig({ DECISION_MODEL_SUPPLIER_RISK: id, HOME: '/tmp' });
    const settings = DecisionSettingsSchema.parse(decisionSettings(config));
    expect(modelFor(settings, 'supplier-risk')).toBe(id);
    expect(modelFor(settings, 'lane-eta')).toBe('lane-eta');
    expect(modelFor(settings, 'demand-forecast')).toBe('demand-forecast');
  });

  it('keeps settings recorded before models existed valid (replays of older decisions)', () => {
    const older = DecisionSettingsSchema.parse({ approvalThreshold: 1, approvalTimeoutMs: 1, escalationTimeoutMs: 1, verificationTimeoutMs: 1, maxAttempts: 2 });
    expect(modelFor(older, 'supplier-risk')).toBe('supplier-risk');
  });
});
