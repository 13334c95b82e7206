"""Photo intake: decode with Pillow (HEIF via pillow-heif), apply EXIF orientation to the
pixels, drop every metadata tag (GPS, device) and re-encode as JPEG.

``clean_photo`` raises ``DomainError`` with a Chinese message for anything that is not a
decodable JPEG, PNG, WebP or HEIC/HEIF image within the size limits. A JPEG is decoded at
the smallest DCT scale that still fills ``MAX_EDGE`` (``Image.draft``), which cuts the work
of a large photo by 4–16×.

``check_photo_budget`` bounds one request: its photos' bytes and pixels together, read
from the image headers (Pillow's ``Image.open`` decodes nothing), so nine 40-megapixel
photos are refused in milliseconds, before anything is decoded (settings
``PHOTO_REQUEST_MAX_PIXELS`` and ``PHOTO_REQUEST_MAX_BYTES``).
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

# What Pillow raises on a file it cannot read; a damaged EXIF block fails inside
# exif_transpose with the last five.
UNREADABLE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    struct.error,
    TypeError,
    AttributeError,
    KeyError,
    IndexError,
)


def check_photo_budget(uploads) -> None:
    """Raise ``PhotoError`` when ``uploads`` (the files of one request) exceed the byte or
    pixel budget, or one of them the per-photo pixel limit. Only headers are read; a file
    Pillow cannot identify is left to ``clean_photo``, which refuses it."""
    uploads = [u for u in uploads if u]
    if sum(u.size or 0 for u in uploads) > settings.PHOTO_REQUEST_MAX_BYTES:
        raise PhotoError(
            _("照片总大小超过每次上传的上限（%(mb)d MB），请分批上传。")
            % {"mb": settings.PHOTO_REQUEST_MAX_BYTES // 2**20}
        )
    total = 0
    for upload in uploads:
        try:
            with Image.open(upload) as image:
                pixels = image.width * image.height
        except Image.DecompressionBombError:
            pixels = MAX_PIXELS + 1
        except UNREADABLE:  # not an image: clean_photo says so
            pixels = 0
        finally:
            upload.seek(0)
        if pixels > MAX_PIXELS:
            raise PhotoError(_("照片像素过多（最多 4000 万像素）。"))
        total += pixels
    if total > settings.PHOTO_REQUEST_MAX_PIXELS:
        raise PhotoError(
            _("照片总像素超过每次上传的上限（%(wan)d 万像素），请分批上传或缩小照片。")
            % {"wan": settings.PHOTO_REQUEST_MAX_PIXELS // 10_000}
        )


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
        image.draft("RGB", (MAX_EDGE, MAX_EDGE))  # JPEG: decode at a reduced scale
        image.load()
        image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, *UNREADABLE):
        raise PhotoError(_("无法识别的图片文件。")) from None
    image = image.convert("RGB")
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)  # no exif= → no metadata kept
    return ContentFile(out.getvalue()), getattr(upload, "name", "")[:255]
