"""The nightly yearly-statistics roll-up: a django-celery-beat PeriodicTask at 01:30
Asia/Shanghai running reports.tasks.rollup_current_year. Staff may change the time in the
admin; re-applying keeps their changes (get_or_create by name)."""
from django.db import migrations

TASK_NAME = "年度统计夜间汇总（reports.tasks.rollup_current_year）"


def create_task(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    from django.utils import timezone

    schedule, _created = CrontabSchedule.objects.get_or_create(
        minute="30", hour="1", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults=dict(
            task="reports.tasks.rollup_current_year", crontab=schedule, enabled=True,
            description="每晚重新计算本自然年和本学年的年度统计（每所学校一行、全旗一行）。",
        ),
    )
    # Tell a running beat that the schedule changed (the model's signals do not fire here).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def delete_task(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_task, delete_task)]
