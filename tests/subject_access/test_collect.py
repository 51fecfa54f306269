"""What the copy collects: every kind of record about a person, written the documented way.

The cast is in tests/subject_access/conftest.py: Sam's £4,980.00 indicative budget, a night
sitting plan of £11,684.40 sent to panel, which agreed £11,000.00; Sam pays £1,234.00 of it.
"""

import datetime
import json
import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from questionnaires.services import assessment_start
from ras.people.models import Person
from ras.people.services import person_create
from ras.retention.models import DraftWarning
from ras.subject_access.collect import (
    NOT_COLLECTED,
    SECTIONS,
    collected_models,
    money,
    subject_access_collect,
)
from ras.subject_access.document import data_json, readme_text
from tests.conftest import PASSWORD
from tests.subject_access.conftest import (
    SAM_CHALLENGE_REASONS,
    SAM_KEEP_REASONS,
    SAM_PANEL_REASONS,
    SAM_PLAN_REASONS,
)

pytestmark = pytest.mark.django_db

# Where records about a person start; anything pointing at one of these (or at a record that
# does) is about the person too.
PERSONAL_ROOTS = ("people.Person", "questionnaires.Assessment", "reviews.BudgetDecision")


def _points_at(model: type[models.Model], labels: set[str]) -> bool:
    return any(
        field.is_relation
        and field.concrete
        and field.related_model is not None
        and field.related_model._meta.label in labels
        for field in model._meta.get_fields()
    )


def models_about_a_person() -> set[str]:
    """Every model with a foreign key (or one-to-one, or many-to-many) to a person, an
    assessment or a decision, or to any record that itself points at one, and so on."""
    about = set(PERSONAL_ROOTS)
    while True:
        more = {
            model._meta.label
            for model in apps.get_models()
            if model._meta.label not in about and _points_at(model, about)
        }
        if not more:
            return about
        about |= more


def test_every_model_holding_records_about_a_person_is_in_the_copy() -> None:
    """Add a model that points at a person, an assessment or a decision, and this fails until
    the model has a section in ras.subject_access.collect (or a reason in NOT_COLLECTED)."""
    missing = models_about_a_person() - collected_models() - set(NOT_COLLECTED)
    assert not missing, f"Not in the subject access copy: {sorted(missing)}"


def test_the_models_the_copy_names_exist() -> None:
    for label in collected_models() | set(NOT_COLLECTED):
        apps.get_model(label)


def test_the_check_finds_records_that_point_at_a_persons_records() -> None:
    """The check reaches records pointing at records about a person, not just at the person."""
    about = models_about_a_person()
    assert {
        "people.Representation",
        "questionnaires.Answer",
        "questionnaires.AnswerEvent",
        "allocations.IndicativeBudget",
        "allocations.RecalculationResult",
        "reviews.DecisionEvent",
        "reviews.SupportPlanLine",
        "reviews.PanelAgendaItem",
        "reviews.BudgetProposal",
    } <= about
    assert "reviews.PanelMeeting" not in about
    assert "allocations.AllocationTableVersion" not in about


def test_every_section_is_described_in_the_readme(cast) -> None:
    text = readme_text(subject_access_collect(cast.sam)).decode()
    described = set(re.findall(r"^([a-z_]+)\b", text.split("THE KEYS OF EACH SECTION")[1], re.M))
    assert {section.key for section in SECTIONS} <= described


def test_data_json_has_every_section_under_its_key_in_order(cast) -> None:
    data = json.loads(data_json(subject_access_collect(cast.sam)))
    assert list(data)[:5] == ["format", "format_version", "produced_at", "council", "service"]
    assert list(data)[5:] == [section.key for section in SECTIONS]
    assert data["format"] == "ras-subject-access"
    assert data["format_version"] == 1


def test_money_is_written_in_pence_and_in_pounds() -> None:
    assert money(1_168_440) == {"pence": 1_168_440, "pounds": "£11,684.40"}
    assert money(0) == {"pence": 0, "pounds": "£0.00"}
    assert money(None) is None


def test_dates_are_iso_8601_and_times_carry_their_offset(cast) -> None:
    data = json.loads(data_json(subject_access_collect(cast.sam)))
    budget = data["indicative_budgets"][0]
    assert budget["priced_on"] == "2026-11-24"
    assert budget["table_in_use_since"] == "2026-04-01"
    submitted_at = datetime.datetime.fromisoformat(data["assessments"][0]["submitted_at"])
    assert submitted_at == datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", data["produced_at"])


def test_the_copy_carries_the_assessment_with_both_perspectives_and_the_changes(cast) -> None:
    collected = subject_access_collect(cast.sam)
    reference = cast.sam_assessment.reference
    answers = {
        (answer["perspective"], answer["question_code"]): answer["answer"]
        for answer in collected["answers"]
    }
    assert answers == {
        ("person", "washing"): "I need some help",
        ("person", "dressing"): "I need help with this all the time",
        ("person", "meals"): "I need help with this all the time",
        ("person", "carer-help"): "A lot",
        ("worker", "meals"): "I need some help",
    }
    assert all(answer["assessment_reference"] == reference for answer in collected["answers"])
    washing = [
        (change["change"], change["answer"])
        for change in collected["answer_history"]
        if change["question"] == "How much help do you need to wash?"
    ]
    assert washing == [
        ("given", "I need help with this all the time"),
        ("changed", "I need some help"),
    ]


