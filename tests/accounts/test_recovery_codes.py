"""Recovery codes as text, and the plain description of a browser: pure functions, no database."""

import pytest

from ras.accounts import recovery_codes
from ras.accounts.browsers import describe_browser


def test_a_code_is_twelve_symbols_in_three_groups_with_no_look_alikes() -> None:
    for _ in range(50):
        code = recovery_codes.generate()
        groups = code.split("-")
        assert [len(group) for group in groups] == [4, 4, 4]
        assert set("".join(groups)) <= set(recovery_codes.ALPHABET)
        assert not set(code) & set("ILOU")


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("7KQ4-M2XZ-P9DA", "7KQ4M2XZP9DA"),
        (" 7kq4 m2xz p9da ", "7KQ4M2XZP9DA"),
        ("7KQ4M2XZP9DA", "7KQ4M2XZP9DA"),
        ("OIL0-0000-0000", "011000000000"),  # O is read as 0, I and L as 1
        ("7KQ4-M2XZ-P9D", None),  # too short
        ("7KQ4-M2XZ-P9DAA", None),  # too long
        ("7KQ4-M2XZ-P9DU", None),  # U is not in the alphabet
        ("7KQ4-M2XZ-P9D!", None),
        ("", None),
    ],
)
def test_a_typed_code_is_read_generously_but_exactly(typed: str, read_as: str | None) -> None:
    assert recovery_codes.normalise(typed) == read_as


def test_a_code_matches_its_salted_hash_and_no_other() -> None:
    code = recovery_codes.generate()
    first, second = recovery_codes.hashed(code), recovery_codes.hashed(code)
    assert first != second  # a salt of its own each time
    assert code.replace("-", "") not in first
    normalised = recovery_codes.normalise(code)
    assert normalised is not None
    assert recovery_codes.matches(normalised, first)
    assert recovery_codes.matches(normalised, second)
    other = recovery_codes.normalise(recovery_codes.generate())
    assert other is not None
    assert not recovery_codes.matches(other, first)


def test_only_a_code_can_be_hashed() -> None:
    with pytest.raises(ValueError, match="Not a recovery code"):
        recovery_codes.hashed("password")


@pytest.mark.parametrize(
    ("user_agent", "description"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/131.0.0.0 Safari/537.36",
            "Chrome on a Mac",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/18.1 Safari/605.1.15",
            "Safari on a Mac",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
            "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
            "Samsung Internet on Android",
        ),
        (
            "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
            "Chrome on an iPad",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Linux",
        ),
        ("curl/8.5.0", "An unknown browser"),
        ("", "An unknown browser"),
    ],
)
def test_a_browser_is_described_in_plain_words(user_agent: str, description: str) -> None:
    assert describe_browser(user_agent) == description
