"""Legal holds: only administrators place and release them, always with a reason."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied

from ras.retention.models import LegalHold
from ras.retention.services import HoldRefused, legal_hold_place, legal_hold_release

pytestmark = pytest.mark.django_db


def place(assessment, actor, reason: str = "Claim 2027/14 against the council") -> LegalHold:
    return legal_hold_place(
        person_public_id=str(assessment.person.public_id), reason=reason, actor=actor
    )


def test_an_administrator_places_a_hold_with_a_reason(assessment, administrator) -> None:
    hold = place(assessment, administrator)
    assert hold.person == assessment.person
    assert (hold.placed_by, hold.reason) == (administrator, "Claim 2027/14 against the council")
    assert hold.is_in_force


@pytest.mark.parametrize(
    "role", ["social_worker", "team_manager", "finance_lead", "panel_member", "service_user"]
)
def test_nobody_else_can_place_a_hold(assessment, role, request) -> None:
    with pytest.raises(PermissionDenied):
        place(assessment, request.getfixturevalue(role))
    assert not LegalHold.objects.exists()


def test_a_hold_needs_a_reason(assessment, administrator) -> None:
    with pytest.raises(HoldRefused, match="Enter the reason for the legal hold"):
        place(assessment, administrator, reason="   ")
    assert not LegalHold.objects.exists()


def test_a_person_is_held_once_at_a_time(assessment, administrator) -> None:
    place(assessment, administrator)
    with pytest.raises(HoldRefused, match="already under a legal hold"):
        place(assessment, administrator, reason="A second claim")
    assert LegalHold.objects.count() == 1


def test_an_unknown_person_is_refused(administrator) -> None:
    with pytest.raises(HoldRefused, match="could not find that person"):
        legal_hold_place(person_public_id=str(uuid.uuid4()), reason="A claim", actor=administrator)
    assert not LegalHold.objects.exists()


def test_an_administrator_releases_a_hold_with_a_reason(assessment, administrator) -> None:
    hold = place(assessment, administrator)
    released = legal_hold_release(
        hold_public_id=str(hold.public_id), reason="Claim settled", actor=administrator
    )
    assert not released.is_in_force
    assert (released.released_by, released.release_reason) == (administrator, "Claim settled")
    # A new hold may be placed after the release.
    assert place(assessment, administrator, reason="A new claim").is_in_force


def test_a_release_needs_a_reason_and_an_administrator(
    assessment, administrator, social_worker
) -> None:
    hold = place(assessment, administrator)
    with pytest.raises(HoldRefused, match="Enter the reason for releasing"):
        legal_hold_release(hold_public_id=str(hold.public_id), reason="", actor=administrator)
    with pytest.raises(PermissionDenied):
        legal_hold_release(hold_public_id=str(hold.public_id), reason="Done", actor=social_worker)
    hold.refresh_from_db()
    assert hold.is_in_force


def test_a_hold_is_released_once(assessment, administrator) -> None:
    hold = place(assessment, administrator)
    legal_hold_release(hold_public_id=str(hold.public_id), reason="Settled", actor=administrator)
    with pytest.raises(HoldRefused, match="already been released"):
        legal_hold_release(hold_public_id=str(hold.public_id), reason="Again", actor=administrator)
    hold.refresh_from_db()
    assert hold.release_reason == "Settled"
