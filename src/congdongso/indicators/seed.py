"""The national set of indicators (data: a migration seeds it, officers may add their own).

(code, name, kind, numerator, denominator, monthly, headline, sort order, description)"""

NATIONAL_INDICATORS: list[tuple[str, str, str, str, str, bool, bool, int, str]] = [
    ("coverage", "Tỷ lệ thôn, tổ dân phố có tổ CNSCĐ", "ratio", "villages.with_team", "villages", False, True, 10,
     "Thôn/tổ dân phố có ít nhất một tổ công nghệ số cộng đồng đang hoạt động."),
    ("teams", "Số tổ CNSCĐ đang hoạt động", "count", "teams.active", "", False, True, 20, ""),
    ("members", "Số thành viên tổ CNSCĐ", "count", "members.active", "", False, True, 30, ""),
    ("villages", "Số thôn, tổ dân phố", "count", "villages", "", False, False, 40, ""),
    ("villages-with-team", "Số thôn, tổ dân phố có tổ CNSCĐ", "count", "villages.with_team", "", False, False, 45, ""),
    ("nucleus-rate", "Tỷ lệ hộ có hạt nhân số", "ratio", "households.nucleus", "households", False, True, 50,
     "Hộ có ít nhất một người thành thạo cả 5 kỹ năng số cơ bản."),
    ("households", "Số hộ gia đình", "count", "households", "", False, False, 60, ""),
    ("households-nucleus", "Số hộ có hạt nhân số", "count", "households.nucleus", "", False, False, 65, ""),
    ("households-consented", "Số hộ đồng ý cung cấp thông tin", "count", "households.consented", "", False, False, 70, ""),
    ("residents", "Số nhân khẩu", "count", "residents", "", False, False, 80, ""),
    ("proficient-rate", "Tỷ lệ người dân thành thạo 5 kỹ năng số cơ bản", "ratio", "residents.proficient", "residents",
     False, True, 90, ""),
    ("proficient", "Số người thành thạo 5 kỹ năng số cơ bản", "count", "residents.proficient", "", False, False, 95, ""),
    ("skill-public-services", "Số người sử dụng được dịch vụ công trực tuyến", "count",
     "residents.skill.public_services", "", False, False, 100, ""),
    ("skill-online-shopping", "Số người mua sắm trực tuyến được", "count", "residents.skill.online_shopping", "",
     False, False, 101, ""),
    ("skill-online-payment", "Số người thanh toán trực tuyến được", "count", "residents.skill.online_payment", "",
     False, False, 102, ""),
    ("skill-online-safety", "Số người biết tự bảo vệ trên môi trường mạng", "count", "residents.skill.online_safety",
     "", False, False, 103, ""),
    ("skill-local-platform", "Số người dùng được nền tảng số của địa phương", "count", "residents.skill.local_platform",
     "", False, False, 104, ""),
    ("vneid-rate", "Tỷ lệ người dân dùng được định danh điện tử mức 2", "ratio", "adoption.independent.vneid-level2",
     "residents", False, True, 110, ""),
    ("vneid", "Số người dùng được định danh điện tử mức 2", "count", "adoption.independent.vneid-level2", "",
     False, False, 111, ""),
    ("public-service-accounts", "Số tài khoản dịch vụ công đã mở", "count",
     "adoption.independent.public-service-portal-account", "", False, False, 120, ""),
    ("online-dossiers", "Số người tự nộp hồ sơ trực tuyến", "count", "adoption.independent.online-dossier", "",
     False, False, 125, ""),
    ("cashless-accounts", "Số tài khoản thanh toán không dùng tiền mặt", "count",
     "adoption.independent.cashless-account", "", False, False, 130, ""),
    ("merchant-qr-rate", "Tỷ lệ hộ kinh doanh nhận thanh toán QR", "ratio", "adoption.independent.merchant-qr",
     "households.business", False, False, 140, ""),
    ("assists", "Lượt hỗ trợ trong tháng", "count", "assists", "", True, True, 200, ""),
    ("assists-done", "Lượt hỗ trợ hoàn thành trong tháng", "count", "assists.outcome.done", "", True, False, 210, ""),
    ("assists-done-rate", "Tỷ lệ lượt hỗ trợ hoàn thành", "ratio", "assists.outcome.done", "assists", True, False,
     215, ""),
    ("follow-ups-open", "Việc cần quay lại đang mở", "count", "followups.open", "", False, False, 220, ""),
    ("follow-ups-overdue", "Việc cần quay lại quá hạn", "count", "followups.overdue", "", False, False, 225,
     "Việc cần quay lại đã quá hạn mà chưa làm."),
    ("feedback-open", "Phản ánh đang xử lý", "count", "feedback.open", "", False, False, 300, ""),
    ("feedback-received", "Phản ánh nhận trong tháng", "count", "feedback.received", "", True, False, 310, ""),
    ("scam-reports", "Phản ánh lừa đảo trong tháng", "count", "scams.reports", "", True, False, 400, ""),
    ("scam-reach-households", "Số hộ được cảnh báo lừa đảo trong tháng", "count", "scams.reach.households", "", True,
     False, 410, ""),
]


def national_indicators_ensure(Indicator) -> int:
    """Create the national indicators that are missing (by code); existing ones are left as edited."""
    existing = set(Indicator.objects.values_list("code", flat=True))
    missing = [
        Indicator(code=code, name=name, kind=kind, numerator=numerator, denominator=denominator, monthly=monthly,
                  headline=headline, sort_order=order, description=description)
        for code, name, kind, numerator, denominator, monthly, headline, order, description in NATIONAL_INDICATORS
        if code not in existing
    ]
    Indicator.objects.bulk_create(missing)
    return len(missing)
