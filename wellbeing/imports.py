"""Screening results of one class from an Excel sheet (django-import-export's XLSX reader):
header row ``学号 | 得分 | 详情`` (详情 may be empty or missing), one row per student.

All or nothing: every row is checked first (student number of that class, score a number in
the instrument's range); any error raises ``DomainError`` with one message per bad row
(``field_errors["file"]``) and nothing is saved; otherwise each row opens the student's file
if needed and adds the screening through ``services``, in one transaction.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX

from accounts.models import User
from core.exceptions import DomainError, NotPermitted
from schools.models import SchoolClass

from . import services
from .models import Instrument

COLUMNS = {"学号": "number", "得分": "score", "详情": "details"}
MAX_ROWS = 500


def read_rows(content: bytes) -> list[dict]:
    """The sheet's rows as ``{"number", "score", "details"}``; ``DomainError`` when the file
    is not an .xlsx sheet or lacks the 学号 and 得分 columns."""
    try:
        dataset = XLSX().create_dataset(content)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a sheet
        raise _file_error([_("无法读取文件，请上传 .xlsx 格式的 Excel 表格。")]) from exc
    headers = [str(h or "").strip() for h in dataset.headers or []]
    if not {"学号", "得分"} <= set(headers):
        raise _file_error([_("表头须包含“学号”和“得分”两列。")])
    rows = []
    for values in dataset:
        row = {COLUMNS[h]: v for h, v in zip(headers, values, strict=False) if h in COLUMNS}
        if any(v not in (None, "") for v in row.values()):
            rows.append(row)
    if len(rows) > MAX_ROWS:
        raise _file_error([_("一次最多导入 %(n)d 行。") % {"n": MAX_ROWS}])
    return rows


def _file_error(messages: list[str]) -> DomainError:
    return DomainError(messages[0], field_errors={"file": messages})


def import_screenings(
    school_class: SchoolClass,
    *,
    actor: User,
    instrument: Instrument,
    date: datetime.date,
    content: bytes,
) -> int:
    """Import the sheet ``content`` for ``school_class``; returns the number of screenings.
    ``NotPermitted`` unless ``actor`` keeps the files of the class's school."""
    if not actor.has_perm("wellbeing.manage_record", school_class):
        raise NotPermitted(_("只有本校心理教师可以导入测评。"))
    students = {s.student_number: s for s in school_class.students.filter(is_active=True)}
    checked, errors = [], []
    for line, row in enumerate(read_rows(content), start=2):
        number = str(row.get("number") or "").strip()
        student = students.get(number)
        if student is None:
            errors.append(
                _("第 %(line)d 行：学号“%(n)s”不是本班学生。") % {"line": line, "n": number}
            )
            continue
        try:
            score = Decimal(str(row.get("score")).strip())
            services.check_score(instrument, score)
        except (InvalidOperation, ValueError):
            errors.append(_("第 %(line)d 行：得分不是数字。") % {"line": line})
            continue
        except DomainError as exc:
            errors.append(_("第 %(line)d 行：%(m)s") % {"line": line, "m": exc.message})
            continue
        checked.append((student, score, str(row.get("details") or "")))
    if errors:
        raise _file_error(errors)
    if not checked:
        raise _file_error([_("表格中没有数据行。")])
    with transaction.atomic():
        for student, score, details in checked:
            record = services.open_record(student, actor=actor)
            services.record_screening(
                record, actor=actor, instrument=instrument, date=date, score=score,
                details=details,
            )  # fmt: skip
    return len(checked)
