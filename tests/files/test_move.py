"""``manage.py move_private_files``: files an older version wrote to public media (photos,
exports) move to the private storage under the same names; a dry run moves nothing, a second
run moves nothing twice, a file missing on disk is counted, not an error."""

import io

from django.core.management import call_command
from django.urls import reverse

from core.files import private_storage
from hazards.models import HazardPhoto
from reports.models import ExportJob


def legacy_files(media_root, reported_photo, export_job):
    """Rows whose files sit in public media, as before the upgrade."""
    files = {
        "hazards/2024/05/old.jpg": b"\xff\xd8\xffold",
        "exports/2024/05/77.csv": b"id,name\n1,someone\n",
    }
    for name, content in files.items():
        (media_root / name).parent.mkdir(parents=True, exist_ok=True)
        (media_root / name).write_bytes(content)
    HazardPhoto.objects.create(hazard=reported_photo.hazard, image="hazards/2024/05/old.jpg")
    ExportJob.objects.create(
        requested_by=export_job.requested_by,
        format="csv",
        status=ExportJob.Status.DONE,
        file="exports/2024/05/77.csv",
    )
    HazardPhoto.objects.create(hazard=reported_photo.hazard, image="hazards/2024/05/gone.jpg")
    return files


def run(*args):
    out = io.StringIO()
    call_command("move_private_files", *args, stdout=out)
    return out.getvalue()


def test_moves_public_files_into_the_private_storage(
    media_root, reported_photo, export_job, client
):
    files = legacy_files(media_root, reported_photo, export_job)

    # The fixtures' photo and export were made by this version: private already.
    dry = run("--dry-run")
    assert "hazards.HazardPhoto.image moved 1 already 1 missing 1" in dry
    assert "reports.ExportJob.file moved 1 already 1 missing 0" in dry
    assert all((media_root / name).exists() for name in files)

    out = run()
    assert out == dry
    for name, content in files.items():
        assert not (media_root / name).exists()
        with private_storage().open(name, "rb") as stored:
            assert stored.read() == content

    again = run()
    assert "hazards.HazardPhoto.image moved 0 already 2 missing 1" in again
    assert "reports.ExportJob.file moved 0 already 2 missing 0" in again
    # The moved export downloads through the checking view.
    moved = ExportJob.objects.get(file="exports/2024/05/77.csv")
    client.force_login(moved.requested_by)
    download = client.get(reverse("export-download", args=[moved.pk]))
    assert b"".join(download.streaming_content) == files["exports/2024/05/77.csv"]
