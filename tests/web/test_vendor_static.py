"""scripts/vendor_static.py copies the front-end libraries with their source maps."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "vendor_static.py"


@pytest.fixture
def vendor_static():
    spec = importlib.util.spec_from_file_location("vendor_static", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_node_modules(root, files):
    for rel in files:
        path = root / "node_modules" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"/* {rel} */")


def test_copies_files_and_maps(tmp_path, vendor_static):
    fake_node_modules(tmp_path, [rel for rel, _required in vendor_static.FILES])
    assert vendor_static.main(["--project-dir", str(tmp_path)]) == 0
    vendor = tmp_path / "static" / "vendor"
    for name in (
        "bootstrap/bootstrap.min.css.map",
        "bootstrap/bootstrap.bundle.min.js.map",
        "htmx.org/htmx.min.js",
        "chart.js/chart.umd.js.map",
    ):
        assert (vendor / name).is_file()


def test_optional_maps_may_be_absent_but_required_files_may_not(tmp_path, vendor_static, capsys):
    required = [rel for rel, needed in vendor_static.FILES if needed]
    fake_node_modules(tmp_path, required[1:])
    assert vendor_static.main(["--project-dir", str(tmp_path)]) == 1
    assert required[0] in capsys.readouterr().err
