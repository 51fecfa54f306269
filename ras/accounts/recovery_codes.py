"""Recovery codes: how they look, how they are typed back, and how they are kept.

A code is 12 characters from a 32-symbol alphabet with no look-alikes (60 random bits), shown in
groups of four: `7KQ4-M2XZ-P9DA`. People may type it in any case, with or without spaces and
hyphens; O is read as 0, and I or L as 1.

Codes are kept as salted PBKDF2-SHA256 hashes. With 60 random bits a code cannot be guessed from
its hash, so the work factor is lower than for passwords: a sign-in checks up to ten hashes.
"""

import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O or U
CODE_LENGTH = 12
GROUP_LENGTH = 4
CODES_IN_A_SET = 10
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


class RecoveryCodeHasher(PBKDF2PasswordHasher):
    iterations = 60_000


_HASHER = RecoveryCodeHasher()


def generate() -> str:
    """A new code, in groups of four joined by hyphens."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, CODE_LENGTH, GROUP_LENGTH))


def normalise(typed: str) -> str | None:
    """The code someone typed, as 12 symbols of the alphabet, or None if it cannot be one."""
    cleaned = "".join(typed.split()).replace("-", "").upper().translate(_READ_AS)
    if len(cleaned) != CODE_LENGTH or any(symbol not in ALPHABET for symbol in cleaned):
        return None
    return cleaned


def hashed(code: str) -> str:
    """The salted hash to store for a code (as generated or as typed)."""
    normalised = normalise(code)
    if normalised is None:
        raise ValueError("Not a recovery code.")
    return _HASHER.encode(normalised, _HASHER.salt())


def matches(normalised: str, code_hash: str) -> bool:
    return _HASHER.verify(normalised, code_hash)
