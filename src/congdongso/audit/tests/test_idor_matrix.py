"""The IDOR matrix: for every URL pattern that takes an object id, every role asking for an object
outside its scope gets 404 (GET and POST) — pages, the JSON API and exports alike.

The patterns are discovered by walking the URL resolver, so a new page with an id cannot slip past:
each one must have a row in MATRIX (how to fill its ids from the world below, and who is outside)
or a line in EXCLUDED saying why not. A control request by someone inside the scope must *not* be
404, so a row cannot pass by pointing at an object that does not exist.

Models without a URL of their own are reached through their household: consent (consent and
withdraw pages), adoption and assists (the visit screen, the household API, the assist API and the
sync, the last two tested below with the id in the body).

The world: province P1 with communes A and B, province P2 with commune C. Every object lives in
commune B (village b) or belongs to province P1. Outsiders: a member and a team leader of village a,
the commune officer of A, and a province officer of P2 (for province-level objects only the last
one is outside: the others share province P1).
"""

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from congdongso.accounts.models import Device, Role
from congdongso.audit.tests.conftest import sign_in
from congdongso.campaigns.services import campaign_create
from congdongso.catalog.models import Skill
from congdongso.catalog.services import rule_create, service_create
from congdongso.feedback.models import Delivery
from congdongso.feedback.services import report_submit as feedback_submit
from congdongso.households.models import ImportJob
from congdongso.indicators.models import Indicator, ReportJob
from congdongso.indicators.services import target_set
from congdongso.outreach.models import SyncConflict
from congdongso.outreach.services import follow_up_open
from congdongso.outreach.tests.builders import make_household
from congdongso.privacy.services import request_submit, request_verify
from congdongso.scams import identifiers
from congdongso.scams.models import Channel as ScamChannel
from congdongso.scams.models import Source as ScamSource
from congdongso.scams.services import alert_publish
from congdongso.scams.services import report_submit as scam_submit
from congdongso.teams.services import training_create
from congdongso.testing import factories as make

LOCAL = ("member_a", "leader_a", "officer_a", "officer_p2")
PROVINCIAL = ("officer_p2",)


@dataclass(frozen=True)
class Row:
    kwargs: Callable[[dict], dict]
    outsiders: tuple[str, ...] = LOCAL
    insider: str = "officer_b"  # the control: not a 404 for them


def _household(w):
    return {"household_id": w["household"].pk}


def _unit(w):
    return {"unit_id": w["commune_b"].pk}


