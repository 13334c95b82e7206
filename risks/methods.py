"""The assessment methods of the risk register (风险评价方法) and their grading bands.

Pure functions of the scores: no database. The bands and their sources are in
docs/decisions.md "Risk register":

* the risk matrix (风险矩阵法, LS): likelihood L and severity S each 1–5, R = L × S;
  R 20–25 重大 (red), 15–16 较大 (orange), 9–12 一般 (yellow), 1–8 低 (blue)
  (DB37/T 2882-2016 安全生产风险分级管控体系通则, its LS matrix; 安委办〔2016〕11号 for the
  four grades and colours);
* LEC (作业条件危险性评价法, Graham–Kinney): D = L × E × C on the method's fixed scales;
  D > 320 重大, 160 < D ≤ 320 较大, 70 < D ≤ 160 一般, D ≤ 70 低.

``grade_for(method, likelihood=…, severity=…, exposure=…)`` returns ``(score, grade)`` or
raises ``ScaleError`` naming the field whose value is off the method's scale.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from core.exceptions import DomainError

MATRIX = "matrix"
LEC = "lec"

MAJOR, SIGNIFICANT, GENERAL, LOW = "major", "significant", "general", "low"

MATRIX_SCALE = (1, 2, 3, 4, 5)
# LEC's discrete scales (Graham & Kinney 1976, as used in Chinese safety practice).
LEC_LIKELIHOOD = tuple(Decimal(v) for v in ("0.1", "0.2", "0.5", "1", "3", "6", "10"))
LEC_EXPOSURE = tuple(Decimal(v) for v in ("0.5", "1", "2", "3", "6", "10"))
LEC_CONSEQUENCE = tuple(Decimal(v) for v in ("1", "3", "7", "15", "40", "100"))


class ScaleError(DomainError):
    """A value is not on the method's scale; reported against that field."""

    def __init__(self, field: str, allowed) -> None:
        shown = "、".join(_plain(v) for v in allowed)
        message = _("取值不在评价方法的刻度上，可选：%(values)s。") % {"values": shown}
        super().__init__(message, field_errors={field: [message]})


def _plain(value) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text


def _on_scale(field: str, value, scale) -> Decimal:
    try:
        number = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        raise ScaleError(field, scale) from None
    if not number.is_finite() or number not in scale:
        raise ScaleError(field, scale)
    return number


def matrix_grade(likelihood, severity) -> tuple[Decimal, str]:
    """(R = L × S, grade) for L, S in 1–5."""
    score = _on_scale("likelihood", likelihood, MATRIX_SCALE) * _on_scale(
        "severity", severity, MATRIX_SCALE
    )
    if score >= 20:
        return score, MAJOR
    if score >= 15:
        return score, SIGNIFICANT
    if score >= 9:
        return score, GENERAL
    return score, LOW


def lec_grade(likelihood, exposure, consequence) -> tuple[Decimal, str]:
    """(D = L × E × C, grade) on LEC's scales; ``consequence`` is stored as severity."""
    score = (
        _on_scale("likelihood", likelihood, LEC_LIKELIHOOD)
        * _on_scale("exposure", exposure, LEC_EXPOSURE)
        * _on_scale("severity", consequence, LEC_CONSEQUENCE)
    )
    if score > 320:
        return score, MAJOR
    if score > 160:
        return score, SIGNIFICANT
    if score > 70:
        return score, GENERAL
    return score, LOW


def grade_for(method: str, *, likelihood, severity, exposure=None) -> tuple[Decimal, str]:
    """(score, grade) of one assessment by ``method`` (MATRIX or LEC). Raises ScaleError."""
    if method == LEC:
        if exposure in (None, ""):
            message = _("LEC 法需要填写暴露频率（E）。")
            raise DomainError(message, field_errors={"exposure": [message]})
        return lec_grade(likelihood, exposure, severity)
    return matrix_grade(likelihood, severity)
