"""Finding and blanking a person's name and phone inside free text and stored JSON.

Structured columns (a household's head name, a report's contact) are blanked by their own apps'
services. What is left are texts people wrote about the person: a visit note, a follow-up's reason,
an officer's note, a message. Those are kept (their counts and their meaning matter) with every
occurrence of the person's name and phone replaced by REDACTED:

- a name matches whatever its case and diacritics ("Nguyễn Thị Lan", "nguyen thi lan"), as a whole
  name between word boundaries (a lone given name like "Lan" is not searched for: too many
  unrelated words would go);
- a phone matches in every way people write it: "+84983216547", "84983216547", "0983216547",
  "0983 216 547", "0983.216.547".
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from congdongso.common.text import fold

REDACTED = "[đã xóa]"
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})
_SEPARATORS = r"[\s.\-()]*"
# Names shorter than this (folded) are not searched for in free text (see the module docstring).
MIN_NAME_LENGTH = 5


def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    decomposed = unicodedata.normalize("NFD", ch.translate(_EXTRA_FOLDS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each folded character the index of the original one it came from."""
    folded: list[str] = []
    positions: list[int] = []
    for index, ch in enumerate(text):
        piece = _fold_char(ch)
        folded.append(piece)
        positions.extend([index] * len(piece))
    return "".join(folded), positions


@dataclass(frozen=True)
class Needles:
    names: tuple[str, ...]  # folded
    phones: tuple[str, ...]  # E.164

    @classmethod
    def of(cls, *, names: Iterable[str], phones: Iterable[str]) -> "Needles":
        folded = sorted({fold(name) for name in names if len(fold(name)) >= MIN_NAME_LENGTH}, key=len, reverse=True)
        return cls(tuple(folded), tuple(sorted({phone for phone in phones if phone})))

    def __bool__(self) -> bool:
        return bool(self.names or self.phones)

    @property
    def _name_patterns(self) -> list[re.Pattern]:
        return [
            re.compile(r"(?<!\w)" + r"\s+".join(re.escape(word) for word in name.split()) + r"(?!\w)")
            for name in self.names
        ]

    @property
    def _phone_patterns(self) -> list[re.Pattern]:
        patterns = []
        for phone in self.phones:
            digits = phone.removeprefix("+84") if phone.startswith("+84") else phone.lstrip("+")
            prefix = r"(?:(?:\+|00)?84|0)?" if phone.startswith("+84") else r"\+?"
            body = _SEPARATORS.join(re.escape(digit) for digit in digits)
            patterns.append(re.compile(r"(?<!\d)\(?" + prefix + _SEPARATORS + body + r"(?!\d)"))
        return patterns

    def redact(self, text: str) -> str:
        """The text with every occurrence of a name or a phone replaced by REDACTED."""
        if not text or not self:
            return text
        for pattern in self._phone_patterns:
            text = pattern.sub(REDACTED, text)
        folded, positions = _folded_with_positions(text)
        spans: list[tuple[int, int]] = []
        for pattern in self._name_patterns:
            for match in pattern.finditer(folded):
                if match.end() > match.start():
                    spans.append((positions[match.start()], positions[match.end() - 1] + 1))
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        for start, end in reversed(merged):
            text = text[:start] + REDACTED + text[end:]
        return text

    def found_in(self, text: str) -> bool:
        return bool(text) and self.redact(text) != text

    def redact_json(self, value):
        """A copy of a JSON value with every string redacted (keys kept)."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, list):
            return [self.redact_json(item) for item in value]
        if isinstance(value, dict):
            return {key: self.redact_json(item) for key, item in value.items()}
        return value
