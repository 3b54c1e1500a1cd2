import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from congdongso.geo.models import Level, Unit
from congdongso.web import demo


class Command(BaseCommand):
    help = (
        "Build a demo province from the units loaded by `load_units`: its real communes, generated "
        "villages, teams, members, trainings, and a login for every role (password congdongso-demo). "
        "Deterministic from --seed; does nothing when the demo is already there."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", default=demo.DEFAULT_PROVINCE_CODE, metavar="CODE",
            help="province code after the 2025 reform (default %(default)s: Tỉnh Cà Mau)",
        )
        parser.add_argument("--size", choices=sorted(demo.SIZES), default=demo.DEFAULT_SIZE)
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
        parser.add_argument("--print-logins", action="store_true", help="print the demo logins and exit")

    def handle(self, *args, province: str, size: str, seed: int, print_logins: bool, **options):
        if print_logins:
            self._print_logins()
            return
        existing = demo.demo_existing()
        if existing is not None:
            self.stdout.write(
                _("Dữ liệu mẫu đã có (%(province)s: %(villages)s thôn, %(teams)s tổ); không tạo thêm.")
                % {"province": existing.province.name, "villages": existing.villages, "teams": existing.teams}
            )
            return
        started = time.monotonic()
        total = self._commune_count(province, size)
        with tqdm(
            total=total, desc="demo_data", unit=_("xã"), file=self.stderr, disable=options["verbosity"] == 0
        ) as bar:

            def progress(name: str) -> None:
                bar.set_postfix_str(name, refresh=False)
                bar.update(1)

            try:
                summary = demo.demo_build(province_code=province, size=size, seed=seed, progress=progress)
            except demo.DemoError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(
            _(
                "Đã tạo dữ liệu mẫu %(province)s: %(communes)s xã/phường, %(villages)s thôn "
                "(%(covered)s có tổ), %(teams)s tổ, %(members)s thành viên, %(trainings)s buổi tập huấn, "
                "%(users)s tài khoản, trong %(seconds).1f giây."
            )
            % {
                "province": summary.province.name, "communes": summary.communes, "villages": summary.villages,
                "covered": summary.villages_with_team, "teams": summary.teams, "members": summary.members,
                "trainings": summary.trainings, "users": summary.users, "seconds": time.monotonic() - started,
            }
        )

    def _commune_count(self, province: str, size: str) -> int:
        count = (
            Unit.objects.current()
            .filter(level=Level.COMMUNE, parent__level=Level.PROVINCE, parent__is_legacy=False, parent__code=province)
            .count()
        )
        limit = demo.SIZES[size].communes
        return min(count, limit) if limit else count

    def _print_logins(self) -> None:
        rows = demo.demo_logins()
        if not rows:
            self.stdout.write(_("Chưa có tài khoản mẫu. Hãy chạy `congdongso demo_data`."))
            return
        header = (_("Tên đăng nhập"), _("Vai trò"), _("Đơn vị"), _("Mật khẩu"))
        table = [header, *((row.username, row.role, row.unit, row.password) for row in rows)]
        widths = [max(len(line[column]) for line in table) for column in range(len(header))]
        self.stdout.write(_("Tài khoản mẫu:"))
        for index, line in enumerate(table):
            cells = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))
        if getattr(settings, "TWO_FACTOR_DEMO_HINT", False):
            self.stdout.write(
                _(
                    "Cán bộ xã, tỉnh và trung ương đăng nhập thêm bằng mã xác thực hai lớp. Trong bản chạy thử, "
                    "trang nhập mã hiện sẵn mã đúng lúc đó, không cần ứng dụng xác thực."
                )
            )
