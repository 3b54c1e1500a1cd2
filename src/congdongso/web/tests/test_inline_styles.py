"""Inline styles are allowed by the Content-Security-Policy ('unsafe-inline' in style-src, see the
security block of settings.py) because a few templates still carry them. The list may shrink, never
grow: new styles go into the static CSS files, so 'unsafe-inline' can be dropped one day."""

import re
from pathlib import Path

import congdongso

INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)

# Templates known to carry a <style> block or a style attribute (to move into static CSS files).
KNOWN = {
    "catalog/templates/catalog/_style.html",
    "outreach/templates/outreach/styles.html",
    "outreach/templates/outreach/conflict_detail.html",
    "web/templates/500.html",
}


def test_no_new_template_carries_inline_styles():
    root = Path(congdongso.__file__).parent
    templates = list(root.glob("*/templates/**/*.html"))
    assert len(templates) > 20
    found = {str(path.relative_to(root)) for path in templates if INLINE_STYLE.search(path.read_text(encoding="utf-8"))}
    assert found <= KNOWN, f"new inline styles: {sorted(found - KNOWN)}"
