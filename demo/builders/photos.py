"""Photos for the demo: the 随手拍 reports say a photo was taken, so each has one, and each of
their rectifications has an "after" photo. The pictures are drawn with Pillow and are
plainly synthetic (a coloured card, a sign, "示例照片 DEMO"): one file per category and
kind, shared by every demo row that shows it, so a rebuild leaves no stray files.
"""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from core.files import private_storage
from hazards.models import Hazard, HazardEvent, HazardPhoto

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"  # fonts-wqy-microhei (Debian)
SIZE = (640, 480)
BEFORE, AFTER = "before", "after"
COLOURS = {BEFORE: (214, 69, 65), AFTER: (46, 139, 87)}


def _font(size):
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:  # no CJK font: the card still says DEMO
        return ImageFont.load_default()


def draw(label: str, kind: str) -> bytes:
    """A 640×480 JPEG card: a warning sign (before) or a tick (after), ``label`` and DEMO."""
    image = Image.new("RGB", SIZE, (236, 239, 243))
    pen = ImageDraw.Draw(image)
    colour = COLOURS[kind]
    pen.rectangle([0, 0, SIZE[0], 64], fill=colour)
    pen.text((24, 14), "示例照片 DEMO", font=_font(30), fill="white")
    if kind == BEFORE:
        pen.polygon([(320, 110), (410, 280), (230, 280)], outline=colour, width=10)
        pen.text((308, 160), "!", font=_font(80), fill=colour)
    else:
        pen.line([(250, 200), (305, 260), (400, 140)], fill=colour, width=16)
    caption = ("整改前：" if kind == BEFORE else "整改后：") + label
    pen.text((40, 330), caption, font=_font(34), fill=(33, 37, 41))
    pen.text((40, 400), "synthetic picture for the demo", font=_font(20), fill=(108, 117, 125))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _file(category: str, kind: str) -> str:
    """The shared file of (category, kind) in the private storage, drawn once."""
    name = f"demo/photos/{category}-{kind}.jpg"
    storage = private_storage()
    if not storage.exists(name):
        label = str(dict(Hazard.Category.choices)[category])
        storage.save(name, ContentFile(draw(label, kind)))
    return name


def attach_demo_photos() -> int:
    """Give each demo 随手拍 hazard without photos its report photo, and each of their
    rectifications an "after" photo. Returns how many photo rows were added."""
    hazards = Hazard.objects.filter(
        school__is_demo=True, source=Hazard.Source.SNAPSHOT, photos__isnull=True
    ).values_list("pk", "category", "reported_at")
    rows = [
        HazardPhoto(hazard_id=pk, image=_file(category, BEFORE), thumbnail=_file(category, BEFORE),
                    original_name="demo.jpg", created_at=at)
        for pk, category, at in hazards
    ]  # fmt: skip
    ids = [row.hazard_id for row in rows]
    submits = HazardEvent.objects.filter(
        hazard_id__in=ids, action=HazardEvent.Action.SUBMIT_RECTIFICATION
    ).values_list("pk", "hazard_id", "hazard__category", "created_at")
    rows += [
        HazardPhoto(hazard_id=hazard_id, event_id=pk, image=_file(category, AFTER),
                    thumbnail=_file(category, AFTER), original_name="demo.jpg", created_at=at)
        for pk, hazard_id, category, at in submits
    ]  # fmt: skip
    HazardPhoto.objects.bulk_create(rows, batch_size=500)
    return len(rows)
