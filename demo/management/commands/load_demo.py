"""``python manage.py load_demo``: the Hangjin Banner (杭锦旗) demo data.

29 schools (the illustrative seed list of reference/domain-rules.md §3.3), the campus
safety committee's departments, demo users for every role, leader and cadre assignments,
and record-level data from 2024 to the day before ``--today`` (default: today in Beijing,
Asia/Shanghai). The 2024 records reproduce the article's figures exactly (DESIGN.md),
whatever the day; later years are plausible and year-to-date, past years' hazards are all
written off, and the open work (hazards due, overdue, awaiting verification, at several
schools; a recent joint inspection's findings owned by departments) lies on the workdays
just before that day, with a joint inspection and a self check planned just after it
(demo/builders/current.py).
``--today`` must be on or after 2025-09-01 (the article's school year 2024–2025 is then
complete) and on or before 2039-12-31, 15 years after the article: each simulated year adds
about 300 hazards and a few seconds of loading, and the demo's schools and staff stay those
of 2024. One progress line per simulated year is printed (not with ``--verbosity 0``).

Idempotent: inside one transaction it deletes every demo-owned record row (all rows of the
is_demo schools) and rebuilds them; schools, departments and users are updated in place,
so their ids and API tokens survive. Running it twice on the same day gives the same data.

Demo users, all with the password ``demo12345`` (N = seed school number 1–29; school 1 is
杭锦旗实验小学, school 2 杭锦旗蒙古族实验小学):

  bureau_admin          教体局管理员, bureau-wide, Django admin (superuser)
  bureau                教体局干部 (bureau_staff), bureau-wide; 包校干部 of schools 1, 8, 15, 22, 29
  cadre2 … cadre7       教体局干部, bureau-wide; the other 包校干部
  leader1 … leader4     教体局领导 (bureau_staff), bureau-wide; 联校领导
  officerN              学校安全员 of school N (officer1: 杭锦旗实验小学, officer2: 蒙古族实验小学)
  principalN, teacherN  校长 and 教师/班主任 of school N
  counsellorN           心理教师 of school N (primary and secondary schools, N = 1–14)
  inspector1 … 4        部门检查人员 of 公安, 消防救援, 市场监管, 卫健; bureau-wide scope,
                        because joint inspections may visit any campus
  api_client            报表接口客户端 (report_client), bureau-wide, read-only
"""

import datetime
import time
from argparse import RawDescriptionHelpFormatter

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from demo.builders import DEMO_PASSWORD, EARLIEST_TODAY, LATEST_TODAY, DemoError, build_demo


class Command(BaseCommand):
    help = _(
        "加载杭锦旗演示数据：29所学校、部门、各角色演示账号、领导联校和干部包校安排，\n"
        "以及2024年至今的业务记录（2024年的统计与文章一致）。\n"
        "可重复运行：在一个事务中删除演示学校的全部业务数据后重建；学校、部门和账号原地更新，\n"
        "编号和 API 令牌保持不变。\n"
        "\n"
        "演示账号（密码均为 demo12345；N 为种子学校序号 1–29，1 = 杭锦旗实验小学）：\n"
        "  bureau_admin         教体局管理员，全旗，可登录管理后台\n"
        "  bureau               教体局干部，全旗；学校 1、8、15、22、29 的包校干部\n"
        "  cadre2…cadre7        教体局干部（其他学校的包校干部）\n"
        "  leader1…leader4      教体局领导（联校领导）\n"
        "  officerN principalN teacherN   学校 N 的安全员、校长、教师\n"
        "  counsellorN          学校 N 的心理教师（中小学，N = 1–14）\n"
        "  inspector1…4         公安、消防救援、市场监管、卫健的检查人员，全旗范围"
        "（联合检查可到任何校园）\n"
        "  api_client           报表接口客户端，全旗，只读"
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Keep the line breaks of the account table in --help.
        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2024, help=_("随机种子（默认 2024）"))
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help=_(
                "演示数据所处的日期（默认为北京时间今天），不早于 2025-09-01，不晚于 "
                "2039-12-31（文章之后 15 年：每模拟一年增加约 300 条隐患和数秒加载时间，"
                "而演示学校和人员始终是 2024 年的）"
            ),
        )

    def handle(self, *args, seed, today, verbosity, **options):
        started = time.monotonic()
        day = self._day(today)

        def progress(year, hazards):
            if verbosity >= 1:
                self.stdout.write(
                    _("%(year)d 年已生成：%(hazards)d 条隐患（已用 %(seconds).1f 秒）")
                    % {"year": year, "hazards": hazards, "seconds": time.monotonic() - started}
                )

        try:
            summary = build_demo(today=day, seed=seed, progress=progress)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        hazards = "，".join(f"{year}年 {n} 条" for year, n in summary.hazards.items())
        self.stdout.write(
            _("演示数据已加载：%(schools)s 所学校，%(users)s 个演示账号（密码 %(password)s）。")
            % {"schools": summary.schools, "users": summary.users, "password": DEMO_PASSWORD}
        )
        self.stdout.write(_("隐患：%(hazards)s。") % {"hazards": hazards})
        self.stdout.write(
            _("2024 年指标与文章一致：%(figures)s")
            % {"figures": ", ".join(f"{k}={v}" for k, v in summary.figures.items())}
        )
        self.stdout.write(
            _("数据截至 %(day)s（不含当天），用时 %(seconds).1f 秒。")
            % {"day": day.isoformat(), "seconds": time.monotonic() - started}
        )

    def _day(self, text):
        """The ``--today`` date, or today in Beijing (the command's one clock reading)."""
        if text is None:
            day = timezone.localdate()
        else:
            try:
                day = datetime.date.fromisoformat(text)
            except ValueError:
                raise CommandError(
                    _("--today 应为 YYYY-MM-DD 格式的日期，例如 2027-01-04，而不是“%(text)s”。")
                    % {"text": text}
                ) from None
        if day < EARLIEST_TODAY:
            raise CommandError(
                _(
                    "--today 不能早于 %(earliest)s（文章所述 2024–2025 学年须已结束），"
                    "而是 %(day)s。"
                )
                % {"earliest": EARLIEST_TODAY.isoformat(), "day": day.isoformat()}
            )
        if day > LATEST_TODAY:
            raise CommandError(
                _(
                    "--today 不能晚于 %(latest)s（文章之后 15 年；更远的日期加载太慢，"
                    "演示学校和人员也不再可信），而是 %(day)s。"
                )
                % {"latest": LATEST_TODAY.isoformat(), "day": day.isoformat()}
            )
        return day
