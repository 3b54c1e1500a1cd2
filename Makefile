# Cộng Đồng Số — two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/congdongso
STAMP := $(VENV)/.installed
DEMO_ENV := DEBUG=1 CONGDONGSO_VAR=$(CURDIR)/var

# The first Python >= 3.12 found on PATH or under pyenv.
PYTHON_FOR_VENV := $(shell scripts/find-python 2>/dev/null)

.PHONY: help demo test test-sqlite test-postgres bench venv messages clean

help:
	@echo "make demo   set up and start the app with a demo province on http://127.0.0.1:8000"
	@echo "make test   set up and run the whole test suite (SQLite and PostgreSQL, real Chromium)"
	@echo "make bench  run the benchmarks in bench/ (JSON figures)"

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON_FOR_VENV)" ]; then scripts/find-python; exit 1; fi
	@test -x $(PY) || $(PYTHON_FOR_VENV) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

# Every step is idempotent, so a second `make demo` only starts the server. System checks run once,
# in runserver; the setup steps skip them (about a second each). Tallies are recounted from the facts
# each time (a second on the demo), so a database from an older version shows true dashboards too.
# The task worker (imports run in the background) runs beside the web server, both children of one
# shell that waits for either to stop: Ctrl+C (or SIGTERM, or the server failing to start) stops the
# other too, so nothing is left holding the port or the queue for the next `make demo`.
demo: $(STAMP)
	@mkdir -p var
	$(DEMO_ENV) $(CLI) migrate --noinput --skip-checks -v 0
	$(DEMO_ENV) $(CLI) load_units --skip-checks
	$(DEMO_ENV) $(CLI) demo_data --skip-checks
	$(DEMO_ENV) $(CLI) rebuild_tallies --skip-checks -v 0
	@echo
	@echo "Cộng Đồng Số đang chạy: http://127.0.0.1:8000  (Ctrl+C để dừng)"
	@$(DEMO_ENV) $(CLI) demo_data --print-logins --skip-checks
	@$(DEMO_ENV) $(CLI) db_worker --no-reload --no-startup-delay --skip-checks & worker=$$!; \
	$(DEMO_ENV) $(CLI) runserver 127.0.0.1:8000 & server=$$!; \
	stop() { trap - INT TERM EXIT; kill -TERM $$server $$worker 2>/dev/null; wait $$server $$worker 2>/dev/null; }; \
	trap 'stop; exit 130' INT; trap 'stop; exit 143' TERM; trap stop EXIT; \
	wait -n $$server $$worker; status=$$?; stop; exit $$status

test: $(STAMP)
	scripts/run-tests

bench: $(STAMP)
	@for script in bench/[!_]*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

messages: $(STAMP)
	cd src/congdongso && DEBUG=1 ../../$(CLI) makemessages -l en --no-obsolete && DEBUG=1 ../../$(CLI) compilemessages -l en

clean:
	rm -rf $(VENV) var
