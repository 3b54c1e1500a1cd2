from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from congdongso.feedback.services import reports_contacts_purge


class Command(BaseCommand):
    help = (
        "Erase residents' contact details from feedback reports that are closed or rejected, resolved "
        "longer ago than FEEDBACK_CONTACT_RETENTION_DAYS, or older than FEEDBACK_CONTACT_MAX_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only report what would be erased.")

    def handle(self, *args, dry_run: bool = False, **options):
        counts = reports_contacts_purge(dry_run=dry_run)
        values = {
            "total": counts.total, "closed": counts.closed, "resolved": counts.resolved_long_ago,
            "old": counts.kept_too_long, "retention": settings.FEEDBACK_CONTACT_RETENTION_DAYS,
            "max": settings.FEEDBACK_CONTACT_MAX_DAYS,
        }
        if dry_run:
            line = _(
                "Sẽ xóa thông tin liên hệ của %(total)s phản ánh: %(closed)s đã đóng hoặc từ chối, "
                "%(resolved)s đã giải quyết quá %(retention)s ngày, %(old)s gửi quá %(max)s ngày. "
                "(Chạy thử: chưa xóa gì.)"
            )
        else:
            line = _(
                "Đã xóa thông tin liên hệ của %(total)s phản ánh: %(closed)s đã đóng hoặc từ chối, "
                "%(resolved)s đã giải quyết quá %(retention)s ngày, %(old)s gửi quá %(max)s ngày."
            )
        self.stdout.write(line % values)
