"""Pages of the periodic report: choose a month or a quarter and a format, download at once (small
reports, streamed) or follow a background job (large ones) and download its file."""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from congdongso.accounts.gate import scoped
from congdongso.accounts.selectors import get_in_scope_or_404, unit_in_scope_or_404
from congdongso.common.forms import VietnameseErrorsMixin
from congdongso.geo.models import Unit
from congdongso.indicators.models import ReportFormat, ReportJob
from congdongso.indicators.reports import (
    CSV_TYPE, FIRST_YEAR, LEVELS, XLSX_TYPE, ReportPeriod, csv_lines, last_complete_month, last_complete_quarter,
    report_bytes, report_download_record, report_export_record, report_job_start, report_of, sync_max_rows,
)

REFRESH_SECONDS = 2
RECENT_JOBS = 10
MONTH = "month"
QUARTER = "quarter"


class ReportForm(VietnameseErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kỳ báo cáo"), widget=forms.RadioSelect,
        choices=[(MONTH, gettext_lazy("Theo tháng")), (QUARTER, gettext_lazy("Theo quý"))],
        error_messages={"required": gettext_lazy("Hãy chọn báo cáo tháng hoặc báo cáo quý.")},
    )
    month = forms.CharField(
        label=gettext_lazy("Tháng (mm/yyyy)"), required=False, max_length=10,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "mm/yyyy"}),
    )
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Quý"), required=False, coerce=int, empty_value=None,
        choices=[("", "—")] + [(q, format_lazy("{} {}", gettext_lazy("Quý"), q)) for q in range(1, 5)],
        error_messages={"invalid_choice": gettext_lazy("Quý phải từ 1 đến 4.")},
    )
    year = forms.IntegerField(
        label=gettext_lazy("Năm của quý"), required=False, min_value=FIRST_YEAR, max_value=9999,
        error_messages={
            "invalid": gettext_lazy("Năm phải là một số, ví dụ 2026."),
            "min_value": gettext_lazy("Chỉ lập được báo cáo từ năm %(limit_value)s."),
            "max_value": gettext_lazy("Năm không hợp lệ."),
        },
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Định dạng"), widget=forms.RadioSelect, choices=ReportFormat.choices,
        error_messages={"required": gettext_lazy("Hãy chọn định dạng tệp.")},
    )

    def clean_month(self) -> tuple[int, int] | None:
        text = self.cleaned_data["month"].strip()
        if not text:
            return None
        found = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", text)
        year, month = (found.group(1), found.group(2)) if found else (None, None)
        if not found:
            found = re.fullmatch(r"([0-9]{1,2})\s*[/.-]\s*([0-9]{4})", text)
            month, year = (found.group(1), found.group(2)) if found else (None, None)
        if not found or not 1 <= int(month) <= 12:
            raise ValidationError(_("Tháng không hợp lệ: nhập theo dạng mm/yyyy, ví dụ 03/2026."), code="invalid")
        return int(year), int(month)

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        period = None
        # Only the fields of the chosen kind count: a stray value in the others is no error.
        for name in {MONTH: ("quarter", "year"), QUARTER: ("month",)}.get(kind, ()):
            self.errors.pop(name, None)
        if kind == MONTH:
            if data.get("month") is None:
                if "month" not in self.errors:
                    self.add_error("month", _("Hãy nhập tháng báo cáo (mm/yyyy)."))
                return data
            year, month = data["month"]
            if year < FIRST_YEAR:
                self.add_error("month", _("Chỉ lập được báo cáo từ năm %(year)d.") % {"year": FIRST_YEAR})
                return data
            period = ReportPeriod(year, month=month)
        elif kind == QUARTER:
            if data.get("quarter") is None and "quarter" not in self.errors:
                self.add_error("quarter", _("Hãy chọn quý báo cáo."))
            if data.get("year") is None and "year" not in self.errors:
                self.add_error("year", _("Hãy nhập năm của quý, ví dụ 2026."))
            if data.get("quarter") is None or data.get("year") is None:
                return data
            period = ReportPeriod(data["year"], quarter=data["quarter"])
        if period is not None:
            if period.first_day > timezone.localdate():
                self.add_error(
                    "month" if kind == MONTH else "quarter",
                    _("Kỳ báo cáo %(period)s chưa bắt đầu: hãy chọn kỳ đã qua hoặc đang diễn ra.") % {"period": period.label},
                )
            else:
                data["period"] = period
        return data


