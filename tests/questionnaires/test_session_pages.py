"""Staying signed in, and being signed out when a session runs out, with no answer lost."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from questionnaires.models import Answer
from tests.questionnaires.conftest import answer_all
from tests.questionnaires.journey_fixtures import page_url, use_mini_questionnaire

__all__ = ["use_mini_questionnaire"]

pytestmark = pytest.mark.django_db


class TestKeepAlive:
    def test_it_refreshes_the_session_of_a_signed_in_person(self, client_for, service_user) -> None:
        client = client_for(service_user)
        before = client.session.get_expiry_date()
        response = client.post(reverse("saq:keep-alive"))
        assert response.status_code == 204
        assert client.session.get_expiry_date() >= before

    def test_it_answers_401_when_the_session_has_already_ended(self, client) -> None:
        assert client.post(reverse("saq:keep-alive")).status_code == 401

    def test_staff_are_refused(self, client_for, finance_lead) -> None:
        assert client_for(finance_lead).post(reverse("saq:keep-alive")).status_code == 403

    def test_it_only_takes_a_post(self, client_for, service_user) -> None:
        assert client_for(service_user).get(reverse("saq:keep-alive")).status_code == 405

    def test_it_needs_the_csrf_token(self, service_user) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(service_user)
        assert client.post(reverse("saq:keep-alive")).status_code == 403


class TestTimedOut:
    def test_running_out_of_time_signs_out_and_keeps_every_answer(
        self, client_for, assessment, service_user
    ) -> None:
        answer_all(assessment, service_user, {"washing": "some-help"})
        client = client_for(service_user)
        assert client.post(reverse("saq:timed-out")).status_code == 204
        assert SESSION_KEY not in client.session
        page = client.get(reverse("saq:timed-out"))
        assert "We signed you out to keep your information safe" in page.content.decode()
        assert "Your answers are saved" in page.content.decode()
        assert Answer.objects.get().option.code == "some-help"
        # Signing in again continues where the person stopped.
        again = client_for(service_user).get(page_url("saq:resume", assessment))
        assert again["Location"] == page_url("saq:question", assessment, code="dressing")

    def test_the_page_says_how_long_a_session_lasts(self, client, settings) -> None:
        settings.SESSION_COOKIE_AGE = 20 * 60
        page = client.get(reverse("saq:timed-out")).content.decode()
        assert "after 20 minutes without any activity" in page

    def test_signing_out_needs_the_csrf_token(self, service_user) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(service_user)
        assert client.post(reverse("saq:timed-out")).status_code == 403
        assert SESSION_KEY in client.session


class TestTheWarningOnEveryJourneyPage:
    def test_it_carries_the_timings_from_settings(
        self, client_for, assessment, service_user, settings
    ) -> None:
        settings.SESSION_COOKIE_AGE = 600
        settings.SAQ_SESSION_WARNING_SECONDS = 90
        page = client_for(service_user).get(page_url("saq:task-list", assessment))
        html = page.content.decode()
        assert 'data-session-timeout-seconds="600"' in html
        assert 'data-session-warning-seconds="90"' in html
        assert f'data-keep-alive-url="{reverse("saq:keep-alive")}"' in html
        assert "js/session-timeout.mjs" in html
        assert "<dialog" in html
        assert "Stay signed in" in html

    def test_the_warning_always_leaves_at_least_20_seconds(
        self, client_for, assessment, service_user, settings
    ) -> None:
        settings.SAQ_SESSION_WARNING_SECONDS = 5
        page = client_for(service_user).get(page_url("saq:task-list", assessment))
        assert 'data-session-warning-seconds="20"' in page.content.decode()

    def test_by_default_it_warns_2_minutes_before_30_idle_minutes_end(
        self, client_for, assessment, service_user
    ) -> None:
        page = client_for(service_user).get(page_url("saq:task-list", assessment))
        html = page.content.decode()
        assert 'data-session-timeout-seconds="1800"' in html
        assert 'data-session-warning-seconds="120"' in html
