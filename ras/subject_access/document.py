"""The person's copy drawn for people and for programs: a tagged PDF, data.json and a README.

The PDF (PDF/UA-1, British English) is drawn by the letters' `tagged_pdf` (ADR 0009): the letter
stylesheet and the system's Liberation Sans, and a URL fetcher that allows no protocol, so nothing
in a record can make the server fetch anything. It tells the same records as data.json,
grouped for reading: each self-assessment with its answers, changes and budget; each decision
with its events and reasons, support plan, panel meetings and review tasks.
"""

import json
from dataclasses import dataclass

from django.template.loader import render_to_string

from allocations.letters import LETTER_STYLESHEET, council_letterhead, tagged_pdf
from questionnaires.models import Perspective
from ras.subject_access.collect import SECTIONS, Collected, Record, json_value

DOCUMENT_TEMPLATE = "subject_access/records.html"
README_TEMPLATE = "subject_access/README.txt"
STYLESHEETS = (LETTER_STYLESHEET, "subject_access/records.css")


@dataclass(frozen=True, slots=True)
class AssessmentPart:
    """One self-assessment and everything that hangs on it."""

    assessment: Record
    person_answers: list[Record]
    worker_answers: list[Record]
    history: list[Record]
    budget: Record | None
    recalculations: list[Record]


@dataclass(frozen=True, slots=True)
class DecisionPart:
    """One budget decision and everything that hangs on it."""

    decision: Record
    events: list[Record]
    plan_lines: list[Record]
    panel_items: list[Record]
    proposals: list[Record]


def _by(records: list[Record], key: str, value: object) -> list[Record]:
    return [record for record in records if record[key] == value]


def assessment_parts(collected: Collected) -> list[AssessmentPart]:
    parts = []
    for assessment in collected["assessments"]:
        reference = assessment["reference"]
        answers = _by(collected["answers"], "assessment_reference", reference)
        budgets = _by(collected["indicative_budgets"], "assessment_reference", reference)
        parts.append(
            AssessmentPart(
                assessment=assessment,
                person_answers=_by(answers, "perspective", Perspective.PERSON.value),
                worker_answers=_by(answers, "perspective", Perspective.WORKER.value),
                history=_by(collected["answer_history"], "assessment_reference", reference),
                budget=budgets[0] if budgets else None,
                recalculations=_by(collected["recalculations"], "assessment_reference", reference),
            )
        )
    return parts


def decision_parts(collected: Collected) -> list[DecisionPart]:
    return [
        DecisionPart(
            decision=decision,
            events=_by(collected["decision_events"], "decision_id", decision["decision_id"]),
            plan_lines=_by(collected["support_plan_lines"], "decision_id", decision["decision_id"]),
            panel_items=_by(
                collected["panel_agenda_items"], "decision_id", decision["decision_id"]
            ),
            proposals=_by(collected["proposals"], "decision_id", decision["decision_id"]),
        )
        for decision in collected["decisions"]
    ]


def records_html(collected: Collected) -> str:
    """The person's records as HTML, ready for WeasyPrint (never served as a page)."""
    return render_to_string(
        DOCUMENT_TEMPLATE,
        {
            **collected,
            **council_letterhead(),
            "assessment_parts": assessment_parts(collected),
            "decision_parts": decision_parts(collected),
        },
    )


def records_pdf(collected: Collected) -> bytes:
    """The person's records as a tagged PDF/UA-1 document: its title, language (en-GB) and
    structure tags come from the template."""
    return tagged_pdf(records_html(collected), stylesheets=STYLESHEETS)


def data_json(collected: Collected) -> bytes:
    """data.json: every section under its documented key, in UTF-8, keys in a stable order."""
    text = json.dumps(collected, default=json_value, ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def readme_text(collected: Collected) -> bytes:
    """README.txt: what each file is, and what each key of data.json means."""
    text = render_to_string(
        README_TEMPLATE, {**collected, **council_letterhead(), "sections": SECTIONS}
    )
    return text.encode("utf-8")
