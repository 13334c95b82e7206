#!/usr/bin/env bash
# Code health: bash scripts/lint.sh
# ruff check, ruff format --check, lint-imports (the import layers) and mypy (services,
# selectors, rules, reminders), with the venv's tools and the settings in pyproject.toml.
# Runs every step, names the ones that failed and exits non-zero if any did.
# Fix what ruff can: .venv/bin/ruff check --fix . && .venv/bin/ruff format .
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

ensure_venv
ensure_python_packages
run_lint
