"""The digital services catalogue, the five basic skills, adoption and recommendation rules."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Skill(models.TextChoices):
    """The five basic digital skills (CV 3240/BTTTT-CĐSQG, 2024)."""

    PUBLIC_SERVICES = "public_services", _("Dịch vụ công trực tuyến")
    ONLINE_SHOPPING = "online_shopping", _("Mua sắm trực tuyến")
    ONLINE_PAYMENT = "online_payment", _("Thanh toán trực tuyến")
    ONLINE_SAFETY = "online_safety", _("Bảo vệ bản thân trên môi trường mạng")
    LOCAL_PLATFORM = "local_platform", _("Nền tảng số do địa phương lựa chọn")


class ServiceQuerySet(models.QuerySet):
    def delete(self):
        raise models.ProtectedError(str(_("Dịch vụ không bao giờ bị xóa (mã không được dùng lại): hãy ngừng dùng.")), set())


class Service(models.Model):
    """A digital service people can be helped with. National when `province` is empty.

    Codes are never reused: a service is never deleted (deactivate it instead), so its code stays
    taken for ever and adoption history keeps its meaning."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên dịch vụ"), max_length=200)
    skill = models.CharField(_("kỹ năng"), max_length=24, choices=Skill.choices)
    description = models.CharField(_("mô tả ngắn"), max_length=300, blank=True)
    province = models.ForeignKey(
        "geo.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="services",
        verbose_name=_("tỉnh/thành phố (dịch vụ riêng)"),
    )
    needs_smartphone = models.BooleanField(_("cần điện thoại thông minh"), default=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("dịch vụ số")
        verbose_name_plural = _("dịch vụ số")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(str(_("Dịch vụ không bao giờ bị xóa (mã không được dùng lại): hãy ngừng dùng.")), {self})


class AdoptionState(models.TextChoices):
    NOT_YET = "not_yet", _("Chưa sử dụng")
    ASSISTED = "assisted", _("Đã được hướng dẫn")
    INDEPENDENT = "independent", _("Tự sử dụng được")


class Adoption(models.Model):
    resident = models.ForeignKey("households.Resident", on_delete=models.CASCADE, related_name="adoptions")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="adoptions")
    state = models.CharField(_("mức độ"), max_length=16, choices=AdoptionState.choices, default=AdoptionState.NOT_YET)
    first_assisted_at = models.DateTimeField(_("lần đầu được hướng dẫn"), null=True, blank=True)
    independent_since = models.DateTimeField(_("tự sử dụng từ"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mức độ sử dụng dịch vụ")
        verbose_name_plural = _("mức độ sử dụng dịch vụ")
        constraints = [models.UniqueConstraint(fields=["resident", "service"], name="catalog_adoption_unique")]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.service_id} {self.state}"


class RecommendationRule(models.Model):
    """"Help this kind of household with this service next, because …" — data, not code.

    A rule matches a household when all its conditions hold: `tags_any` (the household has at least
    one of these tags; empty = any household), a resident aged `min_age`..`max_age`, a resident with
    one of `devices`. A rule of a province overrides the national rule for the same service.
    """

    province = models.ForeignKey(
        "geo.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="recommendation_rules",
        verbose_name=_("tỉnh/thành phố (để trống: toàn quốc)"),
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="rules")
    tags_any = models.JSONField(_("đặc điểm hộ (một trong)"), default=list, blank=True)
    min_age = models.PositiveSmallIntegerField(_("tuổi từ"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("tuổi đến"), null=True, blank=True)
    devices = models.JSONField(_("thiết bị (một trong)"), default=list, blank=True)
    priority = models.PositiveSmallIntegerField(_("độ ưu tiên (nhỏ là trước)"), default=50)
    reason = models.CharField(_("lý do hiển thị"), max_length=200)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("quy tắc gợi ý")
        verbose_name_plural = _("quy tắc gợi ý")
        ordering = ["priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(min_age__lte=models.F("max_age")),
                name="catalog_rule_age_range",
            ),
        ]

    def __str__(self) -> str:
        return self.reason


class MerchantAccount(models.Model):
    """A business household's receiving account for its VietQR sign, kept only when the owner
    agreed to it (the sign page stores nothing otherwise). Erased when the household withdraws
    consent. Only an account number: never card data, passwords or OTPs."""

    household = models.OneToOneField(
        "households.Household", on_delete=models.CASCADE, related_name="merchant_account"
    )
    bank = models.CharField(_("ngân hàng"), max_length=32)  # a bank key of vietnam-qr-pay
    account_number = models.CharField(_("số tài khoản"), max_length=19)
    account_name = models.CharField(_("tên chủ tài khoản"), max_length=50, blank=True)
    shop_name = models.CharField(_("tên cửa hàng"), max_length=60, blank=True)
    owner_consented_at = models.DateTimeField(_("thời điểm chủ hộ đồng ý lưu"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tài khoản nhận tiền của hộ kinh doanh")
        verbose_name_plural = _("tài khoản nhận tiền của hộ kinh doanh")

    def __str__(self) -> str:
        return f"{self.bank} …{self.account_number[-4:]}"
