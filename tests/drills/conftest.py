"""Shared pieces of the drills tests: the bureau's terms (2024–2026), plan files built in
memory (a real PDF header, a real DOCX zip), and a persona who may see every school."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from schools.models import Term

D = datetime.date

TERMS = [
    (2023, "spring", D(2024, 2, 26), D(2024, 7, 12)),
    (2024, "autumn", D(2024, 9, 1), D(2025, 1, 17)),
    (2024, "spring", D(2025, 2, 17), D(2025, 7, 11)),
    (2025, "autumn", D(2025, 9, 1), D(2026, 1, 16)),
    (2025, "spring", D(2026, 3, 2), D(2026, 7, 10)),
]


@pytest.fixture
def terms(db):
    """The bureau's terms: summer (mid-July to August) and winter holidays lie between."""
    return [
        Term.objects.create(school_year=year, kind=kind, start_date=start, end_date=end)
        for year, kind, start, end in TERMS
    ]


def pdf_bytes() -> bytes:
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes(document: bool = True) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if document else "xl/workbook.xml", "<w:document/>")
    return out.getvalue()


def plan_upload(data: bytes, name: str = "预案.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)
