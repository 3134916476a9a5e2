# Two commands set everything up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,dask,embed]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/alearn run tasks/ --seeds 10 --out results/demo --plot results/demo/curves.png

test: $(STAMP)
	$(BIN)/ruff check alearn tests bench tools
	$(BIN)/python -m pytest -q --numprocesses=auto --maxprocesses=4

lint: $(STAMP)
	$(BIN)/ruff check alearn tests bench tools

bench: $(STAMP)
	$(BIN)/python bench/label_efficiency.py

clean:
	rm -rf $(VENV) results .pytest_cache
