"""Calibration samples: import, statistics worked by hand, analysis and who may see them.

The published older people's table (tests/allocations/conftest.py) prices:
  10 points, no carer help:  £0 + 10 x £150 = £1,500.00
  44 points, some help:      £3,000 + 24 x £260 = £9,240.00, less 10% = £8,316.00
  60 points, no carer help:  £10,800 + 10 x £285 = £13,650.00
"""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from allocations.calibration import (
    calibration_analysis,
    calibration_sample_import,
    calibration_statistics,
    pearson_correlation,
    scatter_chart,
    within_percent,
)
from allocations.models import AllocationTableVersion, CalibrationCase, CalibrationSample
from allocations.services import TableChangeRefused
from allocations.spreadsheets.problems import SpreadsheetRefused
from tests.allocations.conftest import TODAY

HEADINGS = "Reference,Client group,Total points,Carer level,Actual cost £ a year"


def csv_file(*rows: str, name: str = "sample.csv") -> SimpleUploadedFile:
    text = "\n".join((HEADINGS, *rows)) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[list[object]], name: str = "sample.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Cases"
    sheet.append(HEADINGS.split(","))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


# --- Statistics --------------------------------------------------------------------------------


def test_within_ten_percent_is_an_exact_comparison_including_the_boundary() -> None:
    """Actual £10,000: RAS £10,900 is £900 off (9%), within; £11,000 is exactly 10%, within;
    £11,001 is £1,001 off, more than £1,000, so not within; £9,000 is 10% under, within."""
    assert within_percent(1_090_000, 1_000_000, 10)
    assert within_percent(1_100_000, 1_000_000, 10)
    assert not within_percent(1_100_100, 1_000_000, 10)
    assert within_percent(900_000, 1_000_000, 10)
    assert not within_percent(899_999, 1_000_000, 10)


def test_statistics_of_five_cases_are_worked_by_hand() -> None:
    """Actual costs all £10,000; RAS £10,900 (9% off), £11,000 (10%), £11,001 (10.01%),
    £12,000 (20%) and £13,000 (30%). Within 10%: 2 of 5 = 40.00%. Within 20%: 4 of 5 = 80.00%.
    The actual costs do not vary, so there is no correlation to work out."""
    pairs = [
        (1_090_000, 1_000_000),
        (1_100_000, 1_000_000),
        (1_100_100, 1_000_000),
        (1_200_000, 1_000_000),
        (1_300_000, 1_000_000),
    ]
    statistics = calibration_statistics(pairs)
    assert statistics.count == 5
    assert statistics.within_10_count == 2
    assert statistics.within_10_bp == 4_000
    assert statistics.within_20_count == 4
    assert statistics.within_20_bp == 8_000
    assert statistics.correlation is None


def test_the_correlation_of_perfectly_linear_data_is_one() -> None:
    """Actual = 2 x RAS + £100 for every case: r is exactly 1.0; reversed, exactly -1.0."""
    ras = [100_000, 250_000, 400_000, 975_000]
    assert pearson_correlation([(x, 2 * x + 10_000) for x in ras]) == 1.0
    assert pearson_correlation([(x, 5_000_000 - x) for x in ras]) == -1.0


def test_the_correlation_of_a_small_sample_is_worked_by_hand() -> None:
    """Pairs (1, 2), (2, 1), (3, 4), (4, 3) in pounds: mean 2.5 each; deviations
    (-1.5, -0.5), (-0.5, -1.5), (0.5, 1.5), (1.5, 0.5); sum of products 0.75 + 0.75 + 0.75 +
    0.75 = 3; sums of squares 5 and 5; r = 3 / 5 = 0.6."""
    pairs = [(100, 200), (200, 100), (300, 400), (400, 300)]
    assert pearson_correlation(pairs) == pytest.approx(0.6)
    assert pearson_correlation([(100, 200)]) is None


def test_the_scatter_chart_uses_one_scale_for_both_axes() -> None:
    """Largest figure £13,000: ticks every £5,000 up to £15,000; a dot at £0, £0 sits at the
    corner of the axes."""
    chart = scatter_chart([(0, 0), (1_300_000, 1_000_000)])
    assert [tick.label for tick in chart.ticks] == ["£0", "£5k", "£10k", "£15k"]
    assert chart.dots[0] == (f"{chart.left:.1f}", f"{chart.bottom:.1f}")


# --- Import ------------------------------------------------------------------------------------


