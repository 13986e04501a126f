#!/usr/bin/env bash
# Produces the data the notebooks read, then executes every notebooks/*.ipynb headless; exits non-zero
# if any notebook fails (a cell raises, e.g. a fidelity assert). Executed copies, with their outputs and
# plots, go to zkspark-out/notebooks/. Run from anywhere: bash notebooks/run.sh
#
# Needs Jupyter with pandas and matplotlib; on Debian:
#   apt-get install jupyter-nbconvert python3-ipykernel python3-pandas python3-matplotlib
# Debian's /usr/bin/python3 is preferred over a python3 earlier on PATH (e.g. pyenv's); set
# ZKSPARK_PYTHON to use another interpreter that has nbconvert, ipykernel, pandas and matplotlib.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
OUT="$ROOT/zkspark-out"
mkdir -p "$OUT/notebooks"
export PYDEVD_DISABLE_FILE_VALIDATION=1 # silences debugpy's "frozen modules" warning (jupyter_client, kernel)

# --- the Python that runs nbconvert, and the kernel the notebooks will get -------------------------
py=""
if [ -n "${ZKSPARK_PYTHON:-}" ]; then candidates=("$ZKSPARK_PYTHON"); else candidates=(/usr/bin/python3 python3); fi
for cand in "${candidates[@]}"; do
  if "$cand" -c 'import nbconvert, ipykernel, pandas, matplotlib' >/dev/null 2>&1; then
    py="$cand"
    break
  fi
done
if [ -z "$py" ]; then
  echo "notebooks/run.sh: no python3 with nbconvert, ipykernel, pandas and matplotlib; on Debian:" >&2
  echo "  apt-get install jupyter-nbconvert python3-ipykernel python3-pandas python3-matplotlib" >&2
  exit 2
fi
kernel_py="$("$py" -c 'from jupyter_client.kernelspec import KernelSpecManager as K
s = K().get_kernel_spec("python3")
print(s.argv[0])
print(s.resource_dir)')"
kernel_exe="$(sed -n 1p <<<"$kernel_py")"
kernel_dir="$(sed -n 2p <<<"$kernel_py")"
echo "notebooks: nbconvert $("$py" -m nbconvert --version) under $(command -v "$py"); kernel python3 = $kernel_exe ($kernel_dir)"
if ! "$kernel_exe" -c 'import pandas, matplotlib' >/dev/null 2>&1; then
  echo "notebooks/run.sh: the python3 kernel ($kernel_exe, spec in $kernel_dir) lacks pandas or matplotlib" >&2
  exit 2
fi

# --- data: bin/zkspark builds the jars first if they are missing or stale ---------------------------
t0=$SECONDS
t=$SECONDS
echo "notebooks: bin/zkspark accuracy --json zkspark-out/accuracy.json > zkspark-out/accuracy.txt"
bin/zkspark accuracy --json zkspark-out/accuracy.json > zkspark-out/accuracy.txt
tail -n 2 zkspark-out/accuracy.txt | sed 's/^/  /'
echo "notebooks: accuracy data in $((SECONDS - t)) s"

# proof.ipynb: a small demo run (replaces zkspark-out/demo/) and the anatomy of one of its proofs. The
# demo replaces its output directory atomically, so its printed table goes next to it, not into it.
t=$SECONDS
echo "notebooks: bin/zkspark demo --prompts 2 --max-new-tokens 4 --out zkspark-out/demo > zkspark-out/demo.txt"
bin/zkspark demo --prompts 2 --max-new-tokens 4 --out zkspark-out/demo > zkspark-out/demo.txt
tail -n 1 zkspark-out/demo.txt | sed 's/^/  /'
echo "notebooks: bin/zkspark inspect --json zkspark-out/demo/p01-politics.proof > zkspark-out/demo/inspect.json"
bin/zkspark inspect --json zkspark-out/demo/p01-politics.proof > zkspark-out/demo/inspect.json
echo "notebooks: demo data in $((SECONDS - t)) s"

# scaling.ipynb: the quick sweep of bench scaling (about 30 s on 2 cores), its JSON and its table
t=$SECONDS
echo "notebooks: ZKSPARK_BENCH_JSON=zkspark-out/scaling.json bin/zkspark bench scaling --quick > zkspark-out/scaling.txt"
ZKSPARK_BENCH_JSON="$OUT/scaling.json" bin/zkspark bench scaling --quick > zkspark-out/scaling.txt
tail -n 1 zkspark-out/scaling.txt | sed 's/^/  /'
echo "notebooks: scaling data in $((SECONDS - t)) s"
echo "notebooks: all data in $((SECONDS - t0)) s"

# --- execute every notebook ---------------------------------------------------------------------------
export ZKSPARK_ACCURACY_JSON="$OUT/accuracy.json"
export ZKSPARK_DEMO_SUMMARY="$OUT/demo/summary.json"
export ZKSPARK_INSPECT_JSON="$OUT/demo/inspect.json"
export ZKSPARK_SCALING_JSON="$OUT/scaling.json"
export ZKSPARK_SCALING_TXT="$OUT/scaling.txt"
export MPLBACKEND=Agg
failed=()
shopt -s nullglob
notebooks=(notebooks/*.ipynb)
if [ "${#notebooks[@]}" -eq 0 ]; then
  echo "notebooks/run.sh: no notebooks/*.ipynb" >&2
  exit 2
fi
for nb in "${notebooks[@]}"; do
  t=$SECONDS
  if "$py" -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
      --ExecutePreprocessor.kernel_name=python3 --output-dir "$OUT/notebooks" "$nb"; then
    echo "notebooks: $nb ok ($((SECONDS - t)) s) -> zkspark-out/notebooks/$(basename "$nb")"
  else
    echo "notebooks: $nb FAILED ($((SECONDS - t)) s)" >&2
    failed+=("$nb")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "notebooks/run.sh: ${#failed[@]} of ${#notebooks[@]} notebooks failed: ${failed[*]}" >&2
  exit 1
fi
echo "notebooks: all ${#notebooks[@]} notebooks executed in $((SECONDS - t0)) s"
