"""What each model's training step hands to the publisher: the graph, its documentation and its held-out evaluation."""
from dataclasses import dataclass, field

import numpy as np
import onnx


@dataclass
class Metric:
    set: str          # held-out set name, as in holdout.json
    metric: str       # "auc" or "mae"
    output: int       # output column the metric is computed on
    unit: str
    model: float
    baseline: float
    baseline_name: str


@dataclass
class Artifact:
    name: str
    title: str
    model: onnx.ModelProto
    features: list            # (name, unit, (min, max), description)
    outputs: list             # (name, unit, description)
    holdout: dict             # written to holdout.json as is
    metrics: list[Metric]
    card_sections: dict[str, str]   # extra markdown sections for the model card
    price_hint: dict
    training: dict = field(default_factory=dict)


def rounded(array: np.ndarray, decimals: int = 6) -> list:
    """Held-out values are rounded before evaluation, so the committed JSON is exactly what was scored."""
    return np.round(np.asarray(array, dtype=np.float64), decimals).tolist()
