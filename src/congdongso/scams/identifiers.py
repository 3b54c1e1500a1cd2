"""Normal forms of what people report: phone numbers, websites, bank accounts, social accounts.

Every function here is pure, offline and total: any string in, an `Identifier` (or None) out, never an
exception. One thing written many ways gets one `key`, which is what the entity table is unique on:

  phone         "0912 345 678", "+84 912345678", "84912345678", "(091) 2345678" -> phone:+84912345678
  website       "http://WWW.Example.vn/x?y", "example.vn.", "bücher.vn" / "xn--bcher-kva.vn"
                -> web:example.vn (the host, ASCII, without "www." and a trailing dot); a subdomain also
                carries the key of its registrable domain (`parent_key`), so a reported domain covers
                its subdomains. Public suffixes come from tldextract's bundled list: no network, ever.
  bank account  a bank of the VietQR list (by BIN) + the account number -> bank:970436:0123456789
  social        platform + handle -> social:facebook:nguyenvana; profile links are read too
                ("https://facebook.com/nguyen.van.a" is that Facebook account, not the website).
"""

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import parse_qs, urlsplit

import idna
import phonenumbers
import tldextract

from congdongso.common.phones import display_phone, normalise_phone
from congdongso.common.text import fold

MAX_INPUT = 2000

PHONE = "phone"
WEBSITE = "website"
BANK_ACCOUNT = "bank_account"
SOCIAL = "social"


@dataclass(frozen=True)
class Identifier:
    kind: str
    key: str
    value: str
    display: str
    bank_bin: str = ""
    platform: str = ""
    domain: str = ""
    parent_key: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key, self.parent_key) if self.parent_key else (self.key,)


# --- phone numbers -------------------------------------------------------------------------------

def phone(raw: str) -> Identifier | None:
    text = _clean(raw)
    if text.lower().startswith("tel:"):
        text = text[4:].strip()
    e164 = normalise_phone(text)
    return Identifier(PHONE, f"phone:{e164}", e164, display_phone(e164)) if e164 else None


def phone_from_number(number: phonenumbers.PhoneNumber) -> Identifier | None:
    """A number found inside a message by phonenumbers' matcher."""
    try:
        if not phonenumbers.is_valid_number(number):
            return None
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except Exception:  # phonenumbers' metadata lookups are not meant to fail; never let one escape
        return None
    return Identifier(PHONE, f"phone:{e164}", e164, display_phone(e164))


# --- websites ------------------------------------------------------------------------------------

# The bundled Public Suffix List snapshot only: no suffix list URLs, no cache directory, no fetch.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://")
# "mailto:", "javascript:", "tel:" ... (but not "example.vn:8080", a host with a port)
_OTHER_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:(?![0-9])")


def website(raw: str) -> Identifier | None:
    parsed = _split_url(raw)
    if parsed is None:
        return None
    host, _path, _query = parsed
    return _site(host)


def link(raw: str) -> Identifier | None:
    """A link as people paste it: a social profile when it points at one, else the website."""
    parsed = _split_url(raw)
    if parsed is None:
        return None
    host, path, query = parsed
    site = _site(host)
    if site is None:
        return None
    return social_from_link(site.domain, path, query) or site


def _split_url(raw: str) -> tuple[str, str, str] | None:
    text = _clean(raw)
    if not text or any(ch.isspace() for ch in text):
        return None
    if not _SCHEME.match(text):
        if _OTHER_SCHEME.match(text):
            return None
        if text.startswith("//"):
            text = text[2:]
        text = "http://" + text
    try:
        parts = urlsplit(text)
        if parts.scheme.lower() not in ("http", "https"):
            return None
        host = parts.hostname or ""
        parts.port  # noqa: B018 - a malformed port raises here
    except ValueError:
        return None
    return host, parts.path, parts.query


def _site(host: str) -> Identifier | None:
    host = host.strip().rstrip(".").rstrip("\u3002\uff0e\uff61")
    if not host or len(host) > 253:
        return None
    ip = _ip(host)
    if ip is not None:
        return Identifier(WEBSITE, f"web:{ip}", ip, ip, domain=ip)
    ascii_host = _to_ascii(host)
    if ascii_host is None:
        return None
    if ascii_host.startswith("www.") and ascii_host.count(".") >= 2:
        ascii_host = ascii_host[4:]
    try:
        extracted = _EXTRACT(ascii_host)
    except Exception:
        return None
    registrable = extracted.top_domain_under_public_suffix
    if not extracted.suffix or not extracted.domain or not registrable:
        return None
    parent_key = f"web:{registrable}" if registrable != ascii_host else ""
    return Identifier(
        WEBSITE, f"web:{ascii_host}", ascii_host, _to_unicode(ascii_host), domain=registrable, parent_key=parent_key
    )


