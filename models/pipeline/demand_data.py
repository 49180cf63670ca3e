"""Demand windows for the demand-forecast model: synthetic seasonal series plus the real Australian wine sales series."""
import numpy as np

WINDOW = 12          # periods of history fed as normalised lags
SEASON = 12          # monthly data, yearly cycle
HISTORY = 2 * SEASON  # the two-years-back seasonal index needs 24 periods of history
HOLDOUT_PERIODS = 36  # last three years of wineind are never trained on

FEATURES = [(f"lag{WINDOW - i}", "ratio to window mean", (0.0, 4.0),
             f"demand {WINDOW - i} period(s) before the forecast period / mean of the last {WINDOW}") for i in range(WINDOW)]
FEATURES.append(("seasonalIndex2y", "ratio", (0.0, 4.0),
                 "demand 24 periods before the forecast period / mean of periods 24..13 before it (seasonal index two years back)"))
FEATURES.append(("levelGrowth", "ratio", (0.2, 5.0),
                 "mean of the last 12 periods / mean of the 12 periods before them (year-over-year level change)"))


def wineind() -> np.ndarray:
    """Monthly Australian wine sales (bottles <= 1 l), Jan 1980 - Aug 1994, as shipped in pmdarima (from R's forecast package)."""
    from pmdarima.datasets import load_wineind
    return np.asarray(load_wineind(), dtype=np.float64)


def windows(series: np.ndarray, first_target: int = HISTORY, last_target: int | None = None):
    """Feature rows, targets (next-period demand / window mean) and scales (window means) for every target index."""
    last = len(series) - 1 if last_target is None else last_target
    rows, targets, scales = [], [], []
    for t1 in range(max(first_target, HISTORY), last + 1):
        window = series[t1 - WINDOW:t1]
        scale = window.mean()
        previous_mean = max(series[t1 - 2 * SEASON:t1 - SEASON].mean(), 1e-9)
        rows.append(np.concatenate([window / scale, [series[t1 - 2 * SEASON] / previous_mean, scale / previous_mean]]))
        targets.append(series[t1] / scale)
        scales.append(scale)
    return np.array(rows), np.array(targets), np.array(scales)


def synthetic_series(count: int, seed: int) -> list[np.ndarray]:
    """Monthly series with a level, a slow trend, a seasonal profile that drifts year to year, promotions and noise.

    Real retail profiles are not sinusoids (wine sales jump in December and drop in January), so each series gets
    a smooth part (one or two harmonics) plus an arbitrary per-month part, and the profile drifts a little each year.
    """
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        length = int(rng.integers(48, 121))
        t = np.arange(length)
        level = np.exp(rng.normal(np.log(1000.0), 1.0))
        trend = 1.0 + rng.normal(0.0, 0.004) * t
        phase = rng.uniform(0, 2 * np.pi)
        amp1, amp2 = rng.uniform(0.0, 0.35), rng.uniform(0.0, 0.12)
        months = np.arange(SEASON)
        profile = amp1 * np.sin(2 * np.pi * months / SEASON + phase) + amp2 * np.sin(4 * np.pi * months / SEASON + 2 * phase)
        profile = profile + rng.normal(0.0, rng.uniform(0.0, 0.15), SEASON)
        years = length // SEASON + 1
        drift = np.cumsum(rng.normal(0.0, 0.03, (years, SEASON)), axis=0)
        season = np.maximum(1.0 + (profile + drift).reshape(-1)[:length], 0.2)
        noise = np.exp(rng.normal(0.0, rng.uniform(0.03, 0.15), length))
        promo = 1.0 + (rng.random(length) < 0.03) * rng.uniform(0.2, 0.6, length)
        out.append(np.maximum(level * np.maximum(trend, 0.2) * season * noise * promo, 0.0))
    return out


def stack(series_list: list[np.ndarray]):
    parts = [windows(s) for s in series_list]
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))


def seasonal_naive(rows: np.ndarray) -> np.ndarray:
    """Baseline: same period last year (lag 12), as a ratio to the window mean."""
    return rows[:, 0]
