"""The visit form takes whatever a browser (or a forged request) sends: it answers with a choice it
can trust or with errors, never with an exception."""

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from congdongso.catalog.models import Service
from congdongso.households.models import Resident
from congdongso.outreach.forms import PICK_SEPARATOR, AssistForm, VisitOutcome, pick_value

SERVICES = [
    Service(code="vneid-level2", name="VNeID", skill="public_services"),
    Service(code="mobile-money", name="Mobile Money", skill="online_payment", needs_smartphone=False),
]
RESIDENT = Resident(id=uuid.UUID("01900000-0000-7000-8000-000000000001"), display_name="Lê Thị Mai")
PICKS = [pick_value(s, r) for s in SERVICES for r in (RESIDENT, None)]

texts = st.text(max_size=60)
fields = st.fixed_dictionaries(
    {},
    optional={
        "assist_id": st.one_of(texts, st.uuids().map(str)),
        "pick": st.one_of(texts, st.sampled_from(PICKS), texts.map(lambda t: f"vneid-level2{PICK_SEPARATOR}{t}")),
        "service": st.one_of(texts, st.sampled_from([s.code for s in SERVICES])),
        "resident": st.one_of(texts, st.just(str(RESIDENT.pk))),
        "channel": st.one_of(texts, st.sampled_from(["door", "phone"])),
        "note": st.text(max_size=400),
        "outcome": st.one_of(texts, st.sampled_from(VisitOutcome.values)),
    },
)


def _form(data):
    return AssistForm(data, services=SERVICES, residents=[(RESIDENT, "Lê Thị Mai (42 tuổi)")])


@settings(max_examples=300, deadline=None)
@given(fields)
def test_any_input_is_either_a_trusted_choice_or_errors(data):
    form = _form(data)
    if form.is_valid():
        assert form.cleaned_data["chosen_service"] in SERVICES
        assert form.cleaned_data["chosen_resident"] in (RESIDENT, None)
        assert form.cleaned_data["outcome"] in VisitOutcome.values
        assert isinstance(form.cleaned_data["assist_id"], uuid.UUID)
    else:
        assert all(str(message) for messages in form.errors.values() for message in messages)


@given(st.sampled_from(SERVICES), st.sampled_from([RESIDENT, None]), st.sampled_from(VisitOutcome.values))
def test_a_recommendation_tap_round_trips(service, resident, outcome):
    form = _form({"assist_id": str(uuid.uuid4()), "pick": pick_value(service, resident), "outcome": outcome,
                  "channel": "door"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["chosen_service"], form.cleaned_data["chosen_resident"]) == (service, resident)
