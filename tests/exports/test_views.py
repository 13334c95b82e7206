"""The ledger export over HTTP: scope and filters, headers, times, the async job and its
download."""

import csv
import datetime
import io
import zoneinfo
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from hazards.models import Hazard
from reports import exports
from reports.models import ExportJob
from tests.factories import HazardFactory

UTC = zoneinfo.ZoneInfo("UTC")


def export_url(fmt, query=""):
    return reverse("hazard-export", args=[fmt]) + (f"?{query}" if query else "")


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.count("\ufeff") == 1 and text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def xlsx_sheet(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


@pytest.fixture
def hazards(school_a, school_b):
    a = HazardFactory(
        school=school_a,
        title="=1+1",
        location="1号楼\x0b二层",
        reported_at=datetime.datetime(2024, 3, 1, 23, 30, tzinfo=UTC),
    )
    a.reporter_contact = "13900001111"
    a.save()
    HazardFactory(school=school_a, title="食堂燃气", category=Hazard.Category.CANTEEN)
    HazardFactory(school=school_b, title="乙校隐患")
    return a


def test_csv_export_is_scoped_neutralised_and_in_beijing_time(client, officer_a, hazards):
    client.force_login(officer_a)
    response = client.get(export_url("csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["编号", "学校", "隐患描述"]
    assert "反馈电话" not in header
    assert {row[1] for row in body} == {"甲学校"}
    first = next(row for row in body if row[0] == str(hazards.pk))
    assert first[2] == "'=1+1"
    assert first[header.index("登记时间")] == "2024-03-02 07:30"
    assert "13900001111" not in "".join(",".join(r) for r in rows)


def test_xlsx_export_respects_the_filter_and_survives_a_vertical_tab(client, officer_a, hazards):
    client.force_login(officer_a)
    response = client.get(export_url("xlsx", "category=fire"))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"hazards.xlsx\"; filename*=UTF-8''")
    assert "%E9%9A%90%E6%82%A3%E5%8F%B0%E8%B4%A6" in disposition  # 隐患台账
    sheet = xlsx_sheet(response)
    rows = list(sheet.iter_rows(values_only=True))
    title, header, body = rows[0][0], rows[1], rows[2:]  # title row, header, rows
    assert title.startswith("隐患台账 · 筛选：类别=消防 · ") and "导出时间：" in title
    assert len(body) == 1
    row = dict(zip(header, body[0], strict=False))
    assert row["编号"] == hazards.pk and sheet.cell(3, 1).data_type == "n"
    assert row["隐患描述"] == "=1+1" and sheet.cell(3, 3).quotePrefix  # text, no apostrophe
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:X3"
    assert sheet.cell(2, 1).font.b and sheet.column_dimensions["B"].width >= 20
    assert row["位置"] == "1号楼\n二层"
    assert row["登记时间"] == datetime.datetime(2024, 3, 2, 7, 30)  # noqa: DTZ001 - Excel has no zone


def test_officer_of_a_cannot_export_b_rows_even_asking_for_school_b(
    client, officer_a, hazards, school_b
):
    client.force_login(officer_a)
    response = client.get(export_url("csv", f"school={school_b.pk}"))
    assert response.status_code == 400
    assert "乙校隐患" not in response.content.decode()


def test_bureau_exports_every_school(client, bureau_staff, hazards):
    client.force_login(bureau_staff)
    body = csv_rows(client.get(export_url("csv")))[1:]
    assert {row[1] for row in body} == {"甲学校", "乙学校"}


def test_funding_stays_a_number(client, bureau_staff, hazards):
    Hazard.objects.filter(pk=hazards.pk).update(funding_yuan=Decimal("350.50"))
    client.force_login(bureau_staff)
    sheet = xlsx_sheet(client.get(export_url("xlsx", "q=%3D1")))
    header = [c.value for c in sheet[2]]
    cell = sheet[3][header.index("整改资金（元）")]
    assert cell.data_type == "n" and cell.value == 350.5 and "¥" in cell.number_format


def test_unknown_format_is_404_and_anonymous_goes_to_login(client, officer_a):
    assert client.get(export_url("pdf")).status_code == 302
    client.force_login(officer_a)
    assert client.get(export_url("pdf")).status_code == 404


def test_list_page_links_the_exports_with_its_query_string(client, officer_a, hazards):
    client.force_login(officer_a)
    html = client.get(reverse("hazard-list") + "?category=fire").content.decode()
    assert export_url("xlsx", "category=fire") in html
    assert export_url("csv", "category=fire") in html


@pytest.fixture
def small_threshold(settings):
    settings.HAZARD_EXPORT_ASYNC_ROWS = 1


def test_large_export_becomes_a_job_the_requester_downloads(
    client, officer_a, hazards, small_threshold, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(export_url("xlsx", "page=2"))
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("export-job", args=[job.pk])
    assert job.requested_by == officer_a and job.filters == {}
    assert job.status == ExportJob.Status.DONE and job.row_count == 2
    page = client.get(response.url)
    assert reverse("export-download", args=[job.pk]) in page.content.decode()
    download = client.get(reverse("export-download", args=[job.pk]))
    assert download.status_code == 200
    assert "filename*=UTF-8''" in download["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert {row[1] for row in sheet.iter_rows(min_row=3, values_only=True)} == {"甲学校"}


def test_another_schools_user_gets_404_for_the_job(
    client, officer_a, officer_b, hazards, small_threshold, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(export_url("csv"))
    job = ExportJob.objects.get()
    client.force_login(officer_b)
    assert client.get(reverse("export-job", args=[job.pk])).status_code == 404
    assert client.get(reverse("export-download", args=[job.pk])).status_code == 404


def test_bureau_staff_may_download_a_school_job(
    client, officer_a, bureau_staff, hazards, small_threshold, django_capture_on_commit_callbacks
):
    client.force_login(officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(export_url("csv"))
    client.force_login(bureau_staff)
    job = ExportJob.objects.get()
    response = client.get(reverse("export-download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith("\ufeff".encode())


def test_pending_job_page_polls_and_has_no_download(client, officer_a):
    job = ExportJob.objects.create(requested_by=officer_a, format="csv")
    client.force_login(officer_a)
    html = client.get(reverse("export-job", args=[job.pk])).content.decode()
    assert "every 3s" in html and "下载文件" not in html
    assert client.get(reverse("export-download", args=[job.pk])).status_code == 404


def test_task_run_twice_writes_once(officer_a, hazards):
    from reports.tasks import export_hazards_task

    job = ExportJob.objects.create(requested_by=officer_a, format="csv")
    export_hazards_task(job.pk)
    job.refresh_from_db()
    name = job.file.name
    export_hazards_task(job.pk)
    job.refresh_from_db()
    assert job.file.name == name and job.status == ExportJob.Status.DONE
    export_hazards_task(999999)  # gone: nothing happens


def test_job_stores_its_progress_and_its_page_shows_it(client, officer_a, hazards, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 1)
    seen = []
    original = exports._progress_of

    def spy(job):
        store = original(job)
        return lambda rows: (store(rows), seen.append(ExportJob.objects.get(pk=job.pk)))

    monkeypatch.setattr(exports, "_progress_of", spy)
    job = ExportJob.objects.create(requested_by=officer_a, format="xlsx")
    exports.run_export_job(job)
    assert [(j.rows_written, j.row_count) for j in seen] == [(1, 2), (2, 2), (2, 2)]
    running = ExportJob.objects.create(
        requested_by=officer_a, format="csv", status="running", row_count=8, rows_written=2
    )
    client.force_login(officer_a)
    html = client.get(reverse("export-job", args=[running.pk])).content.decode()
    assert 'value="25"' in html and "已写入 2 / 8 行" in html
