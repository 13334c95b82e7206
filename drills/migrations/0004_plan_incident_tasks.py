"""Beat rows of the drills' new scans (staff may change the times in the admin; re-applying
keeps their changes): the yearly plan review reminder every day at 09:10, and the incident
report deadlines every 15 minutes."""

from django.db import migrations

TASKS = [
    (
        "drills.tasks.remind_plan_reviews",
        "应急预案年度评审提醒（每天09:10）",
        {"minute": "10", "hour": "9"},
        "现行预案审批满一年前提醒负责人评审修订，每个预案每年只提醒一次。",
    ),
    (
        "drills.tasks.escalate_incident_deadlines",
        "事故报告逾期督办（每15分钟）",
        {"minute": "*/15", "hour": "*"},
        "初报、书面报告、结案超过期限时向教体局和学校督办，每个环节只督办一次。",
    ),
]


def create_tasks(apps, schema_editor):
    from django.utils import timezone

    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for task, name, when, description in TASKS:
        crontab, _ = Crontab.objects.get_or_create(
            day_of_month="*", month_of_year="*", day_of_week="*", timezone="Asia/Shanghai",
            **when,
        )
        if not PeriodicTask.objects.filter(task=task).exists():
            PeriodicTask.objects.create(
                name=name, task=task, crontab=crontab, enabled=True, description=description
            )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def delete_tasks(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=[t[0] for t in TASKS]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("drills", "0003_plans_incidents"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_tasks, delete_tasks)]
