# The two commands of the README: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/current.tar.gz
# The answer items' questions are training examples too, generated from the loaded catalogue.
ITEM_EXAMPLES := var/nlu/catalogue_questions.yml
RASA_DATA := data/nlu $(ITEM_EXAMPLES) data/rules.yml data/stories.yml
CATALOGUE := $(wildcard data/catalogue/*.yml data/catalogue/measures/*.yml)

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test setup bench clean system-packages
# Under supervisord (deploy/run-local.sh): a process that stops is started again; Ctrl-C stops all.
run: setup
	@deploy/run-local.sh

test: setup system-packages
	$(RASA) data validate --domain domain.yml --data $(RASA_DATA) --fail-on-warnings
	$(PY) -m pytest
	$(RASA) test core --model $(MODEL) --stories tests/stories --endpoints endpoints.yml --out var/results/core --fail-on-prediction-errors

setup: $(VENV)/.installed var/spacy-nl/meta.json var/.catalogue-loaded $(ITEM_EXAMPLES) node_modules/.installed $(MODEL) var/local.env

bench: setup system-packages
	$(PY) -m bench

# The browser tests drive Debian's Chromium; the scale tests put nginx in front of two servers.
system-packages:
	@if ! command -v chromium >/dev/null || ! command -v nginx >/dev/null; then \
	  echo "Installing chromium and nginx from Debian's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium nginx >/dev/null; \
	fi

$(VENV)/.installed: requirements.lock
	@test -x $(PY) || "$$(scripts/find-python310.sh)" -m venv $(VENV)
	@# pip warns about local index folders this machine does not have: harmless, hidden.
	set -o pipefail; $(PY) -m pip install --quiet --upgrade "pip==24.2" 2>&1 | { grep -v "is ignored: it is neither" || true; }
	set -o pipefail; $(PY) -m pip install --quiet --requirement requirements.lock 2>&1 | { grep -v "is ignored: it is neither" || true; }
	@touch $@

var/spacy-nl/meta.json: $(VENV)/.installed bot/nlu/pipeline.py
	$(PY) -m bot nlp build var/spacy-nl

var/.catalogue-loaded: $(VENV)/.installed $(CATALOGUE) $(wildcard bot/migrations/versions/*.py)
	$(PY) -m bot catalogue load
	@touch $@

$(ITEM_EXAMPLES): var/.catalogue-loaded $(shell find data/nlu -name '*.yml')
	$(PY) -m bot nlp examples $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(MODEL): $(VENV)/.installed var/spacy-nl/meta.json config.yml domain.yml $(shell find data/nlu -name '*.yml') $(ITEM_EXAMPLES) data/rules.yml data/stories.yml $(wildcard bot/nlu/*.py)
	$(RASA) train --config config.yml --domain domain.yml --data $(RASA_DATA) --out models --fixed-model-name current

var/local.env:
	@mkdir -p var
	@printf 'RASA_TOKEN=%s\nBOT_STAFF_TOKEN=%s\n' "$$(openssl rand -hex 16)" "$$(openssl rand -hex 16)" > $@
	@echo "Tokens for the Rasa API and the staff page written to $@"

clean:
	rm -rf models var .rasa node_modules
