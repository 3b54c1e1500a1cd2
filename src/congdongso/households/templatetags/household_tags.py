from django import template

from congdongso.common.phones import display_phone

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """"+84912345678" -> "0912 345 678"."""
    return display_phone(value) if value else ""
