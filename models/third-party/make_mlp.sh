#!/usr/bin/env bash
# Regenerates models/third-party/supplier-late-mlp.onnx and PROVENANCE.json with the pinned skl2onnx toolchain.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/proofpath/third-party-venv"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "third-party: creating converter venv at $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  echo "$want" > "$stamp"
fi
# Same determinism settings as models/train.sh (one BLAS thread, one set of SIMD kernels).
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0
if [ "$(uname -m)" = "x86_64" ]; then
  export OPENBLAS_CORETYPE=Haswell
  export NPY_ENABLE_CPU_FEATURES="SSSE3 SSE41 POPCNT SSE42 AVX F16C FMA3 AVX2"
fi
exec "$venv/bin/python" "$here/make_mlp.py" "$@"