def test_a_finance_lead_imports_a_csv_sample(finance_lead, older_people) -> None:
    sample = calibration_sample_import(
        name="Pilot",
        uploaded_file=csv_file(
            "A-1,older-people,44,some,8316.00",
            'A-2,Older people,10,none,"£1,650"',
        ),
        actor=finance_lead,
    )
    cases = list(sample.cases.order_by("reference"))
    assert [(c.reference, c.total_points, c.carer_level) for c in cases] == [
        ("A-1", 44, "some"),
        ("A-2", 10, "none"),
    ]
    assert [c.actual_annual_pence for c in cases] == [831_600, 165_000]
    assert sample.file_name == "sample.csv"


def test_a_finance_lead_imports_an_xlsx_sample(finance_lead, older_people) -> None:
    sample = calibration_sample_import(
        name="Pilot",
        uploaded_file=xlsx_file([["B-1", "older-people", 60, "none", 13650.5]]),
        actor=finance_lead,
    )
    case = sample.cases.get()
    assert (case.total_points, case.actual_annual_pence) == (60, 1_365_050)


def test_a_file_with_problems_is_refused_row_by_row_and_nothing_is_saved(
    finance_lead, older_people
) -> None:
    with pytest.raises(SpreadsheetRefused) as refused:
        calibration_sample_import(
            name="Pilot",
            uploaded_file=csv_file(
                "A-1,older-people,44,some,8316.00",
                "A-1,older-people,44,some,8316.00",
                "A-3,nobody,4.5,lots,12.345",
                ",older-people,10,none,",
            ),
            actor=finance_lead,
        )
    messages = refused.value.messages
    assert "CSV file, row 3, column A (Reference): 'A-1' is in row 2 already" in messages[0]
    assert any(
        "row 4, column B (Client group): 'nobody' is not a client group" in m for m in messages
    )
    assert any("row 4, column C (Total points): '4.5' is not a whole number" in m for m in messages)
    assert any("row 4, column D (Carer level): 'lots' is not a carer level" in m for m in messages)
    assert any("row 4, column E" in m and "more than 2 decimal places" in m for m in messages)
    assert any("row 5, column A (Reference): is blank" in m for m in messages)
    assert any("row 5, column E" in m and "is blank" in m for m in messages)
    assert not CalibrationSample.objects.exists()
    assert not CalibrationCase.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("sample.csv", b"", "The selected file is empty."),
        ("sample.xlsx", b"a,b\n", "it is CSV text, not an Excel workbook"),
        ("sample.csv", b"%PDF-1.7 ...", "is a PDF document"),
        ("sample.csv", b"Ref,Group\nA,older-people\n", "the heading should be"),
        ("sample.csv", (HEADINGS + "\n").encode(), "The file has no cases in it."),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_and_nothing_is_saved(
    finance_lead, older_people, name, data, message
) -> None:
    with pytest.raises(SpreadsheetRefused) as refused:
        calibration_sample_import(
            name="Pilot", uploaded_file=SimpleUploadedFile(name, data), actor=finance_lead
        )
    assert any(message in text for text in refused.value.messages)
    assert not CalibrationSample.objects.exists()


def test_a_formula_without_a_saved_result_is_refused(finance_lead, older_people) -> None:
    with pytest.raises(SpreadsheetRefused) as refused:
        calibration_sample_import(
            name="Pilot",
            uploaded_file=xlsx_file([["B-1", "older-people", 60, "none", "=1000*12"]]),
            actor=finance_lead,
        )
    assert "Cases sheet, row 2, column E" in refused.value.messages[0]
    assert "formula" in refused.value.messages[0]
    assert not CalibrationSample.objects.exists()


def test_only_a_finance_lead_can_import_a_sample(social_worker, older_people) -> None:
    with pytest.raises(TableChangeRefused):
        calibration_sample_import(
            name="Pilot",
            uploaded_file=csv_file("A-1,older-people,44,some,8316.00"),
            actor=social_worker,
        )
    assert not CalibrationSample.objects.exists()


# --- Analysis ----------------------------------------------------------------------------------


def pilot(finance_lead) -> CalibrationSample:
    """A-1: £8,316.00 RAS, actual £8,316.00 (0% off). A-2: £1,500.00 RAS, actual £1,650.00
    (£150 under, 9.09%). A-3: £13,650.00 RAS, actual £10,000.00 (£3,650 over, 36.50%)."""
    return calibration_sample_import(
        name="Pilot",
        uploaded_file=csv_file(
            "A-1,older-people,44,some,8316.00",
            "A-2,older-people,10,none,1650",
            "A-3,older-people,60,none,10000",
        ),
        actor=finance_lead,
    )


