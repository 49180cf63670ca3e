// Decision settings name a model per role; absent roles fall back to the built-in model of the role's name.
import { loadConfig } from '../../../src/config';
import { acceptsCheck, DecisionSettingsSchema, modelFor } from '../../../src/contracts/decision';
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
    const older = DecisionSettingsSchema.parse({
      approvalThreshold: 1,
      approvalTimeoutMs: 1,
      escalationTimeoutMs: 1,
      verificationTimeoutMs: 1,
      maxAttempts: 2,
    });
    expect(modelFor(older, 'supplier-risk')).toBe('supplier-risk');
  });
});

describe('verification policy for models outside the zk family', () => {
  const settings = { allowProofUnsupported: false };
  it('refuses an unsupported proof check unless the settings accept it', () => {
    expect(acceptsCheck(settings, 'proof', { status: 'unsupported' })).toBe(false);
    expect(acceptsCheck({ allowProofUnsupported: true }, 'proof', { status: 'unsupported' })).toBe(true);
  });
  it('never accepts a failed or timed-out check, nor unsupported on another check', () => {
    expect(acceptsCheck({ allowProofUnsupported: true }, 'proof', { status: 'fail' })).toBe(false);
    expect(acceptsCheck({ allowProofUnsupported: true }, 'proof', { status: 'timeout' })).toBe(false);
    expect(acceptsCheck({ allowProofUnsupported: true }, 'reexecution', { status: 'unsupported' })).toBe(false);
    expect(acceptsCheck(settings, 'attestation', { status: 'pass' })).toBe(true);
  });
});
