#!/usr/bin/env bash
# Run the whole test suite: bash scripts/test.sh [pytest args...]
# Uses DATABASE_URL and CELERY_BROKER_URL from the environment (SQLite and the filesystem
# broker when unset). Creates .venv and installs packages first if needed. The browser
# test (marker "browser") needs Debian's chromium, chromium-driver and fonts-wqy-microhei
# (installed here when missing, as root or with password-less sudo; otherwise it says what
# to install) and the front-end files in static/vendor/ (filled by the set-up command or by
# this script when package.json and npm are present).
# Skip it with: bash scripts/test.sh -m "not browser"
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

# WhiteNoise warns at every request when STATIC_ROOT does not exist yet.
mkdir -p var "${STATIC_ROOT:-var/staticfiles}"
# Missing packages that cannot be installed here fail only the browser tests: run the rest.
ensure_debian_packages || true
ensure_venv
ensure_python_packages
if command -v npm >/dev/null; then
    ensure_frontend
fi
compile_translations

# Code checks first (ruff, import layers, mypy): a broken contract fails the test command.
run_lint || die "code checks failed (see above); pytest not run"

say "Running pytest (database: ${DATABASE_URL:-SQLite}, broker: ${CELERY_BROKER_URL:-filesystem})"
# One pytest-xdist worker a CPU, each with its own test database (test_<name>_gw0, …) and
# Redis database (campussafety/settings/test.py). Give -n 0 to run in one process.
exec "$PY" -m pytest -n auto "$@"
