"""A starter tactic list and status advice, so the checker and the lookup say something on day one.

Officers own this data and are expected to edit it. The advice here is deliberately neutral and
general. No hotline numbers are seeded: only numbers that the authorities have published belong in
the list, and officers enter them.
"""

from django.db import migrations

STATUS_ADVICE = {
    "confirmed": (
        "Đã có xác nhận đây là lừa đảo. Không nghe máy, không trả lời, không bấm vào đường dẫn, không chuyển tiền. "
        "Nếu đã lỡ chuyển tiền hoặc cung cấp thông tin, hãy báo ngay cho ngân hàng của bạn và công an nơi gần nhất."
    ),
    "verifying": (
        "Đã có người phản ánh và cơ quan chức năng đang xác minh. Hãy thận trọng: không chuyển tiền, "
        "không cung cấp mã OTP, mật khẩu hay thông tin cá nhân."
    ),
    "no_reports": (
        "Chưa có phản ánh nào trong hệ thống. Chưa có phản ánh không có nghĩa là an toàn: "
        "không cung cấp mã OTP, mật khẩu; không chuyển tiền cho người lạ."
    ),
}

TACTICS = [
    {
        "code": "yeu-cau-ma-otp",
        "name": "Đề nghị cung cấp mã OTP, mật khẩu",
        "explanation": "Mã OTP và mật khẩu chỉ dành cho chính chủ tài khoản. Người đề nghị bạn đọc hoặc gửi mã "
        "OTP, mật khẩu là dấu hiệu điển hình của lừa đảo chiếm đoạt tài khoản.",
        "advice": "Không cung cấp mã OTP, mật khẩu cho bất kỳ ai, kể cả người xưng là nhân viên ngân hàng, "
        "nhà mạng hay công an.",
        "keywords": "\n".join([
            "cung cấp * mã OTP", "cung cấp * OTP", "đọc * mã OTP", "đọc * OTP", "gửi * mã OTP", "gửi lại mã",
            "nhập * mã OTP * đường link", "cung cấp * mã xác thực", "đọc * mã xác thực", "gửi * mã xác thực",
            "cung cấp * mật khẩu", "gửi * mật khẩu", "đọc mã cho",
        ]),
    },
    {
        "code": "gia-danh-co-quan-chuc-nang",
        "name": "Giả danh công an, tòa án, viện kiểm sát, cơ quan thuế",
        "explanation": "Kẻ gian xưng là cơ quan chức năng, báo bạn liên quan đến vụ án hoặc nợ thuế để gây sợ hãi, "
        "rồi yêu cầu chuyển tiền hoặc cung cấp thông tin.",
        "advice": "Không làm theo yêu cầu qua điện thoại hay mạng xã hội; không chuyển tiền để \"xác minh\". "
        "Hãy đến trực tiếp trụ sở cơ quan đó để hỏi lại.",
        "keywords": "\n".join([
            "công an + điều tra", "công an + vụ án", "công an + triệu tập", "giấy triệu tập", "lệnh bắt",
            "viện kiểm sát", "tòa án + triệu tập", "liên quan * vụ án", "rửa tiền", "đường dây ma túy",
            "tài khoản tạm giữ", "chuyển tiền * để xác minh", "cơ quan thuế + nợ thuế", "cục thuế + nợ",
        ]),
    },
    {
        "code": "gia-danh-dien-luc-nha-mang",
        "name": "Giả danh điện lực, nhà mạng",
        "explanation": "Kẻ gian báo sắp cắt điện, khóa SIM hoặc cần chuẩn hóa thuê bao để ép bạn làm theo gấp.",
        "advice": "Không bấm đường dẫn, không cài ứng dụng theo hướng dẫn của người lạ. Liên hệ trực tiếp điểm giao "
        "dịch của điện lực hoặc nhà mạng để kiểm tra.",
        "keywords": "\n".join([
            "điện lực + cắt điện", "ngừng cấp điện", "tiền điện * quá hạn", "khóa sim", "chuẩn hóa thuê bao",
            "cập nhật * sim + link", "thuê bao * bị khóa",
        ]),
    },
    {
        "code": "dang-nhap-vneid-qua-link",
        "name": "Đề nghị đăng nhập, cài đặt VNeID hoặc định danh qua đường dẫn lạ",
        "explanation": "Ứng dụng VNeID chỉ tải từ kho ứng dụng chính thức. Đường dẫn lạ mời cài ứng dụng hoặc đăng nhập "
        "để \"cập nhật định danh\" thường là ứng dụng giả để chiếm đoạt tài khoản.",
        "advice": "Không cài ứng dụng từ đường dẫn lạ. Cần hỗ trợ VNeID, hãy đến công an xã/phường hoặc nhờ tổ công "
        "nghệ số cộng đồng.",
        "keywords": "\n".join([
            "vneid + http", "vneid + link", "vneid + đường dẫn", "định danh điện tử + http",
            "định danh điện tử + link", "định danh mức 2 + link", "cập nhật * định danh + link", "vneid + apk",
        ]),
    },
    {
        "code": "bao-tai-khoan-bi-khoa",
        "name": "Báo tài khoản bị khóa, cần xác minh gấp",
        "explanation": "Tin báo tài khoản ngân hàng, mạng xã hội bị khóa kèm đường dẫn hoặc số điện thoại lạ là cách "
        "thường gặp để lừa bạn đăng nhập vào trang giả.",
        "advice": "Không bấm đường dẫn trong tin nhắn. Tự mở ứng dụng ngân hàng hoặc gọi số chăm sóc khách hàng in "
        "trên thẻ để kiểm tra.",
        "keywords": "\n".join([
            "tài khoản * bị khóa + link", "tài khoản * bị khóa + http", "tài khoản * bị khóa + liên hệ",
            "tạm khóa tài khoản", "tài khoản * bị đóng băng", "xác minh tài khoản + http",
        ]),
    },
    {
        "code": "trung-thuong",
        "name": "Báo trúng thưởng, nhận quà tri ân",
        "explanation": "Bạn được báo trúng thưởng dù không tham gia chương trình nào, rồi bị đòi nộp phí hoặc cung cấp "
        "thông tin để nhận thưởng.",
        "advice": "Không nộp bất kỳ khoản phí nào để nhận thưởng; không cung cấp thông tin cá nhân.",
        "keywords": "\n".join([
            "trúng thưởng", "chúc mừng * trúng", "quà tri ân", "phí nhận thưởng", "nhận giải thưởng + phí",
        ]),
    },
    {
        "code": "viec-nhe-luong-cao",
        "name": "Việc nhẹ lương cao, làm nhiệm vụ online",
        "explanation": "Lời mời làm việc online dễ dàng, hoa hồng cao, ban đầu trả tiền thật để tạo lòng tin rồi yêu cầu "
        "nạp tiền ngày càng lớn.",
        "advice": "Không nạp tiền để nhận việc hay làm nhiệm vụ. Công việc thật không bắt người làm nộp tiền trước.",
        "keywords": "\n".join([
            "việc nhẹ lương cao", "làm nhiệm vụ + hoa hồng", "cộng tác viên + hoa hồng", "đơn hàng ảo",
            "thả tim + nhận tiền", "like video + hoa hồng", "nạp tiền * nhận nhiệm vụ",
        ]),
    },
    {
        "code": "dau-tu-loi-nhuan-cao",
        "name": "Mời đầu tư lợi nhuận cao",
        "explanation": "Lời mời đầu tư cam kết lợi nhuận cao, nhanh, trên sàn hoặc ứng dụng lạ là dấu hiệu của lừa đảo.",
        "advice": "Không chuyển tiền đầu tư theo lời mời qua mạng. Tìm hiểu kỹ và hỏi người thân trước khi quyết định.",
        "keywords": "\n".join([
            "cam kết lợi nhuận", "lợi nhuận * mỗi ngày", "nhân đôi tài khoản", "sàn giao dịch + lợi nhuận",
            "đầu tư + lãi suất cao", "tiền ảo + lợi nhuận",
        ]),
    },
    {
        "code": "cho-vay-nhanh",
        "name": "Cho vay nhanh, không cần thế chấp",
        "explanation": "Kẻ gian mời vay dễ dàng rồi đòi nộp phí hồ sơ, phí giải ngân hoặc \"sửa lỗi\" trước khi nhận tiền.",
        "advice": "Không nộp bất kỳ khoản phí nào trước khi vay. Chỉ vay tại ngân hàng, tổ chức tín dụng được cấp phép.",
        "keywords": "\n".join([
            "vay nhanh", "không cần thế chấp", "giải ngân + phí", "phí hồ sơ + khoản vay",
            "khoản vay + đóng phí", "sai số tài khoản + giải ngân",
        ]),
    },
    {
        "code": "gia-danh-giao-hang",
        "name": "Giả danh giao hàng, đòi phí đơn hàng",
        "explanation": "Tin nhắn báo có bưu phẩm, đơn hàng bị giữ hoặc cần nộp phí vận chuyển, thông quan qua đường dẫn lạ.",
        "advice": "Không bấm đường dẫn, không chuyển phí cho đơn hàng bạn không đặt. Kiểm tra trên ứng dụng của đơn vị "
        "vận chuyển hoặc sàn thương mại điện tử.",
        "keywords": "\n".join([
            "bưu phẩm + phí", "bưu kiện + thông quan", "đơn hàng * bị giữ", "phí vận chuyển + link",
            "phí vận chuyển + http", "giao hàng + đóng phí",
        ]),
    },
    {
        "code": "nguoi-than-cap-cuu",
        "name": "Báo người thân gặp nạn, cấp cứu cần tiền gấp",
        "explanation": "Kẻ gian báo con em, người thân bị tai nạn, đang cấp cứu và cần chuyển tiền ngay, không cho bạn "
        "kịp kiểm tra.",
        "advice": "Bình tĩnh, gọi trực tiếp cho người thân hoặc nhà trường, bệnh viện để kiểm tra trước khi chuyển tiền.",
        "keywords": "\n".join([
            "cấp cứu + chuyển tiền", "cấp cứu + chuyển khoản", "tai nạn + chuyển tiền", "tai nạn + chuyển khoản",
            "nhập viện + chuyển tiền", "đang cấp cứu + gấp",
        ]),
    },
]


def seed(apps, schema_editor):
    Tactic = apps.get_model("scams", "Tactic")
    StatusAdvice = apps.get_model("scams", "StatusAdvice")
    for status, advice in STATUS_ADVICE.items():
        StatusAdvice.objects.get_or_create(status=status, defaults={"advice": advice})
    for spec in TACTICS:
        Tactic.objects.get_or_create(code=spec["code"], defaults={**spec, "hotlines": "", "is_active": True})


def unseed(apps, schema_editor):
    apps.get_model("scams", "Tactic").objects.filter(code__in=[t["code"] for t in TACTICS]).delete()
    apps.get_model("scams", "StatusAdvice").objects.filter(status__in=list(STATUS_ADVICE)).delete()


class Migration(migrations.Migration):
    dependencies = [("scams", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
