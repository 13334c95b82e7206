"""The supervision's beat rows: the check-in cut-off alerts and the missed-patrol scan, every
5 minutes. Staff may change them in the admin; re-applying keeps their changes
(get_or_create by name)."""
from django.db import migrations

TASKS = {
    "报平安截止提醒（supervision.tasks.alert_missing_checkins）": "supervision.tasks.alert_missing_checkins",
    "漏巡提醒（supervision.tasks.remind_missed_patrols）": "supervision.tasks.remind_missed_patrols",
}


def create_tasks(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    from django.utils import timezone

    every, _created = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    for name, task in TASKS.items():
        PeriodicTask.objects.get_or_create(
            name=name, defaults=dict(task=task, interval=every, enabled=True)
        )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def delete_tasks(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=TASKS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_tasks, delete_tasks)]
