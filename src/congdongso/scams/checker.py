"""The message checker: paste an SMS, Zalo or Facebook message; find what is suspicious and say why.

Every phone number, link and bank account in the message is looked up (one query for all of them);
the tactic list that officers maintain is matched against the text. The explanations of tactics,
the advice and the hotline numbers all come from that list and from the status advice table: this
module only says what was found and what its status is.
"""

import re
from dataclasses import dataclass, field

import phonenumbers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congdongso.common.phones import DEFAULT_REGION
from congdongso.scams import identifiers, rules
from congdongso.scams.lookup import Match, fetch_matches, pick, status_advice
from congdongso.scams.models import Kind, Status, Tactic

MAX_MESSAGE = 5000
MAX_ITEMS = 30

DANGER = "danger"
CAUTION = "caution"
NO_ALARM = "no_alarm"

_ACCOUNT_WORDS = r"(?:so tai khoan|so tk|stk|tai khoan|tk|account|acc|a/c)"
# Digits in groups ("0123 456 789", "0123.456.789"), one separator between groups.
_DIGITS = r"[0-9]+(?:[ .\-][0-9]+){0,6}"
_ACCOUNT_AFTER_WORD = re.compile(
    rf"(?<![a-z0-9]){_ACCOUNT_WORDS}(?:[^a-z0-9]{{0,3}}(?:so|ngan hang|nh))?[^a-z0-9]{{0,4}}({_DIGITS})(?![0-9])"
)
_NUMBER = re.compile(rf"(?<![0-9]){_DIGITS}(?![0-9])")
_URL = re.compile(
    r"(?i)(?<![@\w.])(?:https?://[^\s<>\"'()]+|www\.[^\s<>\"'()]+"
    r"|(?:[a-z0-9\u00a0-\uffff](?:[a-z0-9\u00a0-\uffff\-]*[a-z0-9\u00a0-\uffff])?\.)+[a-z][a-z0-9\-]{1,62}(?:/[^\s<>\"'()]*)?)"
)
_TRAILING = ".,;:!?)]}>'\"…"


@dataclass(frozen=True)
class Finding:
    kind: str
    found: str
    title: str
    status: str = ""
    report_count: int = 0
    explanation: str = ""
    advice: str = ""
    hotlines: str = ""

    @property
    def kind_label(self) -> str:
        return _("Thủ đoạn") if self.kind == "tactic" else str(Kind(self.kind).label)

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label) if self.status else ""

    @property
    def alarming(self) -> bool:
        return self.kind == "tactic" or self.status in (Status.CONFIRMED, Status.VERIFYING)


@dataclass
class CheckResult:
    verdict: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def verdict_label(self) -> str:
        return {
            DANGER: _("Tin nhắn có dấu hiệu lừa đảo"),
            CAUTION: _("Cần thận trọng"),
            NO_ALARM: _("Chưa thấy dấu hiệu lừa đảo"),
        }[self.verdict]


@dataclass(frozen=True)
class _Item:
    start: int
    end: int
    identifier: identifiers.Identifier | None = None
    loose_number: str = ""


def check_message(raw: str) -> CheckResult:
    text = identifiers._clean(raw)[:MAX_MESSAGE]
    folded = identifiers.fold_keep_length(text)
    items = extract(text, folded)
    keys = tuple(dict.fromkeys(k for item in items if item.identifier for k in item.identifier.keys))
    loose = tuple(dict.fromkeys(item.loose_number for item in items if item.loose_number))
    matches = fetch_matches(keys, loose) if keys or loose else []
    findings = [_entity_finding(text, item, matches) for item in items]
    findings.extend(_tactic_findings(text, folded))
    if any(f.status == Status.CONFIRMED or f.kind == "tactic" for f in findings):
        verdict = DANGER
    elif any(f.status == Status.VERIFYING for f in findings):
        verdict = CAUTION
    else:
        verdict = NO_ALARM
    return CheckResult(verdict, findings)


def extract(text: str, folded: str) -> list[_Item]:
    """Bank accounts, phone numbers and links, in the order they appear; no span counted twice."""
    taken: list[tuple[int, int]] = []
    items: list[_Item] = []

    def free(start: int, end: int) -> bool:
        return not any(start < b and a < end for a, b in taken)

    def add(item: _Item) -> None:
        taken.append((item.start, item.end))
        items.append(item)

    for start, end, number, bank in _accounts(folded):
        if free(start, end):
            ident = identifiers.bank_account(bank.bin, number) if bank else None
            loose = "" if ident else (identifiers.account_number(number) or "")
            if ident or loose:
                add(_Item(start, end, ident, loose))
    try:
        for match in phonenumbers.PhoneNumberMatcher(text, DEFAULT_REGION, leniency=phonenumbers.Leniency.VALID):
            ident = identifiers.phone_from_number(match.number)
            if ident and free(match.start, match.end):
                add(_Item(match.start, match.end, ident))
    except Exception:  # the matcher is third-party text scanning: a message never makes a 500
        pass
    for match in _URL.finditer(text):
        raw = match.group(0).rstrip(_TRAILING)
        start, end = match.start(), match.start() + len(raw)
        if re.fullmatch(r"[0-9.]+", raw) or not free(start, end):
            continue
        ident = identifiers.link(raw)
        if ident is not None:
            add(_Item(start, end, ident))
    items.sort(key=lambda item: item.start)
    seen: set[str] = set()
    unique = []
    for item in items:
        label = item.identifier.key if item.identifier else f"loose:{item.loose_number}"
        if label not in seen:
            seen.add(label)
            unique.append(item)
    return unique[:MAX_ITEMS]


