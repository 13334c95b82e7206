"""The default warning levels and screening instruments (also written by migration 0002):
``ensure_defaults()`` creates the missing ones, for a database emptied after migrating
(a flushed test database) before the demo is built."""

from decimal import Decimal

from .models import Instrument, WarningLevel

LEVELS = [("一般关注", 1, False), ("重点关注", 2, False), ("高危", 3, True)]
INSTRUMENTS = [
    ("中小学生心理健康诊断测验（MHT）", 0, 100),
    ("症状自评量表（SCL-90）", 90, 450),
    ("患者健康问卷（PHQ-9）", 0, 27),
    ("广泛性焦虑量表（GAD-7）", 0, 21),
]


def ensure_defaults() -> None:
    """Create the default levels and instruments that are missing (by name); keep edits."""
    for name, rank, crisis in LEVELS:
        if not WarningLevel.objects.filter(name=name).exists():
            WarningLevel.objects.get_or_create(
                rank=rank, defaults={"name": name, "is_crisis": crisis}
            )
    for name, low, high in INSTRUMENTS:
        Instrument.objects.get_or_create(
            name=name, defaults={"min_score": Decimal(low), "max_score": Decimal(high)}
        )
