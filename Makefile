# Matchmaker — the two commands of the README, and a few helpers.
#   make run    install, create the database, load the demo data, serve on http://127.0.0.1:5000/
#               (make run PORT=5050 MAIL_PORT=2525 when 5000 or 8025 is taken)
#   make test   install (with the browser for the page tests) and run the whole test suite
#   make lint   install and check the code against the ruff rules and formatting of pyproject.toml (rewrites nothing)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export MATCHMAKER_INSTANCE_PATH ?= $(CURDIR)/instance
#: Web port of `make run`, and port of its embedded SMTP sink.
PORT ?= 5000
MAIL_PORT ?= $(or $(MATCHMAKER_MAIL_PORT),8025)

.PHONY: run test lint install pdf-deps browser a11y-deps bench bench-quick reference translations wheel clean

run: install pdf-deps
	$(BIN)/matchmaker db upgrade
	$(BIN)/matchmaker demo --if-empty
	MATCHMAKER_MAIL_PORT=$(MAIL_PORT) MATCHMAKER_BASE_URL=$${MATCHMAKER_BASE_URL:-http://127.0.0.1:$(PORT)} \
		$(BIN)/matchmaker serve --port $(PORT)

test: install pdf-deps browser a11y-deps
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Pango, HarfBuzz's subsetter and CJK fonts for the booklet's PDF (WeasyPrint renders with Pango and embeds
# font subsets made by HarfBuzz-Subset, which WeasyPrint 70 warns about when missing; Hangul needs Noto CJK).
pdf-deps:
	@if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || ! ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0' \
		|| ! fc-list 2>/dev/null | grep -qi 'noto sans cjk'; then \
		echo "installing Debian's Pango, HarfBuzz-Subset and CJK fonts"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
			libharfbuzz-subset0 fonts-noto-cjk >/dev/null; \
	fi

# Debian's Chromium (Playwright drives it; no browser download) and CJK fonts so Korean pages render.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'noto sans cjk'; then \
		echo "installing Debian's chromium and CJK fonts"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# axe-core for the accessibility tests, from the npm registry, pinned by tests/a11y/package-lock.json.
a11y-deps:
	@if [ -f tests/a11y/package.json ] && [ ! -f tests/a11y/node_modules/axe-core/axe.min.js ]; then \
		cd tests/a11y && npm ci --silent --no-audit --no-fund; \
	fi

bench: install
	$(BIN)/python bench/run_all.py

bench-quick: install
	$(BIN)/python bench/run_all.py --quick

reference: install
	$(BIN)/python data/build_reference.py

# The wheel of the production steps (README, docs/operations.md): dist/matchmaker-<version>-py3-none-any.whl
wheel:
	$(PYTHON) -m pip wheel --quiet --no-deps --wheel-dir dist .

clean:
	rm -rf $(VENV) instance .pytest_cache build dist
