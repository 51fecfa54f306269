"""The indicative budget letter: a tagged PDF/UA-1 document carrying the page's explanation.

The worked case (tests/questionnaires/conftest.py answers on the older people's table of
tests/allocations/conftest.py): washing 3 + dressing 5 = 8 points looking after yourself, meals
26 points eating and drinking, 34 in all. Band 2 covers 20 to 49 points: £3,000.00 + (34 - 20) x
£260.00 = £6,640.00 a year. A lot of help from family or friends takes 25% off: £1,660.00.
£6,640.00 - £1,660.00 = £4,980.00 a year; £4,980.00 / 52 = £95.769..., £95.77 a week.

The PDF is read with Debian's poppler-utils (pdfinfo, pdftotext, pdffonts) and, for the document
catalog, which pdfinfo does not print, by inflating the PDF's compressed objects with zlib. These
check the markers PDF/UA-1 requires (tagged, structure tree, language, title shown, XMP
identification); they are not a full conformance check such as veraPDF's.
"""

import datetime
import itertools
import re
import shutil
import subprocess
import zlib

import pytest
import time_machine
from django.urls import reverse

from allocations.budgets import assessment_submit_and_price
from allocations.explanations import budget_explanation
from allocations.letters import indicative_budget_letter_pdf
from questionnaires.services import assessment_submit
from tests.conftest import PROJECT_ROOT
from tests.questionnaires.conftest import (  # noqa: F401 - fixtures
    FULL_ANSWERS,
    answer_all,
    assessment,
    questionnaire,
    represented_assessment,
)

pytestmark = [pytest.mark.django_db]

SUBMITTED_AT = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)
ARTEFACTS = PROJECT_ROOT / "test-artefacts" / "letters"
PDFUA_NAMESPACE = "http://www.aiim.org/pdfua/ns/id/"


def submit_and_price(assessment, actor):
    with time_machine.travel(SUBMITTED_AT, tick=False):
        answer_all(assessment, actor, FULL_ANSWERS)
        _, budget = assessment_submit_and_price(assessment=assessment, actor=actor)
    assert budget is not None
    return budget


@pytest.fixture
def budget(assessment, service_user, published_version):
    return submit_and_price(assessment, service_user)


@pytest.fixture
def letter_pdf(budget, tmp_path):
    """The worked case's letter, written to a file for poppler and kept as a test artefact."""
    pdf = indicative_budget_letter_pdf(budget, letter_date=datetime.date(2026, 11, 25))
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "indicative-budget.pdf").write_bytes(pdf)
    pdf_file = tmp_path / "letter.pdf"
    pdf_file.write_bytes(pdf)
    return pdf_file


def poppler(tool, *arguments):
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: install Debian's poppler-utils to check letters")
    completed = subprocess.run(
        [tool, *map(str, arguments)], capture_output=True, check=True, text=True
    )
    return completed.stdout


def words(text):
    """Text with every run of spaces and line breaks made one space, as a reader hears it."""
    return " ".join(text.split())


def pdf_catalog(pdf):
    """The document catalog's dictionary, found in the PDF's objects, compressed or not."""
    chunks = [pdf]
    for stream in re.finditer(rb"stream\r?\n", pdf):
        try:
            chunks.append(zlib.decompressobj().decompress(pdf[stream.end() :]))
        except zlib.error:
            continue
    for chunk in chunks:
        found = re.search(rb"/Type\s*/Catalog", chunk)
        if found is None:
            continue
        start = chunk.rindex(b"<<", 0, found.start())
        depth, position = 0, start
        while position < len(chunk):
            if chunk.startswith(b"<<", position):
                depth, position = depth + 1, position + 2
            elif chunk.startswith(b">>", position):
                depth, position = depth - 1, position + 2
                if depth == 0:
                    return chunk[start:position]
            else:
                position += 1
    raise AssertionError("The PDF has no document catalog")


