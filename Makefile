# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup system-deps site index check bench clean

run: $(STAMP)
	$(BIN)/spravka serve

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

setup: $(STAMP)

$(STAMP): requirements.txt functions/requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Нужен $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
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