def _ip(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def _to_ascii(host: str) -> str | None:
    if host.isascii() and "xn--" not in host:
        ascii_host = host.lower()  # the common case: no IDNA mapping needed, only the label check below
    else:
        try:
            ascii_host = idna.encode(host, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError):
            return None
    labels = ascii_host.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return None
    return ascii_host


def _to_unicode(ascii_host: str) -> str:
    if "xn--" not in ascii_host:
        return ascii_host
    try:
        return idna.decode(ascii_host)
    except (idna.IDNAError, UnicodeError, ValueError):
        return ascii_host


# --- social accounts -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Platform:
    code: str
    label: str
    domains: tuple[str, ...]
    case_sensitive: bool = False


PLATFORMS = (
    Platform("facebook", "Facebook", ("facebook.com", "fb.com", "fb.me", "messenger.com")),
    Platform("zalo", "Zalo", ("zalo.me",)),
    Platform("tiktok", "TikTok", ("tiktok.com",)),
    Platform("telegram", "Telegram", ("t.me", "telegram.me")),
    Platform("youtube", "YouTube", ("youtube.com", "youtu.be")),
    Platform("instagram", "Instagram", ("instagram.com",)),
    Platform("x", "X (Twitter)", ("x.com", "twitter.com")),
)
PLATFORMS_BY_CODE = {p.code: p for p in PLATFORMS}
_PLATFORM_BY_DOMAIN = {domain: p for p in PLATFORMS for domain in p.domains}
_HANDLE = re.compile(r"^[A-Za-z0-9._\-]{1,100}$")
# Path words of the platforms that are pages of their own, not an account.
_RESERVED = {
    "", "home.php", "login", "login.php", "watch", "share", "sharer", "sharer.php", "search", "hashtag",
    "explore", "intent", "i", "about", "help", "privacy", "policies", "settings", "events", "marketplace",
    "reel", "reels", "stories", "story", "p", "photo", "photo.php", "video", "videos", "permalink.php",
}


def social(platform: str, raw: str) -> Identifier | None:
    """An account given as platform + handle (or a profile link on that platform)."""
    spec = PLATFORMS_BY_CODE.get(platform)
    text = _clean(raw)
    if spec is None or not text:
        return None
    found = link(text) if ("/" in text or "." in text and not text.startswith("@")) else None
    if found is not None and found.kind == SOCIAL:
        return found if found.platform == spec.code else None
    return _handle(spec, text)


def social_from_link(domain: str, path: str, query: str) -> Identifier | None:
    spec = _PLATFORM_BY_DOMAIN.get(domain)
    if spec is None:
        return None
    segments = [s for s in path.split("/") if s]
    first = segments[0] if segments else ""
    if spec.code == "facebook" and first.lower() == "profile.php":
        ids = parse_qs(query).get("id", [""])
        return _handle(spec, ids[0])
    if spec.code == "facebook" and first.lower() in ("groups", "people") and len(segments) >= 2:
        return _handle(spec, segments[-1] if first.lower() == "people" else segments[1])
    if spec.code == "zalo" and first == "g" and len(segments) >= 2:
        return _handle(spec, f"g/{segments[1]}")
    if spec.code == "youtube" and first in ("channel", "c", "user") and len(segments) >= 2:
        return _handle(spec, segments[1], keep_case=first == "channel")
    if first.lower() in _RESERVED:
        return None
    return _handle(spec, first)


def _handle(spec: Platform, raw: str, keep_case: bool = False) -> Identifier | None:
    text = _clean(raw).lstrip("@").strip().rstrip("/")
    if spec.code == "zalo":
        number = phone(text)
        if number is not None:
            return Identifier(SOCIAL, f"social:zalo:{number.value}", number.value, f"Zalo: {number.display}", platform="zalo")
        if text.startswith("g/") and _HANDLE.match(text[2:]):
            return Identifier(SOCIAL, f"social:zalo:{text}", text, f"Zalo: {text}", platform="zalo")
    if not _HANDLE.match(text):
        return None
    handle = text if keep_case or spec.case_sensitive else text.lower()
    if spec.code == "facebook":
        # Facebook ignores dots and capitals in a username: nguyen.van.a is nguyenvana.
        handle = handle.replace(".", "")
    if not handle.strip("._-"):
        return None
    return Identifier(SOCIAL, f"social:{spec.code}:{handle}", handle, f"{spec.label}: {text}", platform=spec.code)


# --- bank accounts -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bank:
    bin: str
    code: str
    short_name: str
    name: str
    aliases: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.short_name} — {self.name}"


_ACCOUNT = re.compile(r"^[0-9A-Z]{6,20}$")


