// Activities validate their input at the boundary; a bad input is a non-retryable failure with every issue named.
import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';

export function parseActivityInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || 'input'}: ${i.message}`);
  throw ApplicationFailure.create({
    type: 'InvalidActivityInput',
    message: issues.join('; '),
    nonRetryable: true,
    details: issues,
  });
}
