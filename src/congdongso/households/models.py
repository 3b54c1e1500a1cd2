"""Households and residents, kept as counts until someone in the household consents.

Personal details (names, address line, phones, birth years) may be stored only while a consent
record is in force; withdrawing consent anonymises them at once, and the counts stay.
Never stored, anywhere: passwords, OTPs, ID-card images, full citizen ID numbers, bank card data.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congdongso.common.ids import new_id


class Tag(models.TextChoices):
    BUSINESS = "business", _("Hộ kinh doanh/tiểu thương")
    SCHOOL_CHILDREN = "school_children", _("Có con em đi học")
    ELDERLY = "elderly", _("Có người cao tuổi")
    POOR = "poor", _("Hộ nghèo/cận nghèo")
    ETHNIC_MINORITY = "ethnic_minority", _("Dân tộc thiểu số")
    DISABILITY = "disability", _("Có người khuyết tật")


TAG_FIELDS: dict[str, str] = {
    Tag.BUSINESS: "is_business",
    Tag.SCHOOL_CHILDREN: "has_school_children",
    Tag.ELDERLY: "has_elderly",
    Tag.POOR: "is_poor",
    Tag.ETHNIC_MINORITY: "is_ethnic_minority",
    Tag.DISABILITY: "has_disability",
}


class Device(models.TextChoices):
    SMARTPHONE = "smartphone", _("Điện thoại thông minh")
    FEATURE_PHONE = "feature_phone", _("Điện thoại phổ thông")
    NONE = "none", _("Không có điện thoại")


class Sex(models.TextChoices):
    FEMALE = "female", _("Nữ")
    MALE = "male", _("Nam")
    UNSPECIFIED = "unspecified", _("Không nêu")


class Household(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    village = models.ForeignKey(
        "geo.Unit", on_delete=models.PROTECT, related_name="households", verbose_name=_("thôn/tổ dân phố")
    )
    # Tags describe the household's needs; they are kept with the counts (no names, no contact).
    # One column per tag so that filters and counts are plain indexed SQL on every backend.
    is_business = models.BooleanField(Tag.BUSINESS.label, default=False)
    has_school_children = models.BooleanField(Tag.SCHOOL_CHILDREN.label, default=False)
    has_elderly = models.BooleanField(Tag.ELDERLY.label, default=False)
    is_poor = models.BooleanField(Tag.POOR.label, default=False)
    is_ethnic_minority = models.BooleanField(Tag.ETHNIC_MINORITY.label, default=False)
    has_disability = models.BooleanField(Tag.DISABILITY.label, default=False)
    resident_count = models.PositiveSmallIntegerField(_("số nhân khẩu"), default=0)
    # The household's code in the commune's own list ("mã hộ", e.g. "T1-015"), set by an import so
    # that a household imported twice is recognised. A list code, never a citizen ID number.
    list_ref = models.CharField(_("mã hộ trong danh sách của xã"), max_length=32, blank=True)
    # Personal details: empty unless consent is in force.
    head_name = models.CharField(_("tên chủ hộ"), max_length=150, blank=True)
    search_name = models.CharField(max_length=150, blank=True, db_index=True, editable=False)
    address_line = models.CharField(_("địa chỉ"), max_length=200, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    # Derived state, kept current by the services: read by the worklist and the dashboards.
    has_consent = models.BooleanField(_("đã đồng ý cung cấp thông tin"), default=False)
    has_nucleus = models.BooleanField(_("có hạt nhân số"), default=False)
    missing_skills = models.PositiveSmallIntegerField(_("số kỹ năng còn thiếu"), default=5)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        indexes = [
            models.Index(fields=["village", "has_nucleus", "missing_skills"], name="households_need_idx"),
        ]
        constraints = [
            # Counts-only households hold no personal details.
            models.CheckConstraint(
                condition=Q(has_consent=True) | Q(head_name="", address_line="", phone=""),
                name="households_details_need_consent",
            ),
            models.UniqueConstraint(
                fields=["village", "list_ref"], condition=~Q(list_ref=""), name="households_list_ref_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.head_name or str(_("Hộ chưa đồng ý cung cấp thông tin"))

    @property
    def tags(self) -> set[str]:
        return {tag for tag, field in TAG_FIELDS.items() if getattr(self, field)}

    @property
    def tag_labels(self) -> list[str]:
        return [label for tag, label in Tag.choices if getattr(self, TAG_FIELDS[tag])]

    @property
    def short_code(self) -> str:
        """Six characters to tell counts-only households apart on a page (not a secret, not an id)."""
        return self.pk.hex[-6:].upper() if self.pk else ""


class ConsentMethod(models.TextChoices):
    SPOKEN = "spoken", _("Đồng ý bằng lời")
    SIGNED = "signed", _("Ký giấy")
    IN_APP = "in_app", _("Tự xác nhận trên ứng dụng")


class ConsentPurpose(models.TextChoices):
    DIGITAL_SUPPORT = "digital_support", _("Hỗ trợ sử dụng dịch vụ số")
    CONTACT = "contact", _("Liên hệ hẹn lịch hỗ trợ")
    STATISTICS = "statistics", _("Thống kê phục vụ chính quyền (không định danh)")


CURRENT_NOTICE_VERSION = "2026-01"


class ConsentRecord(models.Model):
    """Who agreed, when, how, for what and under which notice; withdrawal closes it."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("người đồng ý"), max_length=150)
    method = models.CharField(_("hình thức"), max_length=16, choices=ConsentMethod.choices)
    purposes = models.JSONField(_("mục đích"), default=list)
    notice_version = models.CharField(_("phiên bản thông báo"), max_length=16)
    given_at = models.DateTimeField(_("thời điểm đồng ý"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("thời điểm rút lại"), null=True, blank=True)

    class Meta:
        verbose_name = _("bản ghi đồng ý")
        verbose_name_plural = _("bản ghi đồng ý")
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(withdrawn_at__isnull=True), name="households_one_consent_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.given_at:%Y-%m-%d}"


class Resident(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="residents")
    display_name = models.CharField(_("tên gọi"), max_length=150, blank=True)
    search_name = models.CharField(max_length=150, blank=True, db_index=True, editable=False)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=16, choices=Sex.choices, default=Sex.UNSPECIFIED)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    device = models.CharField(_("thiết bị"), max_length=16, choices=Device.choices, default=Device.NONE)
    # Derived from adoption by the services.
    proficient = models.BooleanField(_("thành thạo 5 kỹ năng số cơ bản"), default=False)
    skills = models.JSONField(_("kỹ năng đã thành thạo"), default=list, blank=True)
    is_anonymised = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nhân khẩu")
        verbose_name_plural = _("nhân khẩu")

    def __str__(self) -> str:
        return self.display_name or str(_("Nhân khẩu ẩn danh"))


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    CHECKING = "checking", _("Đang kiểm tra từng dòng")
    SAVING = "saving", _("Đang lưu")
    DONE = "done", _("Đã nhập xong")
    REJECTED = "rejected", _("Có dòng lỗi: không nhập dòng nào")
    FAILED = "failed", _("Lỗi hệ thống: không nhập dòng nào")


