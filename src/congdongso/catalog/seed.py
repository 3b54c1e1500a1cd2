"""The national services catalogue and the national recommendation rules, as data.

Loaded by the data migration `0003_national_catalogue` and, for test databases that were flushed
(transactional tests), by `national_catalogue_ensure()`. Codes are stable, lowercase and never
reused: a service that is no longer offered is deactivated, never deleted or renamed. To add
services later, append here and add a migration that calls `seed_national` again (it only adds
what is missing and never changes rows a person may have edited).

Segments the rules serve (priority: smaller comes first; for one service the first matching rule
gives the reason):
- business households (traders): merchant QR, a payment account, e-commerce first (1-9);
- families with school children: school fees, learning apps, online public services (5-15);
- elderly people (60+): scam awareness, telehealth, the health book, pension into an account (4-8);
- feature-phone owners: only services that work without a smartphone (3-9);
- everyone: VNeID level 2 first, then the basics (10-70).
Services that need a smartphone are never recommended to a resident without one (the selector
enforces this whatever the rules say).
"""

# Only the fields that exist since migration 0001 may appear here (the migration runs this
# against the historical models).

# (code, name, skill, needs_smartphone, sort_order, description)
SERVICES: tuple[tuple[str, str, str, bool, int, str], ...] = (
    # Online public services
    ("vneid-level2", "Định danh điện tử mức 2 (VNeID)", "public_services", True, 10,
     "Cài VNeID, kích hoạt tài khoản định danh điện tử mức 2; không bao giờ hỏi mật khẩu, mã OTP."),
    ("public-service-portal-account", "Tài khoản Cổng Dịch vụ công quốc gia", "public_services", True, 20,
     "Đăng nhập Cổng Dịch vụ công bằng tài khoản VNeID."),
    ("online-dossier", "Nộp hồ sơ trực tuyến", "public_services", True, 30,
     "Khai sinh, đăng ký cư trú, kết hôn, cấp căn cước cho con… nộp và theo dõi trên mạng."),
    ("vneid-documents", "Tích hợp giấy tờ trên VNeID", "public_services", True, 40,
     "Thẻ bảo hiểm y tế, giấy phép lái xe, thông tin cư trú hiển thị trên VNeID."),
    ("vssid", "Bảo hiểm xã hội số VssID", "public_services", True, 50,
     "Tra cứu quá trình đóng, hưởng bảo hiểm xã hội, bảo hiểm y tế."),
    ("health-book", "Sổ sức khỏe điện tử", "public_services", True, 60,
     "Xem sổ sức khỏe điện tử, lịch sử khám chữa bệnh trên VNeID."),
    ("etax-mobile", "Kê khai, nộp thuế trên eTax Mobile", "public_services", True, 70,
     "Hộ kinh doanh kê khai và nộp thuế, phí trực tuyến."),
    # Online payment
    ("cashless-account", "Tài khoản thanh toán không dùng tiền mặt", "online_payment", True, 100,
     "Mở tài khoản ngân hàng số hoặc ví điện tử (Viettel Money, VNPT Money…) bằng VNeID."),
    ("mobile-money", "Mobile Money trên điện thoại phổ thông", "online_payment", False, 105,
     "Nạp, rút, chuyển tiền và trả tiền qua cú pháp USSD/SMS, không cần điện thoại thông minh."),
    ("qr-payment", "Thanh toán bằng quét mã QR", "online_payment", True, 110,
     "Trả tiền khi mua hàng bằng cách quét mã VietQR."),
    ("merchant-qr", "Nhận thanh toán bằng mã QR", "online_payment", False, 120,
     "Hộ kinh doanh in biển VietQR, nhận tiền và báo có qua ứng dụng hoặc tin nhắn."),
    ("school-fee-payment", "Đóng học phí không dùng tiền mặt", "online_payment", True, 130,
     "Đóng học phí, các khoản thu của nhà trường qua ứng dụng ngân hàng, ví điện tử."),
    ("utility-bill-payment", "Thanh toán hóa đơn điện, nước, viễn thông", "online_payment", False, 140,
     "Qua ứng dụng, ví điện tử, hoặc Mobile Money/SMS trên điện thoại phổ thông."),
    ("pension-cashless", "Nhận lương hưu, trợ cấp qua tài khoản", "online_payment", False, 150,
     "Nhận lương hưu, trợ cấp xã hội vào tài khoản thay cho tiền mặt."),
    # Online shopping
    ("online-shopping", "Mua hàng trực tuyến an toàn", "online_shopping", True, 200,
     "Đặt hàng, so sánh giá, kiểm tra người bán, nhận hàng rồi mới trả tiền."),
    ("ecommerce-selling", "Bán hàng trên sàn thương mại điện tử", "online_shopping", True, 210,
     "Mở gian hàng trên voso.vn, postmart.vn; đăng sản phẩm, nhận đơn."),
    ("social-selling", "Quảng bá sản phẩm trên mạng xã hội", "online_shopping", True, 220,
     "Giới thiệu nông sản, sản phẩm địa phương trên Zalo, Facebook, TikTok."),
    # Protecting oneself online
    ("scam-awareness", "Nhận biết và phòng tránh lừa đảo trực tuyến", "online_safety", False, 300,
     "Cuộc gọi giả danh công an, ngân hàng, con cháu; đường dẫn lạ; không chuyển tiền cho người lạ."),
    ("data-self-protection", "Tự bảo vệ thông tin cá nhân", "online_safety", False, 310,
     "Không đọc mã OTP cho ai, đặt mật khẩu mạnh, không chia sẻ ảnh giấy tờ tùy thân."),
    ("spam-report", "Phản ánh tin nhắn rác, cuộc gọi lừa đảo", "online_safety", False, 320,
     "Nhắn tin tới đầu số 156 (tin nhắn rác) hoặc 5656 (cuộc gọi rác), có thể dùng điện thoại phổ thông."),
    # A platform the locality chooses (national candidates; provinces add their own apps)
    ("telehealth", "Khám chữa bệnh từ xa", "local_platform", True, 400,
     "Đặt lịch, tư vấn khám bệnh từ xa với cơ sở y tế."),
    ("online-learning", "Học tập trực tuyến", "local_platform", True, 410,
     "Phần mềm học tập, sổ liên lạc điện tử của nhà trường."),
    ("commune-zalo-oa", "Kênh thông tin của xã, phường trên Zalo", "local_platform", True, 420,
     "Theo dõi Zalo OA của xã/phường để nhận thông báo, phản ánh kiến nghị."),
)

