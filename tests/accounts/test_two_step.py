"""Two-step sign-in: the code page, setting up an app, recovery codes, throttling and replay."""

import re
from base64 import b32encode
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ras.accounts.models import RecoveryCode, RecoveryCodeSet, User
from ras.accounts.two_step_services import recovery_codes_replace
from tests.accounts.two_step_helpers import is_verified, password_only_client
from tests.conftest import ClientFactory, authenticator_app_for, totp_code

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
CODE_PATTERN = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")
TWO_STEP = reverse("accounts:two-step")
SET_UP = reverse("accounts:two-step-set-up")
RECOVERY = reverse("accounts:two-step-recovery")


def unconfirmed_app(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_a_staff_member_with_an_app_enters_a_code_after_the_password(social_worker: User) -> None:
    device = authenticator_app_for(social_worker)
    client = password_only_client(social_worker)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == f"{TWO_STEP}?next=%2Fcases%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Enter the code from your authenticator app" in page
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page
    assert 'spellcheck="false"' in page
    response = client.post(TWO_STEP, {"code": totp_code(device), "next": "/cases/"})
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200


def test_a_staff_member_with_no_app_is_sent_to_set_one_up(finance_lead: User) -> None:
    client = password_only_client(finance_lead)
    response = client.get(reverse("finance:index"))
    assert response["Location"] == f"{SET_UP}?next=%2Ffinance%2Ftables%2F"
    # The code page sends them on too: there is no app to ask a code from.
    assert client.get(TWO_STEP)["Location"].startswith(SET_UP)


def test_the_set_up_page_shows_a_qr_code_and_the_key_written_out(finance_lead: User) -> None:
    client = password_only_client(finance_lead)
    page = client.get(SET_UP).content.decode()
    device = unconfirmed_app(finance_lead)
    assert '<svg role="img"' in page
    assert "<title>QR code to set up your authenticator app</title>" in page
    key = re.search(r'id="setup-key">([A-Z2-7 ]+)</p>', page)
    assert key is not None
    groups = key.group(1).split(" ")
    assert all(len(group) == 4 for group in groups[:-1])
    assert "".join(groups) == b32encode(device.bin_key).decode().rstrip("=")
    # Coming back to the page shows the same app, not a new secret each time.
    client.get(SET_UP)
    assert TOTPDevice.objects.filter(user=finance_lead).count() == 1


def test_confirming_the_app_shows_ten_recovery_codes_once_and_keeps_only_hashes(
    finance_lead: User,
) -> None:
    client = password_only_client(finance_lead)
    client.get(SET_UP)
    device = unconfirmed_app(finance_lead)
    response = client.post(SET_UP, {"code": totp_code(device), "next": "/finance/tables/"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Two-step sign-in is set up" in page
    codes = CODE_PATTERN.findall(page)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert 'href="/finance/tables/"' in page
    device.refresh_from_db()
    assert device.confirmed
    assert is_verified(client)
    assert client.get("/finance/tables/").status_code == 200
    stored = list(RecoveryCode.objects.filter(code_set__user=finance_lead))
    assert len(stored) == 10
    for row in stored:
        assert row.code_hash.startswith("pbkdf2_sha256$")
        assert not any(code.replace("-", "") in row.code_hash for code in codes)
    # The codes are never shown again.
    page = client.get(reverse("accounts:recovery-codes")).content.decode()
    assert "You have 10 of 10 recovery codes left" in page
    assert not CODE_PATTERN.search(page)


def test_a_wrong_code_at_set_up_is_refused_and_the_app_stays_unconfirmed(
    finance_lead: User,
) -> None:
    client = password_only_client(finance_lead)
    client.get(SET_UP)
    response = client.post(SET_UP, {"code": "000000"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The code is not right" in page
    assert not unconfirmed_app(finance_lead).confirmed
    assert not RecoveryCodeSet.objects.filter(user=finance_lead).exists()
    assert not is_verified(client)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12345", "The code must be 6 digits, like 123456"),
        ("12a456", "The code must be 6 digits, like 123456"),
        ("１２３４５６", "The code must be 6 digits, like 123456"),
    ],
)
def test_a_code_that_is_not_6_digits_gets_a_plain_error(
    typed: str, error: str, social_worker: User
) -> None:
    device = authenticator_app_for(social_worker)
    client = password_only_client(social_worker)
    page = client.post(TWO_STEP, {"code": typed}).content.decode()
    assert error in page
    assert not is_verified(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_code_with_spaces_is_accepted(social_worker: User) -> None:
    device = authenticator_app_for(social_worker)
    client = password_only_client(social_worker)
    code = totp_code(device)
    client.post(TWO_STEP, {"code": f" {code[:3]} {code[3:]} "})
    assert is_verified(client)


def test_a_code_cannot_be_used_twice(social_worker: User) -> None:
    with time_machine.travel(START, tick=False):
        device = authenticator_app_for(social_worker)
        code = totp_code(device)
        first = password_only_client(social_worker)
        first.post(TWO_STEP, {"code": code})
        assert is_verified(first)
        second = password_only_client(social_worker)
        page = second.post(TWO_STEP, {"code": code}).content.decode()
        assert "The code is not right" in page
        assert not is_verified(second)


def test_a_code_from_the_step_before_or_after_is_accepted_for_clock_drift(
    social_worker: User,
) -> None:
    from django_otp.oath import hotp

    with time_machine.travel(START, tick=False):
        device = authenticator_app_for(social_worker)
        step_now = (int(START.timestamp()) - device.t0) // device.step
        client = password_only_client(social_worker)
        client.post(TWO_STEP, {"code": f"{hotp(device.bin_key, step_now - 1):06d}"})
        assert is_verified(client)
        too_late = password_only_client(social_worker)
        too_late.post(TWO_STEP, {"code": f"{hotp(device.bin_key, step_now - 3):06d}"})
        assert not is_verified(too_late)


def test_wrong_codes_make_the_next_try_wait_and_say_so(social_worker: User) -> None:
    with time_machine.travel(START, tick=False) as clock:
        device = authenticator_app_for(social_worker)
        client = password_only_client(social_worker)
        page = client.post(TWO_STEP, {"code": "000000"}).content.decode()
        assert "The code is not right" in page
        # A second try within the second the first failure costs is refused, even the right code.
        page = client.post(TWO_STEP, {"code": totp_code(device)}).content.decode()
        assert "Too many wrong codes. For your security, wait 1 second, then try again" in page
        assert not is_verified(client)
        clock.shift(timedelta(seconds=2))
        client.post(TWO_STEP, {"code": "000000"})
        clock.shift(timedelta(seconds=1))
        page = client.post(TWO_STEP, {"code": "000000"}).content.decode()
        assert "wait 1 second" in page  # 2 seconds after the second failure; 1 has passed
        clock.shift(timedelta(seconds=1))
        client.post(TWO_STEP, {"code": totp_code(device)})
        assert is_verified(client)
        device.refresh_from_db()
        assert device.throttling_failure_count == 0


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(social_worker: User) -> None:
    authenticator_app_for(social_worker)
    codes = recovery_codes_replace(user=social_worker)
    client = password_only_client(social_worker)
    # Typed in lower case without the hyphens: still the code.
    response = client.post(
        RECOVERY, {"code": codes[3].lower().replace("-", " "), "next": "/cases/"}
    )
    assert response["Location"] == "/cases/"
    assert is_verified(client)
    page = client.get("/cases/").content.decode()
    assert "You used a recovery code. You have 9 recovery codes left." in page
    again = password_only_client(social_worker)
    page = again.post(RECOVERY, {"code": codes[3]}).content.decode()
    assert "The recovery code is not right, or it has been used already" in page
    assert not is_verified(again)


def test_the_last_recovery_code_says_to_make_new_ones(social_worker: User) -> None:
    authenticator_app_for(social_worker)
    codes = recovery_codes_replace(user=social_worker)
    rows = RecoveryCode.objects.filter(code_set__user=social_worker).order_by("pk")
    # The codes were stored in the order they were made: spend all but the last.
    RecoveryCode.objects.filter(pk__in=[row.pk for row in rows[:9]]).update(used_at=START)
    client = password_only_client(social_worker)
    client.post(RECOVERY, {"code": codes[-1]})
    assert is_verified(client)
    page = client.get(reverse("accounts:home")).content.decode()
    assert "You used your last recovery code. Make a new set now" in page


def test_a_new_set_of_recovery_codes_stops_the_old_ones_working(
    social_worker: User, client_for: ClientFactory
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = client_for(social_worker)
        old = recovery_codes_replace(user=social_worker)
        response = client.post(reverse("accounts:recovery-codes"))
        assert "no-store" in response["Cache-Control"]
        new = CODE_PATTERN.findall(response.content.decode())
        assert len(new) == 10
        assert not set(old) & set(new)
        refused = password_only_client(social_worker)
        refused.post(RECOVERY, {"code": old[0]})
        assert not is_verified(refused)
        clock.shift(timedelta(seconds=1))  # the wrong code made the next try wait a second
        accepted = password_only_client(social_worker)
        accepted.post(RECOVERY, {"code": new[0]})
        assert is_verified(accepted)


def test_a_person_with_an_app_cannot_set_up_another_before_the_second_step(
    social_worker: User,
) -> None:
    device = authenticator_app_for(social_worker)
    client = password_only_client(social_worker)
    assert client.get(SET_UP)["Location"].startswith(TWO_STEP)
    client.post(SET_UP, {"code": "123456"})
    assert list(TOTPDevice.objects.filter(user=social_worker)) == [device]


def test_a_signed_in_staff_member_can_move_to_a_new_app(
    social_worker: User, client_for: ClientFactory
) -> None:
    client = client_for(social_worker)
    old = TOTPDevice.objects.get(user=social_worker)
    page = client.get(SET_UP).content.decode()
    assert "Set up a new authenticator app" in page
    assert "Your current app keeps working until you enter a code from the new one" in page
    new = unconfirmed_app(social_worker)
    client.post(SET_UP, {"code": totp_code(new)})
    assert list(TOTPDevice.objects.filter(user=social_worker)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert client.get("/cases/").status_code == 200


def test_a_next_address_on_another_site_is_ignored(social_worker: User) -> None:
    device = authenticator_app_for(social_worker)
    client = password_only_client(social_worker)
    response = client.post(
        TWO_STEP, {"code": totp_code(device), "next": "https://elsewhere.example/steal"}
    )
    assert response["Location"] == reverse("accounts:home")


def test_the_second_step_needs_the_password_first() -> None:
    from django.test import Client

    for url in (TWO_STEP, RECOVERY, SET_UP):
        response = Client().get(url)
        assert response["Location"].startswith(reverse("accounts:sign-in")), url


def test_a_service_user_without_an_app_signs_in_with_the_password_only(
    service_user: User,
) -> None:
    client = password_only_client(service_user)
    assert client.get(reverse("your-budget:budgets")).status_code == 200
    assert client.get(TWO_STEP)["Location"] == reverse("accounts:home")


def test_a_service_user_adds_two_step_sign_in_from_their_account_page(
    service_user: User,
) -> None:
    client = password_only_client(service_user)
    page = client.get(reverse("accounts:account")).content.decode()
    assert f'href="{SET_UP}?next={reverse("accounts:account")}">Add two-step sign-in</a>' in page
    page = client.get(SET_UP).content.decode()
    assert "Someone who learns your password still cannot sign in as you" in page
    response = client.post(SET_UP, {"code": totp_code(unconfirmed_app(service_user))})
    assert len(CODE_PATTERN.findall(response.content.decode())) == 10
    page = client.get(reverse("accounts:account")).content.decode()
    assert "On, with an authenticator app set up on" in page
    assert "10 of 10 left" in page


def test_once_a_service_user_has_an_app_they_must_use_it(service_user: User) -> None:
    authenticator_app_for(service_user)
    client = password_only_client(service_user)
    response = client.get(reverse("your-budget:budgets"))
    assert response["Location"].startswith(TWO_STEP)


def test_a_service_user_turns_two_step_sign_in_off_with_a_code(
    service_user: User, client_for: ClientFactory
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        device = authenticator_app_for(service_user)
        client = client_for(service_user)
        recovery_codes_replace(user=service_user)
        turn_off = reverse("accounts:two-step-turn-off")
        page = client.post(turn_off, {"code": "000000"}).content.decode()
        assert "The code is not right" in page
        assert TOTPDevice.objects.filter(pk=device.pk).exists()
        clock.shift(timedelta(seconds=1))
        response = client.post(turn_off, {"code": totp_code(device)})
        assert response["Location"] == reverse("accounts:account")
    assert not TOTPDevice.objects.filter(user=service_user).exists()
    assert not RecoveryCodeSet.objects.filter(user=service_user).exists()
    assert password_only_client(service_user).get(reverse("your-budget:budgets")).status_code == 200


def test_staff_cannot_turn_two_step_sign_in_off(
    social_worker: User, client_for: ClientFactory
) -> None:
    client = client_for(social_worker)
    device = TOTPDevice.objects.get(user=social_worker)
    assert client.get(reverse("accounts:two-step-turn-off")).status_code == 403
    response = client.post(reverse("accounts:two-step-turn-off"), {"code": totp_code(device)})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert "Turn off" not in client.get(reverse("accounts:account")).content.decode()