def _initial() -> dict:
    month, quarter = last_complete_month(), last_complete_quarter()
    return {
        "kind": MONTH, "month": f"{month.year:04d}-{month.month:02d}", "quarter": quarter.quarter,
        "year": quarter.year, "format": ReportFormat.XLSX,
    }


def _can_report(unit: Unit) -> bool:
    return unit.is_current and unit.level in LEVELS


def _attachment(response: HttpResponseBase, file_name: str) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "no-store"
    return response


@scoped
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, unit_id: int) -> HttpResponseBase:
    unit = unit_in_scope_or_404(request.user, unit_id)
    can_report = _can_report(unit)
    form = ReportForm(request.POST if request.method == "POST" else None, initial=_initial())
    if request.method == "POST" and can_report and form.is_valid():
        plan = report_of(unit, form.cleaned_data["period"])
        fmt = form.cleaned_data["format"]
        if plan.total_rows > sync_max_rows():
            job = report_job_start(
                unit=unit, period=plan.period, fmt=fmt, actor_id=request.user.pk, total_rows=plan.total_rows
            )
            messages.success(request, _("Báo cáo lớn: hệ thống đang lập trong nền, tải về khi xong."))
            return redirect("indicators:report_job", job_id=job.pk)
        report_export_record(actor_id=request.user.pk, report=plan, fmt=fmt)
        if fmt == ReportFormat.CSV:
            return _attachment(StreamingHttpResponse(csv_lines(plan), content_type=CSV_TYPE), plan.file_name(fmt))
        return _attachment(HttpResponse(report_bytes(plan, fmt), content_type=XLSX_TYPE), plan.file_name(fmt))
    jobs = (
        ReportJob.objects.filter(unit=unit, created_by=request.user).defer("file_data").order_by("-created_at")
    )[:RECENT_JOBS]
    return render(
        request, "indicators/report.html",
        {"unit": unit, "form": form, "can_report": can_report, "jobs": jobs, "now": timezone.now(),
         "sync_max_rows": sync_max_rows()},
    )


def _my_job(request: HttpRequest, job_id, *, with_file: bool = False) -> ReportJob:
    """A report job of this user on a unit in their scope; anyone else's answers 404."""
    jobs = ReportJob.objects.select_related("unit")
    if not with_file:
        jobs = jobs.defer("file_data")
    return get_in_scope_or_404(jobs, request.user, unit_field="unit", pk=job_id, created_by=request.user)


@scoped
@require_GET
def report_job(request: HttpRequest, job_id) -> HttpResponse:
    job = _my_job(request, job_id)
    return render(
        request, "indicators/report_job.html",
        {"job": job, "period": ReportPeriod.parse(job.period), "has_file": job.has_file(timezone.now()),
         "refresh_seconds": None if job.is_finished else REFRESH_SECONDS},
    )


@scoped
@require_GET
def report_download(request: HttpRequest, job_id) -> HttpResponseBase:
    job = _my_job(request, job_id, with_file=True)
    if not job.has_file(timezone.now()):
        messages.error(request, _("Không còn tệp để tải: báo cáo chưa lập xong hoặc đã quá thời hạn lưu."))
        return redirect("indicators:report_job", job_id=job.pk)
    report_download_record(actor_id=request.user.pk, job=job)
    content_type = CSV_TYPE if job.format == ReportFormat.CSV else XLSX_TYPE
    return _attachment(HttpResponse(bytes(job.file_data), content_type=content_type), job.file_name)
