# argmap — two commands do all set-up on a fresh machine:
#   make demo   sets up, then renders the example op-ed to diagrams/kellogg-oped.svg
#   make test   sets up, then runs ruff, mypy and the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup demo test lint eval bench clean graphviz browser argdown

setup: $(STAMP) graphviz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  echo "Graphviz 'dot' is missing: installing Debian's graphviz (apt-get)"; \
	  if command -v apt-get >/dev/null 2>&1 && { [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null 2>&1; }; then \
	    $(SUDO) apt-get install -y graphviz >/dev/null 2>&1 || \
	    { $(SUDO) apt-get update >/dev/null && $(SUDO) apt-get install -y graphviz >/dev/null; }; \
	  else \
	    echo "error: cannot install Graphviz here; install it yourself (e.g. brew install graphviz) and re-run"; exit 1; \
	  fi; }

demo: setup
	$(BIN)/argmap render examples/kellogg-oped.txt -o diagrams/kellogg-oped.svg
	$(BIN)/argmap render examples/kellogg-oped.txt -o diagrams/kellogg-oped.html
	@echo "wrote diagrams/kellogg-oped.svg and the interactive report diagrams/kellogg-oped.html"
	$(BIN)/argmap analyze examples/kellogg-oped.txt -f outline

lint: setup
	$(BIN)/ruff check argmap tests
	$(BIN)/ruff format --check argmap tests
	$(BIN)/mypy --strict argmap

# Browser tests drive Debian's Chromium (never a downloaded browser); Argdown
# round-trip tests use the reference @argdown/cli when npm is available.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Chromium is missing: installing Debian's chromium (apt-get)"; \
	  $(SUDO) apt-get install -y chromium >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update >/dev/null && $(SUDO) apt-get install -y chromium >/dev/null; } || \
	  echo "warning: could not install Chromium; browser tests will be skipped"; }

argdown:
	@if command -v npm >/dev/null 2>&1; then \
	  [ -x .node/node_modules/.bin/argdown ] || npm install --silent --prefix .node @argdown/cli@1.7.5 >/dev/null 2>&1 || \
	  echo "warning: could not install @argdown/cli; Argdown reference tests will be skipped"; \
	else echo "npm not found: Argdown reference tests will be skipped"; fi

test: lint browser argdown
	$(BIN)/pytest -q

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

# The headline first: every learned decision scored by the rules, leave-one-group-out
# and pooled 5-fold CV (parsed rows cached in .cache/argmap-train), with the scorers'
# calibration; then one table of every decision each corpus annotates, mapped through
# the full pipeline with the shipped weights. GOLD="a.jsonl b.jsonl" scores other files.
DATA ?= ../shared/data
GOLD ?= $(DATA)/microtexts-part1.jsonl $(DATA)/essays-train.jsonl $(DATA)/editorials-dev.jsonl $(DATA)/cdcp-train.jsonl
eval: setup
	@for f in $(GOLD); do [ -f "$$f" ] || { echo "error: gold data $$f not found (set GOLD=\"path/to/gold.jsonl ...\")"; exit 2; }; done
	$(BIN)/argmap eval $(GOLD) --crossval --both
