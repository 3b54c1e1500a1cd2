"""Administrative units: the 2025 structure, the legacy one, and the history linking them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congdongso.geo.fields import PathField


class Level(models.TextChoices):
    PROVINCE = "province", _("Tỉnh/thành phố")
    DISTRICT = "district", _("Huyện/quận (cũ)")
    COMMUNE = "commune", _("Xã/phường/đặc khu")
    VILLAGE = "village", _("Thôn/tổ dân phố")


class Kind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    CITY = "city", _("Thành phố trực thuộc trung ương")
    LEGACY_DISTRICT = "legacy_district", _("Huyện/quận/thị xã/thành phố thuộc tỉnh (cũ)")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    TOWNSHIP = "township", _("Thị trấn (cũ)")
    THON = "thon", _("Thôn")
    AP = "ap", _("Ấp")
    BAN = "ban", _("Bản")
    KHOM = "khom", _("Khóm")
    TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")
    OTHER_VILLAGE = "other_village", _("Làng/buôn/phum/sóc khác")


KINDS_BY_LEVEL: dict[str, tuple[str, ...]] = {
    Level.PROVINCE: (Kind.PROVINCE, Kind.CITY),
    Level.DISTRICT: (Kind.LEGACY_DISTRICT,),
    Level.COMMUNE: (Kind.COMMUNE, Kind.WARD, Kind.SPECIAL_ZONE, Kind.TOWNSHIP),
    Level.VILLAGE: (Kind.THON, Kind.AP, Kind.BAN, Kind.KHOM, Kind.TO_DAN_PHO, Kind.OTHER_VILLAGE),
}
VILLAGE_KINDS = KINDS_BY_LEVEL[Level.VILLAGE]


class UnitQuerySet(models.QuerySet):
    def current(self) -> "UnitQuerySet":
        """Units of today's structure: not legacy, not merged away."""
        return self.filter(is_legacy=False, valid_until__isnull=True)

    def subtree(self, unit: "Unit") -> "UnitQuerySet":
        return self.filter(path__prefix=unit.path)


class Unit(models.Model):
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    code = models.CharField(_("mã"), max_length=32)
    name = models.CharField(_("tên"), max_length=200)
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("thuộc")
    )
    path = PathField(editable=False)
    depth = models.PositiveSmallIntegerField(editable=False)
    is_legacy = models.BooleanField(_("đơn vị trước 1/7/2025"), default=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    # The last day in force (legacy units: 30 June 2025); None while the unit is current.
    valid_until = models.DateField(_("hết hiệu lực"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        constraints = [
            # Codes are never reused (QĐ 19/2025/QĐ-TTg): unique for ever, retired units included.
            models.UniqueConstraint(fields=["is_legacy", "level", "code"], name="geo_unit_code_unique"),
            models.CheckConstraint(
                condition=Q(level=Level.PROVINCE, kind__in=KINDS_BY_LEVEL[Level.PROVINCE])
                | Q(level=Level.DISTRICT, kind__in=KINDS_BY_LEVEL[Level.DISTRICT])
                | Q(level=Level.COMMUNE, kind__in=KINDS_BY_LEVEL[Level.COMMUNE])
                | Q(level=Level.VILLAGE, kind__in=KINDS_BY_LEVEL[Level.VILLAGE]),
                name="geo_unit_kind_matches_level",
            ),
            models.CheckConstraint(
                condition=Q(level=Level.PROVINCE, parent__isnull=True) | Q(parent__isnull=False),
                name="geo_unit_parent_unless_province",
            ),
        ]
        indexes = [models.Index(fields=["level", "is_legacy", "valid_until"], name="geo_unit_level_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return not self.is_legacy and self.valid_until is None

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the province down to this unit, read off the path."""
        return [int(part) for part in self.path.strip("/").split("/")]


class LinkReason(models.TextChoices):
    REFORM_2025 = "reform_2025", _("Sắp xếp đơn vị hành chính 2025")
    MERGE = "merge", _("Sáp nhập")
    SPLIT = "split", _("Chia tách")


class UnitLink(models.Model):
    """A predecessor unit lives on (wholly or partly) in a successor unit."""

    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessor_links")
    reason = models.CharField(max_length=16, choices=LinkReason.choices)
    effective_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("liên kết kế thừa đơn vị")
        verbose_name_plural = _("liên kết kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="geo_unitlink_unique"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="geo_unitlink_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id}"


class UnitName(models.Model):
    """A name a unit used to have, so that old names still find it."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="former_names")
    name = models.CharField(max_length=200)
    search_name = models.CharField(max_length=200, db_index=True)
    valid_until = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tên cũ của đơn vị")
        verbose_name_plural = _("tên cũ của đơn vị")

    def __str__(self) -> str:
        return self.name
