# Two commands do everything on a fresh machine with python3 and make:
#   make rehearse   the main job: vendor carts order against the embedded simulated Alma
#   make test       the whole test suite (unit, contract, features on every backend)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: rehearse test serve bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

rehearse: $(STAMP)
	$(BIN)/almasim rehearse

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2

serve: $(STAMP)
	$(BIN)/almasim serve

bench: $(STAMP)
	$(BIN)/almasim bench --quick

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
