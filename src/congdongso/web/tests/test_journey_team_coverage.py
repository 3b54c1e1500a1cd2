"""A commune officer sets up a team in a village, in a real browser, and sees the commune's coverage move."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from congdongso.accounts.models import Role
from congdongso.audit.models import AuditEvent
from congdongso.teams.models import Affiliation, Membership, Team
from congdongso.testing.browser import PHONE, fits_width, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commune_officer_sets_up_a_village_team_and_coverage_follows(page, make):
    commune = make.commune(name="Xã Tân Lập")
    village = make.village(commune, name="Thôn Bản Mới")
    make.village(commune, name="Thôn Cầu Treo")
    officer = make.user(Role.COMMUNE_OFFICER, commune)
    decision_date = dt.date.today() - dt.timedelta(days=30)

    page.goto(page.url_for("/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()

    # The officer has one unit, so home sends them straight to their commune.
    log_in(page, officer.username)
    expect(page).to_have_url(page.url_for(f"/units/{commune.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Tân Lập")
    expect(page.locator('[data-metric="villages_with_team"]')).to_have_text("0/2")
    expect(page.locator('[data-metric="members"]')).to_have_text("0")

    page.locator("#children").get_by_role("link", name="Thôn Bản Mới").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thôn Bản Mới")
    page.get_by_role("link", name="Lập tổ CNSCĐ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Lập tổ CNSCĐ ở Thôn Bản Mới")
    page.get_by_label("Tên tổ").fill("Tổ công nghệ số Bản Mới")
    page.get_by_label("Số quyết định").fill("12/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill(decision_date.isoformat())
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tổ công nghệ số Bản Mới")
    expect(page.locator(".messages")).to_contain_text("Đã lập tổ Tổ công nghệ số Bản Mới.")
    expect(page.locator(".card").first).to_contain_text("12/QĐ-UBND")
    expect(page.get_by_text("Tổ chưa có thành viên.")).to_be_visible()

    for name, role, affiliation in [
        ("Nguyễn Thị Hoà", "Tổ trưởng", "Đoàn Thanh niên"),
        ("Trần Văn Đức", "Thành viên", "Công an"),
    ]:
        page.get_by_role("link", name="Thêm thành viên").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Thêm thành viên")
        page.get_by_label("Họ tên").fill(name)
        page.get_by_label("Vai trò trong tổ").select_option(label=role)
        page.get_by_label("Lực lượng").select_option(label=affiliation)
        page.get_by_role("button", name="Thêm", exact=True).click()
        expect(page.locator(".messages")).to_contain_text(f"Đã thêm thành viên {name}.")

    rows = page.locator("#members tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(re.compile(r"Nguyễn Thị Hoà\s*Tổ trưởng\s*Đoàn Thanh niên"))
    expect(rows.nth(1)).to_contain_text(re.compile(r"Trần Văn Đức\s*Thành viên\s*Công an"))

    page.locator(".breadcrumb").get_by_role("link", name="Xã Tân Lập").click()
    expect(page).to_have_url(page.url_for(f"/units/{commune.pk}/"))
    expect(page.locator('[data-metric="villages_with_team"]')).to_have_text("1/2")
    expect(page.locator('[data-metric="active_teams"]')).to_have_text("1")
    expect(page.locator('[data-metric="members"]')).to_have_text("2")
    expect(page.locator("#teams")).to_contain_text("Tổ công nghệ số Bản Mới")

    # On a phone the commune page reflows instead of scrolling sideways.
    page.set_viewport_size(PHONE)
    assert fits_width(page)

    team = Team.objects.get()
    assert (team.unit_id, team.name, team.decision_number, team.decision_date) == (
        village.pk, "Tổ công nghệ số Bản Mới", "12/QĐ-UBND", decision_date,
    )
    active = Membership.objects.filter(team=team, left_on__isnull=True)
    assert sorted(active.values_list("display_name", "affiliation")) == [
        ("Nguyễn Thị Hoà", Affiliation.YOUTH_UNION), ("Trần Văn Đức", Affiliation.POLICE),
    ]
    by_officer = AuditEvent.objects.filter(actor=officer)
    assert list(by_officer.filter(action="team.create").values_list("object_id", flat=True)) == [str(team.pk)]
    assert sorted(by_officer.filter(action="membership.add").values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in active.values_list("pk", flat=True)
    )
