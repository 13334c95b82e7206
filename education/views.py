"""HTML pages of safety education activities and counselling sessions.

Who records activities: bureau roles anywhere; school safety officers, principals and
teachers for their own schools (teachers hold most class meetings and flag speeches, so
they record any kind; kept simple on purpose). Counselling pages exist only for counsellors
(``CounsellingSession.objects.visible_to``); everybody else, the bureau included, gets 403
and sees counts on the dashboard.
"""

from django.utils.translation import gettext_lazy

from core.views import RecordCreateView, RecordListView
from schools.forms import RecordFilterForm

from . import services
from .forms import ActivityForm, CounsellingForm
from .models import CounsellingSession, EducationActivity


class ActivityListView(RecordListView):
    """安全教育活动: activities of the user's schools, 25 a page, newest first."""

    template_name = "education/activity_list.html"
    model = EducationActivity
    filter_form_class = RecordFilterForm
    related = ("school", "recorded_by")
    create_permission = "education.record_activity"


class ActivityCreateView(RecordCreateView):
    """登记安全教育活动 through ``services.record_activity``; others 403."""

    template_name = "education/activity_form.html"
    form_class = ActivityForm
    service = services.record_activity
    success_url_name = "activity-list"
    success_message = gettext_lazy("安全教育活动已登记。")
    create_permission = "education.record_activity"


class CounsellingListView(RecordListView):
    """心理辅导记录: the counsellor's schools only; everybody else 403."""

    template_name = "education/counselling_list.html"
    model = CounsellingSession
    filter_form_class = RecordFilterForm
    related = ("school", "counsellor")
    view_permission = "education.view_counselling"
    create_permission = "education.record_counselling"


class CounsellingCreateView(RecordCreateView):
    """登记心理辅导 through ``services.record_counselling``: counsellors only, else 403."""

    template_name = "education/counselling_form.html"
    form_class = CounsellingForm
    service = services.record_counselling
    success_url_name = "counselling-list"
    success_message = gettext_lazy("心理辅导记录已登记。")
    create_permission = "education.record_counselling"
