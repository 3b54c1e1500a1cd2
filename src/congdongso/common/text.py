"""Text normalisation for Vietnamese names: NFC storage, diacritic-free search keys."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# đ/Đ are letters of their own, not d plus a combining mark, so NFD leaves them alone.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})


def clean_name(value: str) -> str:
    """NFC-normalise and collapse whitespace: the form names are stored in."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def fold(value: str) -> str:
    """A search key: lower case, no diacritics, single spaces ("Nguyễn  Văn A" -> "nguyen van a")."""
    decomposed = unicodedata.normalize("NFD", (value or "").translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()
