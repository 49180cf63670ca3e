// What a rule decides for one request: accepted (with the events to journal, possibly none) or refused with a code.
import { BACK_OFFICE_ERRORS, type BackOfficeErrorCode } from '../contracts/back-office';
import type { BackOfficeEvent } from './journal-entry';
import type { BackOfficeState } from './state';

export type Accepted = {
  ok: true;
  /** 201 when the request created a record, 200 otherwise (including an idempotent repeat). */
  status: 200 | 201;
  /** Empty for a repeat: nothing is journaled, which is what makes effects countable. */
  events: BackOfficeEvent[];
  /** Reads the response body from the state once the events are applied. */
  result(state: BackOfficeState): unknown;
};

export type Refused = {
  ok: false;
  status: number;
  error: { code: BackOfficeErrorCode; message: string; details?: unknown };
};

export type Outcome = Accepted | Refused;

export function refuse(code: BackOfficeErrorCode, message: string, details?: unknown): Refused {
  return {
    ok: false,
    status: BACK_OFFICE_ERRORS[code],
    error: { code, message, ...(details === undefined ? {} : { details }) },
  };
}

export function changed(
  status: 200 | 201,
  events: BackOfficeEvent[],
  result: (state: BackOfficeState) => unknown,
): Accepted {
  return { ok: true, status, events, result };
}

export function unchanged(value: unknown): Accepted {
  return { ok: true, status: 200, events: [], result: () => value };
}

/** The fields of `requested` whose values differ from `existing`: a non-empty list is a conflicting repeat. */
export function differingFields<T extends Record<string, unknown>>(
  existing: T,
  requested: T,
  fields: (keyof T & string)[],
): string[] {
  return fields.filter((f) => existing[f] !== requested[f]);
}
