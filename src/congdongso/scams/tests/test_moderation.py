"""Province officers moderate reports from their province: queue, confirm/reject with a reason, merge, audit.
Objects outside their scope answer 404."""

import pytest
from django.urls import reverse

from congdongso.audit.models import AuditEvent
from congdongso.scams import identifiers, services
from congdongso.scams.models import Channel, Entity, Report, ReportStatus, Source, Status

pytestmark = pytest.mark.django_db


def _report(raw: str, unit, **extra) -> Report:
    return services.report_submit(
        identifier=identifiers.parse_query(raw).identifiers[0], source=Source.PUBLIC, channel=Channel.CALL,
        unit=unit, **extra,
    )


@pytest.fixture
def reports(world):
    return {
        "ours": _report("0912 345 678", world["village"]),
        "ours_again": _report("+84912345678", world["province"], contact="0987 000 111", contact_consent=True),
        "theirs": _report("0987 654 321", world["far_commune"]),
        "unknown_place": _report("0977 111 222", None),
    }


def test_the_queue_shows_pending_reports_of_the_province_only(client, world, reports):
    client.force_login(world["province_officer"])
    html = client.get(reverse("scams:queue")).content.decode()
    assert "0912 345 678" in html
    assert "0987 654 321" not in html and "0977 111 222" not in html
    client.force_login(world["admin"])
    html = client.get(reverse("scams:queue")).content.decode()
    assert all(n in html for n in ("0912 345 678", "0987 654 321", "0977 111 222"))


def test_out_of_scope_moderation_objects_answer_404(client, world, reports):
    client.force_login(world["province_officer"])
    theirs = reports["theirs"]
    assert client.get(reverse("scams:report_detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("scams:report_detail", args=[theirs.pk]), {"decision": "confirm", "reason": "xxx"}).status_code == 404
    assert client.get(reverse("scams:entity", args=[theirs.entity_id])).status_code == 404
    for name in ("entity_tactic", "entity_merge", "entity_unlist"):
        assert client.post(reverse(f"scams:{name}", args=[theirs.entity_id]), {}).status_code == 404
    assert client.get(reverse("scams:report_detail", args=[reports["unknown_place"].pk])).status_code == 404
    assert client.get(reverse("scams:report_detail", args=[999999])).status_code == 404
    assert Report.objects.get(pk=theirs.pk).status == ReportStatus.PENDING


def test_members_and_commune_officers_cannot_moderate(client, world, reports):
    for user in (world["member"], world["commune_officer"]):
        client.force_login(user)
        assert client.get(reverse("scams:queue")).status_code == 403
        # A page about one report answers 404: a non-moderator learns nothing about the id.
        assert client.get(reverse("scams:report_detail", args=[reports["ours"].pk])).status_code == 404
    client.logout()
    assert client.get(reverse("scams:queue")).status_code == 302


def test_confirm_and_reject_need_a_reason_and_move_the_entity_status(client, world, reports):
    client.force_login(world["province_officer"])
    ours, again = reports["ours"], reports["ours_again"]
    url = reverse("scams:report_detail", args=[ours.pk])
    refused = client.post(url, {"decision": "confirm", "reason": "  "})
    assert refused.status_code == 200 and "Cần ghi lý do" in refused.content.decode()
    assert client.post(url, {"decision": "reject", "reason": "Số của người bán hàng thật"}).status_code == 302
    entity = Entity.objects.get(pk=ours.entity_id)
    assert (entity.status, entity.report_count) == (Status.VERIFYING, 1)

    client.post(reverse("scams:report_detail", args=[again.pk]), {"decision": "confirm", "reason": "Đã xác minh"})
    entity.refresh_from_db()
    assert (entity.status, entity.report_count) == (Status.CONFIRMED, 1)
    decided = Report.objects.get(pk=again.pk)
    assert (decided.decided_by, decided.decision_reason) == (world["province_officer"], "Đã xác minh")
    again_twice = client.post(reverse("scams:report_detail", args=[again.pk]), {"decision": "reject", "reason": "đổi ý"})
    assert "Phản ánh này đã được xử lý." in again_twice.content.decode()

    actions = list(AuditEvent.objects.filter(object_type="scams.report").values_list("action", flat=True))
    assert "scam_report.reject" in actions and "scam_report.confirm" in actions
    # Rejecting the last pending report of an entity with no confirmation brings it back to "no reports".
    services.report_decide(report=reports["unknown_place"], confirm=False, reason="Nhầm số", actor=world["admin"])
    assert Entity.objects.get(pk=reports["unknown_place"].entity_id).status == Status.NO_REPORTS


def test_viewing_a_reporters_contact_is_audited(client, world, reports):
    client.force_login(world["province_officer"])
    html = client.get(reverse("scams:report_detail", args=[reports["ours_again"].pk])).content.decode()
    assert "0987 000 111" in html
    event = AuditEvent.objects.get(action="scam_report.view_contact")
    assert event.object_id == str(reports["ours_again"].pk) and event.details == {}


def test_merging_duplicates(client, world, reports):
    client.force_login(world["province_officer"])
    source = _report("https://facebook.com/nguyen.van.a", world["commune"]).entity
    target = _report("https://facebook.com/profile.php?id=100012", world["commune"]).entity
    url = reverse("scams:entity_merge", args=[source.pk])
    assert "Không tìm thấy đối tượng này" in client.post(url, {"target": "0900000000"}).content.decode()
    assert "Không thể gộp một đối tượng vào chính nó" in client.post(url, {"target": "fb.com/nguyen.van.a"}).content.decode()
    response = client.post(url, {"target": "https://www.facebook.com/profile.php?id=100012"})
    assert response.status_code == 302
    source.refresh_from_db()
    target.refresh_from_db()
    assert source.merged_into_id == target.pk and target.report_count == 2
    assert client.get(reverse("scams:entity", args=[source.pk]))["Location"] == reverse("scams:entity", args=[target.pk])
    assert AuditEvent.objects.get(action="scam_entity.merge").details == {"into": target.pk, "reports_moved": 1}


def test_setting_the_tactic_of_an_entity(client, world, reports, starter_tactics):
    client.force_login(world["province_officer"])
    tactic = starter_tactics["yeu-cau-ma-otp"]
    entity_id = reports["ours"].entity_id
    assert client.post(reverse("scams:entity_tactic", args=[entity_id]), {"tactic": tactic.pk}).status_code == 302
    assert Entity.objects.get(pk=entity_id).tactic == tactic
    bad = client.post(reverse("scams:entity_tactic", args=[entity_id]), {"tactic": "abc"})
    assert bad.status_code == 400 and "Lựa chọn không hợp lệ." in bad.content.decode()
