# Shared steps for scripts/setup_and_run.sh, scripts/test.sh and .ci/run.
# Source it from the project root. Every step is idempotent: it skips work already done
# (a stamp file records the hash of the inputs it was done for).

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }

VENV="${VENV:-.venv}"
PY="$VENV/bin/python"

# Hash of the given files (missing files hash as empty), to tell whether a step must re-run.
inputs_hash() { cat "$@" 2>/dev/null | sha256sum | cut -d' ' -f1; }

ensure_venv() {
    if [[ -x "$PY" ]]; then return; fi
    local base
    base="$(command -v python3.11 || command -v python3 || true)"
    [[ -n "$base" ]] || die "Python 3.11 not found: install it (python3.11) first."
    say "Creating virtual environment $VENV with $base"
    "$base" -m venv "$VENV"
}

ensure_python_packages() {
    local stamp="$VENV/.requirements.sha256" want
    want="$(inputs_hash requirements.txt requirements-dev.txt)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return; fi
    say "Installing Python packages (requirements-dev.txt)"
    "$PY" -m pip install --disable-pip-version-check -q --upgrade pip
    "$PY" -m pip install --disable-pip-version-check -q -r requirements-dev.txt
    echo "$want" >"$stamp"
}

# Front-end libraries (Bootstrap, htmx, Chart.js) from the npm registry, copied with their
# .map files into static/vendor/ by scripts/vendor_static.py. No CDN: works offline.
ensure_frontend() {
    if [[ ! -f package.json ]]; then
        say "No package.json yet: skipping front-end libraries"
        return
    fi
    command -v npm >/dev/null || die "npm not found: install Node.js with npm first."
    local stamp="node_modules/.campussafety.sha256" want
    want="$(inputs_hash package.json package-lock.json)"
    if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
        if [[ -f package-lock.json ]]; then
            say "Installing front-end libraries (npm ci)"
            npm ci --no-audit --no-fund --loglevel=error
        else
            say "Installing front-end libraries (npm install: no package-lock.json)"
            npm install --no-audit --no-fund --loglevel=error
            want="$(inputs_hash package.json package-lock.json)"
        fi
        echo "$want" >"$stamp"
    fi
    if [[ -f scripts/vendor_static.py ]]; then
        "$PY" scripts/vendor_static.py
    else
        say "No scripts/vendor_static.py yet: static/vendor/ not filled"
    fi
}

# Compile .po to .mo. The .mo files are committed too, so a machine without gettext still
# shows English; with gettext the catalogue is rebuilt from the .po. Skips .venv and
# node_modules, whose packages ship their own compiled catalogues.
compile_translations() {
    local po
    po="$(find . \( -path ./.venv -o -path ./node_modules -o -path ./.git \) -prune -o -name '*.po' -print -quit)"
    if [[ -z "$po" ]]; then return; fi
    if ! command -v msgfmt >/dev/null; then
        say "gettext not found: using the committed .mo files"
        return
    fi
    say "Compiling translations"
    # compilemessages reads settings only for LOCALE_PATHS: the DEBUG default spares SECRET_KEY.
    DEBUG="${DEBUG:-1}" "$PY" manage.py compilemessages -v 0 --ignore=.venv --ignore=node_modules --ignore=.git
}
