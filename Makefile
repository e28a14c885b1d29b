# Masthead: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_URL ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?=

.PHONY: run test test-sqlite test-postgres audit lint bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# The demo publication's name, unless the environment names the site.
run: export MASTHEAD_SITE_NAME ?= The Marrowick Ledger
run: $(VENV)/.installed
	$(VENV)/bin/masthead demo
	$(VENV)/bin/masthead serve --host $(HOST) --port $(PORT)

test: test-sqlite test-postgres

# Known vulnerabilities in the installed dependencies (PyPI's advisory data, so it
# needs the network). --strict: a package it could not check fails the audit too.
# pip-audit reads each release's JSON page; where only the index answers (a mirror),
# it would blame every package as "not found", so that is said plainly first.
AUDIT_PROBE := https://pypi.org/pypi/pip/24.0/json
audit: $(VENV)/.installed-test
	@$(PY) -c "import urllib.request; urllib.request.urlopen('$(AUDIT_PROBE)', timeout=15)" 2>/dev/null || \
		{ echo "make audit: PyPI's per-release JSON (advisory data) is out of reach from here." >&2; exit 2; }
	$(VENV)/bin/pip-audit --strict --progress-spinner off --skip-editable

# Browser tests drive Debian's Chromium; root installs it, anyone else is told how.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Browser tests need Debian's chromium (sudo apt-get install chromium)." >&2; \
	fi

# The front-server tests run Debian's nginx; root installs it the same way.
NGINX := /usr/sbin/nginx
$(NGINX):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
	else \
		echo "Front-server tests need Debian's nginx (sudo apt-get install nginx-light)." >&2; \
	fi

test-sqlite: $(VENV)/.installed-test | $(CHROMIUM) $(NGINX)
	$(PY) -m pytest $(PYTEST_ARGS)

# PostgreSQL + Redis: run when reachable; under CI=true their absence fails.
test-postgres: $(VENV)/.installed-test
	@if $(PY) tests/services_up.py "$(PG_URL)" "$(REDIS_URL)"; then \
		MASTHEAD_DATABASE_URL="$(PG_URL)" MASTHEAD_CACHE_URL="$(REDIS_URL)" \
			$(PY) -m pytest -m "not slow and not browser" $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL or Redis unreachable and CI=true: failing." >&2; exit 1; \
	else \
		echo "PostgreSQL or Redis unreachable: suite ran on SQLite only."; \
	fi

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check --fix src tests bench
	$(VENV)/bin/ruff format src tests bench

# The bench drives with wrk and compares against nginx: root installs both.
bench: $(VENV)/.installed-test
	@missing=""; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	PATH="$$PATH:/usr/sbin" command -v nginx >/dev/null || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "bench needs$$missing (sudo apt-get install$$missing)" >&2; exit 1; \
		fi; \
	fi
	$(PY) bench/run.py $(BENCH_ARGS)
	$(PY) bench/spam.py

clean:
	rm -rf $(VENV) var .pytest_cache
