"""Search keys for unit names: diacritic-free, without the division-type prefix."""

import re

from congdongso.common.text import clean_name, fold

# Hyphens and other punctuation separate words in names ("Bà Rịa - Vũng Tàu").
_PUNCTUATION = re.compile(r"[^\w]+")

# Division types, longest first so "thị xã" wins over a bare "xã". They are matched with their
# diacritics: folded, "Quận" and "Quan" collide, and "Xã Quan Sơn" must not become "sơn".
_ADMIN_PREFIXES = sorted(
    ["tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "đặc khu", "thị trấn"],
    key=len,
    reverse=True,
)
_FOLDED_PREFIXES = sorted({fold(prefix) for prefix in _ADMIN_PREFIXES}, key=len, reverse=True)


def unit_search_name(name: str) -> str:
    """"Xã Tân Hải" -> "tan hai", "Xã Quan Sơn" -> "quan son", "Quan Sơn" -> "quan son"."""
    return _words(_strip_prefix(clean_name(name).casefold(), _ADMIN_PREFIXES))


def unit_search_keys(name: str) -> list[str]:
    """Keys to look a typed unit name up by, best first.

    The exact key comes first; then the key with a diacritic-free prefix dropped, for names typed
    without accents ("xa tan hai"), which cannot tell "Quận X" from "Quan X".
    """
    keys = [unit_search_name(name), _strip_prefix(_words(name), _FOLDED_PREFIXES)]
    return [key for index, key in enumerate(keys) if key and key not in keys[:index]]


def village_search_name(name: str) -> str:
    """Village names keep every word ("Thôn 1" -> "thon 1")."""
    return _words(name)


def _strip_prefix(text: str, prefixes: list[str]) -> str:
    for prefix in prefixes:
        if text.startswith(prefix + " "):
            return text[len(prefix) + 1 :]
    return text


def _words(name: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", fold(name)).split())
