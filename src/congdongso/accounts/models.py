"""Users and the roles they hold on administrative units."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Thành viên tổ")
    TEAM_LEADER = "team_leader", _("Tổ trưởng")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ xã/phường")
    PROVINCE_OFFICER = "province_officer", _("Cán bộ tỉnh/thành phố")
    NATIONAL_ADMIN = "national_admin", _("Quản trị toàn quốc")


# Roles that manage units, teams and villages inside their scope.
MANAGER_ROLES = (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.NATIONAL_ADMIN)
# Roles that may merge, split or rename administrative units.
UNIT_ADMIN_ROLES = (Role.PROVINCE_OFFICER, Role.NATIONAL_ADMIN)


class User(AbstractUser):
    display_name = models.CharField(_("tên hiển thị"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("vai trò"), max_length=24, choices=Role.choices)
    unit = models.ForeignKey(
        "geo.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="role_assignments",
        verbose_name=_("đơn vị"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="accounts_role_unique"),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(unit__isnull=True), name="accounts_national_role_unique"
            ),
            # Only a national admin holds a role without a unit; everyone else is scoped to one.
            models.CheckConstraint(
                condition=Q(role=Role.NATIONAL_ADMIN, unit__isnull=True)
                | (~Q(role=Role.NATIONAL_ADMIN) & Q(unit__isnull=False)),
                name="accounts_role_unit_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class Device(models.Model):
    """A member's phone that syncs (its id is a UUID made once by the app on the phone).

    Its bearer token is shown once when issued and only a hash of it is stored; revoking the device
    clears the hash, so the token stops working at once. `pending_events` is what the phone last
    reported as still waiting in its outbox."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="devices", verbose_name=_("người dùng"))
    device_id = models.UUIDField(_("mã thiết bị"))
    label = models.CharField(_("tên thiết bị"), max_length=80, blank=True)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("đăng ký lúc"), auto_now_add=True)
    last_sync_at = models.DateTimeField(_("đồng bộ lần cuối"), null=True, blank=True)
    pending_events = models.PositiveIntegerField(_("bản ghi chờ đồng bộ"), default=0)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thiết bị")
        verbose_name_plural = _("thiết bị")
        constraints = [models.UniqueConstraint(fields=["user", "device_id"], name="accounts_device_unique")]

    def __str__(self) -> str:
        return self.label or str(self.device_id)[:8]

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class TOTPDevice(models.Model):
    """A user's authenticator app (TOTP, RFC 6238: 6 digits every 30 s).

    The shared secret is sealed with a key derived from SECRET_KEY (see accounts.twofactor), so a
    database dump or backup alone does not hold it; it is shown only while enrolling. Until the user
    types a first right code `confirmed_at` is empty and the device does not count. `last_used_step`
    is the 30-second step of the last accepted code: a code of that step or an earlier one is refused,
    so a code seen over someone's shoulder cannot be used again."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="totp_device", verbose_name=_("người dùng")
    )
    sealed_secret = models.CharField(max_length=200, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("kích hoạt lúc"), null=True, blank=True, editable=False)
    last_used_step = models.BigIntegerField(default=0, editable=False)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("ứng dụng xác thực")
        verbose_name_plural = _("ứng dụng xác thực")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A one-time code for signing in without the authenticator app (ten are given at enrolment).

    Only a keyed hash is stored; `used_at` is set the one time it is accepted."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã khôi phục")
        verbose_name_plural = _("mã khôi phục")
