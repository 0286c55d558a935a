#!/usr/bin/env bash
# Serve the real Rasa NLU model over Rasa's HTTP API (`POST /model/parse`), for NLU_BACKEND=rasa.
# Usage: bash scripts/rasa/serve.sh [port]        (default 5005; listens on 127.0.0.1 only)
# Trains the model first (scripts/rasa/setup.sh) when var/rasa/models/warga-nlu.tar.gz is missing.
# The repo root is on PYTHONPATH so Rasa can import our component nlu.rasa_components.IndonesianChatNormalizer.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv-rasa"
MODEL="${RASA_MODEL:-$ROOT/var/rasa/models/warga-nlu.tar.gz}"
PORT="${1:-5005}"

if [[ ! -x "$VENV/bin/rasa" ]]; then
    echo "serve.sh: $VENV/bin/rasa not found; build it first with: make rasa" >&2
    exit 1
fi
if [[ ! -f "$MODEL" ]]; then
    echo "serve.sh: no model at $MODEL; training it now (about two minutes)"
    bash "$ROOT/scripts/rasa/setup.sh"
fi
echo "serve.sh: serving $MODEL on http://127.0.0.1:$PORT (ready when 'Rasa server is up and running' appears)"
echo "serve.sh: point the bot at it with: NLU_BACKEND=rasa RASA_URL=http://127.0.0.1:$PORT make run"
cd "$ROOT"
export RASA_TELEMETRY_ENABLED="${RASA_TELEMETRY_ENABLED:-false}"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
exec "$VENV/bin/rasa" run --enable-api --port "$PORT" -i 127.0.0.1 --model "$MODEL"
