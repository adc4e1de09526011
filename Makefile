# The README's two commands live here: `make run` and `make test`.
PY ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run today test lint bench setup clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)  ## set up, load the demo network (once) into the default database and start the web app
	$(VENV)/bin/keepwarm serve --demo

today: $(STAMP)  ## set up, load the demo network (once) and print today's agenda in the terminal
	$(VENV)/bin/keepwarm demo --if-empty
	$(VENV)/bin/keepwarm today

test: $(STAMP)  ## set up and run the whole test suite (SQLite, PostgreSQL, Chromium)
	scripts/install-browser.sh
	scripts/test.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy src

bench: $(STAMP)  ## every benchmark, each against its raw-SQL or stdlib floor measured in the same run
	cd bench && ../$(VENV)/bin/python agenda.py
	$(VENV)/bin/python bench/imports.py
	$(VENV)/bin/python bench/bench_library.py
	$(VENV)/bin/python bench/web.py
	$(VENV)/bin/python bench/news.py
	$(VENV)/bin/python bench/sync.py

clean:
	rm -rf $(VENV) build *.egg-info test-artifacts
