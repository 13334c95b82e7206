"""The transactional outbox (OutboxMessage) and its relay's schedule: a django-celery-beat
row running notifications.tasks.relay_outbox every minute (staff may change it in the
admin; re-applying keeps their changes)."""

import django.utils.timezone
from django.db import migrations, models

TASK = "notifications.tasks.relay_outbox"
NAME = "转发待发的后台任务（每分钟）"


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
            description="把请求提交时未能交给消息队列的后台任务（通知、缩略图、导出）再次转发，每条只转发一次。",
        )
    # Tell a running beat that the schedule changed (model signals do not fire here).
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def delete_task(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0006_reminder_tasks_to_their_apps'),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('task', models.CharField(max_length=200, verbose_name='任务')),
                ('args', models.JSONField(blank=True, default=list, verbose_name='参数')),
                ('kwargs', models.JSONField(blank=True, default=dict, verbose_name='关键字参数')),
                ('status', models.CharField(choices=[('pending', '待转发'), ('relaying', '转发中'), ('sent', '已转发'), ('failed', '无法转发')], default='pending', max_length=20, verbose_name='状态')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='尝试次数')),
                ('error', models.TextField(blank=True, verbose_name='错误信息')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='创建时间')),
                ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='开始转发时间')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='转发时间')),
            ],
            options={
                'verbose_name': '待转发任务',
                'verbose_name_plural': '待转发任务',
                'ordering': ['created_at', 'id'],
                'indexes': [models.Index(condition=models.Q(('status__in', ['pending', 'relaying'])), fields=['created_at', 'id'], name='outbox_unsent')],
            },
        ),
        migrations.RunPython(create_task, delete_task),
    ]
