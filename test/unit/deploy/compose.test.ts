// The production-shaped docker-compose.yml is a valid Compose file: interpolated and checked against the Compose
// specification's JSON Schema in-process, so `npm test` needs no Docker engine and no system package.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { interpolate, validateComposeFile } from '../../support/compose-file';

const COMPOSE_FILE = path.resolve(__dirname, '../../../docker-compose.yml');
const REQUIRED_ENV = {
  PAYMENT_TOKEN_ADDRESS: '0x0000000000000000000000000000000000000001',
  SETTLEMENT_REGISTRY_ADDRESS: '0x0000000000000000000000000000000000000002',
  FACILITATOR_PRIVATE_KEY: 'from-secret-store',
  NODE_PRIVATE_KEY: 'from-secret-store',
  VERIFIER_PRIVATE_KEY: 'from-secret-store',
  PAYER_PRIVATE_KEY: 'from-secret-store',
  VERDICT_SIGNERS: '0x0000000000000000000000000000000000000003',
};

function variant(edit: (text: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-'));
  const file = path.join(dir, 'docker-compose.yml');
  const original = fs.readFileSync(COMPOSE_FILE, 'utf8');
  const edited = edit(original);
  expect(edited).not.toBe(original); // the edit must have applied, or the test proves nothing
  fs.writeFileSync(file, edited);
  return file;
}

describe('docker-compose.yml', () => {
  it('validates against the Compose specification', () => {
    const result = validateComposeFile(COMPOSE_FILE, REQUIRED_ENV);
    expect(result).toMatchObject({ ok: true });
  });

  it('runs Temporal on PostgreSQL, Kafka 3.9 and every engine process', () => {
    const result = validateComposeFile(COMPOSE_FILE, REQUIRED_ENV);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(Object.keys(result.document.services)).toEqual(
      expect.arrayContaining([
        'postgresql',
        'temporal',
        'temporal-ui',
        'kafka',
        'worker',
        'bridge',
        'inference-node',
        'facilitator',
        'verifier',
      ]),
    );
    expect(result.document.services.kafka?.image).toMatch(/^apache\/kafka:3\.9\./);
    expect(result.document.services.worker?.environment).toMatchObject({ PROOFPATH_MODE: 'production' });
  });

  it('is rejected when a service carries an unknown key', () => {
    const result = validateComposeFile(
      variant((t) => t.replace('  kafka:\n    image:', '  kafka:\n    imagez: typo\n    image:')),
      REQUIRED_ENV,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.join('\n')).toMatch(/\/services\/kafka: .*additional properties \(imagez\)/);
  });

  it('is rejected when a value has the wrong type', () => {
    const result = validateComposeFile(
      variant((t) => t.replace(/(\n {4}healthcheck:\n)/, '$1      retries: many\n')),
      REQUIRED_ENV,
    );
    expect(result.ok).toBe(false);
  });

  it('refuses to render without the production secrets it requires', () => {
    const { PAYER_PRIVATE_KEY: _omitted, ...withoutPayer } = REQUIRED_ENV;
    const result = validateComposeFile(COMPOSE_FILE, withoutPayer);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.join('\n')).toMatch(/PAYER_PRIVATE_KEY/);
  });
});

describe('Compose interpolation', () => {
  it('applies defaults, required values and escapes as the specification says', () => {
    const env = { SET: 'x', EMPTY: '' };
    expect(interpolate('${SET:-d} ${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} $SET $$HOME', env)).toEqual({
      text: 'x d d  x $HOME',
      errors: [],
    });
    expect(interpolate('${EMPTY:?need it}', env).errors).toEqual([
      'required variable EMPTY is missing a value: need it',
    ]);
    expect(interpolate('${EMPTY?need it}', env).errors).toEqual([]);
  });
});
