"""The three record lists share one page frame (templates/includes/record_list.html): each
keeps its heading, "new" button, filter, table and cards, paging and empty-state text."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import ActivityFactory, CounsellingFactory, DrillFactory

pytestmark = pytest.mark.django_db

PAGES = [
    # list url name, create url name, persona, factory, heading, button, empty-state text
    (
        "drill-list",
        "drill-create",
        "officer_a",
        DrillFactory,
        "应急演练",
        "登记演练",
        "没有符合条件的演练记录。",
    ),
    (
        "activity-list",
        "activity-create",
        "officer_a",
        ActivityFactory,
        "安全教育活动",
        "登记活动",
        "没有符合条件的安全教育活动。",
    ),
    (
        "counselling-list",
        "counselling-create",
        "counsellor_a",
        CounsellingFactory,
        "心理辅导记录",
        "登记辅导",
        "没有符合条件的心理辅导记录。",
    ),
]


def _text(html, testid):
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', html, re.S)
    return match and match.group(1).strip()


@pytest.mark.parametrize(
    ("list_name", "create_name", "persona", "factory", "heading", "button", "empty"), PAGES
)
def test_empty_list_has_heading_button_filter_and_empty_text(
    client, request, list_name, create_name, persona, factory, heading, button, empty
):
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse(list_name)).content.decode()
    assert f'<h1 class="h3 mb-0">{heading}</h1>' in html
    assert f'href="{reverse(create_name)}" data-testid="create-link">{button}</a>' in html
    assert f'action="{reverse(list_name)}"' in html and _text(html, "result-count") == "共 0 条"
    assert _text(html, "empty") == empty
    assert 'data-testid="record-table"' not in html


@pytest.mark.parametrize(
    ("list_name", "create_name", "persona", "factory", "heading", "button", "empty"), PAGES
)
def test_rows_show_in_the_table_and_the_cards_and_page(
    client, request, school_a, list_name, create_name, persona, factory, heading, button, empty
):
    for day in range(26):
        factory(school=school_a, date=datetime.date(2024, 4, 1) - datetime.timedelta(days=day))
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse(list_name)).content.decode()
    table = html.split('data-testid="record-table"')[1].split("</table>")[0]
    cards = html.split('data-testid="record-cards"')[1].split('<nav aria-label="分页">')[0]
    assert table.count("<tr>") == 1 + 25 and cards.count('class="card mb-2"') == 25
    assert "2024-04-01" in table and "2024-04-01" in cards
    assert 'href="?page=2"' in html and empty not in html
    last = client.get(reverse(list_name), {"page": 2}).content.decode()
    assert _text(last, "result-count") == "共 26 条" and "2024-03-07" in last


def test_only_the_counselling_list_says_who_may_see_it(client, officer_a, counsellor_a):
    note = "仅本校心理教师可见。"
    client.force_login(counsellor_a)
    assert note in client.get(reverse("counselling-list")).content.decode()
    client.force_login(officer_a)
    assert note not in client.get(reverse("drill-list")).content.decode()
    assert note not in client.get(reverse("activity-list")).content.decode()
