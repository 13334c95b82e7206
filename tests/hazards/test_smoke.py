import pytest

from hazards import services
from hazards.models import Hazard


@pytest.mark.django_db(transaction=False)
def test_full_loop(school_a, officer_a, principal_a, bureau_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        h = services.report_hazard(school_a, actor=officer_a, title="x", category="fire", source="snapshot")
        h = services.assign_hazard(h, actor=officer_a, responsible=officer_a, measures="fix")
        h = services.submit_rectification(h, actor=officer_a, note="done")
        h = services.close_hazard(h, actor=bureau_staff)
    assert h.status == Hazard.Status.CLOSED
    assert h.events.count() == 4
