"""Alerts published by a province or commune reach every team below; members record reach; the commune
page shows reach per village."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congdongso.audit.models import AuditEvent
from congdongso.scams import services
from congdongso.scams.models import Alert, Reach, ReachKind

pytestmark = pytest.mark.django_db


def _publish(client, unit, **extra) -> Alert:
    today = timezone.localdate()
    data = {
        "unit": unit.pk, "title": "Giả danh điện lực gọi đòi tiền điện", "message": "Điện lực không gọi điện đòi tiền.",
        "valid_from": today.isoformat(), "valid_until": (today + dt.timedelta(days=14)).isoformat(), **extra,
    }
    response = client.post(reverse("scams:alert_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Alert.objects.latest("pk")


def test_a_province_alert_reaches_a_village_team_member_screen(client, world, starter_tactics):
    world["team"].zalo_link = "https://zalo.me/g/abcdef123"
    world["team"].save()
    tactic = starter_tactics["gia-danh-dien-luc-nha-mang"]
    client.force_login(world["province_officer"])
    alert = _publish(client, world["province"], tactic=tactic.pk)
    assert AuditEvent.objects.filter(action="scam_alert.publish", object_id=str(alert.pk)).exists()

    client.force_login(world["member"])
    html = client.get(reverse("scams:alerts")).content.decode()
    assert "Giả danh điện lực gọi đòi tiền điện" in html
    assert 'data-team="%s"' % world["team"].pk in html
    assert "https://zalo.me/g/abcdef123" in html and "Sao chép và mở nhóm Zalo" in html
    # The ready-to-paste text carries the alert, the tactic's advice (data) and the lookup link.
    assert "⚠️ CẢNH BÁO LỪA ĐẢO: Giả danh điện lực gọi đòi tiền điện" in html
    assert tactic.advice.split(".")[0] in html
    assert "http://testserver/scams/" in html
    # The same over the API, for the member app.
    body = client.get("/api/v1/scams/alerts").json()
    assert [a["title"] for a in body[0]["alerts"]] == [alert.title] and body[0]["zalo_link"].startswith("https://zalo.me/")


def test_a_neighbouring_commune_and_another_province_do_not_get_it(client, world, make):
    client.force_login(world["commune_officer"])
    alert = _publish(client, world["commune"])
    neighbour_team = make.team(make.village(world["other_commune"]))
    assert list(services.Alert.objects.filter(pk=alert.pk)) == [alert]
    from congdongso.scams.selectors import alerts_for_team

    assert list(alerts_for_team(world["team"])) == [alert]
    assert list(alerts_for_team(neighbour_team)) == []
    client.force_login(world["far_officer"])
    assert client.get(reverse("scams:alert", args=[alert.pk])).status_code == 404
    # The province above sees it (published inside its scope).
    client.force_login(world["province_officer"])
    assert client.get(reverse("scams:alert", args=[alert.pk])).status_code == 200


def test_reach_recorded_by_members_shows_on_the_commune_page(client, world):
    client.force_login(world["province_officer"])
    alert = _publish(client, world["province"])
    client.force_login(world["member"])
    url = reverse("scams:reach", args=[alert.pk, world["team"].pk])
    assert client.post(url, {"kind": ReachKind.SHARED_GROUP}).status_code == 302
    assert client.post(url, {"kind": ReachKind.TOLD_HOUSEHOLDS, "households": "12"}).status_code == 302
    assert client.post(url, {"kind": ReachKind.TOLD_HOUSEHOLDS, "households": "5"}).status_code == 302
    reach = list(Reach.objects.values_list("unit_id", "kind", "households"))
    assert reach == [
        (world["village"].pk, "shared_group", 0), (world["village"].pk, "told_households", 12),
        (world["village"].pk, "told_households", 5),
    ]
    html = client.get(reverse("scams:team_alerts", args=[world["team"].pk])).content.decode()
    assert "Tổ đã ghi: 1 lần chia sẻ vào nhóm, 17 hộ được thông báo." in html

    client.force_login(world["commune_officer"])
    html = client.get(reverse("web:unit", args=[world["commune"].pk])).content.decode()
    assert 'data-metric="reach_households">17<' in html and 'data-metric="reach_shares">1<' in html
    assert f'data-child-reach="{world["village"].pk}">17<' in html
    client.force_login(world["province_officer"])
    html = client.get(reverse("web:unit", args=[world["province"].pk])).content.decode()
    assert f'data-child-reach="{world["commune"].pk}">17<' in html
    detail = client.get(reverse("scams:alert", args=[alert.pk])).content.decode()
    assert 'data-metric="households">17<' in detail


def test_reach_is_refused_politely_when_it_does_not_fit(client, world, make):
    client.force_login(world["province_officer"])
    alert = _publish(client, world["province"])
    client.force_login(world["member"])
    url = reverse("scams:reach", args=[alert.pk, world["team"].pk])
    for data, message in [
        ({"kind": ReachKind.TOLD_HOUSEHOLDS}, "Cần nhập số hộ đã được thông báo."),
        ({"kind": ReachKind.TOLD_HOUSEHOLDS, "households": "-3"}, "Số hộ phải từ 1 trở lên."),
        ({"kind": ReachKind.TOLD_HOUSEHOLDS, "households": "999999"}, "Số hộ tối đa 5000."),
        ({"kind": ReachKind.TOLD_HOUSEHOLDS, "households": "mười"}, "Số hộ phải là một số nguyên."),
        ({"kind": "carrier-pigeon"}, "Lựa chọn không hợp lệ."),
    ]:
        response = client.post(url, data, follow=True)
        assert response.status_code == 200 and message in response.content.decode(), data
    assert not Reach.objects.exists()
    # Another commune's team is out of scope: 404; a withdrawn alert takes no more reach.
    other_team = make.team(make.village(world["other_commune"]))
    assert client.post(reverse("scams:reach", args=[alert.pk, other_team.pk]), {"kind": "shared_group"}).status_code == 404
    services.alert_withdraw(alert=alert, actor=world["province_officer"])
    response = client.post(url, {"kind": "shared_group"}, follow=True)
    assert "Cảnh báo này không còn hiệu lực." in response.content.decode()
    assert not Reach.objects.exists()


def test_only_officers_publish_for_units_they_manage(client, world):
    client.force_login(world["member"])
    assert client.get(reverse("scams:alert_create")).status_code == 403
    client.force_login(world["commune_officer"])
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("scams:alert_create"),
        {"unit": world["province"].pk, "title": "x", "message": "y", "valid_from": today, "valid_until": today},
    )
    assert response.status_code == 200 and "Lựa chọn không hợp lệ." in response.content.decode()
    assert not Alert.objects.exists()


def test_withdrawing_an_alert_takes_it_off_the_member_screen(client, world):
    client.force_login(world["province_officer"])
    alert = _publish(client, world["province"])
    assert client.post(reverse("scams:alert_withdraw", args=[alert.pk])).status_code == 302
    client.force_login(world["member"])
    html = client.get(reverse("scams:team_alerts", args=[world["team"].pk])).content.decode()
    assert f'data-alert="{alert.pk}"' not in html and "Không có cảnh báo nào đang hiệu lực." in html
    assert client.post(reverse("scams:alert_withdraw", args=[alert.pk])).status_code == 403
