import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from congdongso.common.tabular import FileProblem
from congdongso.households.importing import ImportRejected, check_tables, households_import, open_tables


class Command(BaseCommand):
    help = (
        "Import a commune's household list (CSV or XLSX; template: docs/import-ho-gia-dinh.md); "
        "all rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="households: .csv, or .xlsx (with an optional 'Nhân khẩu' sheet)")
        parser.add_argument("--residents", type=Path, help="residents in a separate .csv or .xlsx file")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")

    def handle(self, *args, file: Path, residents: Path | None, no_progress: bool, **options):
        for path in filter(None, (file, residents)):
            if not path.is_file():
                raise CommandError(_("Không tìm thấy tệp %(file)s.") % {"file": path})
        # None: tqdm shows the bar only when stderr is a terminal.
        hide_bar = True if no_progress or options["verbosity"] == 0 else None
        try:
            tables = open_tables(
                file.read_bytes(), file.name,
                residents_data=residents.read_bytes() if residents else None,
                residents_filename=residents.name if residents else "",
            )
            with tqdm(total=tables.estimated_rows, desc=_("Kiểm tra"), unit=_(" dòng"), file=sys.stderr,
                      disable=hide_bar, leave=False) as bar:
                def progress(done: int, total: int) -> None:
                    bar.total = total
                    bar.update(done - bar.n)

                checked = check_tables(tables, within=None, progress=progress)
        except FileProblem as exc:
            raise CommandError(str(exc)) from None
        if not checked.ok:
            for error in checked.errors:
                self.stderr.write(str(error))
            raise CommandError(_("Không nhập dòng nào: %(count)s dòng có lỗi.") % {"count": len(checked.errors)})
        rows = len(checked.households) + sum(h.consent is not None for h in checked.households) + len(checked.residents)
        with tqdm(total=rows, desc=_("Lưu"), unit=_(" dòng"), file=sys.stderr, disable=hide_bar, leave=False) as bar:
            try:
                counts = households_import(checked=checked, actor_id=None, on_saved=bar.update)
            except ImportRejected as exc:
                for error in exc.errors:
                    self.stderr.write(str(error))
                raise CommandError(
                    _("Không nhập dòng nào: %(count)s dòng có lỗi.") % {"count": len(exc.errors)}
                ) from None
        self.stdout.write(
            _("Đã nhập %(households)s hộ (%(consents)s hộ đã đồng ý cung cấp thông tin) và %(residents)s nhân khẩu.")
            % {"households": counts.households, "consents": counts.consents, "residents": counts.residents}
        )
