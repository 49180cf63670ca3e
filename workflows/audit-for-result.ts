// The final audit record as the workflow returns it: the whole record when it is small, otherwise shortened (tensor
// rows and outputs first, then the oldest trail entries) so the result stays well below Temporal's payload limits
// (2 MB per payload on the default server; it warns from 512 KB). `clipped` says what was left out.
import type { DecisionAudit } from '../src/contracts/decision';

/** Far below the 512 KB warning: a result also travels in every describe and list of closed decisions. */
export const AUDIT_RESULT_MAX_CHARS = 256_000;
const TRAIL_KEPT_WHEN_CLIPPED = 200;

export function auditForResult(audit: Readonly<DecisionAudit>, maxChars = AUDIT_RESULT_MAX_CHARS): DecisionAudit {
  const full: DecisionAudit = { ...audit };
  if (size(full) <= maxChars) return full;
  const withoutTensors: DecisionAudit = {
    ...full,
    inferences: full.inferences.map((i) => ({ ...i, rows: [], outputs: [] })),
    clipped: ['inferences.rows', 'inferences.outputs'],
  };
  if (size(withoutTensors) <= maxChars) return withoutTensors;
  const shortTrail: DecisionAudit = {
    ...withoutTensors,
    trail: withoutTensors.trail.slice(-TRAIL_KEPT_WHEN_CLIPPED),
    clipped: [
      ...(withoutTensors.clipped ?? []),
      `trail (kept the last ${TRAIL_KEPT_WHEN_CLIPPED} of ${full.trail.length})`,
    ],
  };
  if (size(shortTrail) <= maxChars) return shortTrail;
  // Still too large (a huge input): keep the verification chain, drop the input and the trail.
  return { ...shortTrail, input: null, trail: [], clipped: [...(withoutTensors.clipped ?? []), 'input', 'trail'] };
}

function size(audit: DecisionAudit): number {
  return JSON.stringify(audit).length;
}
