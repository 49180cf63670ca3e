// Fixed-point quantization shared by the circuit generator, the prover and the verifier.
//
// Inputs are scaled by 2^INPUT_BITS, weights by 2^WEIGHT_BITS, biases of a layer by the product of its operand scales.
// After layer 1 the pre-activation (scale 2^(INPUT_BITS+WEIGHT_BITS)) is floor-divided by 2^WEIGHT_BITS back to the input
// scale, with the remainder range-checked to WEIGHT_BITS bits and the quotient to [-2^BOUND_BITS, 2^BOUND_BITS), i.e.
// |hidden| < 2^(BOUND_BITS-INPUT_BITS) = 1,048,576 in real units. Outputs stay at scale 2^(INPUT_BITS+WEIGHT_BITS), exact.
import type { MlpSpec } from './mlp-spec';

export const INPUT_BITS = 20;
export const WEIGHT_BITS = 24;
export const BOUND_BITS = 40;
export const OUTPUT_SCALE_BITS = INPUT_BITS + WEIGHT_BITS;

/** BN254 scalar field order: circom's and snarkjs' field. */
export const FIELD_PRIME = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

export type QuantizedMlp = {
  inputs: number;
  hidden: number;
  w1: bigint[][];
  b1: bigint[];
  heads: Array<{ weights: bigint[]; bias: bigint; sigmoid: boolean }>;
  /** Hidden layers after the first: activations come in at the input scale, so weights and biases scale as layer 1's. */
  deeper?: Array<{ w: bigint[][]; b: bigint[] }>;
};

const fixed = (value: number, bits: number): bigint => BigInt(Math.round(value * 2 ** bits));

export function quantizeMlp(spec: MlpSpec): QuantizedMlp {
  return {
    inputs: spec.inputs,
    hidden: spec.hidden,
    w1: spec.w1.map((row) => row.map((w) => fixed(w, WEIGHT_BITS))),
    b1: spec.b1.map((b) => fixed(b, INPUT_BITS + WEIGHT_BITS)),
    heads: spec.heads.map((h) => ({
      weights: h.weights.map((w) => fixed(w, WEIGHT_BITS)),
      bias: fixed(h.bias, INPUT_BITS + WEIGHT_BITS),
      sigmoid: h.sigmoid,
    })),
    ...(spec.deeper?.length
      ? {
          deeper: spec.deeper.map((l) => ({
            w: l.w.map((row) => row.map((w) => fixed(w, WEIGHT_BITS))),
            b: l.b.map((b) => fixed(b, INPUT_BITS + WEIGHT_BITS)),
          })),
        }
      : {}),
  };
}

/** A receipt row as the circuit sees it: float32 (what the ONNX tensor held), then fixed point. */
export function quantizeInput(row: ReadonlyArray<number>): bigint[] {
  return row.map((x) => fixed(Math.fround(x), INPUT_BITS));
}

export const toField = (v: bigint): bigint => ((v % FIELD_PRIME) + FIELD_PRIME) % FIELD_PRIME;
/** Field element → signed integer, reading the upper half of the field as negatives. */
export const fromField = (v: bigint): bigint => (v > FIELD_PRIME / 2n ? v - FIELD_PRIME : v);

/** Floor division that rounds towards −∞, as the circuit's range-checked rescale does. */
const floorDiv = (a: bigint, d: bigint): bigint => (a >= 0n ? a / d : -((-a + d - 1n) / d));

/** The circuit's arithmetic in plain integers: the public outputs a proof for `xq` carries (before the field encoding). */
export function evaluateQuantized(model: QuantizedMlp, xq: bigint[]): bigint[] {
  const layer = (input: bigint[], w: bigint[][], b: bigint[]) =>
    b.map((bias, j) => {
      const pre = input.reduce((acc, x, i) => acc + x * (w[i]?.[j] as bigint), bias);
      const q = floorDiv(pre, 2n ** BigInt(WEIGHT_BITS));
      if (q < -(2n ** BigInt(BOUND_BITS)) || q >= 2n ** BigInt(BOUND_BITS))
        throw new RangeError('hidden activation outside the circuit range');
      return q > 0n ? q : 0n;
    });
  const hidden = (model.deeper ?? []).reduce((h, l) => layer(h, l.w, l.b), layer(xq, model.w1, model.b1));
  return model.heads.map((h) => hidden.reduce((acc, v, j) => acc + v * (h.weights[j] as bigint), h.bias));
}

/** Output public signal → the model's output value: dequantize, then apply the sigmoid the circuit leaves to the verifier. */
export function dequantizeOutput(value: bigint, sigmoid: boolean): number {
  const logit = Number(value) / 2 ** OUTPUT_SCALE_BITS;
  return sigmoid ? 1 / (1 + Math.exp(-logit)) : logit;
}

/**
 * Tolerance between the float32 ONNX model's output and the circuit's. Fixed-point rounding (inputs 2^-21, weights
 * 2^-25, the rescale floor 2^-20 per hidden unit) plus float32 rounding inside onnxruntime gave, on 200 held-out rows,
 * worst relative errors of 2.8e-5 (supplier-risk), 3.2e-4 (lane-eta, transit hours in the hundreds) and 6.6e-7
 * (demand-forecast); test/unit/verification/quantized-model.test.ts re-measures them. Allowed: 1e-3 absolute + 1e-3 relative.
 */
export const OUTPUT_TOLERANCE = { absolute: 1e-3, relative: 1e-3 } as const;

export function withinTolerance(expected: number, actual: number): boolean {
  return Math.abs(expected - actual) <= OUTPUT_TOLERANCE.absolute + OUTPUT_TOLERANCE.relative * Math.abs(expected);
}
