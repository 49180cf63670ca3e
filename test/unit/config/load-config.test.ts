// Configuration: development defaults, every problem listed at once, production refusing development trust.
import { ConfigError, anvilAccounts, configToEnv, loadConfig } from '../../../src/config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented development defaults from an empty environment', () => {
    const config = loadConfig({ HOME: '/home/ops' });
    expect(config.mode).toBe('development');
    expect(config.temporal.address).toBe('127.0.0.1:7233');
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.ports).toMatchObject({ inferenceNode: 8402, facilitator: 8403, verifier: 8404, erp: 8405 });
    expect(config.stateDir).toBe('/home/ops/.local/state/proofpath');
    expect(config.cacheDir).toBe('/home/ops/.cache/proofpath');
    expect(config.keys.payer).toBe(anvilAccounts()[4]?.privateKey);
  });

  it('parses typed values from strings', () => {
    const config = loadConfig({
      KAFKA_BROKERS: 'a:1, b:2',
      INFERENCE_NODE_PORT: '9000',
      ATTESTATION_ALLOW_DEVELOPMENT_ROOT: 'false',
    });
    expect(config.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(config.ports.inferenceNode).toBe(9000);
    expect(config.attestation.allowDevelopmentRoot).toBe(false);
  });

  it('lists every invalid setting with its variable in one error', () => {
    const problems = problemsOf({
      INFERENCE_NODE_PORT: '99999',
      KAFKA_TOPIC_PARTITIONS: 'many',
      CHAIN_RPC_URL: 'not a url',
    });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/INFERENCE_NODE_PORT="99999"/);
    expect(problems.join('\n')).toMatch(/KAFKA_TOPIC_PARTITIONS="many"/);
    expect(problems.join('\n')).toMatch(/CHAIN_RPC_URL/);
  });

  it('never echoes a private key in an error', () => {
    const problems = problemsOf({ PAYER_PRIVATE_KEY: '0xdeadbeef' });
    expect(problems.join('\n')).toContain('PAYER_PRIVATE_KEY=<redacted>');
    expect(problems.join('\n')).not.toContain('deadbeef');
  });

  describe('in production mode', () => {
    const productionKeys = {
      DEPLOYER_PRIVATE_KEY: `0x${'11'.repeat(32)}`,
      FACILITATOR_PRIVATE_KEY: `0x${'12'.repeat(32)}`,
      NODE_PRIVATE_KEY: `0x${'13'.repeat(32)}`,
      VERIFIER_PRIVATE_KEY: `0x${'14'.repeat(32)}`,
      PAYER_PRIVATE_KEY: `0x${'15'.repeat(32)}`,
      PAYMENT_TOKEN_ADDRESS: `0x${'aa'.repeat(20)}`,
      SETTLEMENT_REGISTRY_ADDRESS: `0x${'bb'.repeat(20)}`,
    };

    it('accepts explicit keys and contract addresses, and trusts no development root by default', () => {
      const config = loadConfig({ PROOFPATH_MODE: 'production', ...productionKeys });
      expect(config.attestation.allowDevelopmentRoot).toBe(false);
    });

    it('refuses anvil development keys', () => {
      const problems = problemsOf({
        PROOFPATH_MODE: 'production',
        ...productionKeys,
        PAYER_PRIVATE_KEY: anvilAccounts()[7]?.privateKey,
      });
      expect(problems).toEqual(['PAYER_PRIVATE_KEY: an anvil development key is refused in production mode']);
    });

    it('refuses the development enclave root', () => {
      const problems = problemsOf({
        PROOFPATH_MODE: 'production',
        ...productionKeys,
        ATTESTATION_ALLOW_DEVELOPMENT_ROOT: 'true',
      });
      expect(problems).toEqual([expect.stringMatching(/development enclave root is refused/)]);
    });

    it('refuses node fault injection', () => {
      const problems = problemsOf({ PROOFPATH_MODE: 'production', ...productionKeys, NODE_FAULTS: 'wrong_output' });
      expect(problems).toEqual([expect.stringMatching(/^NODE_FAULTS: fault injection .* refused in production mode$/)]);
    });

    it('requires every key instead of falling back to anvil accounts', () => {
      const problems = problemsOf({
        PROOFPATH_MODE: 'production',
        PAYMENT_TOKEN_ADDRESS: productionKeys.PAYMENT_TOKEN_ADDRESS,
        SETTLEMENT_REGISTRY_ADDRESS: productionKeys.SETTLEMENT_REGISTRY_ADDRESS,
      });
      expect(problems).toHaveLength(5);
      expect(problems.every((p) => p.endsWith('is required in production mode'))).toBe(true);
    });

    it("requires only the process's own keys when it names them, and refuses to hand out any other", () => {
      const { NODE_PRIVATE_KEY, PAYMENT_TOKEN_ADDRESS, SETTLEMENT_REGISTRY_ADDRESS } = productionKeys;
      const env = {
        PROOFPATH_MODE: 'production',
        NODE_PRIVATE_KEY,
        PAYMENT_TOKEN_ADDRESS,
        SETTLEMENT_REGISTRY_ADDRESS,
      };
      const config = loadConfig(env, { keyRoles: ['node'] });
      expect(config.keys.node).toBe(NODE_PRIVATE_KEY);
      expect(() => config.keys.facilitator).toThrow(/FACILITATOR_PRIVATE_KEY is not set/);
      expect(() => config.keys.payer).toThrow(ConfigError);
      expect(Object.keys(config.keys)).toEqual(['node']); // nothing pretends to be a key
      // A process naming a key it was not given fails at start, as before.
      expect(() => loadConfig(env, { keyRoles: ['node', 'payer'] })).toThrow(
        /PAYER_PRIVATE_KEY is required in production mode/,
      );
      // And a development key is refused even for a role the process does not use.
      expect(() =>
        loadConfig({ ...env, PAYER_PRIVATE_KEY: anvilAccounts()[7]?.privateKey }, { keyRoles: ['node'] }),
      ).toThrow(/PAYER_PRIVATE_KEY: an anvil development key is refused/);
    });
  });
});

describe('configToEnv', () => {
  it('round-trips a configuration through the environment', () => {
    const config = loadConfig({
      HOME: '/home/ops',
      KAFKA_BROKERS: 'a:1,b:2',
      DECISION_APPROVAL_THRESHOLD: '1234.5',
      NODE_FAULTS: 'wrong_output',
    });
    expect(loadConfig(configToEnv(config))).toEqual(config);
  });
});
