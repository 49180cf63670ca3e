#!/usr/bin/env bash
# Regenerates models/third-party/supplier-late-mlp.onnx and PROVENANCE.json with the pinned skl2onnx toolchain.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/../run-pinned-python.sh" third-party-venv "$here/requirements.txt" "$here/make_mlp.py" "$@"
