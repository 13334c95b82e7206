"""Filter panels of the ledger and the inspections list: collapsed with a count of the active
filters, searchable multi-selects, the school picked by a server search (its options are
never all in the page), and the search scoped to the user's schools."""

from django.urls import reverse

from tests.factories import InspectionFactory, SchoolFactory


def test_the_ledger_renders_only_the_chosen_school(client, bureau_staff, school_a, school_b):
    for n in range(30):
        SchoolFactory(name=f"学校{n:02d}")
    client.force_login(bureau_staff)
    html = client.get(f"/hazards/?school={school_a.pk}&status=reported").content.decode()
    assert f'data-remote-url="{reverse("school-search")}"' in html
    assert f'<option value="{school_a.pk}" selected>甲学校</option>' in html
    assert "学校07" not in html and "乙学校" not in html
    assert 'data-testid="active-filters">2<' in html
    assert "data-searchable" in html  # source and category: Tom Select
    assert "---------" not in html


def test_the_ledger_filter_panel_is_collapsed_without_errors(client, officer_a):
    client.force_login(officer_a)
    html = client.get("/hazards/").content.decode()
    assert 'class="collapse" id="hazard-filter"' in html
    assert 'data-testid="active-filters"' not in html
    bad = client.get("/hazards/?status=nonsense").content.decode()
    assert 'class="collapse show" id="hazard-filter"' in bad


def test_school_search_is_scoped_and_limited(client, officer_a, school_a, school_b, bureau_staff):
    client.force_login(officer_a)
    names = [r["text"] for r in client.get("/schools/search/?q=学校").json()["results"]]
    assert names == ["甲学校"]
    for n in range(30):
        SchoolFactory(name=f"第{n:02d}学校")
    client.force_login(bureau_staff)
    results = client.get("/schools/search/?q=学校").json()["results"]
    assert len(results) == 20
    assert client.get("/schools/search/?q=" + "x" * 500).status_code == 200


def test_the_inspection_list_has_cards_for_phones_and_a_collapsed_panel(
    client, bureau_staff, school_a
):
    InspectionFactory(school=school_a, title="春季联合检查")
    client.force_login(bureau_staff)
    html = client.get(f"/inspections/?school={school_a.pk}").content.decode()
    assert 'data-testid="inspection-cards"' in html and 'data-testid="inspection-table"' in html
    assert 'class="collapse" id="inspection-filter"' in html
    assert 'data-testid="active-filters">1<' in html
    assert 'type="date"' in html