MATRIX: dict[str, Row] = {
    # Units (no personal data, but scoped all the same).
    "web:unit": Row(_unit),
    "web:village_create": Row(_unit),
    "web:village_import": Row(_unit),
    "web:unit_merge": Row(_unit, insider="officer_p1"),
    "web:unit_rename": Row(_unit, insider="officer_p1"),
    "api:get_unit": Row(_unit),
    # Devices (a member's phone).
    "accounts:device_revoke": Row(lambda w: {"device_pk": w["device"].pk}),
    "api:revoke_device": Row(lambda w: {"device_pk": w["device"].pk}),
    # Teams, members, trainings.
    "teams:create": Row(_unit),
    "teams:detail": Row(lambda w: {"team_id": w["team_b"].pk}),
    "teams:edit": Row(lambda w: {"team_id": w["team_b"].pk}),
    "teams:member_add": Row(lambda w: {"team_id": w["team_b"].pk}),
    "teams:member_end": Row(lambda w: {"membership_id": w["membership"].pk}),
    "teams:trainings": Row(_unit),
    "teams:training": Row(lambda w: {"training_id": w["training"].pk}),
    "api:get_team": Row(lambda w: {"team_id": w["team_b"].pk}),
    # Households, consent, residents, imports.
    "households:detail": Row(_household),
    "households:profile": Row(_household),
    "households:consent": Row(_household),
    "households:withdraw": Row(_household),
    "households:details": Row(_household),
    "households:resident_add": Row(_household),
    "households:resident_edit": Row(lambda w: {"resident_id": w["resident"].pk}),
    "households:import_new": Row(_unit),
    "households:import_status": Row(lambda w: {"job_id": w["import_job"].pk}),
    "api:get_household": Row(_household),
    # Catalogue: a province's own services and rules; the VietQR sign of a household.
    "catalog:service_create": Row(lambda w: {"province_id": w["p1"].pk}, PROVINCIAL, "officer_p1"),
    "catalog:service_edit": Row(lambda w: {"service_id": w["service"].pk}, PROVINCIAL, "officer_p1"),
    "catalog:rules": Row(lambda w: {"province_id": w["p1"].pk}, PROVINCIAL, "officer_p1"),
    "catalog:rule_create": Row(lambda w: {"province_id": w["p1"].pk}, PROVINCIAL, "officer_p1"),
    "catalog:rule_edit": Row(lambda w: {"rule_id": w["rule"].pk}, PROVINCIAL, "officer_p1"),
    "catalog:rule_active": Row(lambda w: {"rule_id": w["rule"].pk}, PROVINCIAL, "officer_p1"),
    "catalog:vietqr_household": Row(_household),
    # Outreach: the visit screen, follow-ups, sync conflicts.
    "outreach:visit": Row(_household),
    "outreach:follow_up_done": Row(lambda w: {"follow_up_id": w["follow_up"].pk}),
    "outreach:conflict_detail": Row(lambda w: {"conflict_id": w["conflict"].pk}),
    # Scams: reports with the reporter's contact, the reported entity (moderated by province officers),
    # alerts and their reach.
    "scams:entity": Row(lambda w: {"entity_id": w["scam_report"].entity_id}, insider="officer_p1"),
    "scams:entity_tactic": Row(lambda w: {"entity_id": w["scam_report"].entity_id}, insider="officer_p1"),
    "scams:entity_merge": Row(lambda w: {"entity_id": w["scam_report"].entity_id}, insider="officer_p1"),
    "scams:entity_unlist": Row(lambda w: {"entity_id": w["scam_report"].entity_id}, insider="officer_p1"),
    "scams:report_detail": Row(lambda w: {"report_id": w["scam_report"].pk}, insider="officer_p1"),
    "scams:alert": Row(lambda w: {"alert_id": w["alert"].pk}),
    "scams:alert_withdraw": Row(lambda w: {"alert_id": w["alert"].pk}),
    "scams:reach": Row(lambda w: {"alert_id": w["alert"].pk, "team_id": w["team_b"].pk}),
    "scams:team_alerts": Row(lambda w: {"team_id": w["team_b"].pk}),
    # Feedback: the inbox side (the report carries the resident's contact), deliveries.
    "feedback:report": Row(lambda w: {"report_id": w["feedback"].pk}),
    "feedback:assign": Row(lambda w: {"report_id": w["feedback"].pk}),
    "feedback:status_change": Row(lambda w: {"report_id": w["feedback"].pk}),
    "feedback:note": Row(lambda w: {"report_id": w["feedback"].pk}),
    "feedback:household": Row(lambda w: {"report_id": w["feedback"].pk}),
    "feedback:delivery_retry": Row(lambda w: {"delivery_id": w["delivery"].pk}),
    "api:get_report": Row(lambda w: {"report_id": w["feedback"].pk}),
    # Indicators: dashboards, targets, reports and their files (exports).
    "indicators:dashboard": Row(_unit),
    "indicators:targets": Row(_unit),
    "indicators:target_remove": Row(lambda w: {"unit_id": w["commune_b"].pk, "target_id": w["target"].pk}),
    "indicators:villages_without_team": Row(_unit),
    "indicators:report": Row(_unit),
    "indicators:report_job": Row(lambda w: {"job_id": w["report_job"].pk}),
    "indicators:report_download": Row(lambda w: {"job_id": w["report_job"].pk}),
    # Campaigns and commendations (members' names, exported).
    "campaigns:create": Row(_unit),
    "campaigns:detail": Row(lambda w: {"campaign_id": w["campaign"].pk}),
    "campaigns:edit": Row(lambda w: {"campaign_id": w["campaign"].pk}),
    "campaigns:unit": Row(lambda w: {"campaign_id": w["campaign"].pk, "unit_id": w["commune_b"].pk}),
    "campaigns:targets": Row(lambda w: {"campaign_id": w["campaign"].pk, "unit_id": w["commune_b"].pk}),
    "campaigns:leaderboard": Row(lambda w: {"campaign_id": w["campaign"].pk, "unit_id": w["commune_b"].pk}),
    "campaigns:commendations": Row(_unit),
    "campaigns:commendation_export": Row(_unit),
    # Data-subject requests (a resident's name and phone) and their exports.
    "privacy:request": Row(lambda w: {"request_id": w["subject_request"].pk}),
    "privacy:export": Row(lambda w: {"request_id": w["subject_request"].pk, "file_format": "json"}),
    "privacy:step": Row(lambda w: {"request_id": w["subject_request"].pk, "step": "acknowledge"}),
}

