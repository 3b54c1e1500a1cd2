"""Community digital technology teams (Tổ CNSCĐ), their members and trainings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    unit = models.ForeignKey(
        "geo.Unit", on_delete=models.PROTECT, related_name="teams", verbose_name=_("thôn/xã phụ trách")
    )
    name = models.CharField(_("tên tổ"), max_length=200)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    zalo_link = models.URLField(_("đường dẫn nhóm Zalo"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tổ CNSCĐ")
        verbose_name_plural = _("tổ CNSCĐ")
        indexes = [models.Index(fields=["unit", "is_active"], name="teams_team_unit_active_idx")]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Tổ trưởng")
    DEPUTY = "deputy", _("Tổ phó")
    MEMBER = "member", _("Thành viên")


class Affiliation(models.TextChoices):
    YOUTH_UNION = "youth_union", _("Đoàn Thanh niên")
    POLICE = "police", _("Công an")
    WOMENS_UNION = "womens_union", _("Hội Phụ nữ")
    VILLAGE_HEAD = "village_head", _("Trưởng thôn/tổ trưởng dân phố")
    TEACHER = "teacher", _("Giáo viên")
    TELECOM = "telecom", _("Nhân viên viễn thông")
    OTHER = "other", _("Khác")


class Membership(models.Model):
    """A person on a team: a user with a login, or a named volunteer without one."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships",
        verbose_name=_("tài khoản"),
    )
    display_name = models.CharField(_("họ tên"), max_length=150)
    role = models.CharField(_("vai trò trong tổ"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    affiliation = models.CharField(_("lực lượng"), max_length=16, choices=Affiliation.choices, default=Affiliation.OTHER)
    joined_on = models.DateField(_("ngày tham gia"))
    left_on = models.DateField(_("ngày rời tổ"), null=True, blank=True)

    class Meta:
        verbose_name = _("thành viên tổ")
        verbose_name_plural = _("thành viên tổ")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"], condition=Q(left_on__isnull=True, user__isnull=False),
                name="teams_one_active_membership_per_user",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="teams_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class Training(models.Model):
    unit = models.ForeignKey(
        "geo.Unit", on_delete=models.PROTECT, related_name="trainings", verbose_name=_("đơn vị tổ chức")
    )
    title = models.CharField(_("nội dung tập huấn"), max_length=200)
    held_on = models.DateField(_("ngày tập huấn"))
    location = models.CharField(_("địa điểm"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("buổi tập huấn")
        verbose_name_plural = _("buổi tập huấn")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="attendances")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tham dự tập huấn")
        verbose_name_plural = _("tham dự tập huấn")
        constraints = [
            models.UniqueConstraint(fields=["training", "membership"], name="teams_attendance_unique"),
        ]
