"""Export: everything held about the person, as JSON and as Excel; each export audited (who, which
request, how many rows; never the content); nothing before the person is verified."""

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from congdongso.audit.models import AuditEvent
from congdongso.common.ids import new_id
from congdongso.feedback.services import report_submit as feedback_submit
from congdongso.outreach.models import Outcome
from congdongso.outreach.services import assist_record
from congdongso.privacy.models import Kind
from congdongso.privacy.services import request_submit
from congdongso.scams import identifiers
from congdongso.scams.models import Channel, Source
from congdongso.scams.services import report_submit as scam_submit

from .conftest import NAME, PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world):
    assist_record(
        assist_id=new_id(), member=world["member"], household=world["household"], resident=world["head"],
        service_codes=["vneid-level2"], outcome=Outcome.DONE, occurred_at=timezone.now() - dt.timedelta(hours=1),
        note="Đã cài VNeID mức 2",
    )
    feedback_submit(category="suggestion", unit=world["village"], text="Xin thêm buổi hướng dẫn thanh toán.",
                    contact_name=NAME, contact_phone=PHONE, contact_consent=True)
    feedback_submit(category="suggestion", unit=world["village"], text="Một góp ý của người khác.",
                    contact_name="Phạm Văn Dũng", contact_phone="0912 345 678", contact_consent=True)
    scam_submit(identifier=identifiers.phone("0912 000 111"), source=Source.PUBLIC, channel=Channel.CALL,
                contact="Xuyến 0983 216 547", contact_consent=True, unit=world["village"])
    return world


def test_the_json_export_holds_everything_about_the_person(client, held, open_request):
    request = open_request(Kind.EXPORT, household=held["household"])
    client.force_login(held["officer_a"])
    response = client.get(reverse("privacy:export", args=[request.pk, "json"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="du-lieu-{request.code}.json"'
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["household"][0]["head_name"] == NAME and data["household"][0]["phone"] == PHONE
    assert {r["display_name"] for r in data["residents"]} == {NAME, "Đặng Văn Khôi"}
    assert data["consents"][0]["given_by"] == NAME
    assert [a["note"] for a in data["assists"]] == ["Đã cài VNeID mức 2"]
    assert {a["service"] for a in data["adoption"]} == {"vneid-level2"}
    assert [r["contact_name"] for r in data["feedback_reports"]] == [NAME]  # not the other sender's
    assert [r["contact"] for r in data["scam_reports"]] == ["Xuyến 0983 216 547"]
    assert any(e["action"] == "consent.record" for e in data["audit"])
    assert all("actor" not in e for e in data["audit"])  # who looked is the officers' data, not exported
    event = AuditEvent.objects.get(action="privacy.export")
    assert event.actor_id == held["officer_a"].pk and event.object_id == str(request.pk)
    assert event.details["format"] == "json" and event.details["people"] == 3 and event.details["residents"] == 2
    assert NAME not in json.dumps(event.details, ensure_ascii=False)


def test_the_excel_export_has_one_sheet_a_kind(client, held, open_request):
    request = open_request(Kind.ACCESS, household=held["household"])
    client.force_login(held["officer_a"])
    response = client.get(reverse("privacy:export", args=[request.pk, "xlsx"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert {"Hộ gia đình", "Nhân khẩu", "Đồng ý", "Lượt hỗ trợ", "Phản ánh", "Báo lừa đảo", "Nhật ký"} <= set(workbook.sheetnames)
    residents = list(workbook["Nhân khẩu"].values)
    assert "display_name" in residents[0] and any(NAME in row for row in residents[1:])
    assert AuditEvent.objects.filter(action="privacy.export", details__format="xlsx").count() == 1


def test_one_residents_export_leaves_out_the_others(client, held, open_request):
    request = open_request(Kind.EXPORT, household=held["household"], resident=held["other"])
    client.force_login(held["officer_a"])
    data = json.loads(client.get(reverse("privacy:export", args=[request.pk, "json"])).content)
    assert [r["display_name"] for r in data["residents"]] == ["Đặng Văn Khôi"]
    assert "head_name" not in data["household"][0] and "consents" not in data


def test_a_formula_is_never_written_as_one(held, open_request):
    from congdongso.privacy.exports import as_xlsx

    workbook = load_workbook(io.BytesIO(as_xlsx({"residents": [{"display_name": "=HYPERLINK(\"x\")"}]})))
    cell = list(workbook.worksheets[0].iter_rows(min_row=2))[0][0]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x")'


def test_nothing_is_exported_before_the_person_is_verified(client, world):
    request = request_submit(kind=Kind.EXPORT, commune=world["a"], name=NAME, phone=PHONE)
    client.force_login(world["officer_a"])
    response = client.get(reverse("privacy:export", args=[request.pk, "json"]))
    assert response.status_code == 400 and not AuditEvent.objects.filter(action="privacy.export").exists()
    assert client.get(reverse("privacy:export", args=[request.pk, "pdf"])).status_code == 404
