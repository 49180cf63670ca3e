#!/usr/bin/env bash
# Regenerates the three decision models: creates the pinned training venv if missing, then runs models/train.py.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/run-pinned-python.sh" models-venv "$here/requirements.txt" "$here/train.py" "$@"