def test_the_analysis_prices_cases_under_the_table_in_force(
    finance_lead, published_version: AllocationTableVersion
) -> None:
    [analysis] = calibration_analysis(sample=pilot(finance_lead), chosen_version=None, today=TODAY)
    assert analysis.version == published_version
    assert analysis.statistics is not None
    assert analysis.statistics.count == 3
    assert analysis.statistics.within_10_count == 2
    assert analysis.statistics.within_20_count == 2
    furthest = analysis.furthest_off[0]
    assert (furthest.reference, furthest.ras_pence, furthest.difference_pence) == (
        "A-3",
        1_365_000,
        365_000,
    )
    assert furthest.difference_bp == 3_650
    assert analysis.furthest_off[1].difference_bp == -909


def test_the_analysis_can_price_a_chosen_draft(
    finance_lead, published_version, draft_version
) -> None:
    [analysis] = calibration_analysis(
        sample=pilot(finance_lead), chosen_version=draft_version, today=TODAY
    )
    assert analysis.version == draft_version


def test_a_group_with_no_table_in_force_says_so(finance_lead, older_people) -> None:
    [analysis] = calibration_analysis(sample=pilot(finance_lead), chosen_version=None, today=TODAY)
    assert analysis.statistics is None
    assert analysis.refusal == "No table is in force for this client group."


# --- Pages -------------------------------------------------------------------------------------


def test_the_pages_are_for_finance_leads_only(
    client_for, finance_lead, social_worker, team_manager, service_user, older_people
) -> None:
    sample = pilot(finance_lead)
    for url in ("/finance/calibration/", f"/finance/calibration/{sample.pk}/"):
        assert client_for(finance_lead).get(url).status_code == 200
        for user in (social_worker, team_manager, service_user):
            assert client_for(user).get(url).status_code == 403
    response = client_for(social_worker).post(
        "/finance/calibration/",
        {"name": "Sneaky", "file": csv_file("A-9,older-people,1,none,1")},
    )
    assert response.status_code == 403
    assert CalibrationSample.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_sign_in(client, finance_lead, older_people) -> None:
    sample = pilot(finance_lead)
    for url in ("/finance/calibration/", f"/finance/calibration/{sample.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/sign-in/" in response["Location"]


def test_uploading_a_sample_through_the_page_opens_its_analysis(
    client_for, finance_lead, published_version
) -> None:
    client = client_for(finance_lead)
    response = client.post(
        "/finance/calibration/",
        {"name": "Pilot", "file": csv_file("A-1,older-people,44,some,8316.00")},
    )
    sample = CalibrationSample.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/finance/calibration/{sample.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "£8,316.00" in page
    assert 'role="img"' in page


def test_a_refused_upload_lists_its_problems_on_the_page(
    client_for, finance_lead, older_people
) -> None:
    response = client_for(finance_lead).post(
        "/finance/calibration/", {"name": "Pilot", "file": csv_file("A-1,older-people,x,some,1")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Calibration samples" in page
    assert "row 2, column C (Total points)" in page
    assert not CalibrationSample.objects.exists()


def test_a_macro_enabled_workbook_is_refused_and_nothing_is_saved(finance_lead, older_people):
    workbook = xlsx_file([["B-1", "older-people", 60, "none", 13650]]).read()
    buffer = io.BytesIO(workbook)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macros")
    with pytest.raises(SpreadsheetRefused) as refused:
        calibration_sample_import(
            name="Pilot",
            uploaded_file=SimpleUploadedFile("sample.xlsx", buffer.getvalue()),
            actor=finance_lead,
        )
    assert "macro-enabled workbook" in refused.value.messages[0]
    assert not CalibrationSample.objects.exists()


def test_a_file_over_two_megabytes_is_refused_on_the_page(client_for, finance_lead, older_people):
    big = SimpleUploadedFile("sample.csv", b"x" * (2 * 1024 * 1024 + 1), content_type="text/csv")
    response = client_for(finance_lead).post(
        "/finance/calibration/", {"name": "Pilot", "file": big}
    )
    assert response.status_code == 200
    assert "larger than 2 MB" in response.content.decode()
    assert not CalibrationSample.objects.exists()
