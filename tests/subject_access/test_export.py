"""The zip: README.txt, data.json, a tagged PDF/UA-1 document and the letters; every record of
the person in it, and nothing of anyone else's.

The cast is in tests/subject_access/conftest.py. Sam's figures: £4,980.00 a year indicative
(£95.77 a week), a night sitting plan of £11,684.40 a year, £11,000.00 agreed at panel, of which
Sam pays £1,234.00 and the council £9,766.00. Ida's: 10 points, £1,500.00 less 40% (£600.00) =
£900.00 a year (£17.31 a week), varied to £987.65.

The PDFs are read with Debian's poppler-utils, as the letters' tests do: these check the markers
PDF/UA-1 requires, not full conformance (which veraPDF would check).
"""

import io
import itertools
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps

from allocations.engine import format_pounds
from allocations.models import IndicativeBudget, RecalculationResult
from questionnaires.models import Answer
from ras.subject_access.export import subject_access_zip, zip_file_name
from reviews.models import (
    BudgetDecision,
    BudgetProposal,
    DecisionEvent,
    PanelAgendaItem,
    ReasonCode,
    SupportPlanLine,
)
from tests.allocations.test_letters import PDFUA_NAMESPACE, pdf_catalog, pdf_info, poppler, words
from tests.conftest import PROJECT_ROOT
from tests.subject_access.conftest import IDA_REASONS

pytestmark = pytest.mark.django_db

ARTEFACTS = PROJECT_ROOT / "test-artefacts" / "subject-access"


class Unpacked:
    """The zip's files, and the text of each as a reader gets it (PDFs through pdftotext)."""

    def __init__(self, content: bytes, folder) -> None:
        self.archive = zipfile.ZipFile(io.BytesIO(content))
        self.folder = folder
        self.archive.extractall(folder)

    @property
    def names(self) -> list[str]:
        return self.archive.namelist()

    def path(self, name: str):
        return self.folder / name

    def text(self, name: str) -> str:
        if name.endswith(".pdf"):
            return str(words(poppler("pdftotext", "-enc", "UTF-8", self.path(name), "-")))
        return self.archive.read(name).decode("utf-8")

    def data(self) -> Any:
        return json.loads(self.archive.read("data.json"))

    def every_text(self) -> dict[str, str]:
        return {name: self.text(name) for name in self.names}


@pytest.fixture
def sams_copy(cast, tmp_path) -> Unpacked:
    content = subject_access_zip(cast.sam)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "records.zip").write_bytes(content)
    return Unpacked(content, tmp_path)


def test_the_zip_holds_the_readme_the_data_the_document_and_the_letters(cast, sams_copy) -> None:
    reference = cast.sam_assessment.reference
    assert sams_copy.names == [
        "README.txt",
        "data.json",
        "your-records.pdf",
        f"letters/indicative-budget-{reference}.pdf",
    ]
    readme = sams_copy.text("README.txt")
    assert "your-records.pdf" in readme
    assert "data.json" in readme
    assert str(cast.sam.public_id) in readme
    assert "&#x27;" not in readme  # plain text, not HTML


def test_the_file_name_is_the_persons_reference_not_their_name(cast) -> None:
    assert zip_file_name(cast.sam) == f"records-{cast.sam.public_id}.zip"


def test_the_document_is_a_tagged_pdf_ua_1_document_in_british_english(cast, sams_copy) -> None:
    document = sams_copy.path("your-records.pdf")
    catalog = pdf_catalog(document.read_bytes())
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true\s*>>", catalog)
    assert re.search(rb"/StructTreeRoot\s+\d+\s+0\s+R", catalog)
    assert re.search(rb"/Lang\s*\(en-GB\)", catalog)
    assert re.search(rb"/DisplayDocTitle\s+true", catalog)
    assert re.search(rb"/Metadata\s+\d+\s+0\s+R", catalog)

    info = pdf_info(document)
    assert info["Tagged"] == "yes"
    assert info["PDF version"] == "1.7"
    assert info["Page size"].endswith("(A4)")
    assert info["Title"] == (
        f"Everything we hold about you, reference {cast.sam.public_id} – Northbrook Council"
    )
    xmp = poppler("pdfinfo", "-meta", document)
    assert f'xmlns:pdfuaid="{PDFUA_NAMESPACE}"' in xmp
    assert re.search(r"pdfuaid:part(=\"1\"|>1</pdfuaid:part>)", xmp)