class ImportJob(models.Model):
    """One upload of a household list, imported by a background task: all rows or none.

    The uploaded file is kept only until the task has read it (it names people who have not
    consented yet); errors name a line and a reason, never a cell's personal content.
    """

    FINISHED = (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED)

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(_("tệp"), max_length=120)
    residents_file_name = models.CharField(_("tệp nhân khẩu"), max_length=120, blank=True)
    file_data = models.BinaryField(default=bytes, editable=False)
    residents_file_data = models.BinaryField(default=bytes, editable=False)
    status = models.CharField(_("trạng thái"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    done_rows = models.PositiveIntegerField(_("số dòng đã kiểm tra"), default=0)
    # [{"line": 5, "message": "...", "sheet": ""}], at most MAX_STORED_ERRORS; error_count counts all.
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    households_created = models.PositiveIntegerField(default=0)
    residents_created = models.PositiveIntegerField(default=0)
    consents_created = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập danh sách hộ")
        verbose_name_plural = _("lượt nhập danh sách hộ")
        indexes = [models.Index(fields=["unit", "-created_at"], name="households_importjob_unit_idx")]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        return min(99, 100 * self.done_rows // self.total_rows) if self.total_rows else 0


# Fields a member may edit on the phone, field by field (the sync's "household_edit" events).
PERSONAL_FIELDS = ("head_name", "address_line", "phone")
EDITABLE_FIELDS = (*PERSONAL_FIELDS, "resident_count", *TAG_FIELDS.values())


class HouseholdFieldVersion(models.Model):
    """One value a household field was given, and when (on the phone, or on a page): every version is
    kept; the field holds the value of its newest version (occurred_at, then event id). Values of
    personal fields are blanked when consent is withdrawn, like the household's own."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="field_versions")
    field = models.CharField(_("trường"), max_length=32)
    value = models.JSONField(_("giá trị"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("thời điểm sửa"))
    # The sync event that carried the edit (null for an edit made on a page).
    event_id = models.UUIDField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản thông tin hộ")
        verbose_name_plural = _("phiên bản thông tin hộ")
        indexes = [
            models.Index(fields=["household", "field", "occurred_at"], name="households_version_idx"),
            # The sync's changes feed: versions recorded since a phone's last sync.
            models.Index(fields=["recorded_at"], name="households_version_rec_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event_id", "field"], condition=Q(event_id__isnull=False), name="households_version_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.field} {self.occurred_at:%Y-%m-%d %H:%M}"