def _accounts(folded: str):
    """(start, end, number, bank or None) for each account number named as one, or next to a bank."""
    for match in _ACCOUNT_AFTER_WORD.finditer(folded):
        line_start = folded.rfind("\n", 0, match.start()) + 1
        line_end = folded.find("\n", match.end())
        line = folded[line_start : line_end if line_end >= 0 else len(folded)]
        named = identifiers.find_bank(line)
        yield match.start(1), match.end(1), match.group(1), named[0] if named else None
    position = 0
    while (named := identifiers.find_bank(folded[position:])) is not None:
        bank, start, end = named
        start, end = start + position, end + position
        following = _NUMBER.match(folded, end + _gap(folded, end))
        if following is not None and len(re.sub(r"\D", "", following.group(0))) >= 6:
            yield following.start(), following.end(), following.group(0), bank
        position = end


def _gap(folded: str, end: int) -> int:
    """Characters between a bank name and a number right after it ("Vietcombank: 0123", "VCB - 0123")."""
    gap = re.match(r"[^a-z0-9]{0,4}(?:(?:stk|so tk|so tai khoan|tk)[^a-z0-9]{0,3})?", folded[end:])
    return gap.end() if gap else 0


def _entity_finding(text: str, item: _Item, matches: list[Match]) -> Finding:
    found = text[item.start : item.end]
    if item.identifier is not None:
        keys = set(item.identifier.keys)
        mine = [m for m in matches if m.key in keys]
        best = pick(mine, {item.identifier.key})
        kind, title = item.identifier.kind, item.identifier.display
    else:
        mine = [m for m in matches if m.kind == Kind.BANK_ACCOUNT and m.key.endswith(f":{item.loose_number}")]
        best = pick(mine, set())
        kind, title = Kind.BANK_ACCOUNT, _("Số tài khoản %(number)s (chưa rõ ngân hàng)") % {"number": item.loose_number}
    if best is None:
        return Finding(
            kind=kind, found=found, title=title, status=Status.NO_REPORTS,
            explanation=_("Chưa có phản ánh nào trong hệ thống."), advice=status_advice(Status.NO_REPORTS),
        )
    explanation = {
        Status.CONFIRMED: ngettext(
            "Đã được xác nhận là lừa đảo (%(count)s phản ánh).", "Đã được xác nhận là lừa đảo (%(count)s phản ánh).",
            best.report_count,
        ),
        Status.VERIFYING: ngettext(
            "Đang được xác minh (%(count)s phản ánh).", "Đang được xác minh (%(count)s phản ánh).", best.report_count
        ),
        Status.NO_REPORTS: ngettext(
            "Các phản ánh trước đây đã được xem xét và bác bỏ.", "Các phản ánh trước đây đã được xem xét và bác bỏ.",
            best.report_count,
        ),
    }[best.status] % {"count": best.report_count}
    if best.tactic:
        explanation += " " + _("Thủ đoạn: %(tactic)s.") % {"tactic": best.tactic}
    if not best.exact and kind == Kind.WEBSITE:
        explanation += " " + _("(Phản ánh về tên miền %(domain)s.)") % {"domain": best.display}
    advice = "\n".join(part for part in (status_advice(best.status), best.tactic_advice) if part)
    return Finding(
        kind=kind, found=found, title=title, status=best.status, report_count=best.report_count,
        explanation=explanation, advice=advice, hotlines=best.hotlines,
    )


# Compiled rules per tactic, rebuilt when its rule text changes.
_compiled: dict[int, tuple[tuple[str, str], list[rules.Rule], list[rules.Rule]]] = {}


def _tactic_findings(text: str, folded: str) -> list[Finding]:
    found: list[tuple[int, Finding]] = []
    for tactic in Tactic.objects.filter(is_active=True).only(
        "id", "name", "explanation", "advice", "hotlines", "keywords", "exclusions"
    ):
        source = (tactic.keywords, tactic.exclusions)
        cached = _compiled.get(tactic.pk)
        if cached is None or cached[0] != source:
            cached = (source, rules.parse_rules(tactic.keywords), rules.parse_rules(tactic.exclusions))
            _compiled[tactic.pk] = cached
        _, keyword_rules, exclusion_rules = cached
        if exclusion_rules and _excluded(exclusion_rules, folded):
            continue
        hit = rules.find(keyword_rules, folded)
        if hit is not None:
            found.append(
                (hit.start, Finding(
                    kind="tactic", found=text[hit.start : hit.end], title=tactic.name,
                    explanation=tactic.explanation, advice=tactic.advice, hotlines=tactic.hotlines,
                ))
            )
    # In the order they appear in the message.
    return [finding for _start, finding in sorted(found, key=lambda pair: pair[0])]


def _excluded(exclusion_rules: list[rules.Rule], folded: str) -> bool:
    # Exclusions are plain phrases: a negation before them does not matter.
    return any(all(p.search(folded) for p in rule.patterns) for rule in exclusion_rules)

