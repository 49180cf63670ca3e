// Whose verdicts a decision counts: VERDICT_SIGNERS, else VERIFIER_ADDRESS, else (development only) the verifier key's
// address; a production bridge without either refuses to start rather than count nobody's (or anybody's) verdicts.
import { privateKeyToAccount } from 'viem/accounts';
import { ConfigError, loadConfig } from '../../../src/config';
import { decisionSettings, verdictSignersOf } from '../../../src/decisions/starter';

const production = {
  PROOFPATH_MODE: 'production',
  PAYMENT_TOKEN_ADDRESS: '0x0000000000000000000000000000000000000001',
  SETTLEMENT_REGISTRY_ADDRESS: '0x0000000000000000000000000000000000000002',
};
const bridgeConfig = (env: NodeJS.ProcessEnv) => loadConfig(env, { keyRoles: [] });

describe('verdict signers', () => {
  it('are the configured addresses, fixed in the settings each decision starts with', () => {
    const signers = ['0x00000000000000000000000000000000000000aa', '0x00000000000000000000000000000000000000bb'];
    const config = bridgeConfig({ ...production, VERDICT_SIGNERS: signers.join(',') });
    expect(verdictSignersOf(config)).toEqual(signers);
    expect(decisionSettings(config).verdictSigners).toEqual(signers);
  });

  it('fall back to VERIFIER_ADDRESS', () => {
    const config = bridgeConfig({ ...production, VERIFIER_ADDRESS: '0x00000000000000000000000000000000000000cc' });
    expect(verdictSignersOf(config)).toEqual(['0x00000000000000000000000000000000000000cc']);
  });

  it('are the verifier key’s address in development', () => {
    const config = loadConfig({});
    expect(verdictSignersOf(config)).toEqual([privateKeyToAccount(config.keys.verifier).address]);
  }, 30_000); // deriving anvil's development accounts takes seconds on a busy machine

  it('are required in production', () => {
    expect(() => verdictSignersOf(bridgeConfig(production))).toThrow(ConfigError);
    expect(() => verdictSignersOf(bridgeConfig(production))).toThrow(/VERDICT_SIGNERS/);
  });
});
