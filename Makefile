# Briefing — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint bench build build-check system-deps clean screenshots

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,build]'
	touch $(STAMP)

system-deps:
	bash scripts/install-system-deps.sh

## Open the app on the bundled demo library (a store under .demo/).
run: $(STAMP)
	bash scripts/install-system-deps.sh app
	$(PY) -m briefing.cli --db .demo/library.sqlite demo
	QT_QPA_PLATFORM= $(PY) -m ui.app --db .demo/library.sqlite

## The linters, then the whole test suite, headless.
test: $(STAMP) system-deps lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; exit $$status

## ruff over the whole tree; mypy, strict on the core and the store, normal on the rest ([tool.mypy] in pyproject.toml).
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy

## Benchmarks against bare baselines, with a PASS/MISS summary (about 5 minutes; never in `test`).
bench: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

## The desktop build: dist/Briefing/ holding briefing-app and briefing (PyInstaller, ~1.5 min).
build: $(STAMP)
	$(PY) -m PyInstaller --noconfirm --log-level WARN briefing.spec

## Build, then run the frozen CLI (demo, pack, PDF and Word export) and app (tests/test_build.py).
build-check: $(STAMP) system-deps
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/test_build.py

## Retake docs/screenshot.png in a real window under Xvfb.
screenshots: $(STAMP) system-deps
	QT_QPA_PLATFORM= xvfb-run -a -s "-screen 0 1600x1000x24" $(PY) -m ui.screenshot docs/screenshot.png

clean:
	rm -rf build dist .pytest_cache .demo
