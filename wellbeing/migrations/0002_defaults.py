"""The default warning levels (domain-rules §1.8: no national scheme; three tiers, the top
one a crisis) and common screening instruments with their total-score ranges. The bureau
edits both in the admin (预警等级, 测评量表)."""

from django.db import migrations

LEVELS = [("一般关注", 1, False), ("重点关注", 2, False), ("高危", 3, True)]
INSTRUMENTS = [
    ("中小学生心理健康诊断测验（MHT）", 0, 100),
    ("症状自评量表（SCL-90）", 90, 450),
    ("患者健康问卷（PHQ-9）", 0, 27),
    ("广泛性焦虑量表（GAD-7）", 0, 21),
]


def create(apps, schema_editor):
    Level = apps.get_model("wellbeing", "WarningLevel")
    Instrument = apps.get_model("wellbeing", "Instrument")
    for name, rank, crisis in LEVELS:
        Level.objects.get_or_create(name=name, defaults={"rank": rank, "is_crisis": crisis})
    for name, low, high in INSTRUMENTS:
        Instrument.objects.get_or_create(
            name=name, defaults={"min_score": low, "max_score": high}
        )


class Migration(migrations.Migration):
    dependencies = [("wellbeing", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
