"""Move the files of private file fields (photos, exports) from public media to the private
storage: ``python manage.py move_private_files [--dry-run]``.

Run once after upgrading to a version that stores them privately (README, Upgrading). Files
keep their names; each row whose file is still in ``MEDIA_ROOT`` (the ``default`` storage) is
copied through the storage API (a folder or an S3 bucket alike), its public copy deleted.
Running it again moves nothing twice: a file already in the private storage is left there
(its public copy, if one is left over, is deleted).
"""

from django.apps import apps
from django.core.files.storage import storages
from django.core.management.base import BaseCommand
from django.db.models import FileField
from django.utils.translation import gettext_lazy as _

from core.files import private_storage


class Command(BaseCommand):
    help = _("把照片和导出文件从公开的 MEDIA_ROOT 移到私有存储（可重复运行）。")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("只统计，不移动文件"))

    def handle(self, *args, dry_run=False, **options):
        public, private = storages["default"], private_storage()
        for model, field in private_fields():
            counts = {"moved": 0, "already": 0, "missing": 0}
            rows = model._default_manager.exclude(**{field.name: ""}).only("pk", field.name)
            for row in rows.iterator():
                counts[move(row, field.name, public, private, dry_run=dry_run)] += 1
            self.stdout.write(
                f"{model._meta.label}.{field.name} moved {counts['moved']} "
                f"already {counts['already']} missing {counts['missing']}"
            )


def private_fields():
    """(model, field) of every file field stored in the private storage."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, FileField) and (
                getattr(field, "_storage_callable", None) is private_storage
            ):
                yield model, field


def move(row, field_name, public, private, *, dry_run):
    name = getattr(row, field_name).name
    if private.exists(name):
        if not dry_run and public.exists(name):
            public.delete(name)
        return "already"
    if not public.exists(name):
        return "missing"
    if not dry_run:
        with public.open(name, "rb") as content:
            saved = private.save(name, content)
        if saved != name:
            type(row)._default_manager.filter(pk=row.pk).update(**{field_name: saved})
        public.delete(name)
    return "moved"