EXCLUDED = {
    # The public tracking page of a feedback report: the code is the capability (a random code given
    # only to the resident, not an enumerable id) and the page shows no contact details.
    "feedback:status": "public page keyed by the resident's secret tracking code",
    # Scam tactics are national reference texts ("giả danh công an"), no personal data, no unit:
    # there is no "outside the scope" for them; only national maintainers may edit.
    "scams:tactic_edit": "national reference data without personal data or unit",
}
# The Django admin guards itself (staff only, and staff are national operators).
EXCLUDED_NAMESPACES = ("admin",)


def _walk(patterns, namespace="", prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern, prefix + str(pattern.pattern)


def patterns_with_ids() -> set[str]:
    """Every named pattern whose route (its includes' prefixes too) captures a parameter."""
    return {
        f"{namespace}:{pattern.name}"
        for namespace, pattern, route in _walk(get_resolver().url_patterns)
        if "<" in route and namespace.split(":")[0] not in EXCLUDED_NAMESPACES
    }


def test_every_pattern_with_an_id_is_in_the_matrix_or_excluded_with_a_reason():
    found = patterns_with_ids()
    assert found, "the walk found no patterns"
    missing = found - set(MATRIX) - set(EXCLUDED)
    assert missing == set(), f"add these to the IDOR matrix (or to EXCLUDED, saying why): {sorted(missing)}"
    stale = (set(MATRIX) | set(EXCLUDED)) - found
    assert stale == set(), f"no longer URL patterns: {sorted(stale)}"


@pytest.fixture
def world(db):
    p1, p2 = make.province(), make.province()
    commune_a, commune_b, commune_c = make.commune(p1), make.commune(p1), make.commune(p2)
    village_a, village_b = make.village(commune_a), make.village(commune_b)
    make.village(commune_c)
    team_b = make.team(village_b)
    member_b = make.user(Role.MEMBER, village_b)
    officer_b = make.user(Role.COMMUNE_OFFICER, commune_b)
    household, (resident,) = make_household(village_b, head="Hà Văn Trong")
    today = timezone.localdate()
    scam_report = scam_submit(
        identifier=identifiers.phone("0912000111"), source=ScamSource.MEMBER, channel=ScamChannel.CALL,
        contact="0987000111", contact_consent=True, unit=commune_b, reporter=member_b,
    )
    feedback = feedback_submit(
        category="other", unit=village_b, text="Đèn đường hỏng", contact_name="Lê Thị Nga",
        contact_phone="0977000111", contact_consent=True,
    )
    service = service_create(
        code="p1-app", name="Ứng dụng tỉnh", skill=Skill.LOCAL_PLATFORM, province=p1, actor_id=None
    )
    return {
        "p1": p1, "commune_b": commune_b, "village_b": village_b, "team_b": team_b, "household": household,
        "resident": resident,
        "member_a": make.user(Role.MEMBER, village_a), "leader_a": make.user(Role.TEAM_LEADER, village_a),
        "officer_a": make.user(Role.COMMUNE_OFFICER, commune_a),
        "officer_p2": make.user(Role.PROVINCE_OFFICER, p2),
        "officer_b": officer_b, "officer_p1": make.user(Role.PROVINCE_OFFICER, p1), "member_b": member_b,
        "device": Device.objects.create(user=member_b, device_id=uuid.uuid4()),
        "membership": make.member(team_b),
        "training": training_create(unit=commune_b, title="Tập huấn", held_on=today, actor_id=None),
        "import_job": ImportJob.objects.create(unit=commune_b, created_by=officer_b, file_name="ho.csv"),
        "service": service,
        "rule": rule_create(
            province=p1, service=service, tags_any=[], min_age=None, max_age=None, devices=[], priority=1,
            reason="Thử", actor_id=None,
        ),
        "follow_up": follow_up_open(village_id=village_b.pk, household=household, reason="Quay lại", due_on=today),
        "conflict": SyncConflict.objects.create(
            event_id=uuid.uuid4(), type="household_edit", digest="x" * 32, member=member_b, village=village_b,
            household_id=household.pk, occurred_at=timezone.now(),
        ),
        "scam_report": scam_report,
        "alert": alert_publish(
            unit=commune_b, title="Cảnh báo", message="Cẩn thận cuộc gọi lạ", valid_from=today,
            valid_until=today + dt.timedelta(days=7), actor=officer_b,
        ),
        "feedback": feedback,
        "delivery": Delivery.objects.create(report=feedback, channel="email", event="created"),
        "target": target_set(
            unit=commune_b, indicator=Indicator.objects.order_by("pk").first(), value=Decimal(10),
            due_on=today + dt.timedelta(days=30), actor_id=None,
        ),
        "report_job": ReportJob.objects.create(unit=commune_b, period=today.strftime("%Y-%m"), format="xlsx",
                                               created_by=officer_b),
        "subject_request": request_verify(
            request=request_submit(kind="export", commune=commune_b, name="Hà Văn Trong", phone="0912000222"),
            household=household, actor_id=None,
        ),
        "campaign": campaign_create(
            actor=officer_b, unit=commune_b, name="Ra quân", starts_on=today, ends_on=today + dt.timedelta(days=30),
        ),
    }


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_an_object_outside_the_scope_answers_404(client, world, name):
    """The control first (someone inside the scope does not get 404, so the row points at a real
    object), then every outsider role in turn: one world per pattern, building it is most of the cost."""
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(world))
    sign_in(client, world[row.insider])
    assert client.get(url).status_code != 404, f"{row.insider} on {url}: the row points at nothing"
    holes = {}
    for role in row.outsiders:
        client.logout()
        sign_in(client, world[role])
        answers = {"GET": client.get(url).status_code, "POST": client.post(url, {}).status_code}
        # 405 is a view that does not take that method at all: the same answer for any id, so it
        # tells nothing; every method the view does take must answer 404.
        taken = {method: status for method, status in answers.items() if status != 405}
        if not taken or set(taken.values()) != {404}:
            holes[role] = answers
    assert holes == {}, f"{url}: {holes}"


