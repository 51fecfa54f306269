"""The client groups a person can choose from, in plain words.

The codes are the allocation tables' client group codes. The person's choice only says which
table to start from: a social worker confirms it later. This app knows nothing of the tables.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ClientGroupChoice:
    code: str
    label: str
    label_for_someone_else: str
    hint: str


CLIENT_GROUP_CHOICES: tuple[ClientGroupChoice, ...] = (
    ClientGroupChoice(
        "older-people",
        "I am 65 or older",
        "They are 65 or older",
        "Choose this if age is the main reason for needing support.",
    ),
    ClientGroupChoice(
        "physical-disabilities",
        "I have a physical or sensory disability",
        "They have a physical or sensory disability",
        "For example, a condition that affects moving about, or sight or hearing loss.",
    ),
    ClientGroupChoice(
        "mental-health",
        "I have mental health needs",
        "They have mental health needs",
        "For example, depression, anxiety, bipolar disorder or schizophrenia.",
    ),
    ClientGroupChoice(
        "learning-disabilities",
        "I have a learning disability or autism",
        "They have a learning disability or autism",
        "A learning disability affects how someone learns, understands and communicates.",
    ),
)

CLIENT_GROUP_CODES: tuple[str, ...] = tuple(choice.code for choice in CLIENT_GROUP_CHOICES)


def client_group_choice(code: str) -> ClientGroupChoice | None:
    return next((choice for choice in CLIENT_GROUP_CHOICES if choice.code == code), None)


def client_group_label(code: str, *, for_someone_else: bool = False) -> str:
    """The words the person chose for a client group code, or "" when none was chosen."""
    choice = client_group_choice(code)
    if choice is None:
        return ""
    return choice.label_for_someone_else if for_someone_else else choice.label
