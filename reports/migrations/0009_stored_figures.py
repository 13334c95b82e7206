"""The stored figures the dashboard and the yearly report read (issue 13): the bureau row's
``details`` (the monthly chart and the drill statistics), and the short refresh: a
django-celery-beat PeriodicTask every 10
minutes running reports.tasks.refresh_current_figures (the current calendar and school
year), so the dashboard and the yearly report read figures at most that old (the page shows
their age). The nightly roll-up (0002) stays for the periods just ended. Staff may change
the interval in the admin; re-applying keeps their changes (get_or_create by name)."""
from django.db import migrations, models

TASK_NAME = "年度统计定时刷新（reports.tasks.refresh_current_figures）"


def create_task(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    from django.utils import timezone

    every, _created = IntervalSchedule.objects.get_or_create(every=10, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults=dict(
            task="reports.tasks.refresh_current_figures", interval=every, enabled=True,
            description="每10分钟重新计算本自然年和本学年的统计（工作台、年度统计接口读取它，"
                        "页面显示“统计截至”时间）。",
        ),
    )
    # Tell a running beat that the schedule changed (the model's signals do not fire here).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def delete_task(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_export_progress"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="yearlystatistic",
            name="details",
            field=models.JSONField(blank=True, default=dict, verbose_name="明细"),
        ),
        migrations.RunPython(create_task, delete_task),
    ]
