"""The one door for table changes: who may change what, and what is refused."""

import datetime

import pghistory.models
import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from allocations import engine
from allocations.models import AllocationTableVersion, Band, CarerReduction, TableStatus
from allocations.selectors import engine_table, table_in_force
from allocations.services import (
    StaleEdit,
    TableChangeRefused,
    TableInvalid,
    TableNotDraft,
    table_draft_create,
    table_draft_save,
    table_publish,
)
from ras.accounts.models import User
from tests.allocations.conftest import TODAY, make_draft

pytestmark = pytest.mark.django_db


def rows(version: AllocationTableVersion) -> tuple[list[tuple], list[tuple]]:
    bands = list(
        Band.objects.filter(version=version)
        .order_by("position")
        .values_list("position", "min_points", "max_points", "base_pence", "per_point_pence")
    )
    reductions = list(
        CarerReduction.objects.filter(version=version)
        .order_by("carer_level")
        .values_list("carer_level", "reduction_bp")
    )
    return bands, reductions


def test_a_clone_copies_every_band_and_reduction(draft_version, published_version) -> None:
    assert rows(draft_version) == rows(published_version)
    assert draft_version.status == TableStatus.DRAFT
    assert draft_version.cloned_from == published_version


def test_only_a_finance_lead_can_create_a_draft(older_people, social_worker, team_manager) -> None:
    for person in (social_worker, team_manager):
        with pytest.raises(PermissionDenied):
            table_draft_create(client_group=older_people, actor=person, label="Mine")
    assert not AllocationTableVersion.objects.exists()


def test_saving_an_invalid_draft_lists_every_problem_and_changes_nothing(
    draft_version, finance_lead
) -> None:
    before = rows(draft_version)
    bands = [
        engine.Band(0, 19, 0, 15_000),
        engine.Band(21, 49, 300_000, 26_000),  # gap: point 20 belongs to no band
        engine.Band(45, None, 1_080_000, -1),  # overlap with band 2 and a negative rate
    ]
    with pytest.raises(TableInvalid) as refused:
        table_draft_save(
            version=draft_version,
            actor=finance_lead,
            label="Broken",
            bands=bands,
            carer_reductions_bp={"none": 0, "some": 1_000, "substantial": 2_500},
            expected_edit_number=draft_version.edit_number,
            reason="Trying",
        )
    codes = {problem.code for problem in refused.value.problems}
    assert {"gap", "overlap", "missing_reduction"} <= codes
    assert len(refused.value.messages) >= 4
    assert rows(draft_version) == before
    draft_version.refresh_from_db()
    assert draft_version.label == "2027 to 2028 proposal"


def test_a_save_over_someone_elses_newer_change_is_refused(draft_version, finance_lead) -> None:
    opened_at = draft_version.edit_number
    make_kwargs = {
        "version": draft_version,
        "actor": finance_lead,
        "bands": [engine.Band(0, None, 0, 10_000)],
        "carer_reductions_bp": {"none": 0, "some": 0, "substantial": 0, "most": 0},
        "expected_edit_number": opened_at,
        "reason": "Flat rate",
    }
    table_draft_save(label="First", **make_kwargs)
    with pytest.raises(StaleEdit):
        table_draft_save(label="Second", **make_kwargs)
    draft_version.refresh_from_db()
    assert draft_version.label == "First"
    assert draft_version.edit_number == opened_at + 1


def test_a_published_version_cannot_be_saved(published_version, finance_lead) -> None:
    before = rows(published_version)
    with pytest.raises(TableNotDraft):
        table_draft_save(
            version=published_version,
            actor=finance_lead,
            label="Changed",
            bands=[engine.Band(0, None, 0, 1)],
            carer_reductions_bp={"none": 0, "some": 0, "substantial": 0, "most": 0},
            expected_edit_number=published_version.edit_number,
            reason="Sneaky",
        )
    assert rows(published_version) == before


def test_publishing_needs_a_reason(draft_version, finance_lead) -> None:
    with pytest.raises(TableChangeRefused, match="Enter why you are publishing this table"):
        table_publish(
            version=draft_version,
            actor=finance_lead,
            effective_from=datetime.date(2027, 4, 1),
            reason="  ",
            today=TODAY,
        )
    draft_version.refresh_from_db()
    assert draft_version.status == TableStatus.DRAFT


def test_publishing_for_a_past_date_needs_a_reason_saying_why(draft_version, finance_lead):
    with pytest.raises(TableChangeRefused, match="before today"):
        table_publish(
            version=draft_version,
            actor=finance_lead,
            effective_from=datetime.date(2026, 11, 1),
            reason="Uplift",
            today=TODAY,
        )
    published = table_publish(
        version=draft_version,
        actor=finance_lead,
        effective_from=datetime.date(2026, 11, 1),
        reason="Uplift",
        backdating_reason="Agreed by cabinet on 30 October to apply from 1 November",
        today=TODAY,
    )
    assert published.status == TableStatus.PUBLISHED
    assert published.published_by == finance_lead


