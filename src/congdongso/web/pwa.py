"""The installable app: the web manifest and the service worker, both served from the site root.

The service worker's code lives in web/static/web/sw.js; this view serves it at /sw.js (a worker's
scope can only reach as high as its own URL, or as Service-Worker-Allowed lets it) with one line of
configuration before it: the files to precache, the page URLs it handles, the visit screen's outcome
buttons, and a version that changes whenever any precached file does, so phones pick up new code.
"""

import hashlib
import json
import uuid
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext as _
from django.views.decorators.http import require_GET

from congdongso.accounts.gate import public

THEME_COLOUR = "#c8102e"
BACKGROUND_COLOUR = "#ffffff"

SERVICE_WORKER = "web/sw.js"
STORE = "web/pwa/store.js"
# Static files the phone keeps so that the app opens without network (the service worker itself,
# served by a view, is kept by the browser).
PRECACHE = [
    "web/site.css",
    "web/menu.js",
    "web/pwa.css",
    STORE,
    "web/pwa/sync.js",
    "web/pwa/app.js",
    "web/pwa/worklist.js",
    "web/pwa/visit.js",
    "web/icons/icon-192.png",
    "web/icons/icon-512.png",
    "web/icons/icon.svg",
]
ICONS = [
    {"src": "web/icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
    {"src": "web/icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
    {"src": "web/icons/icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
    {"src": "web/icons/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
]


def _read(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    with open(found, "rb") as handle:
        return handle.read()


def outcome_effects() -> dict[str, list]:
    from congdongso.outreach.forms import OUTCOME_EFFECT

    return {str(button): [str(outcome), independent] for button, (outcome, independent) in OUTCOME_EFFECT.items()}


def _config() -> dict:
    visit = reverse("outreach:visit", kwargs={"household_id": uuid.UUID(int=0)})
    prefix, _sep, suffix = visit.partition(str(uuid.UUID(int=0)))
    return {
        "store": static(STORE),
        "static_url": settings.STATIC_URL,
        "precache": [static(path) for path in PRECACHE],
        "pages": {
            "worklist": reverse("outreach:worklist"),
            "visit_re": f"^{prefix}([0-9a-f-]{{36}}){suffix}$",
            "offline": reverse("outreach:offline"),
        },
        "outcomes": outcome_effects(),
    }


@lru_cache(maxsize=1)
def _service_worker_cached() -> bytes:
    return _service_worker_build()


def _service_worker_build() -> bytes:
    code = _read(SERVICE_WORKER)
    config = _config()
    digest = hashlib.sha256(code)
    digest.update(json.dumps(config, sort_keys=True).encode())
    for path in PRECACHE:
        digest.update(_read(path))
    config["version"] = digest.hexdigest()[:16]
    head = f"self.CDS_CONFIG = {json.dumps(config, sort_keys=True)};\n".encode()
    return head + code


def service_worker_script() -> bytes:
    """The worker as served (read once per process; every time when DEBUG, so edits show at once)."""
    return _service_worker_build() if settings.DEBUG else _service_worker_cached()


@public
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(service_worker_script(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # The browser checks for a new worker at most daily anyway; never let a cache hold an old one.
    response["Cache-Control"] = "no-cache"
    return response


@public
@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    body = {
        "name": _("Cộng Đồng Số – Tổ công nghệ số cộng đồng"),
        "short_name": _("Cộng Đồng Số"),
        "description": _("Tổ công nghệ số cộng đồng: hộ cần hỗ trợ, ghi nhận hỗ trợ, dùng được cả khi mất mạng."),
        "lang": get_language(),
        "dir": "ltr",
        "id": "/",
        "start_url": reverse("web:home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [{**icon, "src": static(icon["src"])} for icon in ICONS],
    }
    response = JsonResponse(body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=86400"
    return response


def offline_strings() -> dict:
    """Every text the offline scripts show (Vietnamese first, translated like any page text)."""
    from congdongso.catalog.models import Skill
    from congdongso.households.models import Device, Tag
    from congdongso.outreach.forms import VisitOutcome
    from congdongso.outreach.views import SKILL_SHORT

    return {
        # the sync bar
        "pending": _("{n} bản ghi chờ đồng bộ"),
        "none_pending": _("Không còn bản ghi chờ đồng bộ"),
        "syncing": _("Đang đồng bộ…"),
        "offline": _("Đang ngoại tuyến"),
        "synced_at": _("Đồng bộ lần cuối lúc {time}"),
        "err_network": _("Chưa kết nối được máy chủ; bản ghi vẫn nằm trên máy và sẽ được gửi lại."),
        "err_login": _("Phiên đăng nhập đã hết: hãy đăng nhập lại để đồng bộ."),
        "err_server": _("Máy chủ chưa nhận: {message}"),
        "problems_title": _("Bản ghi máy chủ không nhận"),
        "conflict": _("Mã bản ghi này đã dùng cho một nội dung khác; cán bộ xã sẽ xem lại, không bản nào bị xoá."),
        "rejected": _("Máy chủ không nhận bản ghi này."),
        "dismiss": _("Đã hiểu"),
        # the worklist drawn on the phone
        "offline_list": _("Đang ngoại tuyến: danh sách hộ lưu trên máy lúc {time}."),
        "no_copy": _("Máy này chưa lưu danh sách hộ. Hãy mở trang này khi có mạng để tải về."),
        "count": _("{n} hộ"),
        "residents": _("{n} nhân khẩu"),
        "nucleus_yes": _("Có hạt nhân số"),
        "nucleus_no": _("Chưa có hạt nhân số"),
        "due": _("Đến hẹn quay lại"),
        "missing": _("Thiếu {n}/5 kỹ năng"),
        "all_skills": _("Đủ 5 kỹ năng số cơ bản"),
        "last_assist": _("Hỗ trợ gần nhất: {date}"),
        "never_assisted": _("Chưa được hỗ trợ lần nào"),
        "pending_badge": _("Chờ đồng bộ"),
        "no_consent_label": _("Hộ {code} (chưa đồng ý cung cấp thông tin)"),
        "no_consent_badge": _("Chưa đồng ý cung cấp thông tin"),
        "empty_filtered": _("Không có hộ nào khớp với bộ lọc."),
        "empty": _("Chưa có hộ gia đình nào trong địa bàn của bạn."),
        "tags": {str(value): str(label) for value, label in Tag.choices},
        # the visit screen drawn on the phone
        "saved": _("Đã lưu trên máy: {service} — {who} — {outcome}. Sẽ gửi lên khi có mạng."),
        "whole_household": _("cả hộ"),
        "need_service": _("Hãy chọn việc đã giúp: chạm vào một gợi ý, hoặc chọn dịch vụ khác."),
        "pending_recent": _("chờ đồng bộ"),
        "sent": _("đã gửi"),
        "need_outcome": _("Hãy chạm vào một kết quả để lưu."),
        "unknown_household": _("Hộ này chưa được lưu trên máy. Hãy mở lại khi có mạng."),
        "resident_n": _("Nhân khẩu {n}"),
        "age": _("{name} ({age} tuổi)"),
        "skills_count": _("{n}/5 kỹ năng"),
        "no_residents": _("Chưa ghi nhân khẩu nào của hộ này."),
        "outcomes": {str(value): str(label) for value, label in VisitOutcome.choices},
        "skills": {str(value): str(SKILL_SHORT[value]) for value in Skill.values},
        "skill_names": {str(value): str(label) for value, label in Skill.choices},
        "devices": {str(value): str(label) for value, label in Device.choices},
    }
