"""The private storage on an S3-compatible server (several web servers share one bucket):
moto's server mode runs on a local port for these tests. A photo and an export are stored
in the bucket, nothing on the local disk, and handed out by the checking views; the settings
read from the environment (README) configure the same."""

import os
import subprocess
import sys
import uuid

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from moto.server import ThreadedMotoServer

from hazards.models import HazardPhoto

from .conftest import JPEG_START, body

KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint):
    """A fresh private bucket; ``bucket.objects()`` → {key: bytes} of what it holds."""

    class Bucket:
        name = f"campus-private-{uuid.uuid4().hex[:12]}"
        s3 = boto3.client(
            "s3",
            endpoint_url=s3_endpoint,
            aws_access_key_id=KEYS["access_key"],
            aws_secret_access_key=KEYS["secret_key"],
            region_name=KEYS["region_name"],
        )

        def objects(self):
            listed = self.s3.list_objects_v2(Bucket=self.name).get("Contents", [])
            return {
                o["Key"]: self.s3.get_object(Bucket=self.name, Key=o["Key"])["Body"].read()
                for o in listed
            }

    made = Bucket()
    made.s3.create_bucket(Bucket=made.name)
    return made


@pytest.fixture
def s3_private(settings, s3_endpoint, bucket):
    """The private storage is the bucket (as PRIVATE_STORAGE_BACKEND=s3 configures it)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket.name,
                "endpoint_url": s3_endpoint,
                "location": "campus",
                "default_acl": "private",
                "file_overwrite": False,
                **KEYS,
            },
        },
    }
    return bucket


def test_photo_and_export_live_in_the_bucket_and_come_out_through_the_views(
    s3_private, reported_photo, export_job, client, officer_a, officer_b, private_files
):
    stored = s3_private.objects()
    photo_key = f"campus/{reported_photo.image.name}"
    export_key = f"campus/{export_job.file.name}"
    assert {photo_key, f"campus/{reported_photo.thumbnail.name}", export_key} <= set(stored)
    assert not private_files.exists()  # nothing on this web server's disk

    photo_url = reverse("hazard-photo", args=[reported_photo.uuid])
    download_url = reverse("export-download", args=[export_job.pk])
    assert client.get(photo_url).status_code in (401, 403)
    client.force_login(officer_b)
    assert client.get(photo_url).status_code == 404
    assert client.get(download_url).status_code == 404

    client.force_login(officer_a)
    photo = client.get(photo_url)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert body(photo) == stored[photo_key] and stored[photo_key].startswith(JPEG_START)
    download = client.get(download_url)
    assert download.status_code == 200 and body(download) == stored[export_key]
    assert stored[export_key].startswith("\ufeff".encode())  # the CSV, BOM first for Excel


def test_a_photo_missing_from_the_bucket_is_404(s3_private, reported_photo, client, officer_a):
    s3_private.s3.delete_object(Bucket=s3_private.name, Key=f"campus/{reported_photo.image.name}")
    client.force_login(officer_a)
    assert client.get(reverse("hazard-photo", args=[reported_photo.uuid])).status_code == 404


def test_move_private_files_moves_public_media_into_the_bucket(
    s3_private, reported_photo, media_root
):
    # A photo as an older version stored it: in public media under the row's name.
    legacy = HazardPhoto.objects.create(hazard=reported_photo.hazard, image="hazards/2024/05/a.jpg")
    (media_root / "hazards/2024/05").mkdir(parents=True)
    (media_root / "hazards/2024/05/a.jpg").write_bytes(b"\xff\xd8\xffold photo")
    call_command("move_private_files")
    assert s3_private.objects()["campus/hazards/2024/05/a.jpg"] == b"\xff\xd8\xffold photo"
    assert not (media_root / "hazards/2024/05/a.jpg").exists()
    legacy.refresh_from_db()
    assert legacy.image.name == "hazards/2024/05/a.jpg"


def test_the_environment_configures_the_s3_storage(s3_endpoint, bucket, tmp_path):
    """PRIVATE_STORAGE_BACKEND=s3 and the AWS_* variables of the README, in a fresh process
    with the production settings module."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "campussafety.settings.base",
        "SECRET_KEY": "x" * 50,
        "PRIVATE_STORAGE_BACKEND": "s3",
        "AWS_STORAGE_BUCKET_NAME": bucket.name,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_ACCESS_KEY_ID": KEYS["access_key"],
        "AWS_SECRET_ACCESS_KEY": KEYS["secret_key"],
        "AWS_S3_REGION_NAME": KEYS["region_name"],
        "AWS_LOCATION": "env",
        "PRIVATE_ROOT": str(tmp_path / "unused"),
    }
    script = (
        "import django; django.setup();"
        "from django.core.files.base import ContentFile;"
        "from core.files import private_storage;"
        "print(private_storage().save('probe.txt', ContentFile(b'from env')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "probe.txt"
    assert bucket.objects() == {"env/probe.txt": b"from env"}
    assert not (tmp_path / "unused").exists()
