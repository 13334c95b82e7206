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

# The locks (requirements.txt, requirements-dev.txt: exact versions with hashes, made from the
# .in files by scripts/lock.sh). requirements-dev.txt holds the runtime lock's pins too, so it
# is the one file to install; pip refuses any file whose hash is not in it.
ensure_python_packages() {
    local stamp="$VENV/.requirements.sha256" want
    want="$(inputs_hash requirements.txt requirements-dev.txt)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return; fi
    say "Installing Python packages (requirements-dev.txt, hash-checked)"
    # A recent pip first (not hash-checked: pip is not installed from the lock yet); the lock
    # then sets it to its own pinned version.
    "$PY" -m pip install --disable-pip-version-check -q --upgrade pip
    "$PY" -m pip install --disable-pip-version-check -q --require-hashes -r requirements-dev.txt
    echo "$want" >"$stamp"
}

# Debian packages the tests need: Chromium and its driver for the browser tests (Playwright
# drives Debian's Chromium), a CJK font so Chinese renders in them, gettext to compile the
# translations. Installs the missing ones with apt-get as root, or with sudo when it needs no
# password; otherwise says what to install. Returns non-zero when packages are still missing.
# libreoffice-calc-nogui: the export tests open each .xlsx in LibreOffice (headless conversion).
DEBIAN_PACKAGES=(chromium chromium-driver fonts-wqy-microhei gettext libreoffice-calc-nogui)
ensure_debian_packages() {
    local pkg missing=() sudo=()
    (($#)) || set -- "${DEBIAN_PACKAGES[@]}"
    if ! command -v dpkg-query >/dev/null; then
        say "Not a Debian system: make sure these are installed (or their equivalents): $*"
        return 0
    fi
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0
    if [[ "$(id -u)" != 0 ]]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            printf '\033[1;33mWARNING:\033[0m missing Debian packages: %s\n' "${missing[*]}" >&2
            printf '  Install them as root: apt-get install --no-install-recommends %s\n' "${missing[*]}" >&2
            if [[ " ${missing[*]} " =~ \ (chromium|chromium-driver|fonts-wqy-microhei)\  ]]; then
                printf '  Until then the browser tests fail (skip them with -m "not browser").\n' >&2
            fi
            if [[ " ${missing[*]} " == *" gettext "* ]]; then
                printf '  Without gettext the committed .mo files are used, not compiled from the .po.\n' >&2
            fi
            return 1
        fi
    fi
    say "Installing Debian packages: ${missing[*]}"
    local apt=(${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get)
    if ! "${apt[@]}" update -q || ! "${apt[@]}" install -y -q --no-install-recommends "${missing[@]}"; then
        printf '\033[1;31mERROR:\033[0m could not install the Debian packages: %s\n' "${missing[*]}" >&2
        return 1
    fi
}

# Code health: ruff (lint and format), import-linter (layers), mypy (services, selectors, rules,
# reminders), with the settings in pyproject.toml. Runs every step, names the ones that failed,
# returns non-zero if any did.
run_lint() {
    local failed=()
    say "Lint: ruff check"
    "$VENV/bin/ruff" check . || failed+=("ruff check")
    say "Lint: ruff format --check"
    "$VENV/bin/ruff" format --check . || failed+=("ruff format --check")
    say "Lint: lint-imports"
    "$VENV/bin/lint-imports" || failed+=("lint-imports")
    say "Lint: mypy"
    "$VENV/bin/mypy" || failed+=("mypy")
    if ((${#failed[@]})); then
        printf '\033[1;31mLINT FAILED:\033[0m %s\n' "$(IFS=,; echo "${failed[*]}" | sed 's/,/, /g')" >&2
        return 1
    fi
    say "Lint passed"
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
