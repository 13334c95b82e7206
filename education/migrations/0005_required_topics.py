"""The default required topics of the coverage grid (issue 17): drowning before the summer
holiday (spring term), and every term traffic, fire, earthquake, food, bullying, online
fraud, drugs and mental health. The bureau edits the list in the admin (必修安全主题)."""

from django.db import migrations

DEFAULTS = [
    ("drowning", "spring"), ("traffic", ""), ("fire", ""), ("earthquake", ""), ("food", ""),
    ("bullying", ""), ("fraud", ""), ("drugs", ""), ("mental", ""),
]  # fmt: skip


def create(apps, schema_editor):
    RequiredTopic = apps.get_model("education", "RequiredTopic")
    for order, (topic, term_kind) in enumerate(DEFAULTS):
        RequiredTopic.objects.get_or_create(
            topic=topic, defaults={"term_kind": term_kind, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("education", "0004_topics_classes_vice_principals_training")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
