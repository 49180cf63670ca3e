#!/usr/bin/env bash
# Runs a Python script of the model pipeline in a venv built from a pinned requirements file, with the settings that
# make training and conversion reproducible bit for bit. Used by models/train.sh and models/third-party/make_mlp.sh.
# Usage: run-pinned-python.sh <venv name> <requirements.txt> <script.py> [args...]
set -euo pipefail
name="$1" requirements="$2" script="$3"
shift 3
venv="${XDG_CACHE_HOME:-$HOME/.cache}/proofpath/$name"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"

# Re-created when the requirements change, so a pin bump never runs on stale packages.
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "models: creating venv $name at $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
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
exec "$venv/bin/python" "$script" "$@"
