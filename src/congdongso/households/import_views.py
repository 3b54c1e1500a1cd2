"""Pages for importing household lists: upload (queued as a background task), status, template."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from congdongso.accounts.gate import scoped
from congdongso.accounts.selectors import get_in_scope_or_404, scope_of, top_units, unit_in_scope_or_404
from congdongso.common.forms import VietnameseErrorsMixin
from congdongso.common.tabular import FileProblem
from congdongso.common.uploads import check_table_upload
from congdongso.households.importing import household_columns, import_job_start, resident_columns, template_xlsx
from congdongso.households.models import ImportJob

PAGE_SIZE = 25
ERRORS_PAGE_SIZE = 100
REFRESH_SECONDS = 2


def _upload_field(label, *, required: bool) -> forms.FileField:
    return forms.FileField(
        label=label, required=required,
        error_messages={"required": gettext_lazy("Cần chọn một tệp."), "empty": gettext_lazy("Tệp trống."),
                        "invalid": gettext_lazy("Tệp không hợp lệ.")},
    )


class ImportForm(VietnameseErrorsMixin, forms.Form):
    file = _upload_field(gettext_lazy("Danh sách hộ (.xlsx hoặc .csv)"), required=True)
    residents_file = _upload_field(gettext_lazy("Danh sách nhân khẩu riêng (.csv, không bắt buộc)"), required=False)

    def _checked(self, name: str):
        upload = self.cleaned_data.get(name)
        if upload is None:
            return upload
        check_table_upload(upload, kind="households")
        return upload

    def clean_file(self):
        return self._checked("file")

    def clean_residents_file(self):
        return self._checked("residents_file")


def _managed_unit(request: HttpRequest, unit_id: int):
    unit = unit_in_scope_or_404(request.user, unit_id)
    if not scope_of(request.user).manages(unit) or not unit.is_current:
        raise PermissionDenied
    return unit


@scoped
def import_list(request: HttpRequest) -> HttpResponse:
    jobs = ImportJob.objects.filter(scope_of(request.user).q("unit")).select_related("unit", "created_by")
    page = Paginator(jobs.order_by("-created_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_of(request.user)
    return render(
        request, "households/import_list.html",
        {"page_obj": page, "units": [unit for unit in top_units(request.user) if scope.manages(unit)]},
    )


@scoped
@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _managed_unit(request, unit_id)
    form = ImportForm(request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload, extra = form.cleaned_data["file"], form.cleaned_data["residents_file"]
        try:
            job = import_job_start(
                unit=unit, actor_id=request.user.pk, file_name=upload.name, data=upload.read(),
                residents_file_name=extra.name if extra else "", residents_data=extra.read() if extra else b"",
            )
        except FileProblem as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã nhận tệp. Hệ thống đang kiểm tra và nhập trong nền."))
            return redirect("households:import_status", job_id=job.pk)
    return render(
        request, "households/import_new.html",
        {"form": form, "unit": unit, "household_columns": household_columns(), "resident_columns": resident_columns()},
    )


@scoped
def import_status(request: HttpRequest, job_id) -> HttpResponse:
    job = get_in_scope_or_404(
        ImportJob.objects.select_related("unit", "created_by").defer("file_data", "residents_file_data"),
        request.user, unit_field="unit", pk=job_id,
    )
    errors = Paginator(job.errors, ERRORS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "households/import_status.html",
        {"job": job, "page_obj": errors, "refresh_seconds": None if job.is_finished else REFRESH_SECONDS,
         "more_errors": max(0, job.error_count - len(job.errors))},
    )


@scoped
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-ho-gia-dinh.xlsx"'
    return response