TRADER = ["business"]
SCHOOL = ["school_children"]
FEATURE_PHONE = ["feature_phone"]
ELDERLY_AGE = 60

# (service code, tags_any, min_age, max_age, devices, priority, reason)
RULES: tuple[tuple[str, list, int | None, int | None, list, int, str], ...] = (
    # Traders: payment, merchant QR and e-commerce first.
    ("merchant-qr", TRADER, None, None, [], 1, "Hộ kinh doanh: chưa nhận thanh toán QR"),
    ("cashless-account", TRADER, None, None, [], 2, "Hộ kinh doanh: cần tài khoản để nhận tiền bán hàng"),
    ("ecommerce-selling", TRADER, None, None, [], 3, "Hộ kinh doanh: bán hàng trên sàn voso.vn, postmart.vn"),
    ("etax-mobile", TRADER, None, None, [], 9, "Hộ kinh doanh: kê khai, nộp thuế trên điện thoại"),
    ("social-selling", TRADER, None, None, [], 25, "Hộ kinh doanh: quảng bá sản phẩm trên mạng xã hội"),
    # Families with school children.
    ("school-fee-payment", SCHOOL, None, None, [], 5, "Gia đình có con đi học: đóng học phí không dùng tiền mặt"),
    ("online-learning", SCHOOL, None, None, [], 8, "Gia đình có con đi học: phần mềm học tập, sổ liên lạc điện tử"),
    ("online-dossier", SCHOOL, None, None, [], 12, "Gia đình có con đi học: làm thủ tục cho con trên mạng"),
    ("public-service-portal-account", SCHOOL, None, None, [], 14,
     "Gia đình có con đi học: nộp hồ sơ tuyển sinh, thủ tục trên Cổng Dịch vụ công"),
    # Elderly people.
    ("scam-awareness", [], ELDERLY_AGE, None, [], 4, "Người cao tuổi: cảnh giác cuộc gọi giả danh công an, con cháu"),
    ("telehealth", [], ELDERLY_AGE, None, [], 5, "Người cao tuổi: khám bệnh từ xa, đỡ phải đi lại"),
    ("health-book", [], ELDERLY_AGE, None, [], 6, "Người cao tuổi: xem sổ sức khỏe điện tử trên VNeID"),
    ("pension-cashless", [], ELDERLY_AGE, None, [], 7, "Người cao tuổi: nhận lương hưu, trợ cấp qua tài khoản"),
    # Feature-phone owners: nothing here needs a smartphone.
    ("scam-awareness", [], None, None, FEATURE_PHONE, 3, "Điện thoại phổ thông: nhận biết cuộc gọi, tin nhắn lừa đảo"),
    ("mobile-money", [], None, None, FEATURE_PHONE, 6, "Điện thoại phổ thông: trả tiền bằng Mobile Money, không cần điện thoại thông minh"),
    ("utility-bill-payment", [], None, None, FEATURE_PHONE, 7, "Điện thoại phổ thông: trả tiền điện, nước qua Mobile Money/SMS"),
    ("data-self-protection", [], None, None, FEATURE_PHONE, 8, "Điện thoại phổ thông: không đọc mã OTP cho người lạ"),
    ("spam-report", [], None, None, FEATURE_PHONE, 9, "Điện thoại phổ thông: nhắn tin 156/5656 báo tin nhắn, cuộc gọi rác"),
    # Everyone.
    ("vneid-level2", [], None, None, [], 10, "Bước đầu tiên: định danh điện tử mức 2 (VNeID)"),
    ("scam-awareness", [], None, None, [], 20, "Ai cũng cần: nhận biết cuộc gọi, tin nhắn lừa đảo"),
    ("cashless-account", [], None, None, [], 30, "Mở tài khoản để trả, nhận tiền không dùng tiền mặt"),
    ("public-service-portal-account", [], None, None, [], 40, "Có VNeID: làm thủ tục trên Cổng Dịch vụ công"),
    ("data-self-protection", [], None, None, [], 45, "Giữ an toàn mật khẩu, mã OTP, thông tin cá nhân"),
    ("qr-payment", [], None, None, [], 50, "Trả tiền khi mua hàng bằng quét mã QR"),
    ("utility-bill-payment", [], None, None, [], 55, "Trả tiền điện, nước không phải ra quầy"),
    ("online-shopping", [], None, None, [], 60, "Mua hàng trực tuyến an toàn, đúng giá"),
    ("commune-zalo-oa", [], None, None, [], 70, "Nhận thông báo của xã, phường trên Zalo"),
)


