"""Fixtures and helpers shared by the tests of the self-assessment journey's pages."""

import pytest
from django.test import Client
from django.urls import reverse

from questionnaires.models import Assessment
from ras.accounts.models import User
from ras.accounts.roles import Role
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def use_mini_questionnaire(settings) -> None:
    """The journey starts assessments with the questionnaire a setting names: here, the mini one."""
    settings.SAQ_QUESTIONNAIRE_CODE = "mini"


@pytest.fixture
def second_representative(db: None) -> User:
    return make_user(Role.REPRESENTATIVE, "remy@example.org", "Remy Second-Representative")


def page_url(name: str, assessment: Assessment, **kwargs: str) -> str:
    return reverse(name, kwargs={"public_id": assessment.public_id, **kwargs})


def sign_in_url_for(url: str) -> str:
    return f"{reverse('accounts:sign-in')}?next={url}"


def post_answer(
    client: Client,
    assessment: Assessment,
    question_code: str,
    option_code: str | None,
    *,
    revision: int | None = None,
    return_to_check: bool = False,
):
    assessment.refresh_from_db()
    data: dict[str, str] = {
        "answers_revision": str(assessment.answers_revision if revision is None else revision)
    }
    if option_code is not None:
        data["option"] = option_code
    if return_to_check:
        data["return"] = "check"
    return client.post(page_url("saq:question", assessment, code=question_code), data)
