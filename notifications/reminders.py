"""What the periodic tasks decide: who is reminded of what, on which Beijing date.

Each function takes ``today`` (a date on the Asia/Shanghai calendar; default today there)
and returns how many new inbox rows it wrote. Texts are passed to ``notify`` as callables,
so each reader gets them in their own language. All are safe to run any number of times a
day: the period key of each reminder makes the second run a no-op, and a run missed by
beat is caught up the next day because windows, not exact days, are checked.
"""
import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from drills.models import Drill
from hazards.models import Hazard
from inspections.models import Inspection
from schools.models import School, SchoolAssignment

from .models import Kind
from .services import assignment_holders, bureau_people, notify, school_people

R = User.Role
MANAGERS = (R.SCHOOL_OFFICER, R.PRINCIPAL)
ESCALATION_STEPS = ("owner", "principal", "cadre", "leader")


def _today(today):
    return today or timezone.localdate()


def _hazard_message(hazard, text):
    """``text``: a callable rendering the body (see ``notify``)."""
    return dict(subject=hazard, school=hazard.school, body=text,
                url=reverse("hazard-detail", args=[hazard.pk]))


def _owner(hazard):
    """The rectification owner: the responsible person, else the school's safety officers."""
    if hazard.responsible and hazard.responsible.is_active:
        return [hazard.responsible]
    return school_people(hazard.school, [R.SCHOOL_OFFICER])


# --- deadline approaching -------------------------------------------------------------

def remind_deadlines(today=None) -> int:
    """Remind the owner of each assigned hazard whose deadline is 0…N days away, once per
    threshold of ``NOTIFY_DEADLINE_DAYS_BEFORE`` (e.g. 3 and 1 days before)."""
    today = _today(today)
    thresholds = sorted(settings.NOTIFY_DEADLINE_DAYS_BEFORE)
    last = today + datetime.timedelta(days=thresholds[-1])
    hazards = (Hazard.objects.filter(status__in=Hazard.ACTIVE_STATUSES, deadline__range=(today, last))
               .select_related("school", "responsible").order_by("deadline", "id"))
    count = 0
    for hazard in hazards:
        days_left = (hazard.deadline - today).days
        threshold = next(n for n in thresholds if n >= days_left)
        count += _remind_deadline(hazard, days_left, threshold)
    return count


def _remind_deadline(hazard, days_left, threshold):
    def text():
        return _("%(school)s的隐患“%(title)s”整改期限为%(deadline)s，还剩%(days)d天，请按期完成整改并提交验收。") % {
            "school": hazard.school, "title": hazard.title, "deadline": hazard.deadline, "days": days_left}
    return len(notify(_owner(hazard), kind=Kind.DEADLINE, period=f"{hazard.deadline}:{threshold}d",
                      title=lambda: _("整改期限将至：%(title)s") % {"title": hazard.title},
                      **_hazard_message(hazard, text)).notifications)


# --- overdue escalation ladder --------------------------------------------------------

def escalation_recipients(hazard, step, today):
    """Who is told at ``step``: the owner, the school's principal, the cadre who holds the
    school (包校干部), the bureau leader linked to it (联校领导)."""
    if step == "owner":
        return _owner(hazard)
    if step == "principal":
        return school_people(hazard.school, [R.PRINCIPAL])
    kind = SchoolAssignment.Kind.CADRE if step == "cadre" else SchoolAssignment.Kind.LEADER
    return assignment_holders(hazard.school, kind, today)


def escalate_overdue(today=None) -> int:
    """For each overdue hazard, notify every step of the ladder whose threshold
    (``NOTIFY_ESCALATION_DAYS``, days overdue) has passed, each step once per deadline
    (a new deadline after a rejected rectification starts the ladder again)."""
    today = _today(today)
    ladder = settings.NOTIFY_ESCALATION_DAYS
    count = 0
    for hazard in Hazard.objects.overdue(today).select_related("school", "responsible").order_by("deadline", "id"):
        days = (today - hazard.deadline).days
        for step in ESCALATION_STEPS:
            if days >= ladder[step]:
                count += _escalate(hazard, step, days, today)
    return count


def _escalate(hazard, step, days, today):
    def text():
        return _("%(school)s的隐患“%(title)s”（%(level)s）整改期限为%(deadline)s，已逾期%(days)d天，请督促整改。") % {
            "school": hazard.school, "title": hazard.title, "level": hazard.get_level_display(),
            "deadline": hazard.deadline, "days": days}
    return len(notify(escalation_recipients(hazard, step, today), kind=Kind.OVERDUE,
                      period=f"{hazard.deadline}:{step}",
                      title=lambda: _("隐患逾期督办：%(title)s") % {"title": hazard.title},
                      **_hazard_message(hazard, text)).notifications)


