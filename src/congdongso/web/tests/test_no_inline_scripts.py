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