def test_publishing_for_next_april_leaves_todays_table_in_force(
    draft_version, published_version, finance_lead
) -> None:
    table_publish(
        version=draft_version,
        actor=finance_lead,
        effective_from=datetime.date(2027, 4, 1),
        reason="Next year's uplift",
        today=TODAY,
    )
    group = published_version.client_group
    assert table_in_force(client_group=group, on_date=TODAY) == published_version
    assert table_in_force(client_group=group, on_date=datetime.date(2027, 4, 1)) == draft_version
    assert table_in_force(client_group=group, on_date=datetime.date(2026, 3, 31)) is None


def test_publishing_twice_is_refused(draft_version, finance_lead) -> None:
    kwargs = {
        "version": draft_version,
        "actor": finance_lead,
        "effective_from": datetime.date(2027, 4, 1),
        "reason": "Uplift",
        "today": TODAY,
    }
    table_publish(**kwargs)
    with pytest.raises(TableNotDraft):
        table_publish(**kwargs)


def test_an_empty_draft_cannot_be_published(older_people, finance_lead) -> None:
    empty = table_draft_create(client_group=older_people, actor=finance_lead, label="Empty")
    with pytest.raises(TableInvalid):
        table_publish(
            version=empty,
            actor=finance_lead,
            effective_from=datetime.date(2027, 4, 1),
            reason="Go",
            today=TODAY,
        )


def test_the_engine_prices_with_the_stored_table(published_version) -> None:
    """37 points, some help: band 2, £3,000 + (37 - 20) x £260 = £7,420.00 full needs;
    10% carer reduction = £742.00; indicative £6,678.00 a year; £6,678.00 / 52 = £128.423...
    which rounds to £128.42 a week."""
    result = engine.price(engine_table(published_version), 37, "some")
    assert result.full_needs_annual_pence == 742_000
    assert result.carer_adjustment_pence == 74_200
    assert result.indicative_annual_pence == 667_800
    assert result.indicative_weekly_pence == 12_842


class TestTheDatabaseRefusesChangesToPublishedTables:
    """Even SQL that bypasses the services cannot change a published version or its rows."""

    def refused(self, sql: str, params: list) -> bool:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
        except IntegrityError:
            return True
        return False

    def test_its_label(self, published_version) -> None:
        sql = "UPDATE allocations_allocationtableversion SET label = 'x' WHERE id = %s"
        assert self.refused(sql, [published_version.pk])

    def test_deleting_it(self, published_version) -> None:
        assert self.refused(
            "DELETE FROM allocations_allocationtableversion WHERE id = %s", [published_version.pk]
        )

    def test_its_bands(self, published_version) -> None:
        sql = "UPDATE allocations_band SET base_pence = 0 WHERE version_id = %s"
        assert self.refused(sql, [published_version.pk])
        assert self.refused(
            "DELETE FROM allocations_band WHERE version_id = %s", [published_version.pk]
        )

    def test_adding_a_band(self, published_version) -> None:
        sql = (
            "INSERT INTO allocations_band (version_id, position, min_points, max_points,"
            " base_pence, per_point_pence) VALUES (%s, 9, 500, NULL, 0, 0)"
        )
        assert self.refused(sql, [published_version.pk])

    def test_its_carer_reductions(self, published_version) -> None:
        sql = "UPDATE allocations_carerreduction SET reduction_bp = 0 WHERE version_id = %s"
        assert self.refused(sql, [published_version.pk])

    def test_moving_a_draft_band_into_it(self, published_version, draft_version) -> None:
        sql = "UPDATE allocations_band SET version_id = %s WHERE version_id = %s"
        assert self.refused(sql, [published_version.pk, draft_version.pk])

    def test_but_it_may_be_retired_with_nothing_else_changed(self, published_version) -> None:
        sql = "UPDATE allocations_allocationtableversion SET status = 'retired' WHERE id = %s"
        assert not self.refused(sql, [published_version.pk])
        assert self.refused(
            "UPDATE allocations_allocationtableversion SET status = 'draft' WHERE id = %s",
            [published_version.pk],
        )

    def test_drafts_stay_editable(self, draft_version) -> None:
        sql = "UPDATE allocations_band SET base_pence = base_pence + 1 WHERE version_id = %s"
        assert not self.refused(sql, [draft_version.pk])


def test_history_records_each_change_to_a_draft_with_user_and_reason(
    older_people, finance_lead: User
) -> None:
    draft = make_draft(older_people, finance_lead, label="Tracked")
    table_draft_save(
        version=draft,
        actor=finance_lead,
        label="Tracked, revised",
        bands=[engine.Band(0, None, 0, 25_000)],
        carer_reductions_bp={"none": 0, "some": 1_000, "substantial": 2_500, "most": 4_000},
        expected_edit_number=draft.edit_number,
        reason="Flatten to one band",
    )
    events = pghistory.models.Events.objects.references(draft).order_by("pgh_created_at")
    label_updates = [
        event
        for event in events
        if event.pgh_label == "update"
        and event.pgh_model == "allocations.AllocationTableVersionEvent"
    ]
    assert label_updates[-1].pgh_data["label"] == "Tracked, revised"
    assert label_updates[-1].pgh_context["reason"] == "Flatten to one band"
    assert label_updates[-1].pgh_context["user"] == finance_lead.pk
    band_deletes = apps.get_model("allocations", "BandEvent").objects.filter(
        pgh_label="delete", version_id=draft.pk
    )
    assert band_deletes.count() == 5
    assert all(e.pgh_context.metadata["reason"] == "Flatten to one band" for e in band_deletes)
