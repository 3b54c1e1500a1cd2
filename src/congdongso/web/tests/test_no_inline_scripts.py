"""No inline <script> in any template: code lives in static files, data reaches it through
json_script or data-* attributes (which render as JSON, never as code)."""

import re
from pathlib import Path

import congdongso

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def test_every_script_tag_in_a_template_loads_a_file():
    root = Path(congdongso.__file__).parent
    templates = [path for path in root.glob("*/templates/**/*.html")]
    assert len(templates) > 20
    inline = [
        f"{path.relative_to(root)}: {tag}"
        for path in templates
        for tag in SCRIPT_TAG.findall(path.read_text(encoding="utf-8"))
        if "src=" not in tag
    ]
    assert inline == []


INLINE_HANDLER = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def test_no_template_has_inline_event_handlers_or_javascript_urls():
    # The Content-Security-Policy (script-src 'self') blocks onclick="..." and href="javascript:..."
    # as it blocks inline <script>: bind events in a static file (web/static/web/print.js does).
    root = Path(congdongso.__file__).parent
    found = [
        f"{path.relative_to(root)}: {match.group(0)[:80]}"
        for path in root.glob("*/templates/**/*.html")
        for match in INLINE_HANDLER.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