def seed_national(service_model, rule_model) -> tuple[int, int]:
    """Add the national services and rules that are missing; never change existing rows.

    A service is added when its code is unknown; the national rules of a service are added only
    when the service has no national rule yet (so rules an administrator edited stay as they are).
    Returns (services added, rules added)."""
    known = set(service_model.objects.values_list("code", flat=True))
    new_services = [
        service_model(
            code=code, name=name, skill=skill, needs_smartphone=smart, sort_order=order, description=description
        )
        for code, name, skill, smart, order, description in SERVICES
        if code not in known
    ]
    service_model.objects.bulk_create(new_services)
    by_code = {s.code: s for s in service_model.objects.filter(province__isnull=True)}
    with_rules = set(
        rule_model.objects.filter(province__isnull=True).values_list("service__code", flat=True).distinct()
    )
    new_rules = [
        rule_model(
            service=by_code[code], tags_any=list(tags), min_age=min_age, max_age=max_age, devices=list(devices),
            priority=priority, reason=reason,
        )
        for code, tags, min_age, max_age, devices, priority, reason in RULES
        if code in by_code and code not in with_rules
    ]
    rule_model.objects.bulk_create(new_rules)
    return len(new_services), len(new_rules)


def national_catalogue_ensure() -> tuple[int, int]:
    """Put the national catalogue back after a test flushed the database (migrations seed it once)."""
    from congdongso.catalog.models import RecommendationRule, Service

    return seed_national(Service, RecommendationRule)
