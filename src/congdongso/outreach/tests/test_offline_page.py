"""The offline page (what the phone shows without network) is a frame for members: the catalogue and
the outcome buttons, no household data; and the offline app is on field members' pages only."""

from django.urls import reverse

from congdongso.accounts.models import Role
from congdongso.audit.models import AuditEvent
from congdongso.outreach.tests.builders import make_household


def test_it_needs_a_login(client, place):
    response = client.get(reverse("outreach:offline"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_it_holds_the_catalogue_and_no_household(client, place, catalogue):
    make_household(place["village"], head="Nguyễn Thị Hoa")
    client.force_login(place["member"])
    audited = AuditEvent.objects.count()
    page = client.get(reverse("outreach:offline")).content.decode()
    assert "Nguyễn Thị Hoa" not in page
    assert 'id="service-skills"' in page and '"vneid-level2": "public_services"' in page
    assert 'name="outcome" value="independent"' in page and 'id="visit-outcomes"' in page
    assert AuditEvent.objects.count() == audited  # no personal data shown, nothing to audit


def test_field_members_get_the_offline_app_and_officers_do_not(client, place, make):
    client.force_login(place["member"])
    page = client.get(reverse("outreach:worklist")).content.decode()
    assert 'id="sync-bar"' in page and 'id="pwa-strings"' in page and "web/pwa/app.js" in page
    assert "Đồng bộ ngay" in page
    officer = make.user(Role.COMMUNE_OFFICER, place["village"].parent)
    client.force_login(officer)
    page = client.get(reverse("outreach:worklist")).content.decode()
    assert 'id="sync-bar"' not in page and "web/pwa/app.js" not in page
    assert '<link rel="manifest"' in page  # installable all the same
