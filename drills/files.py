"""Plan files: a PDF or a DOCX, recognised by content, never by the name's extension.

A PDF starts with ``%PDF-`` (ISO 32000-1 §7.5.2, within the first 1024 bytes as readers
allow); a DOCX is a ZIP (``PK\\x03\\x04``) whose parts include ``[Content_Types].xml`` and
``word/document.xml`` (ECMA-376 Part 2, OPC). A renamed image, an old binary .doc, an
.xlsx or a damaged zip is refused with a message that says what is accepted.
"""

import zipfile

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError

REFUSED = _("预案文件须为 PDF 或 Word（.docx）文档，请另存为 PDF 或 DOCX 后上传。")


def _error(message) -> DomainError:
    return DomainError(message, field_errors={"file": [message]})


def check_plan_file(upload: File) -> str:
    """``"pdf"`` or ``"docx"`` for an acceptable ``upload``; raises ``DomainError`` (field
    ``file``) when it is empty, larger than ``PLAN_FILE_MAX_BYTES`` or neither by content.
    Leaves the file at its start."""
    size = upload.size or 0
    if size == 0:
        raise _error(_("文件为空，请重新选择。"))
    if size > settings.PLAN_FILE_MAX_BYTES:
        raise _error(
            _("预案文件过大（最大 %(mb)d MB）。") % {"mb": settings.PLAN_FILE_MAX_BYTES // 2**20}
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04") and _is_docx(upload):
        return "docx"
    raise _error(REFUSED)


def _is_docx(upload: File) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        upload.seek(0)
    return {"[Content_Types].xml", "word/document.xml"} <= names
