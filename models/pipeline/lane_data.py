"""Synthetic carrier/route outcomes for the lane-eta model (assumptions documented in models/lane-eta/MODEL_CARD.md)."""
import numpy as np

MODES = ["road", "rail", "sea", "air"]
FEATURES = [
    ("distanceKm", "km", (10.0, 25000.0), "route distance"),
    ("modeRoad", "one-hot", (0.0, 1.0), "1 if the route is by road"),
    ("modeRail", "one-hot", (0.0, 1.0), "1 if the route is by rail"),
    ("modeSea", "one-hot", (0.0, 1.0), "1 if the route is by sea"),
    ("modeAir", "one-hot", (0.0, 1.0), "1 if the route is by air"),
    ("carrierOnTimeRate", "fraction", (0.4, 1.0), "carrier's historical on-time share"),
    ("congestionIndex", "index 0-1", (0.0, 1.0), "congestion on the lane / at the hubs"),
    ("weatherRisk", "index 0-1", (0.0, 1.0), "forecast weather disruption risk"),
    ("dayOfWeekSin", "sin(2*pi*d/7)", (-1.0, 1.0), "departure day d (0 = Sunday, UTC), cyclic encoding"),
    ("dayOfWeekCos", "cos(2*pi*d/7)", (-1.0, 1.0), "departure day d (0 = Sunday, UTC), cyclic encoding"),
    ("hazmat", "flag", (0.0, 1.0), "1 if the shipment carries dangerous goods"),
]
# Per mode: probability, log-median distance, log-sd, distance clip, speed km/h, fixed handling hours,
# sensitivity to congestion and to weather.
PROFILE = {
    "road": (0.45, np.log(600), 0.7, (10, 4000), 60.0, 3.0, 0.5, 0.3),
    "rail": (0.20, np.log(1200), 0.6, (50, 8000), 35.0, 14.0, 0.4, 0.2),
    "sea": (0.20, np.log(8000), 0.6, (300, 25000), 28.0, 60.0, 0.6, 0.4),
    "air": (0.15, np.log(3000), 0.8, (200, 15000), 550.0, 20.0, 0.3, 0.5),
}
# A carrier's published schedule is the running time plus 70% slack; "delayed" means later than that.
SCHEDULE_SLACK = 1.7


def generate(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows [n, 11] in FEATURES order, realised transit hours, and delayed flags (1 = later than the published schedule)."""
    rng = np.random.default_rng(seed)
    probs = [PROFILE[m][0] for m in MODES]
    mode = rng.choice(len(MODES), size=n, p=probs)
    prof = np.array([PROFILE[m][1:] for m in MODES], dtype=object)
    distance = np.empty(n); speed = np.empty(n); handling = np.empty(n); cong_s = np.empty(n); wx_s = np.empty(n)
    for i, m in enumerate(MODES):
        sel = mode == i
        mu, sd, (lo, hi), spd, hand, cs, ws = prof[i]
        distance[sel] = np.clip(np.exp(rng.normal(mu, sd, sel.sum())), lo, hi)
        speed[sel], handling[sel], cong_s[sel], wx_s[sel] = spd, hand, cs, ws
    on_time = np.clip(rng.beta(12.0, 2.0, n), 0.4, 1.0)
    congestion = rng.beta(2.0, 3.0, n)
    weather = rng.beta(1.5, 4.0, n)
    day = rng.integers(0, 7, n)
    weekend = (day == 0) | (day == 6)
    hazmat = (rng.random(n) < 0.08).astype(np.float64)

    nominal = handling + distance / speed
    slowdown = 1.0 + cong_s * congestion + wx_s * weather + 0.8 * (1.0 - on_time)
    # Terminals work short shifts at weekends: non-road departures wait for Monday's shift.
    weekend_wait = np.where(weekend & (mode != 0), 24.0, np.where(weekend, 6.0, 0.0))
    hazmat_wait = hazmat * np.where(mode == 3, 24.0, 8.0)
    hours = nominal * slowdown * np.exp(rng.normal(0.0, 0.08, n)) + weekend_wait + hazmat_wait
    # Discrete disruptions (missed connection, port closure) on top of the continuous slowdown.
    disruption_logit = -3.2 + 2.5 * weather + 2.0 * congestion + 6.0 * (0.85 - on_time) + 0.7 * hazmat
    disrupted = rng.random(n) < 1 / (1 + np.exp(-disruption_logit))
    hours = hours + disrupted * nominal * rng.uniform(0.3, 0.8, n)
    delayed = (hours > SCHEDULE_SLACK * nominal).astype(np.int64)

    onehot = np.eye(len(MODES))[mode]
    angle = 2 * np.pi * day / 7.0
    rows = np.column_stack([distance, onehot, on_time, congestion, weather, np.sin(angle), np.cos(angle), hazmat])
    return rows, hours, delayed


def mode_speeds(rows: np.ndarray, hours: np.ndarray) -> dict[str, float]:
    """Baseline parameter: each mode's average door-to-door speed on the training set (km per hour)."""
    return {m: float(rows[rows[:, 1 + i] == 1, 0].sum() / hours[rows[:, 1 + i] == 1].sum()) for i, m in enumerate(MODES)}


def baseline_hours(rows: np.ndarray, speeds: dict[str, float]) -> np.ndarray:
    """The obvious rule: distance / the mode's average speed."""
    speed = sum(rows[:, 1 + i] * speeds[m] for i, m in enumerate(MODES))
    return rows[:, 0] / speed


def baseline_delay_score(rows: np.ndarray) -> np.ndarray:
    """The obvious rule: the carrier's historical late rate (1 - carrierOnTimeRate)."""
    return 1.0 - rows[:, 5]
