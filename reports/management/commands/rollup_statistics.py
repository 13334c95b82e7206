"""``python manage.py rollup_statistics --year 2024 [--period calendar|school] [--school ID]``

Computes the yearly figures, stores them (reports.services.rollup_statistics) and prints
one ``key value`` line per figure (all keys of reports.figures.FIGURES).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.figures import FIGURES
from reports.models import Period
from reports.serializers import ReportParamsSerializer, error_lines
from reports.services import rollup_statistics
from schools.models import School


class Command(BaseCommand):
    help = _(
        "计算并保存年度统计（每所学校一行，全部学校时另存全旗一行），"
        "并逐行输出“指标键 数值”。年度默认为今年，统计口径默认为 calendar（自然年）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", help=_("年度（2000–2100），默认今年"))
        parser.add_argument(
            "--period", help=_("统计口径：calendar（自然年，默认）或 school（学年，9月1日起）")
        )
        parser.add_argument("--school", help=_("只统计这所学校（学校编号）"))

    def handle(self, *args, year=None, period=None, school=None, **options):
        data = {
            k: v
            for k, v in {"year": year, "period": period, "school": school}.items()
            if v is not None
        }
        params = ReportParamsSerializer(data=data)
        if not params.is_valid():
            raise CommandError("; ".join(error_lines(params.errors)))
        year, period = params.validated_data["year"], params.validated_data["period"]
        school_id = params.validated_data.get("school")
        if school_id is not None and not School.objects.active().filter(pk=school_id).exists():
            raise CommandError(_("学校编号 %(id)s 不存在或已停用。") % {"id": school_id})
        totals = rollup_statistics(
            year=year, period=period, school_ids=None if school_id is None else [school_id]
        )
        scope = _("学校 %(id)s") % {"id": school_id} if school_id else _("全旗")
        self.stderr.write(f"{year} {Period(period).label} · {scope}")
        for key in FIGURES:
            self.stdout.write(f"{key} {totals[key]}")
