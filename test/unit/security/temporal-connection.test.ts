// Every Temporal connection takes its TLS and API key from configuration; incomplete TLS settings are refused by name.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporalConnectionOptions, TemporalTlsConfigError } from '../../../src/decisions/temporal-connection';
import { testConfig } from '../../support/test-config';

describe('temporalConnectionOptions', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-tls-'));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is plaintext with only an address (the embedded dev server)', () => {
    expect(temporalConnectionOptions(testConfig({ TEMPORAL_ADDRESS: '127.0.0.1:7233' }))).toEqual({
      address: '127.0.0.1:7233',
    });
  });

  it('reads the client certificate pair, the CA and the server name for mTLS', () => {
    const options = temporalConnectionOptions(
      testConfig({
        TEMPORAL_ADDRESS: 'temporal.example:7233',
        TEMPORAL_TLS_CERT: file('client.pem', 'CERT'),
        TEMPORAL_TLS_KEY: file('client.key', 'KEY'),
        TEMPORAL_TLS_CA: file('ca.pem', 'CA'),
        TEMPORAL_TLS_SERVER_NAME: 'frontend.internal',
      }),
    );
    expect(options).toEqual({
      address: 'temporal.example:7233',
      tls: {
        serverNameOverride: 'frontend.internal',
        serverRootCACertificate: Buffer.from('CA'),
        clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') },
      },
    });
  });

  it('sends an API key only over TLS', () => {
    expect(temporalConnectionOptions(testConfig({ TEMPORAL_API_KEY: 'key-123' }))).toMatchObject({
      tls: true,
      apiKey: 'key-123',
    });
  });

  it('refuses a certificate without its key, and names an unreadable file', () => {
    expect(() => temporalConnectionOptions(testConfig({ TEMPORAL_TLS_CERT: file('only.pem', 'CERT') }))).toThrow(
      TemporalTlsConfigError,
    );
    expect(() => temporalConnectionOptions(testConfig({ TEMPORAL_TLS_CA: path.join(dir, 'missing.pem') }))).toThrow(
      /TEMPORAL_TLS_CA=.*missing\.pem/,
    );
  });
});
