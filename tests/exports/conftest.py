import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Export files go to a per-test folder, not var/.
    settings.MEDIA_ROOT = tmp_path / "media"
