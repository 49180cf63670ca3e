// Benchmark of the ONNX models through the registry: single-row and 32-row batch latency, rows per second.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createOnnxModelRuntime, DEFAULT_MODELS_DIR } from '../src/models';
import { timeIterations, type BenchRow, type BenchSection } from './report';

const DEFAULT_ITERATIONS = 500;
const BATCH = 32;

export async function benchModels(ITERATIONS = DEFAULT_ITERATIONS): Promise<BenchSection> {
  const runtime = await createOnnxModelRuntime();
  const rows: BenchRow[] = [];
  try {
    for (const model of runtime.listModels()) {
      // Real inputs: the committed held-out rows of each model.
      const holdout = JSON.parse(readFileSync(path.join(DEFAULT_MODELS_DIR, model.name, 'holdout.json'), 'utf8')) as {
        sets: Array<{ rows: number[][] }>;
      };
      const batch = holdout.sets[0]!.rows.slice(0, BATCH);
      const single = [batch[0]!];
      const one = await timeIterations(() => runtime.infer(model.id, single), ITERATIONS);
      const many = await timeIterations(() => runtime.infer(model.id, batch), ITERATIONS);
      const note = `${model.bytes} B, id ${model.id.slice(0, 12)}…, incl. validation + input/output hashing`;
      rows.push({
        name: `${model.name} 1 row`,
        p50Ms: one.p50Ms,
        p99Ms: one.p99Ms,
        opsPerSec: 1000 / one.meanMs,
        note,
      });
      rows.push({
        name: `${model.name} ${BATCH} rows`,
        p50Ms: many.p50Ms,
        p99Ms: many.p99Ms,
        opsPerSec: (BATCH * 1000) / many.meanMs,
        note: 'ops/s = rows per second',
      });
    }
  } finally {
    await runtime.close();
  }
  return { title: `Model inference (onnxruntime-node, 1 thread, ${ITERATIONS} iterations)`, rows };
}
