"""Template filters for untrusted text: `{% load safety %}`.

`{{ lot.description_html|sanitize }}` shows a scraped description with its formatting but nothing
that runs; `<a {{ url|external_link_attrs }}>` links out only to http(s) pages. The code lives in
coinstack/sanitize.py (coinstack is not an app, so its filters are registered here).
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from coinstack.sanitize import external_link_attrs as _external_link_attrs
from coinstack.sanitize import sanitize_html

register = template.Library()


@register.filter(name="sanitize")
def sanitize(value: str | None) -> SafeString:
    """Allow-listed HTML only; nh3 has removed scripts, handlers and unsafe URLs."""
    return mark_safe(sanitize_html(value))  # noqa: S308 - sanitised by nh3 just above


@register.filter(name="external_link_attrs")
def external_link_attrs(value: str | None) -> SafeString:
    return _external_link_attrs(value)
