"""Photo intake (core.images.clean_photo): upright, metadata-free JPEGs out; anything
else refused with DomainError and nothing but DomainError."""

import contextlib
import io
import struct
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from core.exceptions import DomainError
from core.images import MAX_EDGE, clean_photo

from .conftest import jpeg_bytes, upload

ORIENTATION, MAKE, MODEL, GPS_IFD = 0x0112, 0x010F, 0x0110, 0x8825


def cleaned(data, name="photo.jpg"):
    content, original_name = clean_photo(upload(data, name))
    image = Image.open(io.BytesIO(content.read()))
    image.load()
    return image, original_name


def is_red(pixel):
    r, g, b = pixel
    return r > 200 and g < 80 and b < 80


def phone_exif(orientation):
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE], exif[MODEL] = "Apple", "iPhone 15"
    exif[GPS_IFD] = {1: "N", 2: (39.0, 50.0, 12.0), 3: "E", 4: (108.0, 43.0, 5.0)}
    return exif


# Stored 200×100 with a red top-left corner; where the corner is once shown upright.
@pytest.mark.parametrize(
    ("orientation", "size", "corner"),
    [
        (1, (200, 100), "top_left"),
        (3, (200, 100), "bottom_right"),  # rotated 180°
        (6, (100, 200), "top_right"),  # shown rotated 90° clockwise
        (8, (100, 200), "bottom_left"),  # shown rotated 90° counter-clockwise
    ],
)
def test_exif_orientation_is_applied_to_the_pixels(orientation, size, corner):
    image, _ = cleaned(jpeg_bytes(exif=phone_exif(orientation), mark=True))
    assert image.size == size
    w, h = image.size
    corners = {
        "top_left": (5, 5),
        "top_right": (w - 6, 5),
        "bottom_left": (5, h - 6),
        "bottom_right": (w - 6, h - 6),
    }
    assert [name for name, xy in corners.items() if is_red(image.getpixel(xy))] == [corner]


def test_gps_and_device_tags_are_gone():
    original = jpeg_bytes(exif=phone_exif(6))
    source_exif = Image.open(io.BytesIO(original)).getexif()
    assert source_exif.get_ifd(GPS_IFD) and source_exif[MAKE] == "Apple"  # the input has them

    content, _ = clean_photo(upload(original))
    data = content.read()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert "exif" not in image.info
    assert b"Exif" not in data and b"iPhone" not in data


def test_png_with_alpha_becomes_jpeg_and_keeps_the_name():
    out = io.BytesIO()
    Image.new("RGBA", (30, 20), (0, 128, 0, 100)).save(out, format="PNG")
    image, name = cleaned(out.getvalue(), "现场照片.png")
    assert (image.format, image.mode, image.size, name) == ("JPEG", "RGB", (30, 20), "现场照片.png")


def test_heic_from_an_iphone_is_accepted():
    import pillow_heif

    out = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (64, 48), "blue")).save(out, quality=90)
    assert out.getvalue()[4:12] == b"ftypheic"  # really HEIC, not a JPEG in disguise
    image, name = cleaned(out.getvalue(), "IMG_0001.HEIC")
    assert (image.format, image.size, name) == ("JPEG", (64, 48), "IMG_0001.HEIC")
    r, g, b = image.getpixel((30, 20))
    assert b > 200 and r < 60 and g < 60


def test_webp_is_accepted():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, format="WEBP")
    assert cleaned(out.getvalue(), "x.webp")[0].format == "JPEG"


def test_large_photo_is_scaled_down():
    image, _ = cleaned(jpeg_bytes(size=(4000, 3000)))
    assert max(image.size) == MAX_EDGE and image.size == (MAX_EDGE, MAX_EDGE * 3 // 4)


def png_header_only(width, height):
    """A PNG that claims ``width``×``height`` pixels in a few hundred bytes (a bomb)."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_12000_square_png_is_refused():
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, format="PNG")
    with pytest.raises(DomainError):
        clean_photo(upload(out.getvalue(), "big.png", "image/png"))


@pytest.mark.parametrize("edge", [12000, 20000, 65000])
def test_decompression_bombs_are_refused(edge):
    with pytest.raises(DomainError):
        clean_photo(upload(png_header_only(edge, edge), "bomb.png", "image/png"))


def gif_bytes():
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, format="GIF")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.jpg"),
        (b"<!DOCTYPE html><html><body onload=alert(1)></body></html>", "page.jpg"),
        (gif_bytes(), "anim.gif"),
        (gif_bytes(), "renamed.jpg"),
        (b"", "empty.jpg"),
        (jpeg_bytes()[:300], "truncated.jpg"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "doc.jpg"),
    ],
)
def test_non_images_and_unaccepted_formats_are_refused(data, name):
    with pytest.raises(DomainError) as excinfo:
        clean_photo(upload(data, name))
    assert str(excinfo.value.message)
    assert excinfo.value.field_errors.get("photos")  # shown against the photos field


def test_file_over_the_byte_limit_is_refused(settings):
    settings.HAZARD_PHOTO_MAX_BYTES = 1000
    with pytest.raises(DomainError):
        clean_photo(upload(jpeg_bytes(size=(400, 400), colour="red") + b"\0" * 1000))


MAGIC = [
    b"",
    b"\xff\xd8\xff\xe0",
    b"\x89PNG\r\n\x1a\n",
    b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    b"\x00\x00\x00\x18ftypheic",
    b"GIF89a",
    b"<svg",
]


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(prefix=st.sampled_from(MAGIC), body=st.binary(max_size=2048))
def test_any_bytes_give_a_jpeg_or_a_domain_error(prefix, body):
    try:
        content, _ = clean_photo(upload(prefix + body))
    except DomainError:
        return
    assert Image.open(io.BytesIO(content.read())).format == "JPEG"


def exif_entry_offset(data):
    """Offset of the first IFD entry of the EXIF segment: "Exif\0\0", TIFF header, count."""
    return data.index(b"Exif\0\0") + 6 + 8 + 2


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(
    offset=st.integers(min_value=0, max_value=10_000), value=st.integers(0, 255), cut=st.booleans()
)
def test_damaged_image_data_gives_a_jpeg_or_a_domain_error(offset, value, cut):
    # Damage after the EXIF segment (tables, scan); EXIF damage is test_damaged_exif_*.
    data = bytearray(jpeg_bytes(size=(64, 64), exif=phone_exif(6), mark=True))
    start = exif_entry_offset(data) + 200
    position = start + offset % (len(data) - start)
    data[position] = value
    with contextlib.suppress(DomainError):
        clean_photo(upload(bytes(data[:position] if cut else data)))


@pytest.mark.parametrize(
    ("field_byte", "value"),
    [
        (1, 0x00),  # tag id 0x010F (Make) becomes 0x000F, unknown
        (3, 0x05),  # field type ASCII (2) becomes 0x0502, invalid
    ],
)
def test_damaged_exif_is_a_domain_error(field_byte, value):
    data = bytearray(jpeg_bytes(exif=phone_exif(6)))
    data[exif_entry_offset(data) + field_byte] = value
    Image.open(io.BytesIO(bytes(data))).load()  # the pixels themselves are fine
    with pytest.raises(DomainError):
        clean_photo(upload(bytes(data)))
