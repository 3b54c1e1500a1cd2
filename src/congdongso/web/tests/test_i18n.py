"""Vietnamese is the source language; English is a complete translation, chosen only by the user."""

import ast
import datetime as dt
import gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, translation

from congdongso.testing.forms import page_text

PACKAGE_DIR = Path(settings.PACKAGE_DIR)
EN_DIR = PACKAGE_DIR / "locale" / "en" / "LC_MESSAGES"


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (the header excluded). Enough of the format for Django's output."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def finish():
        nonlocal entry
        if entry.msgid or entry.msgstr or entry.msgctxt is not None:
            entries.append(entry)
        entry = Entry()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            target = None
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, target, ast.literal_eval(line))
        else:
            keyword, _, value = line.partition(" ")
            entry.line = entry.line or number
            target = keyword
            _append(entry, target, "", start=True)
            _append(entry, target, ast.literal_eval(value))
    finish()
    return [e for e in entries if not (e.msgid == "" and e.msgctxt is None)]


def _append(entry: Entry, target: str, text: str, start: bool = False) -> None:
    plural_form = re.fullmatch(r"msgstr\[(\d+)\]", target)
    if target == "msgstr" or plural_form:
        index = int(plural_form.group(1)) if plural_form else 0
        entry.msgstr[index] = ("" if start else entry.msgstr.get(index, "")) + text
    elif target in ("msgid", "msgctxt", "msgid_plural"):
        setattr(entry, target, ("" if start else getattr(entry, target) or "") + text)
    else:
        raise AssertionError(f"unexpected keyword {target!r}")


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    return read_po(EN_DIR / "django.po")


def _label(entry: Entry) -> str:
    return f"django.po line {entry.line}: {entry.msgid!r:.80}"


def test_the_english_catalog_has_entries(po_entries):
    assert len(po_entries) > 200
    assert any(entry.msgid_plural for entry in po_entries)


def test_every_msgid_has_a_non_empty_non_fuzzy_english_translation(po_entries):
    problems = []
    for entry in po_entries:
        expected_forms = 2 if entry.msgid_plural else 1
        if "fuzzy" in entry.flags:
            problems.append(f"{_label(entry)} is fuzzy")
        if len(entry.msgstr) != expected_forms or not all(text.strip() for text in entry.msgstr.values()):
            problems.append(f"{_label(entry)} has no translation")
    assert problems == []


def test_translations_keep_the_placeholders_of_the_source(po_entries):
    placeholder = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdif]|\{\{\s*\w+\s*\}\}")
    problems = []
    for entry in po_entries:
        wanted = sorted(placeholder.findall(entry.msgid))
        for index, text in entry.msgstr.items():
            if sorted(placeholder.findall(text)) != wanted:
                problems.append(f"{_label(entry)} form {index}: {text!r}")
    assert problems == []


def test_the_compiled_catalog_matches_the_po_file(po_entries):
    """The .mo is committed next to the .po; it must have been compiled after the last edit."""
    with (EN_DIR / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for entry in po_entries:
        if entry.msgid_plural:
            got = {0: catalog.ngettext(entry.msgid, entry.msgid_plural, 1),
                   1: catalog.ngettext(entry.msgid, entry.msgid_plural, 5)}
        elif entry.msgctxt is not None:
            got = {0: catalog.pgettext(entry.msgctxt, entry.msgid)}
        else:
            got = {0: catalog.gettext(entry.msgid)}
        if got != entry.msgstr:
            stale.append(_label(entry))
    assert stale == [], "run `congdongso compilemessages -l en`"


def test_every_string_marked_in_the_code_is_in_the_english_catalog(tmp_path, monkeypatch, po_entries, settings):
    """A string added to the code but not to django.po would show in Vietnamese on English pages."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext is not installed")
    tree = tmp_path / "congdongso"
    shutil.copytree(
        PACKAGE_DIR, tree,
        ignore=shutil.ignore_patterns("locale", "__pycache__", "tests", "migrations", "static", "*.pyc"),
    )
    (tree / "locale").mkdir()
    settings.LOCALE_PATHS = [tree / "locale"]
    monkeypatch.chdir(tree)
    call_command("makemessages", locale=["en"], verbosity=0)
    marked = {(e.msgctxt, e.msgid) for e in read_po(tree / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    catalogued = {(e.msgctxt, e.msgid) for e in po_entries}
    assert len(marked) > 200, "makemessages found too few strings: the scan went wrong"
    missing = sorted(marked - catalogued, key=str)
    assert missing == [], (
        "untranslated strings; run `congdongso makemessages -l en --no-obsolete` in src/congdongso, "
        "translate, then `compilemessages -l en`"
    )


# --- choosing the language ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_login_page_is_vietnamese_for_any_browser_language(client):
    for accept in ("", "en-US,en;q=0.9", "fr-FR", "x" * 1000):
        text = page_text(client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE=accept))
        assert '<html lang="vi"' in text
        assert "Đăng nhập" in text


@pytest.mark.django_db
def test_switching_to_english_and_back(client):
    login = reverse("accounts:login")
    response = client.post(reverse("set_language"), {"language": "en", "next": login})
    assert response.status_code == 302
    english = page_text(client.get(login))
    assert '<html lang="en"' in english
    assert "Log in" in english
    assert "Never enter a citizen's VNeID password" in english
    assert "Đăng nhập" not in english

    refused = page_text(client.post(login, {"username": "", "password": ""}))
    assert "This field cannot be empty." in refused

    client.post(reverse("set_language"), {"language": "vi", "next": login})
    vietnamese = page_text(client.get(login))
    assert '<html lang="vi"' in vietnamese
    assert "Đăng nhập" in vietnamese


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx-unknown"
    assert '<html lang="vi"' in page_text(client.get(reverse("accounts:login")))


@pytest.mark.django_db
def test_english_pages_translate_choices_and_plurals(client, make):
    from congdongso.accounts.models import Role

    commune = make.commune(name="Xã An Bình")
    team = make.team(make.village(commune, name="Thôn Đông"))
    make.member(team)
    client.force_login(make.user(Role.COMMUNE_OFFICER, commune))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = page_text(client.get(reverse("teams:detail", args=[team.pk])))
    assert "1 member" in text and "1 members" not in text
    assert "Youth Union" in text
    assert "Add member" in text


# --- numbers and dates ----------------------------------------------------------------------------------


def test_vietnamese_numbers_group_thousands_with_dots():
    with translation.override("vi"):
        assert formats.number_format(1234567, force_grouping=True) == "1.234.567"
        assert formats.number_format(1234.5, decimal_pos=1, force_grouping=True) == "1.234,5"
        assert intcomma(1234567) == "1.234.567"
        assert formats.date_format(dt.date(2026, 11, 22), "SHORT_DATE_FORMAT") == "22/11/2026"


def test_english_numbers_group_thousands_with_commas():
    with translation.override("en"):
        assert formats.number_format(1234567, force_grouping=True) == "1,234,567"
        assert intcomma(1234567) == "1,234,567"
