"""When an export job's worker began (ExportJob.started_at), and the sweep that fails the
jobs a dead worker left running: a django-celery-beat row running
reports.tasks.fail_interrupted_exports_task every minute (staff may change it in the admin;
re-applying keeps their changes)."""

from django.db import migrations, models

TASK = "reports.tasks.fail_interrupted_exports_task"
NAME = "结束中断的导出任务（每分钟）"


def create_task(apps, schema_editor):
    from django.utils import timezone

    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    crontab, _ = Crontab.objects.get_or_create(
        minute="*", hour="*", day_of_month="*", month_of_year="*", day_of_week="*",
        timezone="Asia/Shanghai",
    )
    if not PeriodicTask.objects.filter(task=TASK).exists():
        PeriodicTask.objects.create(
            name=NAME, task=TASK, crontab=crontab, enabled=True,
            description="处理进程意外退出后仍显示“生成中”的导出任务，超过时限（EXPORT_TIME_LIMIT）"
                        "一分钟即标记为失败，提示用户重新导出。",
        )
    # Tell a running beat that the schedule changed (model signals do not fire here).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def delete_task(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0004_purge_old_exports_task'),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name='exportjob',
            name='started_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='开始时间'),
        ),
        migrations.RunPython(create_task, delete_task),
    ]
