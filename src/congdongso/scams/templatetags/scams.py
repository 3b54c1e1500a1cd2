"""`{% scam_panel unit %}`: the scam shield's section on a unit's page (alerts in force, reach)."""

from django import template

from congdongso.geo.models import Level, Unit
from congdongso.scams import selectors

register = template.Library()


@register.inclusion_tag("scams/_unit_panel.html", takes_context=True)
def scam_panel(context, unit: Unit) -> dict:
    user = context["request"].user
    alerts = list(selectors.alerts_for_unit(unit)[:5])
    by_child = selectors.reach_by_child(unit) if unit.level != Level.VILLAGE else {}
    children = {u.pk: u for u in Unit.objects.filter(pk__in=[pk for pk in by_child if pk != unit.pk])}
    rows = sorted(
        ((children[pk], count) for pk, count in by_child.items() if pk in children), key=lambda row: row[0].name
    )
    return {
        "unit": unit,
        "alerts": alerts,
        "reach": selectors.reach_in_unit(unit),
        "child_rows": rows,
        "can_moderate": selectors.can_moderate(user),
        "request": context["request"],
    }