def test_the_documents_headings_are_tagged_in_order(sams_copy) -> None:
    """One H1, then H2 per section, H3 per self-assessment and decision, H4 within: no level
    skipped, so a screen reader's list of headings reads like the document."""
    structure = poppler("pdfinfo", "-struct", sams_copy.path("your-records.pdf"))
    headings = [int(level) for level in re.findall(r"^\s*H(\d)\b", structure, re.MULTILINE)]
    assert headings[0] == 1
    assert headings.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(headings))
    assert headings.count(2) >= 6
    assert headings.count(3) == 2  # one self-assessment, one decision
    assert re.search(r"^\s*TH\b", structure, re.MULTILINE)


def test_the_document_is_set_in_the_councils_font_embedded(sams_copy) -> None:
    fonts = poppler("pdffonts", sams_copy.path("your-records.pdf"))
    rows = fonts.splitlines()[2:]
    assert rows
    assert all(re.search(r"^[A-Z]{6}\+Liberation-?Sans", row) for row in rows)
    assert all(row.split()[-5] == "yes" for row in rows)


def test_the_letter_is_drawn_again_for_the_copy(cast, sams_copy) -> None:
    reference = cast.sam_assessment.reference
    letter = sams_copy.text(f"letters/indicative-budget-{reference}.pdf")
    assert "Your indicative personal budget" in letter
    assert "£4,980.00 a year" in letter
    assert reference in letter
    assert pdf_info(sams_copy.path(f"letters/indicative-budget-{reference}.pdf"))["Tagged"] == "yes"


@dataclass(frozen=True)
class Records:
    ids: dict[str, set[object]]
    texts: set[str]


def sams_records_from_the_database(cast) -> Records:
    """Every id and value of Sam's records, read straight from the tables (not through the
    collector), to look for in the copy."""
    person = cast.sam
    ids: dict[str, set[object]] = {
        "assessment references": set(person.assessments.values_list("reference", flat=True)),
        "decision ids": set(
            BudgetDecision.objects.filter(person=person).values_list("pk", flat=True)
        ),
        "event ids": set(
            DecisionEvent.objects.filter(decision__person=person).values_list("pk", flat=True)
        ),
        "proposal ids": set(
            BudgetProposal.objects.filter(decision__person=person).values_list("pk", flat=True)
        ),
        "run ids": set(
            RecalculationResult.objects.filter(assessment__person=person).values_list(
                "run_id", flat=True
            )
        ),
    }
    texts = {person.full_name, str(person.public_id), "sam@example.org", "Dana Daughter"}
    texts |= set(person.assessments.values_list("reference", flat=True))
    for answer in Answer.objects.filter(assessment__person=person).select_related(
        "question", "option", "answered_by"
    ):
        texts |= {answer.question.text, answer.option.label, str(answer.answered_by)}
    pence: set[int | None] = set()
    for budget in IndicativeBudget.objects.filter(assessment__person=person):
        pence |= {
            budget.full_needs_annual_pence,
            budget.carer_adjustment_pence,
            budget.indicative_annual_pence,
            budget.indicative_weekly_pence,
        }
    for decision in BudgetDecision.objects.filter(person=person):
        pence |= {
            decision.indicative_annual_pence,
            decision.requested_annual_pence,
            decision.final_annual_pence,
            decision.contribution_annual_pence,
            decision.council_pays_annual_pence,
        }
        texts |= {str(decision.social_worker), str(decision.signed_off_by)}
    for event in DecisionEvent.objects.filter(decision__person=person).select_related("actor"):
        texts |= {event.reasons, str(event.actor)}
        texts |= set(
            ReasonCode.objects.filter(code__in=event.reason_codes).values_list("label", flat=True)
        )
        pence |= {event.amount_before_pence, event.amount_after_pence}
    for line in SupportPlanLine.objects.filter(decision__person=person):
        texts.add(line.description)
        pence |= {line.unit_cost_pence, line.annual_pence}
    for item in PanelAgendaItem.objects.filter(decision__person=person).select_related("meeting"):
        texts |= {item.meeting.title, str(item.added_by)}
    for proposal in BudgetProposal.objects.filter(decision__person=person):
        texts.add(proposal.resolution_reasons)
        pence |= {proposal.current_annual_pence, proposal.proposed_annual_pence}
    texts |= {format_pounds(amount) for amount in pence if amount is not None}
    return Records(ids=ids, texts=texts - {""})


