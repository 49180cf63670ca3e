// The production-shaped docker-compose.yml is a valid Compose file (validated without a Docker engine).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REQUIRED_ENV = {
  PAYMENT_TOKEN_ADDRESS: '0x0000000000000000000000000000000000000001',
  SETTLEMENT_REGISTRY_ADDRESS: '0x0000000000000000000000000000000000000002',
  FACILITATOR_PRIVATE_KEY: 'from-secret-store',
  NODE_PRIVATE_KEY: 'from-secret-store',
  VERIFIER_PRIVATE_KEY: 'from-secret-store',
  PAYER_PRIVATE_KEY: 'from-secret-store',
};

/** `docker compose` when the plugin exists, else Debian's `docker-compose` (installed by .ci/run). */
function composeValidator(): string[] {
  if (spawnSync('docker', ['compose', 'version']).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version']).status === 0) return ['docker-compose'];
  throw new Error('no Compose validator: install Debian docker-compose (apt-get install docker-compose) or the docker compose plugin');
}

function validate(file: string): { ok: boolean; output: string } {
  const [command, ...prefix] = composeValidator();
  const result = spawnSync(command as string, [...prefix, '-f', file, 'config', '-q'], { env: { ...process.env, ...REQUIRED_ENV }, encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

describe('docker-compose.yml', () => {
  const composeFile = path.resolve(__dirname, '../../../docker-compose.yml');

  it('validates with the Compose validator', () => {
    const result = validate(composeFile);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('is rejected when it carries an unknown key (the validator really checks)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-'));
    const broken = path.join(dir, 'docker-compose.yml');
    fs.writeFileSync(broken, fs.readFileSync(composeFile, 'utf8').replace('  kafka:\n    image:', '  kafka:\n    imagez: typo\n    image:'));
    fs.copyFileSync(path.resolve(__dirname, '../../../Dockerfile'), path.join(dir, 'Dockerfile'));
    fs.mkdirSync(path.join(dir, 'deploy'));
    expect(validate(broken).ok).toBe(false);
  });

  it('runs Temporal on PostgreSQL, Kafka 3.9 and every engine process', () => {
    const config = execFileSync(composeValidator()[0] as string, [...composeValidator().slice(1), '-f', composeFile, 'config', '--services'], {
      env: { ...process.env, ...REQUIRED_ENV },
      encoding: 'utf8',
    });
    expect(config.split('\n')).toEqual(expect.arrayContaining(['postgresql', 'temporal', 'temporal-ui', 'kafka', 'worker', 'bridge', 'inference-node', 'facilitator', 'verifier']));
    expect(fs.readFileSync(composeFile, 'utf8')).toMatch(/image: apache\/kafka:3\.9\./);
  });
});
