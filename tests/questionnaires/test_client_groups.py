"""The plain-words client group choices match the client groups the allocation tables use."""

import pytest

from allocations.models import ClientGroup
from questionnaires.client_groups import CLIENT_GROUP_CODES, client_group_label


@pytest.mark.django_db
def test_every_choice_is_a_client_group_with_tables() -> None:
    seeded = set(ClientGroup.objects.values_list("code", flat=True))
    assert set(CLIENT_GROUP_CODES) <= seeded


def test_the_words_depend_on_who_is_answering() -> None:
    assert client_group_label("older-people") == "I am 65 or older"
    assert client_group_label("older-people", for_someone_else=True) == "They are 65 or older"
    assert client_group_label("") == ""
    assert client_group_label("children") == ""
