"""The daily risk-register reminders: a django-celery-beat PeriodicTask at 08:30
Asia/Shanghai running risks.tasks.remind_risks. Staff may change the time in the admin;
re-applying keeps their changes (get_or_create by name)."""
from django.db import migrations

TASK_NAME = "风险分级管控提醒（risks.tasks.remind_risks）"


def create_task(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    from django.utils import timezone

    schedule, _created = CrontabSchedule.objects.get_or_create(
        minute="30", hour="8", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults=dict(
            task="risks.tasks.remind_risks", crontab=schedule, enabled=True,
            description="每天提醒：风险点复评到期、按风险等级应检未检、关联隐患销号后建议复评。",
        ),
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def delete_task(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_task, delete_task)]
