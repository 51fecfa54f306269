"""Every CSV and Excel file the service writes is formula-safe: a cell that would start a
formula in a spreadsheet (`=`, `+`, `-`, `@`) is written as text (see ras/exports.py)."""

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from tests.conftest import PROJECT_ROOT
from tests.questionnaires.conftest import questionnaire  # noqa: F401 - fixture
from tests.reviews.test_equity import decide

APPS = ("ras", "questionnaires", "allocations", "reviews")
# Where rows are written; a view that only sends a file another module wrote is not one.
WRITES_A_SPREADSHEET = re.compile(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(")
SAFE = re.compile(r"\bformula_safe\b|\bcsv_text\b|\bxlsx_bytes\b")
FORMULA = '=HYPERLINK("http://example.com","Click")'


def project_modules() -> list[str]:
    return [
        str(path.relative_to(PROJECT_ROOT))
        for app in APPS
        for path in sorted((PROJECT_ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_every_module_that_writes_a_spreadsheet_makes_it_formula_safe():
    writers = [
        module
        for module in project_modules()
        if WRITES_A_SPREADSHEET.search((PROJECT_ROOT / module).read_text())
    ]
    assert "ras/exports.py" in writers  # the check finds the writers it is about
    assert [
        module for module in writers if not SAFE.search((PROJECT_ROOT / module).read_text())
    ] == []


@pytest.fixture
def far_from_peers(questionnaire, social_worker) -> int:
    """Four budgets of £100-£400 at 34 points and one of £5,000 at 35 whose reasons are a
    formula: it is far from its peers, so its reasons are in the outliers table."""
    for pounds in (100, 200, 300, 400):
        decide(questionnaire, social_worker, 34, pounds * 100)
    return decide(questionnaire, social_worker, 35, 500_000, reasons=FORMULA)


@pytest.mark.django_db
def test_free_text_in_the_equity_csv_cannot_start_a_formula(
    far_from_peers, client_for, team_manager
):
    response = client_for(team_manager).get(reverse("equity:outliers-csv"))
    _header, row = csv.reader(io.StringIO(response.content.decode()))
    assert row[0] == str(far_from_peers)
    assert row[-1] == "'" + FORMULA


@pytest.mark.django_db
def test_free_text_in_the_equity_workbook_cannot_start_a_formula(
    far_from_peers, client_for, team_manager
):
    response = client_for(team_manager).get(reverse("equity:outliers-xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    _header, row = sheet.iter_rows(values_only=True)
    assert row[-1] == "'" + FORMULA
