"""The small rule language of the tactic list, which officers write and the message checker reads.

One rule a line. A line is a phrase, or phrases joined by "+" that must all appear (any order):

  cung cấp * mã OTP          "*" stands for up to three words: "cung cấp cho em mã OTP" matches
  công an + điều tra         both phrases somewhere in the message
  # a comment                ignored

Matching ignores case and diacritics ("Cung cap ma OTP" and "cung cấp mã OTP" are the same) and works
on whole words. A phrase right after a negation ("không", "đừng", "tuyệt đối không", "do not" ...)
does not count: "Tuyệt đối KHÔNG cung cấp mã này cho ai" is a warning, not a request. Rules compile
to plain regular expressions with bounded gaps and escaped words, so an officer's line can never
become a slow or broken pattern.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from congdongso.common.text import fold

MAX_LINES = 100
MAX_LINE_LENGTH = 200
MAX_PARTS = 4
MAX_WORDS = 12
_WORD = re.compile(r"[a-z0-9]+")
# Words that, right before a phrase, turn it into its opposite (folded: "đừng" -> "dung").
_NEGATIONS = frozenset({"khong", "dung", "chang", "cam", "never", "dont", "not"})
# "nếu không cung cấp ..." is a threat, not a warning: a negation right after these does not count.
_CONDITIONALS = frozenset({"neu", "if", "keo", "unless"})
# A negation reaches this many words forward, within its sentence and clause.
_NEGATION_REACH = 8
_CLAUSE_END = re.compile(r"[.!?;\n]|(?<![a-z0-9])(?:va|nhung|roi|sau do|and|but|then)(?![a-z0-9])")


@dataclass(frozen=True)
class Rule:
    line: str
    patterns: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class Hit:
    rule: str
    start: int
    end: int


def parse_rules(text: str) -> list[Rule]:
    """The rules of a text, skipping blank, comment and unusable lines (see `rule_errors`)."""
    rules = []
    for line in _lines(text)[:MAX_LINES]:
        patterns = _compile_line(line)
        if patterns:
            rules.append(Rule(line, patterns))
    return rules


def rule_errors(text: str) -> list[str]:
    """What is wrong with an officer's rule text, in Vietnamese; empty when every line is usable."""
    lines = _lines(text)
    errors = []
    if len(lines) > MAX_LINES:
        errors.append(_("Tối đa %(limit)s dòng quy tắc.") % {"limit": MAX_LINES})
    for number, line in enumerate(lines[:MAX_LINES], start=1):
        if len(line) > MAX_LINE_LENGTH:
            errors.append(_("Dòng %(line)s quá dài (tối đa %(limit)s ký tự).") % {"line": number, "limit": MAX_LINE_LENGTH})
        elif len(line.split("+")) > MAX_PARTS:
            errors.append(_("Dòng %(line)s có quá nhiều vế “+” (tối đa %(limit)s).") % {"line": number, "limit": MAX_PARTS})
        elif not _compile_line(line):
            errors.append(_("Dòng %(line)s không có từ nào để tìm (cần chữ cái hoặc chữ số).") % {"line": number})
    return errors


def find(rules: list[Rule], folded_text: str) -> Hit | None:
    """The first rule all of whose phrases occur (not negated) in the text; the span of its first phrase."""
    for rule in rules:
        spans = []
        for pattern in rule.patterns:
            span = _first_unnegated(pattern, folded_text)
            if span is None:
                break
            spans.append(span)
        else:
            return Hit(rule.line, *spans[0])
    return None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip() and not line.strip().startswith("#")]


def _compile_line(line: str) -> tuple[re.Pattern, ...]:
    if len(line) > MAX_LINE_LENGTH or len(line.split("+")) > MAX_PARTS:
        return ()
    patterns = []
    for part in line.split("+"):
        pattern = _compile_phrase(part)
        if pattern is None:
            return ()
        patterns.append(pattern)
    return tuple(patterns)


def _compile_phrase(phrase: str) -> re.Pattern | None:
    pieces: list[str] = []
    words = 0
    for token in fold(phrase).split():
        if token == "*":
            if pieces and pieces[-1] != "*":
                pieces.append("*")
            continue
        for word in _WORD.findall(token):
            pieces.append(re.escape(word))
            words += 1
    while pieces and pieces[-1] == "*":
        pieces.pop()
    if not words or words > MAX_WORDS:
        return None
    body = ""
    for index, piece in enumerate(pieces):
        if piece == "*":
            body += r"(?:[^a-z0-9]+[a-z0-9]+){0,3}?"
            continue
        if index:
            body += r"[^a-z0-9]+"
        body += piece
    return re.compile(r"(?<![a-z0-9])" + body + r"(?![a-z0-9])")


def _first_unnegated(pattern: re.Pattern, text: str) -> tuple[int, int] | None:
    for match in pattern.finditer(text):
        if not _negated(text, match.start()):
            return match.start(), match.end()
    return None


def _negated(text: str, start: int) -> bool:
    window = text[max(0, start - 120) : start]
    clause_starts = [m.end() for m in _CLAUSE_END.finditer(window)]
    if clause_starts:
        window = window[clause_starts[-1] :]
    words = _WORD.findall(window)[-(_NEGATION_REACH + 1) :]
    for index in range(max(0, len(words) - _NEGATION_REACH), len(words)):
        if words[index] in _NEGATIONS and not (index and words[index - 1] in _CONDITIONALS):
            return True
    return False
