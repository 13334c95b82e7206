#!/usr/bin/env python3
"""Copy the front-end libraries from node_modules/ into static/vendor/ with their source maps.

Run after ``npm ci`` (or ``npm install``); the versions come from package-lock.json. The copies
are not committed (static/vendor/ is in .gitignore) and nothing is fetched from a CDN, so the
product works offline. Exits 1 naming the missing files when node_modules is incomplete.

Usage: python scripts/vendor_static.py [--project-dir DIR]
"""

import argparse
import shutil
import sys
from pathlib import Path

# (path under node_modules, required). Maps are copied when the package ships them, so a
# browser's developer tools show the real sources.
FILES = [
    ("bootstrap/dist/css/bootstrap.min.css", True),
    ("bootstrap/dist/css/bootstrap.min.css.map", True),
    ("bootstrap/dist/js/bootstrap.bundle.min.js", True),
    ("bootstrap/dist/js/bootstrap.bundle.min.js.map", True),
    ("htmx.org/dist/htmx.min.js", True),
    ("htmx.org/dist/htmx.min.js.map", False),
    ("chart.js/dist/chart.umd.js", True),
    ("chart.js/dist/chart.umd.js.map", False),
    # Searchable selects (filters, the school picker that searches the server).
    ("tom-select/dist/js/tom-select.complete.min.js", True),
    ("tom-select/dist/js/tom-select.complete.min.js.map", False),
    ("tom-select/dist/css/tom-select.bootstrap5.min.css", True),
    ("tom-select/dist/css/tom-select.bootstrap5.min.css.map", False),
]
LICENCES = ["bootstrap/LICENSE", "htmx.org/LICENSE", "chart.js/LICENSE.md", "tom-select/LICENSE"]


def vendor(project_dir: Path) -> list[str]:
    """Copy FILES into static/vendor/<package>/; return the missing required paths."""
    modules = project_dir / "node_modules"
    target = project_dir / "static" / "vendor"
    missing = []
    for rel, required in FILES + [(licence, False) for licence in LICENCES]:
        source = modules / rel
        if not source.is_file():
            if required:
                missing.append(rel)
            continue
        package = rel.split("/", 1)[0]
        dest = target / package / source.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest)
    return missing


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project-dir", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args(argv)
    missing = vendor(args.project_dir)
    if missing:
        print(
            "missing in node_modules (run `npm ci` first):", *missing, sep="\n  ", file=sys.stderr
        )
        return 1
    print(f"copied front-end libraries into {args.project_dir / 'static' / 'vendor'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
