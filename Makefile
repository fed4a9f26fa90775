# Early Years SEND assistant: `make run` to use it, `make test` to check it.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
RASA      := $(VENV)/bin/rasa
STAMP     := $(VENV)/.installed
MODEL_DIR := models
MODEL     := $(MODEL_DIR)/assistant.tar.gz
TRAIN_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null) \
                $(wildcard bot/rasa_plugins/nlu/*.py) \
                bot/guidance/safety.py bot/guidance/parsing.py bot/guidance/languages.py
export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Two Rasa processes behind the gateway (senders are routed by hash): on two
# cores this doubles throughput under load (docs/performance.md).
export RASA_INSTANCES ?= 2

.PHONY: help install train run test lint typecheck validate unit stories content clean browser-deps bench bench-smoke purge report check-content rules settings

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml scripts/find-python310.sh
	@PY310=$$(scripts/find-python310.sh) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$PY310"; "$$PY310" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) ## Create the virtualenv and install everything

content: $(STAMP) ## Check the council's content file
	$(PY) -m bot.guidance.content

$(MODEL): $(STAMP) $(TRAIN_INPUTS)
	@mkdir -p $(MODEL_DIR)
	@start=$$(date +%s); \
	$(RASA) train --fixed-model-name assistant --out $(MODEL_DIR) --quiet && \
	echo "Training took $$(( $$(date +%s) - start )) s"
	@touch $(MODEL)

train: $(MODEL) ## Train the model if it is missing or stale

rules: $(STAMP) ## Regenerate data/rules/questions.yml from bot/guidance/topics.py
	$(PY) -m bot.guidance.topics > data/rules/questions.yml

settings: $(STAMP) ## Regenerate docs/settings.md from bot/settings.py
	$(PY) -m bot.settings > docs/settings.md

run: $(MODEL) content ## Start the assistant and print the address to open
	$(PY) -m bot.operations.launcher

lint: $(STAMP) ## ruff
	$(VENV)/bin/ruff check .

typecheck: $(STAMP) ## mypy on bot/, actions/ and bench/ (settings in pyproject.toml)
	$(VENV)/bin/mypy

validate: $(STAMP) ## Check the training data against the domain
	$(RASA) data validate --quiet

browser-deps: ## Chromium, axe-core and Lighthouse for the browser tests
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  echo "Chromium could not be installed: browser tests will skip (and fail under CI)"
	@[ -d tests/web/node_modules/axe-core ] && [ -d tests/web/node_modules/lighthouse ] || \
	  npm ci --prefix tests/web --no-audit --no-fund --silent

unit: $(MODEL) browser-deps ## pytest (code, content, understanding of the trained model)
	$(PY) -m pytest -q -p no:cacheprovider; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	exit $$status

stories: $(MODEL) ## Dialogue tests: every test story must pass
	$(RASA) test core --stories tests/stories --model $(MODEL) \
	  --fail-on-prediction-errors --out results/core --no-plot

report: $(STAMP) ## Service report: summary, var/report/report.csv and PNG charts
	$(PY) -m bot.operations.report

check-content: $(STAMP) ## Validate content, list stale items, check every URL (live when online)
	$(PY) -m bot.guidance.content.check

purge: $(STAMP) ## Delete conversations, drafts and feedback past RETENTION_DAYS (default 30)
	$(PY) -m bot.operations.purge

bench: $(MODEL) content ## Benchmark against a stock rasa init bot (about 5 min; first run +1-2 min)
	$(PY) -m bench.run

bench-smoke: $(MODEL) ## Check the benchmark harness still works (no speed asserted)
	$(PY) -m bench.run --smoke

test: $(MODEL) content lint typecheck validate unit stories bench-smoke ## Everything: lint, types, data, pytest, stories, NLU, bench smoke

clean: ## Remove the model, results and local data
	rm -rf $(MODEL_DIR) results var
