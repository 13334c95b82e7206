"""The Excel files a clerk hands upward: the record lists and the yearly statistics as the
pages show them, each opened by LibreOffice (headless conversion to CSV) as well as by
openpyxl: title row with the filter and export time, bold frozen header with filter
buttons, widths, dates as dates, yuan as numbers, formula-like text as text."""

import csv
import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest
import time_machine

from hazards.models import RemediationProject
from tests.factories import ActivityFactory, DrillFactory, InspectionFactory

NOW = datetime.datetime(2025, 3, 3, 1, 0, tzinfo=datetime.UTC)  # 09:00 in Beijing
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def workbook(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def libreoffice_csv(tmp_path, data: bytes) -> list[list[str]]:
    """The first sheet as LibreOffice Calc reads it (headless conversion to UTF-8 CSV)."""
    source = tmp_path / "export.xlsx"
    source.write_bytes(data)
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path),
         str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    text = (tmp_path / "export.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_drill_list_export_follows_the_page_filter(client, officer_a, school_a, school_b):
    DrillFactory(school=school_a, date=datetime.date(2024, 5, 10), notes='=HYPERLINK("x")')
    DrillFactory(school=school_a, date=datetime.date(2023, 5, 10))
    DrillFactory(school=school_b, date=datetime.date(2024, 5, 10))
    client.force_login(officer_a)
    sheet = workbook(client.get("/exports/records/drills/?year=2024")).active
    title = sheet.cell(1, 1).value
    assert title == "应急演练 · 筛选：年份=2024 · 导出时间：2025-03-03 09:00"
    assert sheet.cell(2, 1).value == "日期" and sheet.cell(2, 1).font.b
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:H3"
    assert sheet.max_row == 3  # one drill: of A (scope), of 2024 (filter)
    date = sheet.cell(3, 1)
    assert date.value == datetime.datetime(2024, 5, 10) and date.number_format == "yyyy-mm-dd"  # noqa: DTZ001
    notes = sheet.cell(3, 8)
    assert notes.value == '=HYPERLINK("x")' and notes.data_type == "s" and notes.quotePrefix


def test_a_bad_filter_is_a_400_page_and_an_unknown_list_404(client, officer_a):
    client.force_login(officer_a)
    response = client.get("/exports/records/drills/?year=abc")
    assert response.status_code == 400 and "年份" in response.content.decode()
    assert client.get("/exports/records/counselling/").status_code == 404


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (libreoffice-calc-nogui) not installed")
def test_libreoffice_reads_each_list_as_typed(client, bureau_staff, school_a, tmp_path):
    DrillFactory(school=school_a, date=datetime.date(2024, 5, 10), notes="-1层车库")
    ActivityFactory(school=school_a, date=datetime.date(2024, 9, 1), title="+开学第一课")
    InspectionFactory(school=school_a, date=datetime.date(2024, 6, 1), title="联合检查")
    project = RemediationProject.objects.create(
        name="消防改造", category="fire", budget_yuan=Decimal("54180000"),
        start_date=datetime.date(2024, 3, 1),
    )  # fmt: skip
    project.schools.set([school_a])
    client.force_login(bureau_staff)
    found = {}
    for kind in ("drills", "activities", "inspections", "remediation"):
        response = client.get(f"/exports/records/{kind}/")
        rows = libreoffice_csv(tmp_path, b"".join(response.streaming_content))
        assert rows[0][0].startswith(("应急演练", "安全教育", "检查记录", "整改项目"))
        found[kind] = rows[2]
    assert found["drills"][0] == "2024-05-10" and found["drills"][7] == "-1层车库"
    assert found["activities"][3] == "+开学第一课"  # text, not a formula's result, no "'"
    assert found["inspections"][0] == "2024-06-01"
    assert found["remediation"][2] == "¥54,180,000.00"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (libreoffice-calc-nogui) not installed")
def test_libreoffice_reads_the_ledger_without_apostrophes(client, bureau_staff, school_a, tmp_path):
    from tests.factories import HazardFactory

    HazardFactory(school=school_a, title="=1+1", location="-1层车库")
    client.force_login(bureau_staff)
    response = client.get("/exports/hazards/xlsx/")
    rows = libreoffice_csv(tmp_path, b"".join(response.streaming_content))
    assert rows[0][0].startswith("隐患台账 · 筛选：全部（无筛选）")
    header, first = rows[1], rows[2]
    assert first[header.index("隐患描述")] == "=1+1"
    assert first[header.index("位置")] == "-1层车库"


def test_yearly_statistics_export_in_wan_yuan(client, bureau_staff, school_a):
    client.force_login(bureau_staff)
    book = workbook(client.get("/exports/yearly/?year=2024&period=calendar"))
    overview, per_school = book.worksheets
    assert overview.cell(1, 1).value.startswith("年度统计 · 筛选：年度=2024；自然年")
    labels = [overview.cell(row, 1).value for row in range(3, overview.max_row + 1)]
    assert "解决消防遗留问题投入（万元）" in labels
    money = overview.cell(3 + labels.index("解决消防遗留问题投入（万元）"), 2)
    assert money.number_format == "#,##0.00" and money.value == 0
    assert per_school.cell(3, 1).value == school_a.name


def test_yearly_statistics_export_refuses_bad_parameters(client, bureau_staff):
    client.force_login(bureau_staff)
    assert client.get("/exports/yearly/?year=abc").status_code == 400
    assert client.get("/exports/yearly/?year=2024&school=999999").status_code == 404
