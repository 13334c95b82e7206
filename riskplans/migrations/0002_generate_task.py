"""The daily risk-based planning: a django-celery-beat PeriodicTask at 06:30 Asia/Shanghai
running riskplans.tasks.generate_risk_plans. Staff may change the time in the admin;
re-applying keeps their changes (get_or_create by name)."""
from django.db import migrations

TASK_NAME = "按风险生成检查计划（riskplans.tasks.generate_risk_plans）"


def create_task(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    from django.utils import timezone

    schedule, _created = CrontabSchedule.objects.get_or_create(
        minute="30", hour="6", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults=dict(
            task="riskplans.tasks.generate_risk_plans", crontab=schedule, enabled=True,
            description="每天：已完成的自查和巡查记为风险点检查；红、橙色风险点按检查频次生成"
            "学校自查计划和巡查点位（重复运行不重复生成）。",
        ),
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def delete_task(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("riskplans", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_task, delete_task)]
