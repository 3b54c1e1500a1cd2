from django.apps import apps
from django.contrib import admin


def test_every_project_model_has_an_admin():
    ours = [m for m in apps.get_models() if m.__module__.startswith("congdongso.")]
    assert ours, "no project models found"
    missing = [m._meta.label for m in ours if not admin.site.is_registered(m)]
    assert missing == []
