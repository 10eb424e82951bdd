"""Untrusted HTML made safe to show: auction descriptions that keep their formatting.

Everything scraped, imported or uploaded is escaped by Django's templates by default. The one
exception is a lot's `description_html`, whose bold legends and line breaks collectors want to see:
it goes through `sanitize_html` (nh3, a Rust HTML sanitiser) with a small allow-list, never
through `|safe`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import nh3
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Formatting a catalogue description uses, and nothing that can run, load or restyle the page:
# no <img> (tracking pixels, huge pictures), no style or class (CSP forbids inline style anyway),
# no forms or frames.
ALLOWED_TAGS = frozenset(
    {"a", "b", "blockquote", "br", "em", "i", "li", "ol", "p", "small", "strong", "sub", "sup", "u", "ul"}
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
}
# Tags whose *content* is dropped too: a script's text shown as words would still be noise.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object", "title"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Links leave the site to pages we do not control: no opener access, no referrer, no SEO credit.
EXTERNAL_REL = "noopener noreferrer nofollow"


def sanitize_html(text: str | None) -> str:
    """Return `text` with only the allow-listed tags and attributes left; links get EXTERNAL_REL.

    The result is safe to mark safe and insert in a page. Plain text passes through escaped.
    """
    if not text:
        return ""
    return nh3.clean(
        str(text),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=EXTERNAL_REL,
        strip_comments=True,
    )


def is_web_url(url: str | None) -> bool:
    """True for http(s) URLs with a host: the only kind a page may link to from scraped data."""
    if not url:
        return False
    try:
        parts = urlsplit(str(url).strip())
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def external_link_attrs(url: str | None) -> SafeString:
    """`href="..." rel="noopener noreferrer nofollow"` for a link to an outside page, or nothing.

    For a lot's URL or a coin's acquisition URL: a `javascript:` or `data:` URL typed into a
    spreadsheet or a scraped page yields no href at all, so it can never be clicked.
    Use as `<a {{ lot.url|external_link_attrs }}>` (the filter in catalog/templatetags/safety.py).
    """
    if not is_web_url(url):
        return mark_safe("")
    return format_html('href="{}" rel="{}"', str(url).strip(), EXTERNAL_REL)
