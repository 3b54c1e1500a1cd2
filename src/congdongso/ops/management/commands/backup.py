from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from congdongso.ops import backup as ops
from congdongso.ops.management.commands._progress import ProgressLine


class Command(BaseCommand):
    help = (
        "Back up the whole database: SQLite through the online backup API (the site keeps running), "
        "PostgreSQL with pg_dump -Fc. Default file: var/backups/congdongso-<time>.sqlite3|dump."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", type=Path, help="The backup file to write.")
        parser.add_argument("--yes", action="store_true", help="Overwrite the output file if it exists.")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, output: Path | None = None, yes: bool = False, database: str = "default", **options):
        try:
            target = output or ops.default_backup_path(database)
            if target.exists() and not yes:
                raise CommandError(
                    _("Tệp %(path)s đã có. Chọn tên khác, hoặc thêm --yes để ghi đè.") % {"path": target}
                )
            progress = ProgressLine(self.stdout, _("Đang sao lưu"))
            ops.backup(target, progress=progress, using=database)
            progress.finish()
        except ops.BackupError as exc:
            raise CommandError(str(exc)) from exc
        size_mb = target.stat().st_size / 1_000_000
        self.stdout.write(_("Đã sao lưu cơ sở dữ liệu vào %(path)s (%(size).1f MB).") % {"path": target, "size": size_mb})
