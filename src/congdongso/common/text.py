"""Text normalisation for Vietnamese names: NFC storage, diacritic-free search keys."""

import unicodedata

# đ/Đ are letters of their own, not d plus a combining mark, so NFD leaves them alone.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})


def clean_name(value: str) -> str:
    """NFC-normalise and collapse whitespace: the form names are stored in."""
    # str.split() cuts at exactly the characters `\s` matches (str.isspace) and drops them at
    # both ends: the same as `re.sub(r"\s+", " ", …).strip()`, three times faster (imports call this
    # for every name and address).
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def fold(value: str) -> str:
    """A search key: lower case, no diacritics, single spaces ("Nguyễn  Văn A" -> "nguyen van a")."""
    decomposed = unicodedata.normalize("NFD", (value or "").translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
