"""The reminder scans moved from notifications into the apps that own their data: point
the existing django-celery-beat rows at the new task paths. Only the ``task`` string
changes, so each row keeps its name, its (possibly staff-edited) crontab, its enabled flag
and its run history, and a running deployment keeps its schedule. Rows are matched by
task path, not by name, so rows staff renamed or added for the same task move too.

Strings only: notifications imports no domain app, not even here."""

from django.db import migrations

# old task path → new task path
MOVED = {
    "notifications.tasks.remind_deadlines": "hazards.tasks.remind_deadlines",
    "notifications.tasks.escalate_overdue": "hazards.tasks.escalate_overdue",
    "notifications.tasks.remind_inspections_due": "inspections.tasks.remind_inspections_due",
    "notifications.tasks.remind_drills_due": "drills.tasks.remind_drills_due",
    "notifications.tasks.remind_safety_dates": "education.tasks.remind_safety_dates",
    "notifications.tasks.send_bureau_digest": "reports.tasks.send_bureau_digest",
    "notifications.tasks.year_end_rollup": "reports.tasks.year_end_rollup",
}


def _rename(apps, mapping):
    from django.utils import timezone

    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    changed = sum(
        PeriodicTask.objects.filter(task=old).update(task=new) for old, new in mapping.items()
    )
    if changed:
        # Tell a running beat that the schedule changed (model signals do not fire here).
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def forwards(apps, schema_editor):
    _rename(apps, MOVED)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0005_delivery_text"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
