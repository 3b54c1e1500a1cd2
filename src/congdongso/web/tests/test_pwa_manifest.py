"""The app installs on a phone: a web manifest with the Vietnamese name, the brand colour and real
PNG icons of the sizes it declares, linked from every page."""

import struct

from django.contrib.staticfiles import finders
from django.urls import reverse

from congdongso.web.pwa import THEME_COLOUR


def _png_size(path: str) -> tuple[int, int]:
    with open(path, "rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR"
    return struct.unpack(">II", head[16:24])


def test_the_manifest_names_the_app_in_vietnamese_and_colours_it(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["name"].startswith("Cộng Đồng Số")
    assert manifest["short_name"] == "Cộng Đồng Số" and len(manifest["short_name"]) <= 12
    assert manifest["theme_color"] == THEME_COLOUR == "#c8102e"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == reverse("web:home") and manifest["start_url"].startswith(manifest["scope"])


def test_every_icon_is_served_and_has_the_size_it_declares(client):
    icons = client.get("/manifest.webmanifest").json()["icons"]
    pngs = [icon for icon in icons if icon["type"] == "image/png"]
    assert {icon["sizes"] for icon in pngs} >= {"192x192", "512x512"}
    assert any(icon["purpose"] == "maskable" for icon in pngs)
    for icon in icons:
        assert icon["src"].startswith("/static/")
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        if icon["type"] == "image/png":
            width, height = _png_size(path)
            assert f"{width}x{height}" == icon["sizes"]


def test_pages_link_the_manifest_and_the_theme_colour(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#c8102e">' in page
