"""The ledger at scale, through /hazards/: a capped count, keyset pages past it and for the
last page, forged cursors and pages past the end, the search and the date filters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core import keyset
from hazards.models import Hazard
from tests.factories import HazardFactory

pytestmark = pytest.mark.django_db
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def ledger(client, bureau_staff, school_a):
    """60 hazards, one a minute (ids and times in the same order), and a bureau client."""
    start = datetime.datetime(2025, 3, 1, 8, tzinfo=BEIJING)
    for n in range(60):
        HazardFactory(school=school_a, reported_at=start + datetime.timedelta(minutes=n))
    client.force_login(bureau_staff)
    return client


def _ids(response):
    return [hazard.pk for hazard in response.context["page"].object_list]


def _all_ids():
    return list(Hazard.objects.values_list("pk", flat=True))  # the ledger's order


def test_count_is_capped_and_pages_go_on_by_cursor(ledger, monkeypatch):
    monkeypatch.setattr(keyset, "COUNT_CAP", 30)
    url = reverse("hazard-list")
    first = ledger.get(url)
    assert "共 30+ 条" in first.content.decode()
    numbered_last = ledger.get(url, {"page": 2})  # 30 capped rows: pages 1 and 2
    cursor = numbered_last.context["page"].next_cursor
    assert cursor and f"after={cursor}" in numbered_last.content.decode()
    seen = _ids(first) + _ids(numbered_last)
    while cursor:
        response = ledger.get(url, {"after": cursor})
        seen += _ids(response)
        cursor = response.context["page"].next_cursor
    assert seen == _all_ids()


def test_last_page_and_previous_pages_by_cursor(ledger):
    url = reverse("hazard-list")
    last = ledger.get(url, {"before": ""})
    assert _ids(last) == _all_ids()[-25:]
    assert not last.context["page"].has_next
    previous = ledger.get(url, {"before": last.context["page"].previous_cursor})
    assert _ids(previous) == _all_ids()[-50:-25]
    first = ledger.get(url, {"before": previous.context["page"].previous_cursor})
    assert _ids(first) == _all_ids()[:10] and not first.context["page"].has_previous


@pytest.mark.parametrize("params", [{"after": "not-a-cursor"}, {"before": "W10"}])
def test_forged_cursor_is_a_400_with_a_message(ledger, params):
    response = ledger.get(reverse("hazard-list"), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="cursor-error"' in html and "分页链接已失效" in html


def test_a_long_list_shows_the_planners_estimate_and_pages_to_the_end(ledger, monkeypatch):
    monkeypatch.setattr(keyset, "EXACT_UP_TO", 10)  # 60 rows are "long": not counted
    monkeypatch.setattr(keyset, "planner_rows", lambda queryset: 71)
    first = ledger.get(reverse("hazard-list"))
    assert "约 71 条" in first.content.decode()
    seen, number = _ids(first), 1
    while ledger.get(reverse("hazard-list"), {"page": number}).context["page"].has_next:
        number += 1
        seen += _ids(ledger.get(reverse("hazard-list"), {"page": number}))
    assert seen == _all_ids()


@pytest.mark.parametrize("walk_rows", [1_000, 7])  # the walk finds the page; it does not
def test_a_search_walks_the_ledger_order_then_the_index_and_says_more(
    ledger, school_a, monkeypatch, walk_rows
):
    monkeypatch.setattr(keyset, "WALK_ROWS", walk_rows)
    Hazard.objects.filter(pk__in=_all_ids()[::2]).update(location="学生宿舍")
    expected = list(Hazard.objects.search("宿舍").values_list("pk", flat=True))
    first = ledger.get(reverse("hazard-list"), {"q": "宿舍"})
    assert "共 25+ 条" in first.content.decode()  # 30 matches: not counted
    seen, cursor = _ids(first), first.context["page"].next_cursor
    while cursor:
        response = ledger.get(reverse("hazard-list"), {"q": "宿舍", "after": cursor})
        seen += _ids(response)
        cursor = response.context["page"].next_cursor
    assert len(expected) == 30 and seen == expected
    last = ledger.get(reverse("hazard-list"), {"q": "宿舍", "before": ""})
    assert _ids(last) == expected[5:]
    before = {"q": "宿舍", "before": last.context["page"].previous_cursor}
    assert _ids(ledger.get(reverse("hazard-list"), before)) == expected[:5]


def test_the_planners_estimate_is_rounded_and_asks_nothing_of_an_empty_list():
    paginator = keyset.CappedPaginator(Hazard.objects.all(), 25)
    assert keyset.planner_rows(Hazard.objects.none()) == 0
    assert isinstance(keyset.planner_rows(Hazard.objects.all()), int)
    paginator.__dict__["_total"] = (12_345, "estimated")
    assert (paginator.about, paginator.count, paginator.capped) == (12_000, 10_000, True)


@pytest.mark.parametrize("params", [{"after": "not-a-cursor"}, {"before": "W10"}])
def test_an_export_link_with_a_forged_cursor_is_a_400(ledger, params):
    response = ledger.get(reverse("hazard-export", args=["csv"]), params)
    assert response.status_code == 400
    assert "导出链接中的分页参数无效" in response.content.decode()


def test_a_null_character_in_the_search_is_a_form_error(ledger):
    response = ledger.get(reverse("hazard-list"), {"q": "灭火\x00"})
    assert response.status_code == 200 and _ids(response) == []
    assert "关键词含有无效的空字符" in response.content.decode()


@pytest.mark.parametrize(("name", "label"), [("school", "学校"), ("status", "状态")])
def test_a_null_character_in_a_choice_is_a_clear_form_error(ledger, name, label):
    response = ledger.get(reverse("hazard-list"), {name: "\x00"})
    content = response.content.decode()
    assert response.status_code == 200 and _ids(response) == []
    assert f"{label}含有无效的空字符，请删除后重试。" in content
    assert "\x00" not in content and "不允许是用空字符串" not in content


@pytest.mark.parametrize("page", ["4", "1000000", "99999999999999999999"])
@pytest.mark.parametrize("q", ["", "灭火器"])
def test_page_past_the_end_is_an_empty_page(ledger, page, q):
    # The last one's OFFSET is past PostgreSQL's bigint: not asked (was a 500).
    response = ledger.get(reverse("hazard-list"), {"page": page, "q": q})
    assert response.status_code == 200 and _ids(response) == []
    assert "这一页没有隐患了" in response.content.decode()


def _count_line(response):
    html = response.content.decode()
    start = html.index('data-testid="result-count">')
    return " ".join(html[start : html.index("</p>", start)].split()[1:])


def test_a_small_list_is_counted_whatever_the_planner_guesses(ledger, monkeypatch):
    # A table never ANALYZEd: the planner's default guess is far above the 60 rows.
    monkeypatch.setattr(keyset, "planner_rows", lambda queryset: 1_200)
    for page in (1, 2, 9):  # 9: an empty page past the end
        response = ledger.get(reverse("hazard-list"), {"page": page})
        assert _count_line(response) == "共 60 条"
        assert response.context["page"].paginator.num_pages == 3


def test_an_estimate_is_never_below_the_rows_known(ledger, monkeypatch):
    monkeypatch.setattr(keyset, "EXACT_UP_TO", 10)  # 60 rows are "long"
    monkeypatch.setattr(keyset, "planner_rows", lambda queryset: 3)  # and the planner is off
    assert _count_line(ledger.get(reverse("hazard-list"))) == "约 25 条"  # 26 read
    assert _count_line(ledger.get(reverse("hazard-list"), {"page": 2})) == "约 50 条"


def test_an_empty_page_claims_no_skipped_rows(ledger, monkeypatch):
    Hazard.objects.filter(pk__in=_all_ids()[::2]).update(location="学生宿舍")  # 30 matches
    for page in (3, 99):  # past the end of the search
        response = ledger.get(reverse("hazard-list"), {"q": "宿舍", "page": page})
        assert _ids(response) == [] and _count_line(response) == ""
    assert _count_line(ledger.get(reverse("hazard-list"), {"q": "宿舍", "page": 2})) == "共 30 条"
    monkeypatch.setattr(keyset, "EXACT_UP_TO", 10)
    monkeypatch.setattr(keyset, "planner_rows", lambda queryset: 71)
    assert _count_line(ledger.get(reverse("hazard-list"), {"page": 99_999})) == "约 71 条"


def test_large_counts_are_grouped_by_commas_and_capped_without_an_estimate(ledger, monkeypatch):
    monkeypatch.setattr(keyset, "EXACT_UP_TO", 10)
    monkeypatch.setattr(keyset, "planner_rows", lambda queryset: 1_307_000)
    assert _count_line(ledger.get(reverse("hazard-list"))) == "约 1,300,000 条"
    monkeypatch.setattr(keyset, "planner_rows", lambda queryset: None)  # another database
    monkeypatch.setattr(keyset, "COUNT_CAP", 30)
    assert _count_line(ledger.get(reverse("hazard-list"))) == "共 30+ 条"


def test_page_past_a_capped_count_still_reads_its_rows(ledger, monkeypatch):
    monkeypatch.setattr(keyset, "COUNT_CAP", 30)
    response = ledger.get(reverse("hazard-list"), {"page": 3})
    assert _ids(response) == _all_ids()[50:60]


def test_bureau_page_renders_only_the_chosen_school(ledger, school_a, school_b):
    html = ledger.get(reverse("hazard-list"), {"school": school_a.pk}).content.decode()
    start = html.index('name="school"')
    select = html[start : html.index("</select>", start)]
    assert school_a.name in select and school_b.name not in select
    assert select.count("<option") == 2  # "全部学校" and the chosen one


@pytest.mark.parametrize("term", ["灭火", "器过", "A", "ab", "%", "_x", "火器过期1"])
def test_search_finds_what_icontains_finds(school_a, term):
    HazardFactory(school=school_a, title="灭火器过期1")
    HazardFactory(school=school_a, title="电线", location="Lab ABC 100%", description="_x 灭")
    HazardFactory(school=school_a, title="楼梯", description="器\n过")  # pairs across lines
    expected = (
        Hazard.objects.filter(title__icontains=term)
        | Hazard.objects.filter(location__icontains=term)
        | Hazard.objects.filter(description__icontains=term)
    )
    assert set(Hazard.objects.search(term)) == set(expected)


def test_date_filters_are_beijing_days(ledger, school_a):
    # 2025-03-02 00:30 in Beijing is still 1 March in UTC.
    late = HazardFactory(
        school=school_a, reported_at=datetime.datetime(2025, 3, 2, 0, 30, tzinfo=BEIJING)
    )
    after = ledger.get(reverse("hazard-list"), {"reported_after": "2025-03-02"})
    assert _ids(after) == [late.pk]
    before = ledger.get(reverse("hazard-list"), {"reported_before": "2025-03-01"})
    assert late.pk not in _ids(before) and len(before.context["page"].object_list) == 25
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"
