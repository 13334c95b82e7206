"""The nightly purge of old ledger exports: a django-celery-beat PeriodicTask at 03:15
Asia/Shanghai running reports.tasks.purge_old_exports_task (after the 01:30 roll-up, when
nobody exports). Staff may change the time in the admin; re-applying keeps their changes
(get_or_create by name)."""
from django.db import migrations

TASK_NAME = "清理过期导出文件（reports.tasks.purge_old_exports_task）"


def create_task(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    from django.utils import timezone

    schedule, _created = CrontabSchedule.objects.get_or_create(
        minute="15", hour="3", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults=dict(
            task="reports.tasks.purge_old_exports_task", crontab=schedule, enabled=True,
            description="每晚删除超过保留天数（EXPORT_RETENTION_DAYS）的已完成导出任务及其文件；"
                        "排队中、生成中的任务保留。",
        ),
    )
    # Tell a running beat that the schedule changed (the model's signals do not fire here).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def delete_task(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_export_job"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_task, delete_task)]
