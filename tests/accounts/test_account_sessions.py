"""Signed-in sessions: their records, "your sessions", and ending them (yours, or as an
administrator with a reason)."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ras.accounts.models import AccountAction, AccountSession, User
from tests.accounts.two_step_helpers import signed_in_client
from tests.conftest import ClientFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
)
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
HOME = reverse("accounts:home")
SESSIONS = reverse("accounts:sessions")


def signed_in(user: User, user_agent: str = FIREFOX_ON_WINDOWS) -> Client:
    """Signed in through the pages from a browser at a known address, and one page seen."""
    client = signed_in_client(user, HTTP_USER_AGENT=user_agent, REMOTE_ADDR="203.0.113.7")
    assert client.get(HOME).status_code == 200
    return client


def record_of(client: Client) -> AccountSession:
    return AccountSession.objects.get(session_id=client.session.session_key)


def is_signed_in(client: Client) -> bool:
    return client.get(HOME).status_code == 200


def test_the_session_store_is_the_database() -> None:
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_a_session_is_recorded_with_its_browser_and_address(social_worker: User) -> None:
    with time_machine.travel(START, tick=False):
        client = signed_in(social_worker)
        record = record_of(client)
    assert record.user == social_worker
    assert record.browser == "Firefox on Windows"
    assert record.ip_address == "203.0.113.7"
    assert record.signed_in_at == START
    assert record.last_seen_at == START


def test_every_way_of_signing_in_records_the_session_at_once(
    social_worker: User, client_for: ClientFactory
) -> None:
    client = client_for(social_worker)  # signed in by `login()` with no page asked for yet
    assert record_of(client).user == social_worker


def test_signing_in_through_the_sign_in_page_records_the_session_at_once(
    service_user: User,
) -> None:
    from tests.accounts.two_step_helpers import password_only_client

    client = password_only_client(service_user, HTTP_USER_AGENT=SAFARI_ON_IPHONE)
    assert record_of(client).browser == "Safari on an iPhone"


def test_last_seen_is_written_at_most_once_a_minute(social_worker: User) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in(social_worker)
        clock.shift(timedelta(seconds=50))
        client.get(HOME)
        assert record_of(client).last_seen_at == START
        clock.shift(timedelta(seconds=20))
        client.get(HOME)
        assert record_of(client).last_seen_at == START + timedelta(seconds=70)


def test_your_sessions_lists_each_session_and_marks_this_one(social_worker: User) -> None:
    here = signed_in(social_worker)
    signed_in(social_worker, SAFARI_ON_IPHONE)
    page = here.get(SESSIONS).content.decode()
    assert "Firefox on Windows" in page
    assert "Safari on an iPhone" in page
    assert page.count("This session") == 1
    assert 'Firefox on Windows <strong class="govuk-tag">This session</strong>' in page
    assert page.count('Sign out<span class="govuk-visually-hidden"> the session on') == 1


def test_you_sign_out_another_of_your_sessions(social_worker: User) -> None:
    here = signed_in(social_worker)
    there = signed_in(social_worker, SAFARI_ON_IPHONE)
    other = record_of(there)
    response = here.post(reverse("accounts:session-end", kwargs={"public_id": other.public_id}))
    assert response["Location"] == SESSIONS
    assert (
        "You signed out the session on Safari on an iPhone." in here.get(SESSIONS).content.decode()
    )
    assert not is_signed_in(there)
    assert is_signed_in(here)
    assert not AccountSession.objects.filter(pk=other.pk).exists()
    assert not Session.objects.filter(session_key=other.session_id).exists()


def test_you_sign_out_every_other_session_and_keep_this_one(social_worker: User) -> None:
    here = signed_in(social_worker)
    others = [signed_in(social_worker, SAFARI_ON_IPHONE) for _ in range(2)]
    response = here.post(reverse("accounts:sessions-end-others"))
    assert response["Location"] == SESSIONS
    assert "You signed out 2 other sessions." in here.get(SESSIONS).content.decode()
    assert not any(is_signed_in(other) for other in others)
    assert is_signed_in(here)


def test_signing_out_this_session_from_the_list_signs_you_out(social_worker: User) -> None:
    here = signed_in(social_worker)
    url = reverse("accounts:session-end", kwargs={"public_id": record_of(here).public_id})
    assert here.post(url)["Location"] == reverse("accounts:signed-out")
    assert not is_signed_in(here)


def test_someone_elses_session_is_not_found_and_stays_signed_in(
    social_worker: User, team_manager: User
) -> None:
    wendy = signed_in(social_worker)
    mo = signed_in(team_manager)
    url = reverse("accounts:session-end", kwargs={"public_id": record_of(wendy).public_id})
    assert mo.post(url).status_code == 404
    assert is_signed_in(wendy)
    mos_list = mo.get(SESSIONS).content.decode().split('<tbody class="govuk-table__body">')[1]
    assert mos_list.count('<tr class="govuk-table__row">') == 1  # his own, and not hers


def test_a_tampered_session_id_is_not_found(social_worker: User) -> None:
    client = signed_in(social_worker)
    key = client.session.session_key
    for path in (
        f"/accounts/sessions/{uuid.uuid4()}/end/",
        f"/accounts/sessions/{key}/end/",  # the session key itself is not an id here
        "/accounts/sessions/1/end/",
    ):
        assert client.post(path).status_code == 404, path
    assert is_signed_in(client)


def test_ending_a_session_needs_a_post(social_worker: User) -> None:
    client = signed_in(social_worker)
    url = reverse("accounts:session-end", kwargs={"public_id": record_of(client).public_id})
    assert client.get(url).status_code == 405
    assert is_signed_in(client)


def test_expired_sessions_do_not_show(social_worker: User) -> None:
    here = signed_in(social_worker)
    idle = record_of(signed_in(social_worker, SAFARI_ON_IPHONE))
    Session.objects.filter(session_key=idle.session_id).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    too_old = record_of(signed_in(social_worker, SAFARI_ON_IPHONE))
    AccountSession.objects.filter(pk=too_old.pk).update(
        signed_in_at=timezone.now() - settings.SESSION_ABSOLUTE_LIMIT - timedelta(minutes=1)
    )
    page = here.get(SESSIONS).content.decode()
    assert "Safari on an iPhone" not in page
    assert "You are not signed in anywhere else." in page
    url = reverse("accounts:session-end", kwargs={"public_id": idle.public_id})
    assert here.post(url).status_code == 404


def test_signing_out_removes_the_record(social_worker: User) -> None:
    client = signed_in(social_worker)
    record = record_of(client)
    client.post(reverse("accounts:sign-out"))
    assert not AccountSession.objects.filter(pk=record.pk).exists()


def test_your_account_page_counts_your_sessions(service_user: User) -> None:
    client = signed_in(service_user)
    signed_in(service_user)
    page = client.get(reverse("accounts:account")).content.decode()
    assert '<dd class="govuk-summary-list__value" id="session-count">2 sessions</dd>' in page


# Administrators


def person_url(user: User) -> str:
    return reverse("accounts:admin-person", kwargs={"public_id": user.public_id})


def test_an_administrator_finds_a_person_by_email_and_lands_on_their_opaque_id(
    administrator: User, social_worker: User, client_for: ClientFactory
) -> None:
    admin = client_for(administrator)
    response = admin.post(reverse("accounts:admin-people"), {"email": " Wendy@Example.org "})
    assert response["Location"] == person_url(social_worker)
    assert "wendy" not in response["Location"].lower()
    page = admin.post(reverse("accounts:admin-people"), {"email": "nobody@example.org"})
    assert "No account has this email address" in page.content.decode()


def test_an_administrator_sees_a_persons_active_sessions(
    administrator: User, social_worker: User, client_for: ClientFactory
) -> None:
    signed_in(social_worker, SAFARI_ON_IPHONE)
    page = client_for(administrator).get(person_url(social_worker)).content.decode()
    assert "Wendy Worker" in page
    assert "Safari on an iPhone" in page
    assert "203.0.113.7" in page


def test_an_administrator_ends_one_session_with_a_reason(
    administrator: User, social_worker: User, client_for: ClientFactory
) -> None:
    phone = signed_in(social_worker, SAFARI_ON_IPHONE)
    desk = signed_in(social_worker)
    record = record_of(phone)
    url = reverse(
        "accounts:admin-session-end",
        kwargs={"public_id": social_worker.public_id, "session_id": record.public_id},
    )
    admin = client_for(administrator)
    assert "End their session on Safari on an iPhone" in admin.get(url).content.decode()
    response = admin.post(url, {"reason": "Phone reported stolen."})
    assert response["Location"] == person_url(social_worker)
    assert not is_signed_in(phone)
    assert is_signed_in(desk)
    action = AccountAction.objects.get()
    assert action.kind == AccountAction.Kind.SESSION_ENDED
    assert (action.actor, action.subject) == (administrator, social_worker)
    assert action.reason == "Phone reported stolen."
    assert action.sessions_ended == 1


def test_an_administrator_ends_every_session_with_a_reason(
    administrator: User, social_worker: User, client_for: ClientFactory
) -> None:
    sessions = [signed_in(social_worker) for _ in range(2)]
    url = reverse("accounts:admin-sessions-end", kwargs={"public_id": social_worker.public_id})
    response = client_for(administrator).post(url, {"reason": "Left the council today."})
    assert response["Location"] == person_url(social_worker)
    assert not any(is_signed_in(client) for client in sessions)
    action = AccountAction.objects.get()
    assert action.kind == AccountAction.Kind.SESSIONS_ENDED
    assert action.sessions_ended == 2


@pytest.mark.parametrize("reason", ["", "   "])
def test_ending_sessions_without_a_reason_is_refused_and_changes_nothing(
    reason: str, administrator: User, social_worker: User, client_for: ClientFactory
) -> None:
    worker = signed_in(social_worker)
    admin = client_for(administrator)
    url = reverse("accounts:admin-sessions-end", kwargs={"public_id": social_worker.public_id})
    page = admin.post(url, {"reason": reason}).content.decode()
    assert "There is a problem" in page
    assert "Give the reason" in page
    one = reverse(
        "accounts:admin-session-end",
        kwargs={"public_id": social_worker.public_id, "session_id": record_of(worker).public_id},
    )
    assert "Give the reason" in admin.post(one, {"reason": reason}).content.decode()
    assert is_signed_in(worker)
    assert not AccountAction.objects.exists()


def test_a_session_is_ended_only_through_its_own_persons_page(
    administrator: User, social_worker: User, team_manager: User, client_for: ClientFactory
) -> None:
    wendy = signed_in(social_worker)
    url = reverse(
        "accounts:admin-session-end",
        kwargs={"public_id": team_manager.public_id, "session_id": record_of(wendy).public_id},
    )
    admin = client_for(administrator)
    assert admin.get(url).status_code == 404
    assert admin.post(url, {"reason": "Mixed up."}).status_code == 404
    assert is_signed_in(wendy)
    assert not AccountAction.objects.exists()


def test_unknown_or_tampered_ids_are_not_found(
    administrator: User, social_worker: User, client_for: ClientFactory
) -> None:
    admin = client_for(administrator)
    assert admin.get(f"/accounts/administration/people/{uuid.uuid4()}/").status_code == 404
    assert admin.get(f"/accounts/administration/people/{social_worker.pk}/").status_code == 404
    url = reverse(
        "accounts:admin-session-end",
        kwargs={"public_id": social_worker.public_id, "session_id": uuid.uuid4()},
    )
    assert admin.post(url, {"reason": "Test."}).status_code == 404


@pytest.mark.parametrize(
    "role",
    ["social_worker", "team_manager", "finance_lead", "panel_member", "service_user"],
)
def test_only_administrators_use_the_administrators_sign_in_pages(
    role: str,
    request: pytest.FixtureRequest,
    administrator: User,
    client_for: ClientFactory,
) -> None:
    target = signed_in(administrator)
    client = client_for(request.getfixturevalue(role))
    record = record_of(target)
    urls = [
        reverse("accounts:admin-people"),
        reverse("accounts:admin-account-actions"),
        person_url(administrator),
        reverse("accounts:admin-sessions-end", kwargs={"public_id": administrator.public_id}),
        reverse("accounts:admin-two-step-reset", kwargs={"public_id": administrator.public_id}),
        reverse(
            "accounts:admin-session-end",
            kwargs={"public_id": administrator.public_id, "session_id": record.public_id},
        ),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert (
            client.post(url, {"reason": "Because.", "email": "ada@example.org"}).status_code == 403
        )
    assert is_signed_in(target)
    assert not AccountAction.objects.exists()
