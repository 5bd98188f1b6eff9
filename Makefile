# The two commands of the README: `make run` and `make test`. Everything they need is
# installed into .venv by the `install` target; nothing is expected on the machine
# beyond Python 3.11+ (and, for browser tests, Debian's chromium package).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run worker test lint format messages clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

# Runs the portal with demo data: SQLite under var/ unless DATABASE_URL is set.
# Documents are rendered inside the request (TASKS_BACKEND=immediate) unless told
# otherwise, so this is the one process to start; with TASKS_BACKEND=database, start
# `make worker` beside it.
run: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	@echo "Open http://$(HOST):$(PORT)/ and log in with one of the demo logins above."
	DEBUG=$${DEBUG:-1} TASKS_BACKEND=$${TASKS_BACKEND:-immediate} $(PY) manage.py runserver $(HOST):$(PORT)

# The document worker (README "Documents and the worker"), for TASKS_BACKEND=database.
worker: install
	DEBUG=$${DEBUG:-1} TASKS_BACKEND=database $(PY) manage.py document_worker

# The whole test suite: PostgreSQL when DATABASE_URL is set, SQLite otherwise. It runs on
# every core (pytest-xdist; each worker has its own test database); TEST_WORKERS=0 runs
# it in one process.
TEST_WORKERS ?= auto
test: install
	DEBUG=1 $(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Needs GNU gettext (apt-get install gettext).
messages: install
	DEBUG=1 $(PY) manage.py makemessages -l th --no-obsolete --add-location file --ignore=.venv --ignore=tests
	DEBUG=1 $(PY) manage.py compilemessages -l th --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
