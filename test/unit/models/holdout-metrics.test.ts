
// Each committed model beats its simple baseline on its committed held-out set, with both metrics computed here.
import { buildDemandForecastRow, createOnnxModelRuntime, type ModelRuntime } from '../../../src/models';
import { holdoutSet, readHoldout, readManifestEntry } from './holdout';
import { meanAbsoluteError, rocAuc } from './metrics';

let runtime: ModelRuntime;
beforeAll(async () => {
  runtime = await createOnnxModelRuntime({ maxBatchRows: 4096 });
});
afterAll(async () => {
  await runtime.close();
});

const column = (rows: number[][], j: number) => rows.map((r) => r[j]!);

/** The card's number (Python reference evaluator) and ours (onnxruntime) must agree: same file, same rows. */
function expectMatchesManifest(name: 'supplier-risk' | 'lane-eta' | 'demand-forecast', set: string, output: number, model: number, baseline: number) {
  const metric = readManifestEntry(name).metrics.find((m) => m.set === set && m.output === output)!;
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b));
  expect({ model, close: close(model, metric.model) }).toEqual({ model, close: true });
  expect({ baseline, close: close(baseline, metric.baseline) }).toEqual({ baseline, close: true });
}

describe('held-out quality', () => {
  it('supplier-risk ranks late/short deliveries better than the historical late rate (AUC)', async () => {
    const holdout = readHoldout('supplier-risk');
    const set = holdoutSet(holdout, 'synthetic');
    const { outputs } = await runtime.infer(readManifestEntry('supplier-risk').id, set.rows);
    const onTime = holdout.featureOrder.indexOf('onTimeRate');
    const modelAuc = rocAuc(set.labels!, column(outputs, 0));
    const baselineAuc = rocAuc(set.labels!, set.rows.map((r) => 1 - r[onTime]!));
    expect(modelAuc).toBeGreaterThan(baselineAuc + 0.02);
    expectMatchesManifest('supplier-risk', 'synthetic', 0, modelAuc, baselineAuc);
  });

  it('lane-eta predicts transit hours better than distance / mode speed (MAE) and ranks delays better than carrier history (AUC)', async () => {
    const holdout = readHoldout('lane-eta');
    const set = holdoutSet(holdout, 'synthetic');
    const { outputs } = await runtime.infer(readManifestEntry('lane-eta').id, set.rows);
    const speeds = holdout.baseline.modeSpeedsKmh!;
    const modes = ['road', 'rail', 'sea', 'air'];
    const baselineHours = set.rows.map((r) => r[0]! / speeds[modes[r.slice(1, 5).indexOf(1)]!]!);
    const modelMae = meanAbsoluteError(set.hours!, column(outputs, 0));
    const baselineMae = meanAbsoluteError(set.hours!, baselineHours);
    expect(modelMae).toBeLessThan(baselineMae * 0.8);
    expectMatchesManifest('lane-eta', 'synthetic', 0, modelMae, baselineMae);

    const onTime = holdout.featureOrder.indexOf('carrierOnTimeRate');
    const modelAuc = rocAuc(set.delayed!, column(outputs, 1));
    const baselineAuc = rocAuc(set.delayed!, set.rows.map((r) => 1 - r[onTime]!));
    expect(modelAuc).toBeGreaterThan(baselineAuc + 0.05);
    expectMatchesManifest('lane-eta', 'synthetic', 1, modelAuc, baselineAuc);
  });

  it.each(['wineind', 'synthetic'])('demand-forecast beats the seasonal-naive forecast on the %s held-out windows (MAE)', async (name) => {
    const set = holdoutSet(readHoldout('demand-forecast'), name);
    const { outputs } = await runtime.infer(readManifestEntry('demand-forecast').id, set.rows);
    const actual = set.targets!.map((t, i) => t * set.scales![i]!);
    const modelMae = meanAbsoluteError(actual, outputs.map((o, i) => o[0]! * set.scales![i]!));
    const seasonalNaiveMae = meanAbsoluteError(actual, set.rows.map((r, i) => r[0]! * set.scales![i]!));
    expect(modelMae).toBeLessThan(seasonalNaiveMae);
    expectMatchesManifest('demand-forecast', name, 0, modelMae, seasonalNaiveMae);
  });

  it('the demand feature builder reproduces the training pipeline rows from the raw wine sales series', () => {
    const set = holdoutSet(readHoldout('demand-forecast'), 'wineind');
    const series = set.series!;
    set.rows.forEach((expected, i) => {
      const target = set.firstTarget! + i;
      const { row, scale } = buildDemandForecastRow(series.slice(0, target));
      row.forEach((v, j) => expect(v).toBeCloseTo(expected[j]!, 5));
      expect(scale).toBeCloseTo(set.scales![i]!, 3);
    });
  });
});