# --- daily digest for the bureau ------------------------------------------------------

def digest_figures(today):
    """Counts for the bureau's daily digest: open, overdue, major open, reported and closed
    on ``today`` (Asia/Shanghai)."""
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    end = start + datetime.timedelta(days=1)
    open_ = Q(status__in=Hazard.OPEN_STATUSES)
    return Hazard.objects.aggregate(
        open=Count("id", filter=open_),
        overdue=Count("id", filter=Q(status__in=Hazard.ACTIVE_STATUSES, deadline__lt=today)),
        major_open=Count("id", filter=open_ & Q(level=Hazard.Level.MAJOR)),
        reported=Count("id", filter=Q(reported_at__gte=start, reported_at__lt=end)),
        closed=Count("id", filter=Q(closed_at__gte=start, closed_at__lt=end)),
    )


def send_bureau_digest(today=None) -> int:
    """One digest a day to every active bureau user."""
    today = _today(today)
    figures = digest_figures(today)

    def text():
        return _("今日新登记隐患%(reported)d条，销号%(closed)d条；全旗未销号隐患%(open)d条，"
                 "其中重大隐患%(major_open)d条，已逾期%(overdue)d条。") % figures
    return len(notify(bureau_people(), kind=Kind.DIGEST, subject="digest:bureau", period=str(today),
                      title=lambda: _("%(date)s 校园安全日报") % {"date": today}, body=text,
                      url=reverse("hazard-list") + "?overdue=true").notifications)


# --- drills due -----------------------------------------------------------------------

