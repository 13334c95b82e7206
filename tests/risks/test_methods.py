"""The grade follows the configured method on every cell of the matrix and on LEC's
boundaries; values off the scales are refused with a field message."""

from decimal import Decimal

import pytest

from core.exceptions import DomainError
from risks import methods
from risks.methods import GENERAL, LOW, MAJOR, SIGNIFICANT

# The 5 × 5 matrix as the decisions page draws it: rows L = 1…5, columns S = 1…5.
B, Y, Or, R = LOW, GENERAL, SIGNIFICANT, MAJOR
MATRIX = [
    # S=1 2  3  4  5
    [B, B, B, B, B],  # L=1
    [B, B, B, B, Y],  # L=2
    [B, B, Y, Y, Or],  # L=3
    [B, B, Y, Or, R],  # L=4
    [B, Y, Or, R, R],  # L=5
]


@pytest.mark.parametrize("likelihood", range(1, 6))
@pytest.mark.parametrize("severity", range(1, 6))
def test_every_cell_of_the_matrix(likelihood, severity):
    score, grade = methods.grade_for(methods.MATRIX, likelihood=likelihood, severity=severity)
    assert score == likelihood * severity
    assert grade == MATRIX[likelihood - 1][severity - 1]


@pytest.mark.parametrize(
    ("lk", "e", "c", "expected_score", "grade"),
    [
        ("1", "10", "7", 70, LOW),  # 70 is still 低 (D ≤ 70)
        ("1", "1", "100", 100, GENERAL),  # 70 < D ≤ 160
        ("0.5", "6", "40", 120, GENERAL),
        ("1", "2", "100", 200, SIGNIFICANT),  # 160 < D ≤ 320
        ("3", "6", "15", 270, SIGNIFICANT),
        ("0.5", "10", "40", 200, SIGNIFICANT),
        ("1", "3", "100", 300, SIGNIFICANT),
        ("6", "6", "15", 540, MAJOR),  # D > 320
        ("0.1", "0.5", "1", Decimal("0.05"), LOW),
    ],
)
def test_lec_bands(lk, e, c, expected_score, grade):
    score, got = methods.grade_for(methods.LEC, likelihood=lk, exposure=e, severity=c)
    assert score == Decimal(expected_score)
    assert got == grade


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (70, LOW),
        (71, GENERAL),
        (160, GENERAL),
        (161, SIGNIFICANT),
        (320, SIGNIFICANT),
        (321, MAJOR),
    ],
)
def test_lec_boundaries_exactly(monkeypatch, score, grade):
    """The band edges themselves (no product of LEC's scales lands on 71, 161 or 321, so the
    comparison is checked with a scale that contains them)."""
    monkeypatch.setattr(methods, "LEC_CONSEQUENCE", (Decimal(score),))
    assert methods.lec_grade("1", "1", score) == (Decimal(score), grade)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"likelihood": 0, "severity": 3}, "likelihood"),
        ({"likelihood": 6, "severity": 3}, "likelihood"),
        ({"likelihood": "2.5", "severity": 3}, "likelihood"),
        ({"likelihood": 3, "severity": "x"}, "severity"),
        ({"likelihood": 3, "severity": "NaN"}, "severity"),
    ],
)
def test_matrix_values_off_the_scale(kwargs, field):
    with pytest.raises(DomainError) as caught:
        methods.grade_for(methods.MATRIX, **kwargs)
    assert field in caught.value.field_errors


def test_lec_needs_its_scales_and_exposure():
    with pytest.raises(DomainError) as caught:
        methods.grade_for(methods.LEC, likelihood="2", exposure="6", severity="7")
    assert "likelihood" in caught.value.field_errors
    with pytest.raises(DomainError) as caught:
        methods.grade_for(methods.LEC, likelihood="1", severity="7")
    assert "exposure" in caught.value.field_errors
