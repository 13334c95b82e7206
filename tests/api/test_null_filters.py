"""A NUL byte in any list's filter parameter is a 400 naming the field (core.forms.FilterForm,
the form of every FilterSet), never a 500 from PostgreSQL nor Django's garbled message."""

import pytest

LISTS = [
    ("/api/v1/drills/", "school"),
    ("/api/v1/drills/", "year"),
    ("/api/v1/plans/", "school"),
    ("/api/v1/incidents/", "school"),
    ("/api/v1/planned-drills/", "school"),
    ("/api/v1/education-activities/", "kind"),
    ("/api/v1/staff-trainings/", "school"),
    ("/api/v1/patrols/", "status"),
    ("/api/v1/check-ins/", "kind"),
    ("/api/v1/risk-points/", "grade"),
    ("/api/v1/risk-assessments/", "school"),
    ("/api/v1/inspections/", "kind"),
    ("/api/v1/cross-inspection-rounds/", "status"),
    ("/api/v1/schools/", "school_type"),
    ("/api/v1/schools/", "q"),
]


@pytest.mark.parametrize(("path", "param"), LISTS)
def test_a_null_character_in_a_filter_is_a_400_naming_it(token_client, bureau_staff, path, param):
    response = token_client(bureau_staff).get(path, {param: "a\x00"})
    assert response.status_code == 400, (path, response.content[:300])
    [message] = response.json()[param]
    assert "含有无效的空字符" in message and "\x00" not in message