def drill_period(school, today):
    """(first day, last day, key) of the period in which ``school`` owes an evacuation
    drill: the month for primary and secondary schools, the quarter for kindergartens
    (教基一厅〔2014〕2号)."""
    if school.is_kindergarten:
        quarter = (today.month - 1) // 3
        first = datetime.date(today.year, quarter * 3 + 1, 1)
        key = f"{today.year}-Q{quarter + 1}"
    else:
        first, key = today.replace(day=1), f"{today:%Y-%m}"
    months = 3 if school.is_kindergarten else 1
    next_first = datetime.date(first.year + (first.month + months - 1) // 12, (first.month + months - 1) % 12 + 1, 1)
    return first, next_first - datetime.timedelta(days=1), key


def remind_drills_due(today=None) -> int:
    """From ``NOTIFY_DRILL_REMINDER_DAY`` of the period's last month, remind the officers and
    principal of each active school with no drill yet in its month (quarter)."""
    today = _today(today)
    count = 0
    for school in School.objects.active().order_by("id"):
        first, last, key = drill_period(school, today)
        if today.month != last.month or today.day < settings.NOTIFY_DRILL_REMINDER_DAY:
            continue
        if Drill.objects.filter(school=school, date__range=(first, last)).exists():
            continue
        count += _remind_drill(school, first, last, key)
    return count


def _remind_drill(school, first, last, key):
    def text():
        rule = _("幼儿园每季度至少1次") if school.is_kindergarten else _("中小学每月至少1次")
        return _("%(school)s在%(first)s至%(last)s期间尚未记录应急疏散演练（%(rule)s），请于%(last)s前组织并登记。") % {
            "school": school, "first": first, "last": last, "rule": rule}
    return len(notify(school_people(school, MANAGERS), kind=Kind.DRILL_DUE, subject=school, period=key,
                      title=lambda: _("应急疏散演练提醒：%(school)s") % {"school": school}, body=text,
                      school=school).notifications)


# --- inspections due -------------------------------------------------------------------

INSPECTION_DUE = Kind.INSPECTION_DUE
INSPECTION_OVERDUE = Kind.INSPECTION_OVERDUE


def bureau_staff():
    return list(User.objects.filter(is_active=True, role=R.BUREAU_STAFF).order_by("id"))


def inspecting_side(inspection):
    """Who carries out ``inspection``: for a cross inspection the officers and principal of
    the inspecting school, for a self inspection those of the inspected school, for a joint
    inspection or a spot check its leader, else the bureau staff."""
    kind = Inspection.Kind
    if inspection.kind == kind.CROSS and inspection.inspecting_school_id:
        return school_people(inspection.inspecting_school, MANAGERS)
    if inspection.kind == kind.SELF:
        return school_people(inspection.school, MANAGERS)
    if inspection.kind in (kind.JOINT, kind.SPOT) and inspection.leader and inspection.leader.is_active:
        return [inspection.leader]
    return bureau_staff()


def _inspection_message(inspection, title, text):
    """``title`` and ``text``: callables rendering the texts (see ``notify``)."""
    return dict(subject=inspection, school=inspection.school, title=title, body=text,
                url=reverse("inspection-detail", args=[inspection.pk]))


def remind_inspections_due(today=None) -> int:
    """Remind the inspecting side of each planned or started inspection dated today or within
    ``NOTIFY_INSPECTION_DAYS_BEFORE`` days, and tell the bureau staff of each one whose date
    has passed unsubmitted; each once per planned date (a rescheduled one is told again)."""
    today = _today(today)
    open_ = Inspection.objects.filter(status__in=[Inspection.Status.PLANNED, Inspection.Status.IN_PROGRESS])
    last = today + datetime.timedelta(days=settings.NOTIFY_INSPECTION_DAYS_BEFORE)
    related = ("school", "inspecting_school", "leader")
    count = 0
    for inspection in open_.filter(date__range=(today, last)).select_related(*related).order_by("date", "id"):
        count += _remind_inspection(inspection, today)
    for inspection in open_.overdue(today).select_related(*related).order_by("date", "id"):
        count += _escalate_inspection(inspection, today)
    return count


def _remind_inspection(inspection, today):
    def text():
        return _("%(kind)s“%(title)s”（受检学校：%(school)s）计划于%(date)s进行，还剩%(days)d天，请做好准备并按时完成检查。") % {
            "kind": inspection.get_kind_display(), "title": inspection.title, "school": inspection.school,
            "date": inspection.date, "days": (inspection.date - today).days}

    def title():
        return _("检查即将进行：%(title)s") % {"title": inspection.title}
    return len(notify(inspecting_side(inspection), kind=INSPECTION_DUE, period=str(inspection.date),
                      **_inspection_message(inspection, title, text)).notifications)


def _escalate_inspection(inspection, today):
    def text():
        return _("%(kind)s“%(title)s”（受检学校：%(school)s）计划于%(date)s进行，已过期%(days)d天仍未提交，请督促。") % {
            "kind": inspection.get_kind_display(), "title": inspection.title, "school": inspection.school,
            "date": inspection.date, "days": (today - inspection.date).days}

    def title():
        return _("检查逾期未提交：%(title)s") % {"title": inspection.title}
    return len(notify(bureau_staff(), kind=INSPECTION_OVERDUE, period=str(inspection.date),
                      **_inspection_message(inspection, title, text)).notifications)


# --- national safety dates ------------------------------------------------------------

def last_monday_of_march(year):
    end = datetime.date(year, 3, 31)
    return end - datetime.timedelta(days=end.weekday())


def safety_dates(year):
    """(key, date, name) of the national safety dates of ``year`` (domain-rules §5); the
    name is a lazy string, rendered in the reader's language."""
    return [
        ("safety_education_day", last_monday_of_march(year), gettext_lazy("全国中小学生安全教育日")),
        ("disaster_prevention_day", datetime.date(year, 5, 12), gettext_lazy("全国防灾减灾日")),
        ("fire_day", datetime.date(year, 11, 9), gettext_lazy("全国消防日（11月为“119”消防宣传月）")),
        ("traffic_day", datetime.date(year, 12, 2), gettext_lazy("全国交通安全日")),
    ]


def remind_safety_dates(today=None) -> int:
    """In the week before each national safety date, remind every school's officers and
    principal and the bureau staff, once per date."""
    today = _today(today)
    lead = datetime.timedelta(days=settings.NOTIFY_SAFETY_DATE_DAYS_BEFORE)
    count = 0
    for key, date, name in safety_dates(today.year):
        if date - lead <= today < date:
            count += _remind_safety_date(key, date, name)
    return count


def _remind_safety_date(key, date, name):
    people = list(User.objects.filter(is_active=True, role__in=MANAGERS).order_by("id")) + bureau_people()
    def text():
        return _("%(date)s是%(name)s，请提前安排主题教育、国旗下讲话或应急演练等活动，并在系统中登记。") % {
            "date": date, "name": name}
    return len(notify(people, kind=Kind.SAFETY_DATE, subject=f"safety_date:{key}", period=str(date),
                      title=lambda: _("%(name)s将至（%(date)s）") % {"name": name, "date": date},
                      body=text).notifications)


# --- year-end final roll-up -----------------------------------------------------------

def year_end_rollup(today=None) -> int:
    """Roll up the calendar year that ended before ``today`` (run just after 00:00 on
    1 January, Beijing time) and tell the bureau. Returns that year."""
    from reports.services import rollup_statistics  # reports imports nothing from here

    year = _today(today).year - 1
    rollup_statistics(year=year, period="calendar")
    notify(bureau_people(), kind=Kind.ROLLUP, subject="rollup:calendar", period=str(year),
           title=lambda: _("%(year)s年度安全工作统计已完成终结汇总") % {"year": year},
           body=lambda: _("%(year)s年1月1日至12月31日的各项统计数据已重新计算并存档。") % {"year": year})
    return year
