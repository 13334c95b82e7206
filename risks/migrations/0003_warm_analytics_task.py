"""The analytics warm-up: a django-celery-beat PeriodicTask every 8 minutes running
risks.tasks.warm_bureau_analytics, so the bureau's series stay in the cache (kept 10
minutes, ``RISK_ANALYTICS_CACHE_SECONDS``) and the bureau never waits for a cold
province-scale computation. Staff may change the interval in the admin; re-applying keeps
their changes (get_or_create by name)."""

from django.db import migrations

TASK_NAME = "风险分析预计算（risks.tasks.warm_bureau_analytics）"


def create_task(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    from django.utils import timezone

    every, _created = IntervalSchedule.objects.get_or_create(every=8, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults=dict(
            task="risks.tasks.warm_bureau_analytics", interval=every, enabled=True,
            description="每8分钟为教体局重新计算本年度的隐患分析（风险分析页、接口读取缓存）。",
        ),
    )  # fmt: skip
    # Tell a running beat that the schedule changed (the model's signals do not fire here).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def delete_task(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0002_reminder_task"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_task, delete_task)]