@cache
def banks() -> tuple[Bank, ...]:
    """The VietQR bank list (vietnam-qr-pay), one entry per BIN, current names first."""
    from vietnam_qr_pay.constants import BanksObject

    chosen: dict[str, object] = {}
    aliases: dict[str, set[str]] = {}
    for entry in BanksObject.values():
        ident = entry.bin or entry.code.value
        current = chosen.get(ident)
        if current is None or (getattr(current, "deprecated", False) and not entry.deprecated):
            chosen[ident] = entry
        names = {entry.short_name, entry.short_name.replace(" ", ""), entry.code.value}
        names.update(k for k in (entry.keywords or "").split(",") if k.strip())
        aliases.setdefault(ident, set()).update(
            alias for alias in (fold(name) for name in names) if len(alias) >= 3
        )
    return tuple(
        sorted(
            (
                Bank(ident, entry.code.value, entry.short_name, entry.name, tuple(sorted(aliases[ident])))
                for ident, entry in chosen.items()
            ),
            key=lambda bank: fold(bank.short_name),
        )
    )


@cache
def _banks_by_ident() -> dict[str, Bank]:
    return {bank.bin: bank for bank in banks()}


@cache
def _bank_alias_pattern() -> tuple[re.Pattern, dict[str, Bank]]:
    by_alias: dict[str, Bank] = {}
    for bank in banks():
        for alias in bank.aliases:
            by_alias.setdefault(alias, bank)
    ordered = sorted(by_alias, key=len, reverse=True)
    pattern = re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(a) for a in ordered) + r")(?![a-z0-9])")
    return pattern, by_alias


def bank_by_ident(ident: str) -> Bank | None:
    return _banks_by_ident().get((ident or "").strip())


def find_bank(text: str) -> tuple[Bank, int, int] | None:
    """The first bank named in a (folded, length-kept) text, with its span."""
    pattern, by_alias = _bank_alias_pattern()
    match = pattern.search(text)
    if match is None:
        return None
    return by_alias[match.group(0)], match.start(), match.end()


def bank_account(bank_ident: str, raw_number: str) -> Identifier | None:
    bank = bank_by_ident(bank_ident)
    number = account_number(raw_number)
    if bank is None or number is None:
        return None
    return Identifier(
        BANK_ACCOUNT, f"bank:{bank.bin}:{number}", number, f"{bank.short_name} · {number}", bank_bin=bank.bin
    )


def account_number(raw: str) -> str | None:
    number = re.sub(r"[\s.\-]", "", _clean(raw)).upper()
    return number if _ACCOUNT.match(number) and any(ch.isdigit() for ch in number) else None


# --- one box for everything ----------------------------------------------------------------------

@dataclass(frozen=True)
class Query:
    """What a lookup box input may be: exact identifiers, plus loose values (an account number
    without its bank, a handle without its platform) matched on the value column."""

    identifiers: tuple[Identifier, ...]
    loose_values: tuple[str, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(key for ident in self.identifiers for key in ident.keys))

    @property
    def recognised(self) -> bool:
        return bool(self.identifiers or self.loose_values)


EMPTY_QUERY = Query((), ())
_LOOSE_NUMBER = re.compile(r"^[0-9][0-9 .\-]{4,30}[0-9]$")


def parse_query(raw: str) -> Query:
    text = _clean(raw)
    if not text or len(text) > 500:
        return EMPTY_QUERY
    identifiers: list[Identifier] = []
    loose: list[str] = []
    folded = fold_keep_length(text)
    named = find_bank(folded)
    if named is not None:
        bank, start, end = named
        rest = (text[:start] + " " + text[end:]).replace(":", " ").strip(" -·,")
        account = bank_account(bank.bin, rest)
        if account is not None:
            return Query((account,), ())
    number = phone(text)
    if number is not None:
        identifiers.append(number)
    if _LOOSE_NUMBER.match(text):
        account = account_number(text)
        if account is not None:
            loose.append(account)
    elif text.startswith("@") and _HANDLE.match(text[1:]):
        loose.append(text[1:].lower())
    elif number is None:
        found = link(text)
        if found is not None:
            identifiers.append(found)
    return Query(tuple(identifiers), tuple(dict.fromkeys(loose)))


# --- helpers -------------------------------------------------------------------------------------

def _clean(raw: object) -> str:
    if not isinstance(raw, str):
        return ""
    text = unicodedata.normalize("NFC", raw[:MAX_INPUT]).replace("\x00", "")
    return text.strip()


def fold_keep_length(text: str) -> str:
    """`fold` one character at a time, so that a span found in the folded text is the same span of
    the original (for quoting what was found). Lower case, no diacritics; whitespace kept as spaces."""
    if text.isascii():
        return text.lower().translate(_ASCII_SPACES)
    return "".join(_fold_char(ch) for ch in text)


_ASCII_SPACES = str.maketrans({ch: " " for ch in "\t\n\r\x0b\x0c"})


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    folded = fold(ch)
    return folded[0] if len(folded) == 1 else (folded[:1] or " ")
