#!/usr/bin/env bash
# Regenerates the three decision models: creates the pinned training venv if missing, then runs models/train.py.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/proofpath/models-venv"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"

if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "models: creating training venv at $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  echo "$want" > "$stamp"
fi

# One BLAS/OpenMP thread: multi-threaded reductions can change the last bits of the weights between runs,
# which would change the model ids.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0
# One set of SIMD kernels on every x86-64 machine: OpenBLAS and numpy otherwise choose kernels by CPU (AVX-512 ones
# round differently from AVX2 ones), and the optimiser amplifies those last bits into other weights and other ids.
# Measured: the same toolchain gave three different sets of ids on AVX-512 (default), AVX-512 with OpenBLAS pinned,
# and another machine; with both pinned below, runs agree. Needs AVX2 (every x86-64 server CPU since 2013).
if [ "$(uname -m)" = "x86_64" ]; then
  export OPENBLAS_CORETYPE=Haswell
  export NPY_ENABLE_CPU_FEATURES="SSSE3 SSE41 POPCNT SSE42 AVX F16C FMA3 AVX2"
fi
exec "$venv/bin/python" "$here/train.py" "$@"