def pdf_info(pdf_file):
    info = {}
    for line in poppler("pdfinfo", pdf_file).splitlines():
        key, _, value = line.partition(":")
        info[key] = value.strip()
    return info


def test_the_letter_is_a_tagged_pdf_ua_1_document_in_british_english(letter_pdf, budget) -> None:
    catalog = pdf_catalog(letter_pdf.read_bytes())
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true\s*>>", catalog)
    assert re.search(rb"/StructTreeRoot\s+\d+\s+0\s+R", catalog)
    assert re.search(rb"/Lang\s*\(en-GB\)", catalog)
    assert re.search(rb"/DisplayDocTitle\s+true", catalog)
    assert re.search(rb"/Metadata\s+\d+\s+0\s+R", catalog)

    info = pdf_info(letter_pdf)
    assert info["Tagged"] == "yes"
    assert info["PDF version"] == "1.7"
    assert info["Page size"].endswith("(A4)")
    assert info["Title"] == (
        f"Your indicative personal budget, reference {budget.assessment.reference}"
        " – Northbrook Council"
    )
    assert info["Author"] == "Northbrook Council"

    # XMP metadata identifies the part of PDF/UA followed, as an attribute or as an element.
    xmp = poppler("pdfinfo", "-meta", letter_pdf)
    assert f'xmlns:pdfuaid="{PDFUA_NAMESPACE}"' in xmp
    assert re.search(r"pdfuaid:part(=\"1\"|>1</pdfuaid:part>)", xmp)


def test_the_letters_headings_are_tagged_in_order(letter_pdf) -> None:
    """One H1 first, then H2s: no level is skipped, so a screen reader's list of headings reads
    like the letter."""
    structure = poppler("pdfinfo", "-struct", letter_pdf)
    headings = [int(level) for level in re.findall(r"^\s*H(\d)\b", structure, re.MULTILINE)]
    assert headings[0] == 1
    assert headings.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(headings))
    assert headings.count(2) >= 4
    assert re.search(r"^\s*Table\b", structure, re.MULTILINE)
    assert re.search(r"^\s*TH\b", structure, re.MULTILINE)


def test_the_letter_gives_the_budget_and_the_same_explanation_as_the_page(
    letter_pdf, budget
) -> None:
    """£4,980.00 a year, £95.77 a week: see the module's docstring for the arithmetic."""
    text = words(poppler("pdftotext", "-enc", "UTF-8", letter_pdf, "-"))
    reference = budget.assessment.reference
    assert reference in text
    assert "Sam Service-User" in text
    assert "Northbrook Council" in text
    assert "Date of this letter 25 November 2026" in text
    assert "Self-assessment sent 24 November 2026" in text
    assert "£4,980.00 a year" in text
    assert "This is £95.77 a week." in text
    assert "How we worked this out" in text

    explanation = budget_explanation(budget)
    assert explanation.indicative_annual == "£4,980.00"
    assert explanation.indicative_weekly == "£95.77"
    for sentence in (explanation.band_sentence, explanation.calculation_sentence):
        assert sentence in text
    assert "Looking after yourself 8" in text
    assert "Eating and drinking 26" in text
    assert "Total 34" in text
    assert "£6,640.00 − £1,660.00 = £4,980.00 a year, which is £95.77 a week" in text
    assert "the council would need £6,640.00 a year to meet all your needs" in text
    # The details element is open on paper: every step is printed.
    assert "Every step of the calculation" in text
    for step in explanation.steps:
        assert words(step) in text


def test_the_letter_says_what_happens_next_and_how_to_ask_for_a_review(letter_pdf) -> None:
    text = words(poppler("pdftotext", "-enc", "UTF-8", letter_pdf, "-"))
    assert "What happens next" in text
    assert "A social worker will contact you to talk your answers and this budget through" in text
    assert "This budget is a starting point, not a final decision." in text
    assert "If you think something is wrong" in text
    assert "You can ask us to look again at your answers or at this budget." in text
    assert "Contact us" in text
    assert "01632 960000" in text
    assert "adult.care@northbrook.example" in text


