import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from congdongso.geo.services import villages_create_many
from congdongso.geo.village_import import FileProblem, check_village_rows, read_rows


class Command(BaseCommand):
    help = "Import villages from a CSV or XLSX file; all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(_("Không tìm thấy tệp %(file)s.") % {"file": file})
        try:
            with file.open("rb") as stream:
                check = check_village_rows(read_rows(stream, file.name))
        except FileProblem as exc:
            raise CommandError(str(exc)) from None
        if not check.ok:
            for error in check.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("Không nhập dòng nào: %(count)s dòng có lỗi.") % {"count": len(check.errors)}
            )
        villages = villages_create_many(specs=check.specs, actor_id=None)
        self.stdout.write(_("Đã nhập %(count)s thôn/tổ dân phố.") % {"count": len(villages)})
        sys.stdout.flush()
