#!/usr/bin/env bash
# Build .venv-rasa (Python 3.10 + rasa==3.6.21) and train real Rasa on config.yml + nlu/data.
# Usage: bash scripts/rasa/setup.sh [--no-train]
# Exits 0 with a message when no Python 3.10 is available (real Rasa needs Python <= 3.10).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv-rasa"
MODELS="$ROOT/var/rasa/models"
# No usage reports from Rasa to the outside (set RASA_TELEMETRY_ENABLED=true to allow them).
export RASA_TELEMETRY_ENABLED="${RASA_TELEMETRY_ENABLED:-false}"

find_python310() {
    if [[ -n "${RASA_PYTHON:-}" && -x "${RASA_PYTHON}" ]]; then echo "$RASA_PYTHON"; return 0; fi
    if command -v pyenv >/dev/null 2>&1; then
        local root; root="$(pyenv root)"
        for py in "$root"/versions/3.10.*/bin/python; do
            [[ -x "$py" ]] && { echo "$py"; return 0; }
        done
    fi
    command -v python3.10 2>/dev/null && return 0
    return 1
}

PY310="$(find_python310 || true)"
if [[ -z "$PY310" ]]; then
    echo "setup.sh: no Python 3.10 found (tried \$RASA_PYTHON, pyenv versions 3.10.*, python3.10);"
    echo "setup.sh: real Rasa 3.6 needs Python <= 3.10, skipping. The built-in engine needs nothing of this."
    exit 0
fi
echo "setup.sh: using $PY310 ($("$PY310" --version))"

if [[ ! -x "$VENV/bin/rasa" ]]; then
    "$PY310" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade "pip==24.0"
    echo "setup.sh: installing rasa==3.6.21 (TensorFlow 2.12; this takes several minutes)"
    "$VENV/bin/python" -m pip install -r "$ROOT/scripts/rasa/requirements.txt"
fi
"$VENV/bin/rasa" --version

if [[ "${1:-}" == "--no-train" ]]; then exit 0; fi
mkdir -p "$MODELS"
cd "$ROOT"
DATA="$ROOT/nlu/data"
# WARGA_RASA_DATA=written trains on our written examples only, without the 2,935 relabelled real reports
# (nlu/data/real_reports.yml): the same config.yml and components, in minutes instead of most of an hour
# on 2 cores. CI uses it to prove that config.yml trains and serves with real Rasa; the quality
# comparison (bench/nlu_vs_rasa.py) trains on everything.
if [[ "${WARGA_RASA_DATA:-all}" == "written" ]]; then
    DATA="$ROOT/var/rasa/data-written"
    rm -rf "$DATA" && mkdir -p "$DATA"
    for f in "$ROOT"/nlu/data/*.yml; do
        [[ "$(basename "$f")" == "real_reports.yml" ]] || cp "$f" "$DATA/"
    done
fi
echo "setup.sh: training real Rasa on config.yml + $DATA"
PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" "$VENV/bin/rasa" train nlu \
    --config "$ROOT/config.yml" --nlu "$DATA" --out "$MODELS" --fixed-model-name warga-nlu
echo "setup.sh: model at $MODELS/warga-nlu.tar.gz; serve it with: bash scripts/rasa/serve.sh [port]"
