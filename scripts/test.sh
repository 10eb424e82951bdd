#!/usr/bin/env bash
# Run CoinStack's whole test suite (installs the requirements first when needed).
# Extra arguments go to pytest, e.g. scripts/test.sh -k backup
# DATABASE_URL=postgres://... scripts/test.sh runs it against PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements-dev.txt
exec .venv/bin/python -m pytest "$@"
