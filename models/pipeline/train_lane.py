"""Trains lane-eta: expected transit hours and delay probability for a route, two 12-unit MLPs fused into one graph."""
import numpy as np
from sklearn.neural_network import MLPClassifier, MLPRegressor

from . import lane_data as data
from .artifact import Artifact, Metric, rounded
from .metrics import auc, mae
from .onnx_export import Head, build_mlp_graph, mlp_layers, run_reference, serialize

SEEDS = {"train": 201, "holdout": 202, "mlp": 7}
N_TRAIN, N_HOLDOUT, HIDDEN = 20000, 1000, 12


def train() -> Artifact:
    x, hours, delayed = data.generate(N_TRAIN, SEEDS["train"])
    mean, std = x.mean(axis=0), x.std(axis=0)
    xs = (x - mean) / std
    h_mean, h_std = hours.mean(), hours.std()
    eta = MLPRegressor((HIDDEN,), activation="relu", solver="lbfgs", alpha=1e-3, max_iter=1000,
                       random_state=SEEDS["mlp"]).fit(xs, (hours - h_mean) / h_std)
    risk = MLPClassifier((HIDDEN,), activation="relu", solver="lbfgs", alpha=1e-3, max_iter=500,
                         random_state=SEEDS["mlp"]).fit(xs, delayed)
    ew1, eb1, ew2, eb2 = mlp_layers(eta)
    rw1, rb1, rw2, rb2 = mlp_layers(risk)
    # One hidden layer of 2x12 units: the first 12 feed the ETA column, the last 12 the delay column.
    zeros = np.zeros(HIDDEN)
    heads = [
        Head(np.concatenate([ew2[:, 0] * h_std, zeros]), float(eb2[0] * h_std + h_mean), sigmoid=False),
        Head(np.concatenate([zeros, rw2[:, 0]]), float(rb2[0]), sigmoid=True),
    ]
    model = build_mlp_graph("lane_eta", "Per route row: [expected transit hours, P(later than schedule)]; raw features in manifest units.",
                            mean, std, np.hstack([ew1, rw1]), np.concatenate([eb1, rb1]), heads)

    hx, h_hours, h_delayed = data.generate(N_HOLDOUT, SEEDS["holdout"])
    rows = np.array(rounded(hx))
    out = run_reference(serialize(model), rows)
    speeds = data.mode_speeds(x, hours)
    metrics = [
        Metric("synthetic", "mae", 0, "hours", mae(h_hours, out[:, 0]), mae(h_hours, data.baseline_hours(rows, speeds)),
               "distance / mode's average speed"),
        Metric("synthetic", "auc", 1, "ROC AUC", auc(h_delayed, out[:, 1]), auc(h_delayed, data.baseline_delay_score(rows)),
               "carrier's historical late rate (1 - carrierOnTimeRate)"),
    ]
    return Artifact(
        name="lane-eta",
        title="Lane ETA",
        model=model,
        features=data.FEATURES,
        outputs=[("transitHours", "hours", "expected door-to-door transit time"),
                 ("delayProbability", "probability 0-1", "P(transit exceeds the carrier's published schedule)")],
        holdout={"sets": [{"name": "synthetic", "rows": rows.tolist(), "hours": rounded(h_hours, 3), "delayed": h_delayed.tolist()}],
                 "baseline": {"kind": "mode_speed", "modeSpeedsKmh": {k: round(v, 6) for k, v in speeds.items()},
                              "delayScore": "one_minus_feature", "feature": "carrierOnTimeRate"}},
        metrics=metrics,
        price_hint={"amount": "0.001", "asset": "USDC", "per": "request"},
        training={"rows": N_TRAIN, "delayedRate": round(float(delayed.mean()), 4), "seeds": SEEDS,
                  "estimator": f"MLPRegressor + MLPClassifier (hidden=({HIDDEN},) each, relu, lbfgs, alpha=1e-3)"},
        card_sections={"Training data": LANE_DATA_DOC},
    )


LANE_DATA_DOC = """Synthetic (`models/pipeline/lane_data.py`, seeds 201 train / 202 held-out), 20,000 training rows.
Assumptions (per mode: share, median distance, effective speed, fixed handling time):
road 45%, 600 km, 60 km/h, 3 h; rail 20%, 1,200 km, 35 km/h, 14 h; sea 20%, 8,000 km, 28 km/h, 60 h; air 15%, 3,000 km, 550 km/h, 20 h
(distances log-normal, clipped per mode).
- carrierOnTimeRate ~ Beta(12,2); congestionIndex ~ Beta(2,3); weatherRisk ~ Beta(1.5,4); departure day uniform; hazmat 8%.
- Transit = (handling + distance/speed) x (1 + modeCongestionSensitivity x congestion + modeWeatherSensitivity x weather
  + 0.8 (1 - onTime)) x exp(N(0, 0.08)), plus a weekend wait (24 h for rail/sea/air terminals, 6 h by road)
  and a hazmat wait (24 h air, 8 h otherwise).
- Disruptions (missed connection, port closure) happen with probability sigmoid(-3.2 + 2.5 weather + 2 congestion
  + 6 (0.85 - onTime) + 0.7 hazmat) and add 30-80% of the running time.
- delayed = transit > 1.7 x running time (the carrier's published schedule includes 70% slack)."""
