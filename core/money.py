"""Amounts as the bureau reads them: 万元 with two decimals (the yearly report's unit),
the exact yuan beside it where it matters."""

from decimal import Decimal

from django.utils.translation import gettext as _


def format_wan_yuan(value: Decimal | int) -> str:
    """54180000 (yuan) → '5,418.00 万元' (English '5,418.00 × 10,000 yuan')."""
    wan = (Decimal(value) / 10000).quantize(Decimal("0.01"))
    return _("%(wan)s 万元") % {"wan": f"{wan:,.2f}"}


def format_yuan(value: Decimal | int) -> str:
    """54180000 → '54,180,000 元'; a fraction of a yuan keeps its two decimals."""
    value = Decimal(value)
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return _("%(yuan)s 元") % {"yuan": text}
