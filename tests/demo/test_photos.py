"""The demo's 随手拍 hazards have their photo, and their rectifications an "after" photo,
drawn with Pillow and served like any photo (to the people of the school)."""

import io

from PIL import Image

from demo.builders.photos import AFTER, BEFORE, draw
from hazards.models import Hazard, HazardPhoto


def test_drawn_cards_are_jpegs():
    for kind in (BEFORE, AFTER):
        image = Image.open(io.BytesIO(draw("消防", kind)))
        assert image.format == "JPEG" and image.size == (640, 480)


def test_every_demo_snapshot_has_a_photo_and_rectifications_an_after_photo(db, demo_data):
    snapshots = Hazard.objects.filter(source=Hazard.Source.SNAPSHOT, school__is_demo=True)
    assert snapshots.count() >= 153
    assert not snapshots.filter(photos__isnull=True).exists()
    after = HazardPhoto.objects.filter(hazard__in=snapshots, event__action="submit_rectification")
    assert after.count() >= 153  # every closed 随手拍 went through a rectification
