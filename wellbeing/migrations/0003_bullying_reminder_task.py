"""The daily bullying-investigation timer: a django-celery-beat PeriodicTask at 09:20
Asia/Shanghai running wellbeing.tasks.remind_bullying_deadlines. Staff may change the time in
the admin; re-applying keeps their changes (get_or_create by name)."""

from django.db import migrations

TASK_NAME = "欺凌事件调查期限提醒（每天09:20）"


def create_task(apps, schema_editor):
    from django.utils import timezone

    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    schedule, _created = CrontabSchedule.objects.get_or_create(
        minute="20", hour="9", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults=dict(
            task="wellbeing.tasks.remind_bullying_deadlines", crontab=schedule, enabled=True,
            description="欺凌事件调查开始 10 日内须完成认定：到期前 2 天和超期后提醒学校。",
        ),
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def delete_task(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("wellbeing", "0002_defaults"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_task, delete_task)]
