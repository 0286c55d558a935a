# Warga: two commands on a fresh machine.
#   make run    create .venv, install pinned dependencies, train the NLU model if stale, serve on 127.0.0.1:8080
#   make test   create .venv, install pinned dependencies (and Chromium for the browser test), run the tests
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test venv train evaluate bench rasa test-rasa lint clean

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(PY) -m bot run

test: $(STAMP)
	bash scripts/ensure_chromium.sh
	bash scripts/ensure_letter_tools.sh
	$(PY) -m pytest

train: $(STAMP)
	$(PY) -m nlu train

evaluate: $(STAMP)
	$(PY) -m nlu evaluate

bench: $(STAMP)
	$(PY) bench/rest_channel.py

# Real Rasa 3.6 in its own Python 3.10 environment, for the side-by-side comparison.
rasa:
	bash scripts/rasa/setup.sh

test-rasa: $(STAMP)
	$(PY) -m pytest -m rasa tests/nlu

lint: $(STAMP)
	$(PY) -m ruff check bot nlu actions integrations tests bench
	$(PY) -m mypy bot nlu actions integrations

clean:
	rm -rf $(VENV) var/nlu-model.pkl .pytest_cache
