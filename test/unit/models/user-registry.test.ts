// The user model registry: what `models add` records, and each declaration it refuses, by name and field.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addUserModel, DEFAULT_MODELS_DIR, FEATURE_ORDER, loadUserModels, type AddModelRequest } from '../../../src/models';

const FILE = path.join(DEFAULT_MODELS_DIR, 'third-party', 'supplier-late-mlp.onnx');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proofpath-registry-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const request = (overrides: Partial<AddModelRequest> = {}): AddModelRequest => ({
  file: FILE,
  name: 'acme-late',
  features: FEATURE_ORDER['supplier-risk'].map((name) => ({ name })),
  proofSupport: () => ({ status: 'supported', family: 'test' }),
  ...overrides,
});

describe('user model registry', () => {
  it('records the graph facts, the served output and the outputs it leaves out', async () => {
    const entry = await addUserModel(dir, request());
    expect(entry).toMatchObject({
      name: 'acme-late', file: `${entry.id}.onnx`, producer: 'skl2onnx 1.20.0',
      input: { name: 'X', type: 'float32', shape: ['N', 7] },
      output: { name: 'probabilities', type: 'float32', shape: ['N', 2] },
      outputs: [{ name: 'probabilities[0]' }, { name: 'probabilities[1]' }],
      omittedOutputs: [{ name: 'label', reason: 'int64 ["?"]: not the served float32 output' }],
    });
    expect(entry.operators).toEqual(expect.arrayContaining(['MatMul', 'Relu', 'Sigmoid', 'ai.onnx.ml.Scaler']));
    expect(await loadUserModels(dir)).toEqual([entry]);
    expect(fs.readFileSync(path.join(dir, entry.file))).toEqual(fs.readFileSync(FILE));
  });

  it.each([
    ['inputs', { features: [{ name: 'a' }] }, 'model_manifest_mismatch'],
    ['output.columns', { columns: ['only-one'] }, 'model_manifest_mismatch'],
    ['output.name', { output: 'scores' }, 'model_manifest_mismatch'],
    ['output.type', { output: 'label' }, 'model_manifest_mismatch'],
  ])('refuses a wrong %s declaration', async (field, overrides, code) => {
    await expect(addUserModel(dir, request(overrides))).rejects.toMatchObject({ name: 'ModelManifestMismatchError', code, details: { field } });
    expect(await loadUserModels(dir)).toEqual([]);
  });

  it('refuses a built-in name, or a name that already names another model', async () => {
    await expect(addUserModel(dir, request({ name: 'supplier-risk' }))).rejects.toMatchObject({ code: 'model_name_taken' });
    await addUserModel(dir, request());
    const other = path.join(dir, 'other.onnx');
    fs.writeFileSync(other, fs.readFileSync(path.join(DEFAULT_MODELS_DIR, 'third-party', 'supplier-late-mlp-tanh.onnx')));
    await expect(addUserModel(dir, request({ file: other }))).rejects.toMatchObject({ name: 'ModelRegistryError', code: 'model_name_taken' });
  });

  it('refuses a file that is not an ONNX model', async () => {
    const junk = path.join(dir, 'junk.onnx');
    fs.writeFileSync(junk, 'not a model at all');
    await expect(addUserModel(dir, request({ file: junk }))).rejects.toMatchObject({ name: 'ModelFileError', code: 'model_file_invalid' });
  });
});
