// What the ERP and TMS clients share: JSON over fetch with an Idempotency-Key, responses parsed with the contract
// schemas, and every failure turned into the caller's named error class (chosen by status) with the service's code.
import type { z } from 'zod';
import { leanFetch } from '../http-client';
import { BackOfficeErrorBodySchema } from '../contracts/back-office';
import { isTransientHttpStatus } from '../retry';
import type { ClientErrorClass } from './errors';

/** One class per outcome: a client passes its error family (erpErrors, tmsErrors). */
export type ClientErrorClasses = Record<'Validation' | 'NotFound' | 'Conflict' | 'Unavailable', ClientErrorClass>;

export type BackOfficeTransportOptions = {
  /** e.g. http://127.0.0.1:8405 (see backOfficeUrl). */
  baseUrl: string;
  /** Defaults to the engine's lean fetch (src/http-client); tests may pass a stub. */
  fetch?: typeof fetch;
  /** Per request; a timeout is an unavailable service (retryable). Default 10 s. */
  timeoutMs?: number;
};

export type BackOfficeTransport = {
  /** Which service's client this is: names it in messages and prefixes derived Idempotency-Keys. */
  service: 'erp' | 'tms';
  post<S extends z.ZodType>(path: string, body: unknown, schema: S, idempotencyKey: string): Promise<z.output<S>>;
  get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>>;
};

export function createBackOfficeTransport(
  service: 'erp' | 'tms',
  options: BackOfficeTransportOptions,
  errors: ClientErrorClasses,
): BackOfficeTransport {
  const fetchImpl = options.fetch ?? leanFetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body?: unknown,
    key?: string,
  ): Promise<z.output<S>> {
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(`${base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(key ? { 'idempotency-key': key } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new errors.Unavailable(
        'service_unreachable',
        `${service} service at ${base} could not be reached: ${reason}`,
        undefined,
        { method, path },
      );
    }
    const json = parseJson(text);
    if (response.ok) {
      const parsed = schema.safeParse(json);
      if (parsed.success) return parsed.data;
      // Most likely a version skew during a deploy; retrying against the new version can help.
      throw new errors.Unavailable(
        'invalid_response',
        `${service} ${method} ${path} answered ${response.status} with an unexpected body`,
        response.status,
        { issues: parsed.error.issues },
      );
    }
    const failure = BackOfficeErrorBodySchema.safeParse(json);
    const code = failure.success ? failure.data.error.code : `http_${response.status}`;
    const message = failure.success
      ? failure.data.error.message
      : `${service} ${method} ${path} answered ${response.status}`;
    const details = failure.success
      ? { issues: failure.data.error.issues, details: failure.data.error.details }
      : { body: text.slice(0, 500) };
    throw new (classFor(response.status, errors))(code, message, response.status, details);
  }

  return {
    service,
    post: (path, body, schema, key) => call('POST', path, schema, body, key),
    get: (path, schema) => call('GET', path, schema),
  };
}

function classFor(status: number, errors: ClientErrorClasses): ClientErrorClass {
  if (status === 404) return errors.NotFound;
  if (status === 409) return errors.Conflict;
  // Timeouts, rate limits and a service that is away pass; every other refusal will be repeated identically.
  if (isTransientHttpStatus(status)) return errors.Unavailable;
  return errors.Validation;
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The service's URL from the engine configuration (it listens on ports.host:ports.erp). */
export function backOfficeUrl(config: { ports: { host: string; erp: number } }): string {
  const { host, erp } = config.ports;
  return `http://${host.includes(':') ? `[${host}]` : host}:${erp}`;
}
