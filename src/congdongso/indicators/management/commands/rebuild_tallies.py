"""congdongso rebuild_tallies [--check]: recount every tally from facts.

With --check nothing is written: the command prints how many rows differ from the facts and exits
with status 1 when any does."""

import json

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from congdongso.indicators.services import tallies_check, tallies_rebuild


class Command(BaseCommand):
    help = "Đếm lại toàn bộ số liệu tổng hợp từ dữ liệu gốc (--check: chỉ so sánh, không ghi)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="Chỉ so sánh, không ghi.")

    def handle(self, *args, check: bool = False, **options) -> None:
        bar = tqdm(total=0, unit="bước", disable=options["verbosity"] == 0, file=self.stderr._out)

        def progress(step: str, done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.set_description(step)
            bar.refresh()

        if check:
            result = tallies_check(progress)
            bar.close()
            for key, expected, actual in result.examples:
                self.stderr.write(f"{key}: đúng là {expected}, đang ghi {actual}")
            self.stdout.write(json.dumps({"differing_rows": result.differing}))
            if not result.ok:
                raise CommandError(f"{result.differing} dòng số liệu tổng hợp lệch so với dữ liệu gốc.", returncode=1)
            return
        rows = tallies_rebuild(progress)
        bar.close()
        self.stdout.write(json.dumps({"rows": rows}))
