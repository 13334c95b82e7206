"""The notification schedules as django-celery-beat rows (staff may change the times in
the admin). Every crontab is in Asia/Shanghai. The nightly statistics roll-up is created by
reports' own migration, not here."""
from django.db import migrations

TZ = "Asia/Shanghai"
# (task, name, minute, hour, day of month, month of year)
SCHEDULES = [
    ("notifications.tasks.remind_deadlines", "隐患整改期限提醒（每天08:00）", "0", "8", "*", "*"),
    ("notifications.tasks.escalate_overdue", "隐患逾期督办升级（每天08:30）", "30", "8", "*", "*"),
    ("notifications.tasks.remind_drills_due", "应急疏散演练提醒（每天09:00）", "0", "9", "*", "*"),
    ("notifications.tasks.remind_safety_dates", "全国安全教育日提醒（每天09:10）", "10", "9", "*", "*"),
    ("notifications.tasks.send_bureau_digest", "教体局每日安全汇总（每天18:00）", "0", "18", "*", "*"),
    ("notifications.tasks.year_end_rollup", "年度统计终结汇总（1月1日00:30）", "30", "0", "1", "1"),
    ("notifications.tasks.resend_unfinished", "补发未完成的消息（每10分钟）", "*/10", "*", "*", "*"),
]


def create(apps, schema_editor):
    from django.utils import timezone

    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for task, name, minute, hour, day, month in SCHEDULES:
        crontab, _ = Crontab.objects.get_or_create(
            minute=minute, hour=hour, day_of_month=day, month_of_year=month, day_of_week="*",
            timezone=TZ,
        )
        if not PeriodicTask.objects.filter(task=task).exists():
            PeriodicTask.objects.create(name=name, task=task, crontab=crontab, enabled=True)
    # Tell a running beat that the schedule changed (model signals do not fire here).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=[row[0] for row in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
