"""Browser policy: a strict CSP on every response, and pages that work under it.

The CSP forbids inline scripts and inline styles, so the test scans the rendered HTML of the main
pages for what the browser would block: <script> without src, on* handler attributes, style=
attributes and <style> elements. htmx must be configured by <meta name="htmx-config">, with its
indicator styles off (htmx would otherwise inject a <style> element the CSP blocks).
"""

import json
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client, override_settings

from auctions.models import AuctionHouse, AuctionLot, Sale
from catalog.models import Coin, Series
from coinstack.security import DEFAULT_CSP, build_csp
from vocab.models import Issuer, Mint

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in header.split(";")
        if part.strip()
    }


class _InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.htmx_config: str | None = None
        self.uses_htmx = False
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if not attributes.get("src"):
                self.problems.append(f"inline <script> at line {self.getpos()[0]}")
            elif "htmx" in attributes["src"]:
                self.uses_htmx = True
        if tag == "style":
            self.problems.append(f"<style> element at line {self.getpos()[0]}")
        if tag == "meta" and attributes.get("name") == "htmx-config":
            self.htmx_config = attributes.get("content")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f'<{tag} style="{value}"> at line {self.getpos()[0]}')
            elif name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> at line {self.getpos()[0]}")
            elif name.startswith(("hx-on", "data-hx-on")):
                self.problems.append(f"<{tag} {name}> needs eval, which the CSP forbids")
            elif name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:...> at line {self.getpos()[0]}")


@pytest.fixture
def site(db, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "a-long-test-password-42")
    issuer = Issuer.objects.create(name="Augustus")
    mint = Mint.objects.create(name="Lugdunum")
    coin = Coin.objects.create(
        inventory_number="CSP-1",
        issuer=issuer,
        mint=mint,
        metal="AR",
        year_start=-2,
        year_end=4,
        weight_g=Decimal("3.82"),
        grade="Good VF",
        acquisition_price=Decimal("450"),
        acquisition_currency="USD",
        storage_location="SlabBox1",
        notes="bought at a show",
    )
    series = Series.objects.create(name="Twelve Caesars", slug="twelve-caesars")
    house = AuctionHouse.objects.create(name="Heritage", slug="heritage")
    sale = Sale.objects.create(house=house, name="Heritage 3011", number="3011")
    lot = AuctionLot.objects.create(
        url="https://coins.ha.com/itm/ancients/roman-imperial/x/a/232539-64039.s",
        house=house,
        sale=sale,
        lot_number="173",
        title="Augustus AR denarius",
        description="Augustus. 27 BC-AD 14. AR Denarius (19mm, 3.82 g, 6h).",
        description_html="<p><b>Augustus</b>. AR Denarius.</p>",
        hammer_price=Decimal("2700"),
        currency="USD",
        coin=coin,
    )
    pages = [
        "/",
        "/coins/",
        "/coins/?view=grid",
        coin.get_absolute_url(),
        "/issuers/",
        f"/issuers/{issuer.pk}/",
        "/mints/",
        f"/mints/{mint.pk}/",
        "/series/",
        series.get_absolute_url() if hasattr(series, "get_absolute_url") else "/series/twelve-caesars/",
        "/stats/",
        "/auctions/",
        lot.get_absolute_url(),
        "/import/",
        "/admin/",
        "/admin/catalog/coin/",
        f"/admin/catalog/coin/{coin.pk}/change/",
    ]
    return user, pages


def test_csp_and_companion_headers_on_every_response(client):
    response = client.get("/accounts/login/")
    csp = _directives(response.headers["Content-Security-Policy"])
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["form-action"] == "'self'"
    assert csp["img-src"].split() == ["'self'", "data:", "https:"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    # Redirects to the login page carry them too.
    assert "Content-Security-Policy" in client.get("/coins/").headers


def test_build_csp_refuses_unsafe_inline_scripts():
    assert "script-src 'self'" in build_csp(DEFAULT_CSP)
    with pytest.raises(ValueError):
        build_csp({**DEFAULT_CSP, "script-src": "'self' 'unsafe-inline'"})
    with pytest.raises(ValueError):
        build_csp({"default-src": "'self' 'unsafe-eval'"})


def _scan(client: Client, path: str) -> tuple[int, _InlineFinder]:
    response = client.get(path)
    finder = _InlineFinder()
    if response.status_code == 200 and "html" in response.headers.get("Content-Type", ""):
        finder.feed(response.content.decode())
    return response.status_code, finder


def test_pages_contain_no_inline_script_or_style(site):
    user, pages = site
    client = Client()
    client.force_login(user)
    problems, scanned, missing = {}, [], []
    for path in [*pages, "/coins/?q=augustus&sort=-year"]:
        status, finder = _scan(client, path)
        if status == 404:
            missing.append(path)
            continue
        assert status == 200, f"{path} answered {status}"
        scanned.append(path)
        if finder.problems:
            problems[path] = finder.problems
        if finder.uses_htmx:
            assert finder.htmx_config, f"{path} loads htmx without <meta name='htmx-config'>"
            config = json.loads(finder.htmx_config)
            assert config.get("includeIndicatorStyles") is False, f"{path}: htmx would inject a <style>"
    assert problems == {}
    assert len(scanned) >= 5, f"too few pages exist to check the CSP; missing: {missing}"


def test_htmx_fragments_contain_no_inline_script_or_style(site):
    user, _ = site
    client = Client(headers={"HX-Request": "true"})
    client.force_login(user)
    for path in ["/coins/?q=augustus", "/auctions/?q=augustus", "/issuers/", "/mints/"]:
        status, finder = _scan(client, path)
        if status == 404:
            continue
        assert status == 200
        assert finder.problems == [], path


@override_settings(COINSTACK_PUBLIC_BROWSING=True)
def test_public_pages_contain_no_inline_script_or_style(site):
    _, pages = site
    client = Client()
    for path in ["/", "/coins/", pages[3], "/auctions/"]:
        status, finder = _scan(client, path)
        if status == 404:
            continue
        assert status == 200, path
        assert finder.problems == [], path
