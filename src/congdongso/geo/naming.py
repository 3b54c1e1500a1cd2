"""Search keys for unit names: diacritic-free, without the division-type prefix."""

import re

from congdongso.common.text import fold

# Hyphens and other punctuation separate words in names ("Bà Rịa - Vũng Tàu").
_PUNCTUATION = re.compile(r"[^\w]+")

# Longest first so "thanh pho" wins over a bare "thanh".
_ADMIN_PREFIXES = sorted(
    ["tinh", "thanh pho", "huyen", "quan", "thi xa", "xa", "phuong", "dac khu", "thi tran"],
    key=len,
    reverse=True,
)


def unit_search_name(name: str) -> str:
    """"Xã Tân Hải" -> "tan hai"; village names keep every word ("Thôn 1" -> "thon 1")."""
    key = _words(name)
    for prefix in _ADMIN_PREFIXES:
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1 :]
    return key


def village_search_name(name: str) -> str:
    return _words(name)


def _words(name: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", fold(name)).split())
