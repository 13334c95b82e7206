"""School.snapshot_token: added nullable, filled with one random token per existing school,
then made unique and required (a callable default alone would give every row one value)."""
from django.db import migrations, models

import schools.models


def fill_tokens(apps, schema_editor):
    School = apps.get_model("schools", "School")
    for school in School.objects.filter(snapshot_token__isnull=True).only("pk"):
        school.snapshot_token = schools.models.new_snapshot_token()
        school.save(update_fields=["snapshot_token"])


class Migration(migrations.Migration):

    dependencies = [
        ("schools", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="school",
            name="snapshot_token",
            field=models.CharField(editable=False, max_length=43, null=True, verbose_name="随手拍链接令牌"),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="school",
            name="snapshot_token",
            field=models.CharField(
                default=schools.models.new_snapshot_token, editable=False, max_length=43,
                unique=True, verbose_name="随手拍链接令牌",
            ),
        ),
    ]
