# Everything a developer or CI needs, installed into .venv from the pinned lock files.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1:8000
# where collectstatic writes for `make run` (git-ignored under var/; lms/settings/base.py)
STATIC_ROOT ?= var/static
STATIC_MANIFEST := $(STATIC_ROOT)/staticfiles.json

.PHONY: install run test test-fast test-browser lint browser-deps messages clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv

$(STAMP): requirements/dev.txt | $(BIN)/uv
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)

## Serve the site with demo data on the embedded default (SQLite, eager Celery, no services).
## CSS and JS go out as in production: hashed names, gzip/brotli, cached for a year (WhiteNoise).
run: export STATIC_COMPRESSED ?= true
run: install $(STATIC_MANIFEST)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST)

# collected again only when a static file or an installed package changed (about 10 s)
$(STATIC_MANIFEST): $(STAMP) lms/staticfiles.py $(shell find static -type f)
	STATIC_COMPRESSED=true $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	touch $@

## The whole suite: lint, unit and integration tests, then the browser tests.
test: install browser-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not browser"
	$(BIN)/python -m pytest -m browser

test-fast: install
	$(BIN)/python -m pytest -m "not browser"

test-browser: install browser-deps
	$(BIN)/python -m pytest -m browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Debian's Chromium drives the browser tests; no browser is ever downloaded.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || bin/install-chromium

## Recompile the translation catalogues after editing locale/*/LC_MESSAGES/django.po.
messages: install
	$(BIN)/python bin/compile_messages.py

clean:
	rm -rf $(VENV) var db.sqlite3 db.sqlite3-wal db.sqlite3-shm
