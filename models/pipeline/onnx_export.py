"""Writes trained one-hidden-layer MLPs as small ONNX graphs a zkML prover can handle (Sub, Div, Gemm, Relu, Sigmoid, Mul, Add)."""
from dataclasses import dataclass

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# Opset 13 / IR 8: old enough for zkML front-ends (tract, ezkl) and every onnxruntime since 1.8.
OPSET = 13
IR_VERSION = 8
INPUT_NAME = "features"
OUTPUT_NAME = "output"


@dataclass(frozen=True)
class Head:
    """One output column: a linear read-out of the hidden layer, optionally squashed by a sigmoid."""
    weights: np.ndarray  # [hidden_total]
    bias: float
    sigmoid: bool


def _init(name: str, array: np.ndarray) -> onnx.TensorProto:
    return numpy_helper.from_array(np.ascontiguousarray(array, dtype=np.float32), name)


def build_mlp_graph(name: str, doc: str, mean: np.ndarray, std: np.ndarray,
                    w1: np.ndarray, b1: np.ndarray, heads: list[Head]) -> onnx.ModelProto:
    """features [N,F] -> (x-mean)/std -> Relu(Gemm) -> K heads -> output [N,K].

    Columns with a sigmoid and columns without are computed by two Gemms over the same hidden layer;
    the sigmoid part is masked with Mul and the two are summed with Add, which avoids Concat/Slice.
    """
    n_features, n_hidden = w1.shape
    k = len(heads)
    linear_w = np.zeros((n_hidden, k)); linear_b = np.zeros(k)
    sig_w = np.zeros((n_hidden, k)); sig_b = np.zeros(k); sig_mask = np.zeros(k)
    for j, head in enumerate(heads):
        if head.sigmoid:
            sig_w[:, j] = head.weights; sig_b[j] = head.bias; sig_mask[j] = 1.0
        else:
            linear_w[:, j] = head.weights; linear_b[j] = head.bias

    inits = [_init("feature_mean", mean), _init("feature_std", std), _init("W1", w1), _init("B1", b1)]
    nodes = [
        helper.make_node("Sub", [INPUT_NAME, "feature_mean"], ["centered"], name="standardize_sub"),
        helper.make_node("Div", ["centered", "feature_std"], ["standardized"], name="standardize_div"),
        helper.make_node("Gemm", ["standardized", "W1", "B1"], ["hidden_pre"], name="hidden_gemm"),
        helper.make_node("Relu", ["hidden_pre"], ["hidden"], name="hidden_relu"),
    ]
    has_linear = any(not h.sigmoid for h in heads)
    has_sigmoid = any(h.sigmoid for h in heads)
    if has_linear and not has_sigmoid:
        inits += [_init("W2", linear_w), _init("B2", linear_b)]
        nodes.append(helper.make_node("Gemm", ["hidden", "W2", "B2"], [OUTPUT_NAME], name="output_gemm"))
    elif has_sigmoid and not has_linear:
        inits += [_init("W2", sig_w), _init("B2", sig_b)]
        nodes += [helper.make_node("Gemm", ["hidden", "W2", "B2"], ["logits"], name="output_gemm"),
                  helper.make_node("Sigmoid", ["logits"], [OUTPUT_NAME], name="output_sigmoid")]
    else:
        inits += [_init("W2_linear", linear_w), _init("B2_linear", linear_b),
                  _init("W2_logit", sig_w), _init("B2_logit", sig_b), _init("sigmoid_mask", sig_mask)]
        nodes += [
            helper.make_node("Gemm", ["hidden", "W2_linear", "B2_linear"], ["linear_part"], name="linear_gemm"),
            helper.make_node("Gemm", ["hidden", "W2_logit", "B2_logit"], ["logits"], name="logit_gemm"),
            helper.make_node("Sigmoid", ["logits"], ["probabilities"], name="logit_sigmoid"),
            helper.make_node("Mul", ["probabilities", "sigmoid_mask"], ["probability_part"], name="mask_mul"),
            helper.make_node("Add", ["linear_part", "probability_part"], [OUTPUT_NAME], name="output_add"),
        ]

    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["N", n_features])],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["N", k])],
        initializer=inits,
    )
    # No timestamps or host names anywhere in the model: the bytes (and so the model id) depend only on the weights.
    model = helper.make_model(graph, producer_name="proofpath-models", producer_version="1",
                              doc_string=doc, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model, full_check=True)
    return model


def mlp_layers(mlp) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(W1, b1, W2, b2) of a fitted one-hidden-layer scikit-learn MLP."""
    assert len(mlp.coefs_) == 2, "expected exactly one hidden layer"
    return mlp.coefs_[0], mlp.intercepts_[0], mlp.coefs_[1], mlp.intercepts_[1]


def serialize(model: onnx.ModelProto) -> bytes:
    return model.SerializeToString(deterministic=True)


def parameter_count(model: onnx.ModelProto) -> int:
    return int(sum(np.prod(t.dims) for t in model.graph.initializer))


def run_reference(model_bytes: bytes, rows: np.ndarray) -> np.ndarray:
    """Runs the exported graph with ONNX's reference evaluator, so card metrics describe the file, not sklearn."""
    from onnx.reference import ReferenceEvaluator
    session = ReferenceEvaluator(onnx.load_from_string(model_bytes))
    return session.run(None, {INPUT_NAME: rows.astype(np.float32)})[0]
