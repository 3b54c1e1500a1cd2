"""Tracking codes: short, easy to read aloud and to type on a phone, and not guessable.

Eight characters drawn with `secrets` from 31 letters and digits that cannot be mistaken for one
another (no 0/O, no 1/I/L): 31^8 ≈ 8.5 × 10^11 codes, with no sequence to follow from one report
to the next. People write codes in many ways ("abcd-2345", " ABCD 2345 "): `normalise_code` reads
them all and answers None for anything that cannot be a code; it never raises.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
_SEPARATORS = str.maketrans("", "", " -._\t")
_MAX_INPUT = 40


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(raw: object) -> str | None:
    if not isinstance(raw, str) or len(raw) > _MAX_INPUT:
        return None
    code = raw.strip().translate(_SEPARATORS).upper()
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code
