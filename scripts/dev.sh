#!/usr/bin/env bash
# Set CoinStack up from a fresh clone and serve it on http://127.0.0.1:8000 with a demo collection,
# with the background worker (scrapes asked for in the admin) running beside the server.
# Safe to run again: it installs what is missing, migrates, and keeps existing data.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment in .venv ..."
    "$PYTHON" -m venv .venv
fi
echo "Installing the requirements ..."
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements-dev.txt

# Local development: DEBUG on (a development secret, local hosts only), SQLite in data/ unless
# DATABASE_URL says otherwise.
export DEBUG=${DEBUG:-1}

.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py load_vocab
# The OCRE and CRRO coin types (numismatics/data/types/, ODbL 1.0): only new or changed ones are written.
.venv/bin/python manage.py load_types
.venv/bin/python manage.py setup_demo

# The background worker runs the scrapes queued from the admin; it stops when the server stops
# (restart this script after changing the code a job runs: the worker does not reload itself).
.venv/bin/python manage.py db_worker --no-reload &
WORKER_PID=$!
trap 'kill "$WORKER_PID" 2>/dev/null || true' EXIT INT TERM
echo "Background worker started (pid $WORKER_PID)."
.venv/bin/python manage.py runserver "${COINSTACK_ADDR:-127.0.0.1:8000}"
