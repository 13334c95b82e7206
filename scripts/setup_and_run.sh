#!/usr/bin/env bash
# One command to set up and run Campus Safety on this machine:
#   bash scripts/setup_and_run.sh
# Creates .venv, installs Python and front-end packages, migrates, loads the Hangjin Banner
# demo data, collects static files, then runs in the foreground until Ctrl-C:
#   - the web server on http://$HOST:$PORT (default 127.0.0.1:8000)
#   - a Celery worker with beat embedded (reminders, escalations, nightly roll-up)
# Defaults: SQLite (var/db.sqlite3) and kombu's filesystem broker (var/celery/), so no
# server is needed; DATABASE_URL / CELERY_BROKER_URL switch to PostgreSQL / Redis.
# Re-running skips what is done. SETUP_ONLY=1 stops after set-up; LOAD_DEMO=1 reloads the demo.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

export DEBUG="${DEBUG:-1}"
# A local .env (read by the settings) so that plain `manage.py …` commands work afterwards
# with the same development defaults. Never overwrites an existing one.
if [[ ! -f .env ]]; then
    say "Writing .env for local development (DEBUG=1)"
    printf '# Local development settings, written by scripts/setup_and_run.sh.\nDEBUG=1\n' >.env
fi
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
mkdir -p var

# gettext compiles the translations; without it the committed .mo files serve.
ensure_debian_packages gettext || true
ensure_venv
ensure_python_packages
ensure_frontend
compile_translations

say "Migrating the database"
"$PY" manage.py migrate --noinput -v 0
# load_demo rebuilds the demo schools' records, so it runs once per database (LOAD_DEMO=1
# forces a reload): a re-run keeps what people entered while trying the product.
demo_loaded() {
    "$PY" manage.py shell -v 0 -c \
        "import sys; from schools.models import School; sys.exit(0 if School.objects.filter(is_demo=True).exists() else 1)" \
        >/dev/null 2>&1
}
if ! "$PY" manage.py help load_demo >/dev/null 2>&1; then
    say "No load_demo command yet: skipping demo data"
elif [[ "${LOAD_DEMO:-0}" != "1" ]] && demo_loaded; then
    say "Demo data already loaded (LOAD_DEMO=1 reloads it)"
else
    say "Loading demo data (Hangjin Banner 2024)"
    "$PY" manage.py load_demo
fi
say "Collecting static files"
"$PY" manage.py collectstatic --noinput -v 0

if [[ "${SETUP_ONLY:-0}" == "1" ]]; then
    say "Set-up done (SETUP_ONLY=1: not starting the servers)"
    exit 0
fi

pids=()
stop_all() {
    trap - INT TERM EXIT
    if ((${#pids[@]})); then
        say "Stopping web server and Celery worker"
        kill -TERM "${pids[@]}" 2>/dev/null || true
        # Celery finishes its running tasks first; give up on it after 30 s.
        for _ in $(seq 30); do
            kill -0 "${pids[@]}" 2>/dev/null || break
            sleep 1
        done
        kill -KILL "${pids[@]}" 2>/dev/null || true
        wait "${pids[@]}" 2>/dev/null || true
        pids=()
    fi
}
trap stop_all INT TERM EXIT

say "Starting Celery worker with beat"
# Its own session: a SIGTERM sent to this script's whole process group (systemd, docker,
# kill -- -PGID) reaching the pool children directly left the worker hanging; stop_all
# stops it instead.
setsid "$VENV/bin/celery" -A campussafety worker -B -l "${CELERY_LOG_LEVEL:-info}" &
pids+=($!)

if [[ "$DEBUG" =~ ^(1|true|True|yes|on)$ ]]; then
    # Development server: static files via WhiteNoise, photos through their checking views.
    say "Starting web server on http://$HOST:$PORT/ (DEBUG on)"
    "$PY" manage.py runserver --noreload "$HOST:$PORT" &
else
    # Production-like: gunicorn + WhiteNoise for static files. Photos and exports (private
    # files) come from their checking views, streamed by Django or by nginx (see README).
    say "Starting gunicorn on http://$HOST:$PORT/ (DEBUG off)"
    "$VENV/bin/gunicorn" campussafety.wsgi -b "$HOST:$PORT" --workers "${WEB_CONCURRENCY:-2}" &
fi
pids+=($!)

say "Running. Open http://$HOST:$PORT/ and sign in as bureau / demo12345. Ctrl-C stops both."
# Whichever process ends first (or Ctrl-C) stops the other too.
set +e
wait -n "${pids[@]}"
status=$?
set -e
stop_all
exit "$status"
