# HamCoach developer commands. `make demo` and `make test` work from a fresh clone.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
EVAL_DIR ?= ../shared/eval

.PHONY: setup demo test lint format eval bench clean

setup: $(VENV)/.installed

# mediapipe==0.10.21 (Google's wheel, numpy<2) is installed with --no-deps: it declares jax,
# jaxlib and opencv-contrib-python, which it never imports (see DEVELOPERS.md).
$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet --no-deps "mediapipe==0.10.21"
	$(BIN)/pip install --quiet -e ".[dev]"
	$(BIN)/python -c "import mediapipe, hamcoach; print('hamcoach ready, mediapipe', mediapipe.__version__)"
	touch $@

demo: setup
	$(BIN)/python -m hamcoach.demo

test: setup
	$(BIN)/pytest -n 2 -q

lint: setup
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format src tests scripts
	$(BIN)/ruff check --fix src tests scripts

eval: setup
	$(BIN)/hamcoach eval $(EVAL_DIR) --floor eval_floor.json --json eval-results.json

bench: setup
	$(BIN)/hamcoach bench speed

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
