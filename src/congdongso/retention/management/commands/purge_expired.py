from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from congdongso.retention.registry import kinds
from congdongso.retention.services import expired_purge
from congdongso.retention.tasks import purge_schedule


class Command(BaseCommand):
    help = (
        "Anonymise or delete personal data past its retention, per kind (see settings.RETENTION_DAYS). "
        "--dry-run only counts; --schedule queues the daily background run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be purged, change nothing")
        parser.add_argument("--schedule", action="store_true", help="queue the daily run (database task backend)")

    def handle(self, *args, dry_run: bool = False, schedule: bool = False, **options):
        if schedule:
            queued = purge_schedule()
            self.stdout.write(_("Đã lên lịch xóa dữ liệu hết hạn hằng ngày.") if queued else
                              _("Đã có lịch chạy sẵn (hoặc hệ thống tác vụ không hỗ trợ hẹn giờ)."))
            return
        counts = expired_purge(dry_run=dry_run)
        for kind in kinds():
            count = counts.get(kind.name, 0)
            values = {"kind": kind.name, "label": kind.label, "count": count, "days": kind.days()}
            if count < 0:
                line = _("%(kind)s (%(label)s): lỗi, xem nhật ký hệ thống") % values
            elif dry_run:
                line = _("%(kind)s (%(label)s, giữ %(days)s ngày): %(count)s bản ghi sẽ bị xóa") % values
            else:
                line = _("%(kind)s (%(label)s, giữ %(days)s ngày): đã xóa %(count)s bản ghi") % values
            self.stdout.write(line)
