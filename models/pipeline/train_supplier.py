"""Trains supplier-risk: P(late or short delivery) for a supplier and an order, one hidden layer of 12 ReLUs."""
import numpy as np
from sklearn.neural_network import MLPClassifier

from . import supplier_data as data
from .artifact import Artifact, Metric, rounded
from .metrics import auc
from .onnx_export import Head, build_mlp_graph, mlp_layers, run_reference, serialize

SEEDS = {"train": 101, "holdout": 102, "mlp": 7}
N_TRAIN, N_HOLDOUT, HIDDEN = 20000, 1000, 12


def train() -> Artifact:
    x, y = data.generate(N_TRAIN, SEEDS["train"])
    mean, std = x.mean(axis=0), x.std(axis=0)
    mlp = MLPClassifier((HIDDEN,), activation="relu", solver="lbfgs", alpha=1e-3, max_iter=500,
                        random_state=SEEDS["mlp"]).fit((x - mean) / std, y)
    w1, b1, w2, b2 = mlp_layers(mlp)
    model = build_mlp_graph("supplier_risk", "P(late or short delivery) per supplier/order row; raw features in manifest units.",
                            mean, std, w1, b1, [Head(w2[:, 0], float(b2[0]), sigmoid=True)])

    hx, hy = data.generate(N_HOLDOUT, SEEDS["holdout"])
    rows = rounded(hx)
    scores = run_reference(serialize(model), np.array(rows))[:, 0]
    metric = Metric("synthetic", "auc", 0, "ROC AUC", auc(hy, scores), auc(hy, data.baseline_score(np.array(rows))),
                    "historical late rate (1 - onTimeRate)")
    return Artifact(
        name="supplier-risk",
        title="Supplier risk",
        model=model,
        features=data.FEATURES,
        outputs=[("lateOrShortProbability", "probability 0-1", "P(the order arrives late or short)")],
        holdout={"sets": [{"name": "synthetic", "rows": rows, "labels": hy.tolist()}],
                 "baseline": {"kind": "one_minus_feature", "feature": "onTimeRate"}},
        metrics=[metric],
        price_hint={"amount": "0.001", "asset": "USDC", "per": "request"},
        training={"rows": N_TRAIN, "positiveRate": round(float(y.mean()), 4), "seeds": SEEDS,
                  "estimator": f"MLPClassifier(hidden=({HIDDEN},), relu, lbfgs, alpha=1e-3, max_iter=500)"},
        card_sections={"Training data": SUPPLIER_DATA_DOC},
    )


SUPPLIER_DATA_DOC = """Synthetic (`models/pipeline/supplier_data.py`, seeds 101 train / 102 held-out), 20,000 training rows.
Assumptions, chosen to mimic procurement data where history is informative but not sufficient:
- Each supplier has a latent quality q ~ N(0,1). Region risk ~ Beta(2,5).
- onTimeRate = sigmoid(2.0 + 0.8 q - 1.5 regionRisk + N(0, 0.35)), clipped to [0.3, 1];
  defectRate = exp(N(-4 - 0.5 q, 0.6)), clipped to [0, 0.3]; priceRatio = exp(N(0.03 q, 0.12)) (good suppliers are a bit dearer).
- distanceKm ~ LogNormal(ln 800, 1.0) clipped to [5, 15000]; a fair lead time is 3 + distance/400 days plus Gamma(2,3);
  the quote is that times exp(N(0, 0.3)), so some suppliers under-quote.
- orderToCapacityRatio ~ 1.5 Beta(2,4).
- Outcome: late-or-short ~ Bernoulli(sigmoid(z)) with z = -2 - q + 4 max(size - 0.7, 0) + 6 max(0.9 - priceRatio, 0)
  + 0.35 ln(distance/800) + 1.2 regionRisk + 6 defectRate + 1.5 max(fairLead/quotedLead - 1, 0).
  About 28% of training orders fail."""
