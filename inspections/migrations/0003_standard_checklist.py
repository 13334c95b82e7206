"""Ship the bureau's standard checklist (categories A–P) as data."""
import datetime

from django.db import migrations


def forwards(apps, schema_editor):
    from inspections.checklist_data import load_standard_checklist

    load_standard_checklist(
        apps.get_model("inspections", "Checklist"),
        apps.get_model("inspections", "ChecklistSection"),
        apps.get_model("inspections", "ChecklistItem"),
        published_on=datetime.date(2024, 1, 1),
    )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0002_checklists")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
