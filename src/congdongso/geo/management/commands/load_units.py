import json

from django.core.management.base import BaseCommand
from tqdm import tqdm

from congdongso.geo.selectors import unit_counts
from congdongso.geo.services import units_load_reference

STEPS = 6  # current provinces, communes; legacy provinces, districts, communes; reform links


class Command(BaseCommand):
    help = (
        "Load the 34 provinces and 3,321 communes, the legacy 63/696/10,051 units and the 2025 links "
        "between them from the vietnam-provinces package. Idempotent; the last line is JSON counts."
    )

    def handle(self, *args, **options):
        with tqdm(total=STEPS, desc="load_units", unit="step", file=self.stderr, disable=options["verbosity"] == 0) as bar:

            def progress(step: str, done: int) -> None:
                bar.set_postfix_str(f"{step}: {done}")
                bar.update(1)

            created = units_load_reference(progress=progress)
        if options["verbosity"] > 0:
            self.stderr.write(f"created {created['created_units']} units, {created['created_links']} links")
        self.stdout.write(json.dumps(unit_counts()))
