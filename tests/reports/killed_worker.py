"""A worker process for tests/reports/test_export_recovery.py, to be killed mid-export:
``python -m tests.reports.killed_worker <test database name> <job id>`` runs the export
task of that job as a worker would, with the file's writing made to hang, so the job is
left "running" when the process is killed."""

import os
import sys
import time


def main(database_name, job_id):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campussafety.settings.test")
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = database_name  # the test's database
    import django

    django.setup()
    from reports import exports
    from reports.tasks import export_hazards_task

    def hang(*args, **kwargs):
        sys.stdout.write("writing\n")
        sys.stdout.flush()
        time.sleep(3600)

    exports.render = hang
    export_hazards_task.apply(args=(job_id,))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
