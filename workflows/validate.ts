// Validation inside workflows: a failed parse becomes a non-retryable ApplicationFailure, never a ZodError (which
// would retry the workflow task forever).
import { ApplicationFailure } from '@temporalio/workflow';

type SafeParser<T> = {
  safeParse(
    v: unknown,
  ):
    { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
};

export function validate<T>(schema: SafeParser<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || what}: ${i.message}`);
  throw ApplicationFailure.create({
    type: 'InvalidInput',
    message: `invalid ${what}: ${issues.join('; ')}`,
    nonRetryable: true,
    details: issues,
  });
}

/** Refuses an update in its validator: the sender gets the failure, the workflow's history records nothing. */
export function refuseUpdate(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}
