"""Synthetic supplier/order outcomes for the supplier-risk model (assumptions documented in models/supplier-risk/MODEL_CARD.md)."""
import numpy as np

FEATURES = [
    # name, unit, trained range (min, max), description
    ("priceRatio", "ratio", (0.5, 2.0), "quoted unit price / market price"),
    ("quotedLeadTimeDays", "days", (1.0, 120.0), "lead time the supplier quoted"),
    ("onTimeRate", "fraction", (0.3, 1.0), "historical share of orders delivered on time and in full"),
    ("defectRate", "fraction", (0.0, 0.3), "historical share of defective units"),
    ("distanceKm", "km", (5.0, 15000.0), "supplier site to delivery site"),
    ("orderToCapacityRatio", "ratio", (0.0, 1.5), "order quantity (at least the MOQ) / supplier capacity units"),
    ("regionRisk", "index 0-1", (0.0, 1.0), "geopolitical/logistics risk index of the supplier's region"),
]


def generate(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows [n, 7] in FEATURES order and binary labels (1 = delivered late or short)."""
    rng = np.random.default_rng(seed)
    # A latent supplier quality drives the observable history (on-time, defects, price) only partially,
    # so history is informative but not sufficient: the order itself (size, quote, distance) matters too.
    quality = rng.normal(0.0, 1.0, n)
    region = rng.beta(2.0, 5.0, n)
    on_time = 1 / (1 + np.exp(-(2.0 + 0.8 * quality - 1.5 * region + rng.normal(0, 0.35, n))))
    on_time = np.clip(on_time, 0.3, 1.0)
    defect = np.clip(np.exp(rng.normal(-4.0 - 0.5 * quality, 0.6, n)), 0.0, 0.3)
    price = np.clip(np.exp(rng.normal(0.03 * quality, 0.12, n)), 0.5, 2.0)
    distance = np.clip(np.exp(rng.normal(np.log(800.0), 1.0, n)), 5.0, 15000.0)
    # Honest quotes grow with distance; some suppliers under-quote to win the order.
    expected_lead = 3.0 + distance / 400.0 + rng.gamma(2.0, 3.0, n)
    lead = np.clip(np.round(expected_lead * np.exp(rng.normal(0.0, 0.3, n))), 1.0, 120.0)
    size = np.clip(rng.beta(2.0, 4.0, n) * 1.5, 0.0, 1.5)

    logit = (
        -2.0
        - 1.0 * quality
        + 4.0 * np.maximum(size - 0.7, 0.0)                  # orders near or above capacity slip
        + 6.0 * np.maximum(0.9 - price, 0.0)                 # suspiciously cheap quotes under-deliver
        + 0.35 * np.log(distance / 800.0)
        + 1.2 * region
        + 6.0 * defect
        + 1.5 * np.maximum((3.0 + distance / 400.0) / lead - 1.0, 0.0)  # quote shorter than the haul needs
    )
    late = rng.random(n) < 1 / (1 + np.exp(-logit))
    rows = np.column_stack([price, lead, on_time, defect, distance, size, region])
    return rows, late.astype(np.int64)


def baseline_score(rows: np.ndarray) -> np.ndarray:
    """The obvious rule: a supplier's historical late rate (1 - onTimeRate)."""
    return 1.0 - rows[:, 2]
