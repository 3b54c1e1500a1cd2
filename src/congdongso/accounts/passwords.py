"""Password strength: zxcvbn's estimate of how many guesses a password takes, told in Vietnamese.

zxcvbn knows English words and common passwords; the Vietnamese words people build passwords from
(and this site's own name) are added to what it checks against, with the user's own name and login.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from zxcvbn import zxcvbn

# zxcvbn's time grows quickly with length; beyond this the estimate is "very strong" anyway.
MAX_ESTIMATED_LENGTH = 64
VIETNAMESE_WORDS = (
    "congdongso", "cong dong so", "matkhau", "mat khau", "anhyeuem", "emyeuanh", "yeuem", "yeuanh", "vietnam",
    "hanoi", "saigon", "hochiminh", "danang", "haiphong", "nguyen", "tran", "pham", "hoang", "huynh", "phan",
    "xinchao", "chaoban", "tuoitre", "doanthanhnien", "tinh", "huyen", "phuong", "thon", "ban", "totruong",
    "canbo", "thanhvien", "quantri", "admin", "vneid", "zalo", "123456", "ngaysinh",
)
SCORE_LABELS = {
    0: gettext_lazy("Rất yếu"),
    1: gettext_lazy("Yếu"),
    2: gettext_lazy("Trung bình"),
    3: gettext_lazy("Mạnh"),
    4: gettext_lazy("Rất mạnh"),
}


@dataclass(frozen=True)
class Estimate:
    score: int  # 0 (guessed at once) .. 4 (very hard to guess)
    guesses_log10: float

    @property
    def label(self) -> str:
        return str(SCORE_LABELS[self.score])

    @property
    def crack_time(self) -> str:
        """Roughly how long an attacker holding a stolen, slowly hashed copy would need."""
        seconds = 10**self.guesses_log10 / 10_000
        for limit, unit in ((60, _("giây")), (3600, _("phút")), (86400, _("giờ")), (86400 * 365, _("ngày"))):
            if seconds < limit:
                divisor = {60: 1, 3600: 60, 86400: 3600, 86400 * 365: 86400}[limit]
                return _("khoảng %(n)d %(unit)s") % {"n": max(1, round(seconds / divisor)), "unit": unit}
        years = seconds / (86400 * 365)
        if years > 100:
            return _("hơn 100 năm")
        return _("khoảng %(n)d năm") % {"n": max(1, round(years))}


def estimate(password: str, user=None) -> Estimate:
    inputs = list(VIETNAMESE_WORDS)
    if user is not None:
        for attribute in ("username", "display_name", "first_name", "last_name", "email"):
            value = getattr(user, attribute, "") or ""
            inputs += [value, *value.replace("@", " ").replace(".", " ").split()]
    result = zxcvbn(password[:MAX_ESTIMATED_LENGTH], user_inputs=[i.lower() for i in inputs if i])
    return Estimate(score=int(result["score"]), guesses_log10=float(result["guesses_log10"]))


class StrengthValidator:
    """AUTH_PASSWORD_VALIDATORS entry: refuse a password whose estimated strength is below `min_score`."""

    def __init__(self, min_score: int = 3):
        self.min_score = min_score

    def validate(self, password: str, user=None) -> None:
        result = estimate(password, user)
        if result.score < self.min_score:
            raise ValidationError(
                _(
                    "Mật khẩu này quá dễ đoán (độ mạnh: %(label)s, %(score)d/4; cần ít nhất %(min)d/4). "
                    "Hãy dùng một câu dài gồm vài từ không liên quan, tránh tên, ngày sinh và các dãy số quen thuộc."
                ),
                code="password_too_weak",
                params={"label": result.label, "score": result.score, "min": self.min_score},
            )

    def get_help_text(self) -> str:
        return _("Mật khẩu phải đủ khó đoán (độ mạnh ước tính ít nhất %(min)d/4).") % {"min": self.min_score}
