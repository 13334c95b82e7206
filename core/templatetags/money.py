"""``{% load money %}``: ``{{ amount|wan_yuan }}`` → '845.00 万元', ``{{ amount|yuan }}`` →
'8,450,000 元' (core.money). None or '' shows as an empty string."""

from django import template

from core.money import format_wan_yuan, format_yuan

register = template.Library()


@register.filter
def wan_yuan(value):
    return "" if value in (None, "") else format_wan_yuan(value)


@register.filter
def yuan(value):
    return "" if value in (None, "") else format_yuan(value)
