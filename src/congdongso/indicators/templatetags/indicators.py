from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from congdongso.indicators.models import Indicator, Kind
from congdongso.indicators.registry import service_names

register = template.Library()


class NumberFormat:
    """Numbers as the page's language writes them (vi: 1.234.567 and 12,5%), the separators read once
    per page: Django's number_format costs ~30 µs a call, and a province table has ~1,000 cells."""

    def __init__(self) -> None:
        self.thousands = get_format("THOUSAND_SEPARATOR")
        self.decimal = get_format("DECIMAL_SEPARATOR")

    def count(self, value: int) -> str:
        return f"{value:,}".replace(",", self.thousands)

    def percent(self, value: float) -> str:
        return f"{value:,.1f}".replace(",", "\x00").replace(".", self.decimal).replace("\x00", self.thousands) + "%"

    def indicator(self, indicator: Indicator, value) -> str:
        if value is None:
            return "—"
        return self.percent(value) if indicator.kind == Kind.RATIO else self.count(int(value))


@register.simple_tag
def indicator_value(indicator: Indicator, value) -> str:
    return NumberFormat().indicator(indicator, value)


@register.simple_tag
def indicator_rows(cards) -> SafeString:
    """The table of every other indicator, built in one pass like `children_rows`."""
    fmt = NumberFormat()
    return mark_safe("".join(  # noqa: S308 — names escaped, values formatted numbers
        f'<tr data-indicator="{escape(card.indicator.code)}"><td>{escape(card.indicator.name)}</td>'
        f'<td class="num">{fmt.indicator(card.indicator, card.value)}</td></tr>'
        for card in cards
    ))


@register.simple_tag(takes_context=True)
def service_rows(context, services) -> SafeString:
    """(code, people using it independently, assists done this month) rows, named from the catalogue."""
    fmt = NumberFormat()
    names = service_names()
    return mark_safe("".join(  # noqa: S308 — names escaped, values formatted numbers
        f"<tr><td>{escape(names.get(code, code))}</td><td class=\"num\">{fmt.count(independent)}</td>"
        f"<td class=\"num\">{fmt.count(assists)}</td></tr>"
        for code, independent, assists in services
    ))


@register.simple_tag
def children_rows(board) -> SafeString:
    """The children table's body in one pass of plain string building: a template loop (or
    format_html) over a province's ~1,000 cells costs more than the rest of the page. Names are
    escaped; the other cells are numbers formatted here."""
    fmt = NumberFormat()
    badge = ' <span class="badge bad" title="{}">{}</span>'.format(escape(_("Chưa đạt mục tiêu")), escape(_("chưa đạt")))
    # One reverse() for the whole table: the rows differ only by the unit id.
    url_pattern = reverse("indicators:dashboard", args=[0]).replace("/0/", "/{}/")
    lines = []
    for row in board.children:
        cells = "".join(
            f'<td class="num{" behind" if column.code in row.behind else ""}">'
            f"{fmt.indicator(column, row.values[column.code])}</td>"
            for column in board.columns
        )
        url = url_pattern.format(row.unit.pk)
        lines.append(
            f'<tr data-unit="{row.unit.pk}"><td><a href="{url}">{escape(row.unit.name)}</a>'
            f'{badge if row.behind else ""}</td>{cells}</tr>'
        )
    return mark_safe("\n".join(lines))  # noqa: S308 — every piece above is escaped or a formatted number


@register.filter
def target_display(value: Decimal, indicator: Indicator) -> str:
    fmt = NumberFormat()
    return fmt.percent(float(value)) if indicator.kind == Kind.RATIO else fmt.count(int(value))
