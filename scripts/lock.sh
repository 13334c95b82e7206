#!/usr/bin/env bash
# Regenerate the locked requirements (exact versions with hashes) from the readable inputs:
#   requirements.in     -> requirements.txt      (runtime)
#   requirements-dev.in -> requirements-dev.txt  (runtime + tests + tools; constrained by
#                                                 requirements.txt, so both pin the same)
# Usage: bash scripts/lock.sh                          keep the pins, add/remove what changed
#        bash scripts/lock.sh --upgrade-package django  move one package (within its range)
#        bash scripts/lock.sh --upgrade                 move everything (within the ranges)
# Run with the project's Python 3.11 (.venv): the lock is for Python 3.11 on Linux, and
# carries the hashes of every file of each pinned release, so it installs on other platforms.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

ensure_venv
ensure_python_packages  # brings pip-tools

# Resolve from the public index exactly as a fresh machine would: no local pip.conf (mirrors,
# find-links, constraints) and no PIP_* overrides from the environment.
export PIP_CONFIG_FILE=/dev/null
unset PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_FIND_LINKS PIP_NO_INDEX PIP_CONSTRAINT PIP_REQUIRE_VIRTUALENV
export CUSTOM_COMPILE_COMMAND="bash scripts/lock.sh"

compile() {
    say "Locking $1 -> $2"
    "$VENV/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras \
        --no-emit-index-url --no-emit-find-links --output-file "$2" "$1" "${@:3}"
}
compile requirements.in requirements.txt "$@"
compile requirements-dev.in requirements-dev.txt "$@"
say "Locks written: install them with bash scripts/setup_and_run.sh (or pip install -r requirements-dev.txt)"
