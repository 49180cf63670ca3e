"""Trains, exports and documents proofpath's three decision models; run through `npm run models:train`."""
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline import publish, train_demand, train_lane, train_supplier  # noqa: E402

TRAINERS = {"supplier-risk": train_supplier.train, "lane-eta": train_lane.train, "demand-forecast": train_demand.train}


def main(names: list[str]) -> None:
    root = Path(__file__).resolve().parent
    warnings.filterwarnings("ignore", category=UserWarning)
    np.seterr(all="ignore")
    entries = []
    # One BLAS thread, belt and braces with the environment set by train.sh: bit-stable weights across runs.
    with threadpool_limits(limits=1):
        for name, trainer in TRAINERS.items():
            if names and name not in names:
                continue
            started = time.perf_counter()
            artifact = trainer()
            entry = publish.write_model(root, artifact)
            entries.append(entry)
            summary = ", ".join(f"{m['set']} {m['metric']} {m['model']:.4f} vs baseline {m['baseline']:.4f}" for m in entry["metrics"])
            print(f"{name}: {entry['id']} ({entry['bytes']} bytes, {time.perf_counter() - started:.1f}s) {summary}")
    if not names:
        publish.write_manifest(root, entries)


if __name__ == "__main__":
    main(sys.argv[1:])
