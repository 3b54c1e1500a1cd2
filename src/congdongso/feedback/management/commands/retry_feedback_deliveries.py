from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from congdongso.feedback.services import deliveries_requeue


class Command(BaseCommand):
    help = "Queue again feedback notifications left pending (a worker stopped, or queueing failed)."

    def handle(self, *args, **options):
        count = deliveries_requeue()
        self.stdout.write(_("Đã xếp lịch gửi lại %(count)s thông báo.") % {"count": count})
