"""Seed the national services catalogue and the national recommendation rules (catalog/seed.py)."""

from django.db import migrations

from congdongso.catalog.seed import seed_national


def forwards(apps, schema_editor):
    seed_national(apps.get_model("catalog", "Service"), apps.get_model("catalog", "RecommendationRule"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]

    # Backwards leaves the rows: codes are never reused, so they are never deleted either.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
