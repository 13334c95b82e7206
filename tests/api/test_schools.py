"""/api/v1/schools/: scoped read-only list and detail, one test per filter."""

import pytest

from schools.models import School
from tests.factories import SchoolFactory


@pytest.fixture
def schools(db):
    return {
        "xini_primary": SchoolFactory(name="锡尼镇第一小学", town="xini", school_type="211"),
        "xini_boarding": SchoolFactory(
            name="锡尼镇寄宿制中学",
            town="xini",
            school_type="311",
            is_boarding=True,
            fire_acceptance_status=School.FireAcceptance.PASSED,
        ),
        "balagong_kg": SchoolFactory(name="巴拉贡镇幼儿园", town="balagong", school_type="111"),
    }


def names(response):
    assert response.status_code == 200, response.content
    return sorted(s["name"] for s in response.json()["results"])


def test_bureau_sees_all_schools_with_labels(api_as, bureau_staff, schools):
    response = api_as(bureau_staff).get(f"/api/v1/schools/{schools['xini_boarding'].pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["school_type"] == "311"
    assert body["school_type_label"] == "初级中学"
    assert body["town_label"] == "锡尼镇"
    assert body["fire_acceptance_status"] == "passed"
    assert body["fire_acceptance_label"] == "已通过"
    assert body["is_boarding"] is True
    assert names(api_as(bureau_staff).get("/api/v1/schools/")) == sorted(
        s.name for s in schools.values()
    )


def test_school_user_sees_only_own_school(api_as, officer_a, school_b):
    assert names(api_as(officer_a).get("/api/v1/schools/")) == ["甲学校"]
    assert api_as(officer_a).get(f"/api/v1/schools/{school_b.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("town=balagong", ["巴拉贡镇幼儿园"]),
        ("school_type=311", ["锡尼镇寄宿制中学"]),
        ("is_boarding=true", ["锡尼镇寄宿制中学"]),
        ("is_boarding=false", ["巴拉贡镇幼儿园", "锡尼镇第一小学"]),
        ("q=锡尼", ["锡尼镇寄宿制中学", "锡尼镇第一小学"]),
    ],
)
def test_filters(api_as, bureau_staff, schools, query, expected):
    assert names(api_as(bureau_staff).get(f"/api/v1/schools/?{query}")) == expected


def test_unknown_town_is_400(api_as, bureau_staff, schools):
    response = api_as(bureau_staff).get("/api/v1/schools/?town=atlantis")
    assert response.status_code == 400
    assert "town" in response.json()
