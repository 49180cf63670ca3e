// Held-out metrics computed in TypeScript (independently of the Python pipeline): ROC AUC and MAE.

/** ROC AUC by the rank-sum formula, ties get their average rank. */
export function rocAuc(labels: readonly number[], scores: readonly number[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const positives = labels.filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  const positiveRankSum = labels.reduce((sum, l, i) => (l === 1 ? sum + ranks[i]! : sum), 0);
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function meanAbsoluteError(actual: readonly number[], predicted: readonly number[]): number {
  if (actual.length !== predicted.length) throw new Error('length mismatch');
  return actual.reduce((sum, a, i) => sum + Math.abs(a - predicted[i]!), 0) / actual.length;
}
