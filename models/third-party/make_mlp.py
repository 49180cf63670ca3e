"""Makes a small third-party-style ONNX MLP with skl2onnx, the way an outside team would: scikit-learn trains a
StandardScaler + MLPClassifier pipeline on synthetic supplier data (same seven features as the supplier-risk role),
and skl2onnx converts it with zipmap disabled so the probabilities come out as a plain float tensor [N, 2]
(column 0 = P(late or short), column 1 = P(on time and in full)); skl2onnx also emits an int64 `label` output.

The engine did not train this model; it only registers it (`proofpath models add`). Run through make_mlp.sh, which
pins the toolchain (requirements.txt) and writes PROVENANCE.json next to the model.
"""
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import onnx
import skl2onnx
import sklearn
from skl2onnx import to_onnx
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

HERE = Path(__file__).resolve().parent
OUT = HERE / "supplier-late-mlp.onnx"
# The same pipeline with tanh hidden units: a model outside the family the zk circuit generator proves (it is served,
# attested and re-executed, and registered as `proof: unsupported`).
OUT_TANH = HERE / "supplier-late-mlp-tanh.onnx"
FEATURES = ["priceRatio", "quotedLeadTimeDays", "onTimeRate", "defectRate", "distanceKm", "orderToCapacityRatio", "regionRisk"]
LOW = np.array([0.5, 1.0, 0.3, 0.0, 5.0, 0.0, 0.0])
HIGH = np.array([2.0, 120.0, 1.0, 0.3, 15000.0, 1.5, 1.0])


def synthetic_suppliers(rows: int, seed: int):
    rng = np.random.default_rng(seed)
    x = LOW + rng.random((rows, len(FEATURES))) * (HIGH - LOW)
    # A plausible lateness rule with noise: poor history, long distance, overloaded capacity and risky regions.
    logit = -1.0 + 4.0 * (0.85 - x[:, 2]) + 6.0 * x[:, 3] + x[:, 4] / 6000 + 1.5 * (x[:, 5] - 0.8) + 1.5 * x[:, 6] - 0.5 * (x[:, 0] - 1)
    late = rng.random(rows) < 1 / (1 + np.exp(-logit))
    # Label 1 = delivered on time and in full, so class 0 (probability column 0) is P(late or short): the column the
    # supplier-risk role reads first.
    return x.astype(np.float32), (~late).astype(np.int64)


def convert(activation: str, out: Path, x, y) -> dict:
    model = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(8,), activation=activation, max_iter=400, random_state=14))
    model.fit(x, y)
    # zipmap=False: probabilities as a float tensor [N, 2] instead of a sequence of {label: probability} maps.
    onx = to_onnx(model, x[:1], target_opset={"": 13, "ai.onnx.ml": 3}, options={"zipmap": False})
    data = onx.SerializeToString()
    out.write_bytes(data)
    return {
        "file": out.name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "command": "models/third-party/make_mlp.sh",
        "converter": {"skl2onnx": skl2onnx.__version__, "onnx": onnx.__version__, "scikit-learn": sklearn.__version__, "numpy": np.__version__},
        "python": sys.version.split()[0],
        "estimator": f"make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(8,), activation='{activation}', max_iter=400, random_state=14))",
        "conversion": {"target_opset": {"": 13, "ai.onnx.ml": 3}, "options": {"zipmap": False}},
        "features": FEATURES,
        "outputs": [{"name": o.name} for o in onx.graph.output],
        "operators": sorted({n.op_type for n in onx.graph.node}),
        "trainingAccuracy": round(float(model.score(x, y)), 4),
    }


def main() -> None:
    x, y = synthetic_suppliers(4000, seed=14)
    provenance = {"models": [convert("relu", OUT, x, y), convert("tanh", OUT_TANH, x, y)]}
    (HERE / "PROVENANCE.json").write_text(json.dumps(provenance, indent=2) + "\n")
    print(json.dumps(provenance, indent=2))


if __name__ == "__main__":
    main()
