"""HTML pages of the drill records: list (filter by school and year) and a record form, on
the shared record pages of ``core.views``."""

from django.utils.translation import gettext_lazy

from core.views import RecordCreateView, RecordListView
from schools.forms import RecordFilterForm

from . import services
from .forms import DrillForm
from .models import Drill


class DrillListView(RecordListView):
    """应急演练记录: drills of the user's schools, 25 a page, newest first."""

    template_name = "drills/drill_list.html"
    model = Drill
    filter_form_class = RecordFilterForm
    related = ("school", "recorded_by")
    create_permission = "drills.record_drill"


class DrillCreateView(RecordCreateView):
    """登记应急演练 through ``services.record_drill``: bureau roles, school safety officers
    and principals (for their own schools); everybody else 403."""

    template_name = "drills/drill_form.html"
    form_class = DrillForm
    service = services.record_drill
    success_url_name = "drill-list"
    success_message = gettext_lazy("应急演练已登记。")
    create_permission = "drills.record_drill"
