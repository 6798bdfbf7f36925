# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint setup system-deps site index check bench clean lock

# `make run [HOST=…] [PORT=…]`. With VENV=/abs/path/.venv on the command line an
# existing environment is used as it is (nothing installed into it), and
# PYTHONPATH puts this checkout's functions/ and spravka_tools/ first, so its code is what runs.
HOST ?= 127.0.0.1
PORT ?= 8000
RUN_DEPS := $(if $(filter command line,$(origin VENV)),,$(STAMP))

run: $(RUN_DEPS)
	PYTHONPATH="$(CURDIR)/functions:$(CURDIR)$(if $(PYTHONPATH),:$(PYTHONPATH))" $(BIN)/spravka serve --host $(HOST) --port $(PORT)

test: $(STAMP) system-deps lint
	$(BIN)/python -m pytest

# Zero findings, or the tests do not start: ruff (lint and format) and mypy, settings in pyproject.toml.
# `$(BIN)/ruff format .` and `$(BIN)/ruff check --fix .` mend most of what they report.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

setup: $(STAMP)

# functions/requirements.txt is generated: edit functions/requirements.in, then `make lock`.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools  # into the venv only, never a requirement
	cd functions && ../$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --output-file requirements.txt requirements.in

$(STAMP): requirements.txt functions/requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Нужен $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r functions/requirements.txt
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

system-deps:
	@scripts/system-deps.sh

site: $(STAMP)
	$(BIN)/mkdocs build --strict

index: $(STAMP)
	$(BIN)/spravka build-index

check: $(STAMP)
	$(BIN)/spravka check-knowledge

bench: $(STAMP)
	$(BIN)/spravka bench

clean:
	rm -rf build var .pytest_cache
