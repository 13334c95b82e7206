"""Photo intake: decode with Pillow (HEIF via pillow-heif), apply EXIF orientation to the
pixels, drop every metadata tag (GPS, device) and re-encode as JPEG.

``clean_photo`` raises ``DomainError`` with a Chinese message for anything that is not a
decodable JPEG, PNG, WebP or HEIC/HEIF image within the size limits.
"""

import io
import struct

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .exceptions import DomainError

# A photo after ``clean_photo``: (ContentFile of a clean JPEG, original file name).
CleanPhoto = tuple[ContentFile, str]


class PhotoError(DomainError):
    """A photo was refused; reported against the ``photos`` field."""

    def __init__(self, message):
        super().__init__(message, field_errors={"photos": [message]})


ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}
MAX_PIXELS = 40_000_000  # 40 MP: more than any phone camera, far below a decompression bomb
MAX_EDGE = 2560  # stored images are scaled down to this longest edge, in pixels
MAX_PHOTOS = 9  # photos in one upload, and on one checklist answer (a phone's grid of nine)


def clean_photo(upload: File) -> CleanPhoto:
    """Return (ContentFile of a clean JPEG, original file name). Raises DomainError."""
    if upload.size > settings.HAZARD_PHOTO_MAX_BYTES:
        raise PhotoError(
            _("照片过大（最大 %(mb)d MB）。") % {"mb": settings.HAZARD_PHOTO_MAX_BYTES // 2**20}
        )
    try:
        image = Image.open(upload)
        if image.format not in ACCEPTED_FORMATS:
            raise PhotoError(_("只接受 JPEG、PNG、WebP 或 HEIC 格式的照片。"))
        if image.width * image.height > MAX_PIXELS:
            raise PhotoError(_("照片像素过多（最多 4000 万像素）。"))
        image.load()
        image = ImageOps.exif_transpose(image)
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        # A damaged EXIF block fails inside exif_transpose with these.
        struct.error,
        TypeError,
        AttributeError,
        KeyError,
        IndexError,
    ):
        raise PhotoError(_("无法识别的图片文件。")) from None
    image = image.convert("RGB")
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)  # no exif= → no metadata kept
    return ContentFile(out.getvalue()), getattr(upload, "name", "")[:255]
