"""Each kind of request, step by step: verified (public form) -> acknowledged -> completed, doing what
it asks; refused with a reason; every step audited with ids only."""

import pytest
from django.core.exceptions import ValidationError

from congdongso.audit.models import AuditEvent
from congdongso.households.models import Household, Resident
from congdongso.privacy import services
from congdongso.privacy.models import Kind, Restriction, Status

from .conftest import NAME

pytestmark = pytest.mark.django_db


def _complete(request, world, outcome="Đã thực hiện theo yêu cầu."):
    services.request_acknowledge(request=request, actor_id=world["officer_a"].pk)
    return services.request_complete(request=request, outcome=outcome, actor_id=world["officer_a"].pk)


def test_a_public_request_must_be_verified_before_anything_else(world):
    request = services.request_submit(kind=Kind.ACCESS, commune=world["a"], name=NAME, phone="0983 216 547")
    for step in (services.request_acknowledge, ):
        with pytest.raises(ValidationError):
            step(request=request, actor_id=world["officer_a"].pk)
    with pytest.raises(ValidationError):
        services.request_complete(request=request, outcome="", actor_id=world["officer_a"].pk)
    services.request_verify(request=request, household=world["household"], actor_id=world["officer_a"].pk)
    request.refresh_from_db()
    assert request.status == Status.RECEIVED and request.household == world["household"]
    _complete(request, world)
    request.refresh_from_db()
    assert request.status == Status.COMPLETED and request.acknowledged_at and request.completed_at
    actions = list(AuditEvent.objects.filter(object_type="privacy.request", object_id=str(request.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["privacy.submit", "privacy.verify", "privacy.acknowledge", "privacy.complete"]
    for event in AuditEvent.objects.filter(object_type="privacy.request"):
        assert NAME not in str(event.details) and "983216547" not in str(event.details)


@pytest.mark.parametrize("kind", [Kind.ACCESS, Kind.EXPORT, Kind.CORRECT])
def test_see_export_and_correct_complete_without_changing_data(world, open_request, kind):
    request = open_request(kind, household=world["household"])
    _complete(request, world, outcome="Đã sửa năm sinh." if kind == Kind.CORRECT else "")
    household = Household.objects.get(pk=world["household"].pk)
    assert household.head_name == NAME and household.has_consent
    assert not Restriction.objects.exists()


def test_a_correction_says_what_was_corrected(world, open_request):
    request = open_request(Kind.CORRECT, household=world["household"])
    with pytest.raises(ValidationError):
        services.request_complete(request=request, outcome="", actor_id=world["officer_a"].pk)


@pytest.mark.parametrize("kind", [Kind.RESTRICT, Kind.OBJECT])
def test_restriction_and_objection_restrict_the_household(world, open_request, kind):
    request = open_request(kind, household=world["household"])
    _complete(request, world)
    restriction = Restriction.objects.get()
    assert restriction.household == world["household"] and restriction.lifted_at is None
    assert AuditEvent.objects.filter(action="privacy.restrict", object_id=str(world["household"].pk)).exists()
    # Restricting again (a second request) is met by the restriction in force.
    _complete(open_request(Kind.RESTRICT, household=world["household"]), world)
    assert Restriction.objects.count() == 1


def test_restriction_needs_a_household(world, open_request):
    request = open_request(Kind.RESTRICT, subject_name=NAME, subject_phone="0983216547")
    with pytest.raises(ValidationError):
        _complete(request, world)


def test_withdrawal_withdraws_consent_and_anonymises(world, open_request):
    request = open_request(Kind.WITHDRAW, household=world["household"])
    _complete(request, world)
    household = Household.objects.get(pk=world["household"].pk)
    assert not household.has_consent and household.head_name == "" and household.phone == ""
    assert household.consents.filter(withdrawn_at__isnull=True).count() == 0
    # Nothing left to withdraw: a second request cannot complete.
    again = open_request(Kind.WITHDRAW, household=household)
    with pytest.raises(ValidationError):
        services.request_complete(request=again, outcome="", actor_id=world["officer_a"].pk)
    assert Status(type(again).objects.get(pk=again.pk).status) == Status.RECEIVED


def test_erasure_of_one_resident_keeps_the_rest_of_the_household(world, open_request):
    request = open_request(Kind.ERASE, household=world["household"], resident=world["other"])
    _complete(request, world)
    other = Resident.objects.get(pk=world["other"].pk)
    assert other.display_name == "" and other.birth_year is None and other.is_anonymised
    household = Household.objects.get(pk=world["household"].pk)
    assert household.head_name == NAME and household.has_consent
    assert Resident.objects.get(pk=world["head"].pk).display_name == NAME


def test_erasure_of_the_head_anonymises_the_household(world, open_request):
    request = open_request(Kind.ERASE, household=world["household"], resident=world["head"])
    _complete(request, world)
    household = Household.objects.get(pk=world["household"].pk)
    assert household.head_name == "" and not household.has_consent
    assert household.residents.count() == 2 and not household.residents.exclude(display_name="").exists()
    event = AuditEvent.objects.get(action="privacy.complete")
    assert event.details["households"] == 1 and event.details["residents"] == 2


def test_refusal_needs_a_reason_and_ends_the_request(world, open_request):
    request = open_request(Kind.ERASE, household=world["household"])
    with pytest.raises(ValidationError):
        services.request_refuse(request=request, reason="", actor_id=world["officer_a"].pk)
    services.request_refuse(request=request, reason="Không xác minh được người yêu cầu.", actor_id=world["officer_a"].pk)
    request.refresh_from_db()
    assert request.status == Status.REFUSED and request.outcome
    with pytest.raises(ValidationError):
        services.request_complete(request=request, outcome="", actor_id=world["officer_a"].pk)
    assert Household.objects.get(pk=world["household"].pk).head_name == NAME


def test_a_household_of_another_commune_cannot_be_named(world, open_request):
    with pytest.raises(ValidationError):
        open_request(Kind.ACCESS, household=world["household_b"])


def test_requests_refuse_credentials_in_their_text(world):
    with pytest.raises(ValidationError):
        services.request_submit(kind=Kind.ACCESS, commune=world["a"], name=NAME, phone="0983216547",
                                details="mật khẩu VNeID: abc123")
