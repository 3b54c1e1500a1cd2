from django.db import migrations


def seed(apps, schema_editor):
    from congdongso.indicators.seed import national_indicators_ensure

    national_indicators_ensure(apps.get_model("indicators", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
