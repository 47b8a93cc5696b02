# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Demo population size for `make run`; the benchmarks use far larger ones.
DEMO_SITES ?= 120
DEMO_TALENTS ?= 2000

.PHONY: run test venv install install-dev lint typecheck pytest bench clean messages

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The CPU build of torch lies on this disk; installing it first keeps pip from
# pulling a multi-GB CUDA build when sentence-transformers asks for torch.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet "torch==2.13.0"
	$(BIN)/pip install --quiet -e .
	$(MAKE) messages
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The words: service/locale/<locale>/LC_MESSAGES/messages.po compiled to messages.mo
# (the service compiles a missing or older .mo in memory, so this is a speed-up, never required).
messages: | $(BIN)/python
	$(BIN)/pybabel compile --statistics -d service/locale -D messages

run: install
	$(BIN)/rencai init --demo-sites $(DEMO_SITES) --demo-talents $(DEMO_TALENTS)
	$(BIN)/rencai serve --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -r rencai service matching models seed reference -ll -q
	$(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy rencai service matching models seed reference

pytest: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

bench: install-dev
	$(BIN)/python -m benchmarks

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache test-artifacts
