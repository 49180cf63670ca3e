// How every Temporal connection of the engine reaches the frontend: address, mTLS (client certificate, CA, server
// name) and API key from configuration. The worker's NativeConnection and the clients' Connection take the same shape.
import fs from 'node:fs';
import type { EngineConfig } from '../config';

export type TemporalTls = {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
};

export type TemporalConnectionOptions = { address: string; tls?: TemporalTls | true; apiKey?: string };

/** Thrown when the TLS settings are incomplete or a file cannot be read; names the setting. */
export class TemporalTlsConfigError extends Error {
  override readonly name = 'TemporalTlsConfigError';
  readonly code = 'temporal_tls_invalid';
}

function readPem(setting: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new TemporalTlsConfigError(`${setting}=${file}: ${(error as Error).message}`);
  }
}

export function temporalConnectionOptions(config: Pick<EngineConfig, 'temporal'>): TemporalConnectionOptions {
  const t = config.temporal;
  if (Boolean(t.tlsCertPath) !== Boolean(t.tlsKeyPath)) {
    throw new TemporalTlsConfigError(
      'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together: set both for mTLS, or neither',
    );
  }
  const tls: TemporalTls = {
    ...(t.tlsServerName && { serverNameOverride: t.tlsServerName }),
    ...(t.tlsCaPath && { serverRootCACertificate: readPem('TEMPORAL_TLS_CA', t.tlsCaPath) }),
    ...(t.tlsCertPath &&
      t.tlsKeyPath && {
        clientCertPair: {
          crt: readPem('TEMPORAL_TLS_CERT', t.tlsCertPath),
          key: readPem('TEMPORAL_TLS_KEY', t.tlsKeyPath),
        },
      }),
  };
  const wantsTls = Object.keys(tls).length > 0;
  // An API key travels as a bearer token: never over plaintext, so it turns TLS on (system roots) by itself.
  return {
    address: t.address,
    ...(wantsTls ? { tls } : t.apiKey ? { tls: true as const } : {}),
    ...(t.apiKey && { apiKey: t.apiKey }),
  };
}
