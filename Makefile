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
	$(BIN)/pip install --quiet -e '.[test,compat]'
	touch $(STAMP)

rehearse: $(STAMP)
	$(BIN)/almasim rehearse

# Everything: the import contracts, the whole suite in-process, then the features again on the mocked (respx)
# and server (real HTTP on 127.0.0.1) backends, two workers each.
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n 2
	$(BIN)/python -m pytest -q -n 2 features --alma-backend=mocked
	$(BIN)/python -m pytest -q -n 2 features --alma-backend=server

serve: $(STAMP)
	$(BIN)/almasim serve

bench: $(STAMP)
	$(BIN)/almasim bench --quick

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
