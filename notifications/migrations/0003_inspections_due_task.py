"""The "inspections due" reminder as a django-celery-beat row: every day at 09:05,
Asia/Shanghai (staff may change the time in the admin)."""
from django.db import migrations

TZ = "Asia/Shanghai"
TASK = "notifications.tasks.remind_inspections_due"
NAME = "检查到期提醒（每天09:05）"


def create(apps, schema_editor):
    from django.utils import timezone

    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    crontab, _ = Crontab.objects.get_or_create(
        minute="5", hour="9", day_of_month="*", month_of_year="*", day_of_week="*", timezone=TZ,
    )
    if not PeriodicTask.objects.filter(task=TASK).exists():
        PeriodicTask.objects.create(name=NAME, task=TASK, crontab=crontab, enabled=True)
    # Tell a running beat that the schedule changed (model signals do not fire here).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_periodic_tasks"),
    ]

    operations = [migrations.RunPython(create, remove)]
