// The request limits of the engine's HTTP services (inference node, facilitator, verifier), read from configuration.
import type { EngineConfig } from '../config';

export type HttpLimits = {
  maxBodyBytes: number;
  maxHeaderBytes: number;
  /** 0: no rate limit. */
  rateLimitPerSecond: number;
  rateLimitBurst: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
};

export type LimitedService = 'node' | 'facilitator' | 'verifier';

export function httpLimitsOf(config: Pick<EngineConfig, 'limits'>, service: LimitedService): HttpLimits {
  const { limits } = config;
  const maxBodyBytes = {
    node: limits.nodeMaxBodyBytes,
    facilitator: limits.facilitatorMaxBodyBytes,
    verifier: limits.verifierMaxBodyBytes,
  }[service];
  return {
    maxBodyBytes,
    maxHeaderBytes: limits.maxHeaderBytes,
    rateLimitPerSecond: limits.rateLimitPerSecond,
    rateLimitBurst: limits.rateLimitBurst,
    headersTimeoutMs: limits.headersTimeoutMs,
    requestTimeoutMs: limits.requestTimeoutMs,
  };
}