def test_the_copy_holds_every_record_of_the_person(cast, sams_copy) -> None:
    expected = sams_records_from_the_database(cast)
    data = sams_copy.data()
    json_text = sams_copy.text("data.json")
    document = sams_copy.text("your-records.pdf")

    ids = expected.ids
    assert {assessment["reference"] for assessment in data["assessments"]} == ids[
        "assessment references"
    ]
    assert {decision["decision_id"] for decision in data["decisions"]} == ids["decision ids"]
    assert {event["event_id"] for event in data["decision_events"]} == ids["event ids"]
    assert {proposal["proposal_id"] for proposal in data["proposals"]} == ids["proposal ids"]
    assert {result["run_id"] for result in data["recalculations"]} == ids["run ids"]
    assert len(data["answers"]) == Answer.objects.filter(assessment__person=cast.sam).count()
    for decision_id in ids["decision ids"]:
        assert f"Decision {decision_id}:" in document

    for text in expected.texts:
        assert json.dumps(text, ensure_ascii=False)[1:-1] in json_text, text
        assert words(text) in document, text


def test_the_copy_holds_nothing_of_anyone_elses(cast, sams_copy) -> None:
    """Ida's name, reference, answers only she gave, amounts, reasons and her representative
    appear nowhere in Sam's zip: not in data.json, the README, the document or the letters."""
    ida_only = {
        cast.ida.full_name,
        str(cast.ida.public_id),
        cast.ida_assessment.reference,
        "Rita Representative",
        "My mother",
        IDA_REASONS,
        "I manage this on my own",
        "Most of it",
        "Family or friends give most of the help",
        "£1,500.00",
        "£600.00",
        "£900.00",
        "£17.31",
        "£987.65",
    }
    for name, text in sams_copy.every_text().items():
        for value in ida_only:
            assert value not in text, f"{value!r} is in {name}"
            assert json.dumps(value, ensure_ascii=False)[1:-1] not in text, f"{value!r} in {name}"

    data = sams_copy.data()
    sam_references = {cast.sam_assessment.reference}
    sam_decisions = {cast.sam_decision.pk}
    for section in ("answers", "answer_history", "indicative_budgets", "recalculations", "letters"):
        assert {record["assessment_reference"] for record in data[section]} <= sam_references
    for section in ("decision_events", "support_plan_lines", "panel_agenda_items", "proposals"):
        assert {record["decision_id"] for record in data[section]} <= sam_decisions
    ida_events = set(cast.ida_decision.events.values_list("pk", flat=True))
    assert ida_events
    assert not ida_events & {event["event_id"] for event in data["decision_events"]}


def _row_counts() -> dict[str, int]:
    project_apps = {"people", "accounts", "questionnaires", "allocations", "reviews", "pghistory"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in project_apps and model._meta.managed
    }


def test_making_the_copy_changes_nothing(cast) -> None:
    before = _row_counts()
    subject_access_zip(cast.sam)
    assert _row_counts() == before
