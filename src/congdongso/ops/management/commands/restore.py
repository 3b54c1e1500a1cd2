from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from congdongso.ops import backup as ops
from congdongso.ops.management.commands._progress import ProgressLine


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `congdongso backup` (SQLite: through the "
        "backup API; PostgreSQL: pg_restore --clean --if-exists in one transaction). Asks for --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file.")
        parser.add_argument("--yes", action="store_true", help="Confirm: the current data is replaced.")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, path: Path, yes: bool = False, database: str = "default", **options):
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp sao lưu %(path)s.") % {"path": path})
        if not yes:
            raise CommandError(
                _("Khôi phục sẽ thay toàn bộ dữ liệu hiện có bằng nội dung của %(path)s. "
                  "Nếu chắc chắn, chạy lại với --yes.") % {"path": path}
            )
        try:
            progress = ProgressLine(self.stdout, _("Đang khôi phục"))
            ops.restore(path, progress=progress, using=database)
            progress.finish()
        except ops.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Đã khôi phục cơ sở dữ liệu từ %(path)s.") % {"path": path})
