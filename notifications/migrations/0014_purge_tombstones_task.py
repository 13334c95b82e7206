"""The sync feed's tombstone purge: a django-celery-beat row running
notifications.tasks.purge_tombstones nightly at 03:40 Beijing (staff may move it in the
admin; re-applying keeps their changes)."""

from django.db import migrations

TASK = "notifications.tasks.purge_tombstones"
NAME = "清理过期的删除记录（每天）"


def create_task(apps, schema_editor):
    from django.utils import timezone

    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    crontab, _ = Crontab.objects.get_or_create(
        minute="40", hour="3", day_of_month="*", month_of_year="*", day_of_week="*",
        timezone="Asia/Shanghai",
    )
    if not PeriodicTask.objects.filter(task=TASK).exists():
        PeriodicTask.objects.create(
            name=NAME, task=TASK, crontab=crontab, enabled=True,
            description="删除超过保留期（SYNC_TOMBSTONE_DAYS）的 API 删除记录。",
        )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def delete_task(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0013_sync_tombstones_webhooks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_task, delete_task)]