def test_the_copy_carries_the_budget_with_its_explanation(cast) -> None:
    """34 points in band 2: £3,000.00 + 14 x £260.00 = £6,640.00, less 25% (£1,660.00) =
    £4,980.00 a year; / 52 = £95.77 a week."""
    (budget,) = subject_access_collect(cast.sam)["indicative_budgets"]
    assert budget["full_needs_annual"] == {"pence": 664_000, "pounds": "£6,640.00"}
    assert budget["carer_adjustment_annual"] == {"pence": 166_000, "pounds": "£1,660.00"}
    assert budget["indicative_annual"] == {"pence": 498_000, "pounds": "£4,980.00"}
    assert budget["indicative_weekly"] == {"pence": 9_577, "pounds": "£95.77"}
    assert budget["explanation"]["band_sentence"] == (
        "Your total is in band 2, which covers 20 to 49 points."
    )
    assert len(budget["explanation"]["steps"]) == 11
    assert budget["letter"] == f"letters/indicative-budget-{cast.sam_assessment.reference}.pdf"


def test_the_copy_carries_every_decision_with_who_acted_and_why(cast) -> None:
    collected = subject_access_collect(cast.sam)
    (decision,) = collected["decisions"]
    assert decision["decision_id"] == cast.sam_decision.pk
    assert decision["final_annual"]["pounds"] == "£11,000.00"
    assert decision["signed_off_by"] == "Pat Panel"
    assert decision["contribution_annual"]["pounds"] == "£1,234.00"
    assert decision["council_pays_annual"]["pounds"] == "£9,766.00"
    events = [
        (event["action"], event["by"], event["by_role"], event["reasons"])
        for event in collected["decision_events"]
    ]
    assert events == [
        ("refer_to_panel", "Wendy Worker", "social worker", SAM_PLAN_REASONS),
        ("panel_approve_different", "Pat Panel", "panel member", SAM_PANEL_REASONS),
        ("challenge", "Sam Service-User", "the person the budget is for", SAM_CHALLENGE_REASONS),
    ]
    assert collected["decision_events"][0]["reason_codes"] == [
        {"code": "night-support", "label": "Support is needed at night"}
    ]
    (line,) = collected["support_plan_lines"]
    assert (line["units_per_week"], line["annual"]["pounds"]) == ("10.5", "£11,684.40")
    (item,) = collected["panel_agenda_items"]
    assert item["meeting_members"] == ["Pat Panel"]
    assert item["outcome_event_id"] == collected["decision_events"][1]["event_id"]
    (proposal,) = collected["proposals"]
    assert proposal["resolution"] == "kept"
    assert proposal["resolution_reasons"] == SAM_KEEP_REASONS


def test_the_copy_names_who_acts_for_the_person(cast) -> None:
    (representative,) = subject_access_collect(cast.sam)["representatives"]
    assert representative["name"] == "Dana Daughter"
    assert representative["relationship"] == "my father"


def test_the_copy_lists_the_sign_ins_to_the_persons_own_account(client, cast) -> None:
    sign_in = reverse("accounts:sign-in")
    client.post(sign_in, {"username": "sam@example.org", "password": "not the password"})
    account = subject_access_collect(Person.objects.get(pk=cast.sam.pk))["account"]
    assert [attempt["failures"] for attempt in account["failed_sign_ins_counted"]] == [1]
    assert len(account["failed_sign_ins"]) == 1
    assert account["sign_ins"] == []

    client.post(sign_in, {"username": "sam@example.org", "password": PASSWORD})
    account = subject_access_collect(Person.objects.get(pk=cast.sam.pk))["account"]
    assert account["email"] == "sam@example.org"
    assert account["roles"] == ["Service user"]
    assert len(account["sign_ins"]) == 1
    assert account["failed_sign_ins_counted"] == []  # a successful sign-in clears them
    assert account["last_signed_in_at"] is not None


def test_a_person_with_no_account_and_nothing_recorded_gets_their_name_and_no_more(
    social_worker,
) -> None:
    person = person_create(full_name="Nia New", actor=social_worker)
    collected = subject_access_collect(person)
    assert collected["person"]["full_name"] == "Nia New"
    assert collected["person"]["has_account"] is False
    assert collected["account"] is None
    assert all(
        collected[section.key] == []
        for section in SECTIONS
        if section.key not in ("person", "account")
    )


def test_the_copy_lists_the_emails_warning_that_a_draft_would_be_deleted(
    cast, questionnaire, service_user, representative
) -> None:
    warned_at = datetime.datetime(2027, 2, 15, 2, 30, tzinfo=datetime.UTC)

    def warned_draft(person: Person, actor) -> str:
        draft = assessment_start(
            actor=actor,
            person=person,
            client_group_code="older-people",
            questionnaire_version=questionnaire,
        )
        DraftWarning.objects.create(
            assessment=draft,
            last_saved_at=draft.last_saved_at,
            warned_at=warned_at,
            delete_on=datetime.date(2027, 2, 22),
            emails_sent=1,
        )
        return draft.reference

    sams_draft = warned_draft(cast.sam, service_user)
    warned_draft(cast.ida, representative)

    (warning,) = subject_access_collect(cast.sam)["deletion_warnings"]
    assert warning["assessment_reference"] == sams_draft
    assert warning["warned_at"] == warned_at
    assert warning["delete_on"] == datetime.date(2027, 2, 22)


def test_the_copy_lists_who_looked_at_the_persons_records(cast, client_for, social_worker) -> None:
    client_for(social_worker).get(reverse("cases:detail", args=[cast.sam_decision.pk]))
    client_for(social_worker).get(reverse("cases:detail", args=[cast.ida_decision.pk]))

    (view,) = subject_access_collect(cast.sam)["record_views"]
    assert (view["by"], view["roles"], view["what"]) == ("Wendy Worker", "Social worker", "Case")
    assert view["reference"].startswith(f"Decision {cast.sam_decision.pk}")