def test_the_letter_is_set_in_the_councils_font_embedded(letter_pdf) -> None:
    fonts = poppler("pdffonts", letter_pdf)
    rows = fonts.splitlines()[2:]
    assert rows
    assert all(re.search(r"^[A-Z]{6}\+Liberation-?Sans", row) for row in rows)
    assert all(row.split()[-5] == "yes" for row in rows)  # the "emb" column
    assert "GDS" not in fonts


def test_the_letter_is_dated_today_unless_told(budget) -> None:
    with time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)):
        pdf = indicative_budget_letter_pdf(budget)
    assert pdf.startswith(b"%PDF-1.7")


def letter_url(assessment):
    return reverse("letters:indicative-budget", args=[assessment.public_id])


def test_the_person_downloads_their_letter(client_for, service_user, budget) -> None:
    response = client_for(service_user).get(letter_url(budget.assessment))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-1.7")
    reference = budget.assessment.reference
    assert response["Content-Disposition"] == (
        f'attachment; filename="indicative-budget-{reference}.pdf"'
    )
    assert response["Cache-Control"] == "no-store"


def test_the_file_name_never_carries_the_persons_name(client_for, service_user, budget) -> None:
    disposition = client_for(service_user).get(letter_url(budget.assessment))["Content-Disposition"]
    assert "Sam" not in disposition
    assert "Service-User" not in disposition


def test_a_social_worker_downloads_the_letter(client_for, social_worker, budget) -> None:
    response = client_for(social_worker).get(letter_url(budget.assessment))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_a_representative_downloads_the_letter_of_the_person_they_act_for(
    client_for, representative, represented_assessment, published_version
) -> None:
    budget = submit_and_price(represented_assessment, representative)
    response = client_for(representative).get(letter_url(budget.assessment))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        f'filename="indicative-budget-{represented_assessment.reference}.pdf"'
    )


def test_another_service_user_cannot_download_someone_elses_letter(
    client_for, second_service_user, budget
) -> None:
    response = client_for(second_service_user).get(letter_url(budget.assessment))
    assert response.status_code == 404


def test_a_finance_lead_cannot_download_a_persons_letter(client_for, finance_lead, budget) -> None:
    """Finance leads see figures, not people."""
    response = client_for(finance_lead).get(letter_url(budget.assessment))
    assert response.status_code == 404


def test_a_representative_cannot_download_the_letter_of_someone_they_do_not_act_for(
    client_for, representative, budget
) -> None:
    response = client_for(representative).get(letter_url(budget.assessment))
    assert response.status_code == 404


def test_someone_signed_out_is_sent_to_sign_in(client, budget) -> None:
    url = letter_url(budget.assessment)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign-in')}?next={url}"


def test_an_assessment_still_being_filled_in_has_no_letter(
    client_for, service_user, assessment, published_version
) -> None:
    answer_all(assessment, service_user, FULL_ANSWERS)
    response = client_for(service_user).get(letter_url(assessment))
    assert response.status_code == 404


def test_a_submitted_assessment_with_no_table_in_force_has_no_letter(
    client_for, service_user, assessment
) -> None:
    """No older people's table is published here, so a person prices the case: no letter yet."""
    answer_all(assessment, service_user, FULL_ANSWERS)
    assessment_submit(assessment=assessment, actor=service_user)
    response = client_for(service_user).get(letter_url(assessment))
    assert response.status_code == 404


def test_an_unknown_assessment_has_no_letter(client_for, social_worker) -> None:
    url = reverse("letters:indicative-budget", args=["00000000-0000-4000-8000-000000000000"])
    assert client_for(social_worker).get(url).status_code == 404


def test_the_letter_cannot_be_posted_to(client_for, service_user, budget) -> None:
    response = client_for(service_user).post(letter_url(budget.assessment))
    assert response.status_code == 405