# Ids that travel in a query string or a JSON body cannot be found by walking the URL patterns;
# these are the ones the views read (grep for request.GET.get("unit"/"village"/"household") and the
# API inputs with a household_id). Each must answer 404 for an object outside the scope.
QUERY_AND_BODY = {
    "households list ?unit": lambda w: ("get", "/households/", {"unit": w["commune_b"].pk}),
    "campaigns list ?unit": lambda w: ("get", "/campaigns/", {"unit": w["commune_b"].pk}),
    "access log ?unit": lambda w: ("get", "/audit/accesses/", {"unit": w["commune_b"].pk}),
    "privacy new ?household": lambda w: ("get", "/privacy/requests/new/", {"household": str(w["household"].pk)}),
    "api worklist ?village": lambda w: ("get", "/api/v1/outreach/worklist", {"village": w["village_b"].pk}),
    "api assist household_id": lambda w: ("json", "/api/v1/outreach/assists", {
        "id": str(uuid.uuid4()), "household_id": str(w["household"].pk), "services": ["vneid-level2"],
        "outcome": "done", "occurred_at": timezone.now().isoformat(),
    }),
}


@pytest.mark.parametrize("case", sorted(QUERY_AND_BODY))
def test_an_id_in_the_query_or_body_outside_the_scope_answers_404(client, world, case):
    method, url, data = QUERY_AND_BODY[case](world)
    holes = {}
    for role in ("member_a", "officer_a", "officer_p2"):
        client.logout()
        sign_in(client, world[role])
        if method == "json":
            status = client.post(url, data, content_type="application/json").status_code
        else:
            status = client.get(url, data).status_code
        if status != 404:
            holes[role] = status
    assert holes == {}, f"{case}: {holes}"


def test_the_sync_refuses_events_and_sends_nothing_outside_the_scope(client, world):
    sign_in(client, world["member_a"])
    def assist(household_id) -> dict:
        return {
            "id": str(uuid.uuid4()), "type": "assist", "occurred_at": timezone.now().isoformat(),
            "payload": {"household_id": str(household_id), "resident_id": None, "services": ["vneid-level2"],
                        "outcome": "refused", "channel": "door", "independent": False, "note": "",
                        "follow_up_on": None, "campaign_id": None},
        }

    # Someone else's household is answered exactly as one that does not exist (the sync's 404).
    events = [assist(world["household"].pk), assist(uuid.uuid4())]
    body = {"device_id": str(uuid.uuid4()), "events": events, "cursor": None, "pending": 0}
    answer = client.post("/api/v1/sync", body, content_type="application/json").json()
    (theirs, nobodys) = [(r["status"], r["code"], r["message"]) for r in answer["results"]]
    assert theirs == nobodys and theirs[0] == "rejected"
    assert str(world["household"].pk) not in json.dumps(answer["changes"])
