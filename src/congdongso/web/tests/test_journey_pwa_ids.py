"""Ids made on the phone (web/pwa/store.js) are UUIDv7 in a real Chromium: version 7, RFC 9562
variant, the time of the phone, strictly increasing even thousands to the millisecond; and the
phone's device id stays the same across page loads."""

import time
import uuid

import pytest

from congdongso.accounts.models import Role
from congdongso.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ids_made_on_the_phone_are_time_ordered_uuid7(page, make):
    member = make.user(Role.MEMBER, make.village(make.commune(make.province())))
    log_in(page, member.username)
    page.wait_for_function("window.CDS && window.CDS.ready")

    before_ms = time.time() * 1000
    ids = page.evaluate("Array.from({length: 5000}, () => CDS.store.uuid7())")
    after_ms = time.time() * 1000

    parsed = [uuid.UUID(value) for value in ids]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in parsed)
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)  # the text sorts as the time does, so the outbox sorts by id
    assert [u.int for u in parsed] == sorted(u.int for u in parsed)
    for u in (parsed[0], parsed[-1]):
        made_ms = u.int >> 80
        assert before_ms - 1000 <= made_ms <= after_ms + 1000

    device = page.evaluate("CDS.store.deviceId()")
    page.reload()
    page.wait_for_function("window.CDS && window.CDS.ready")
    assert page.evaluate("CDS.store.deviceId()") == device and uuid.UUID(device).version == 7
