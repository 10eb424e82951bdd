"""Who may see and change what: private by default, public browsing read-only, admin for staff."""

from datetime import UTC

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

BROWSING_PAGES = ["/", "/coins/", "/issuers/", "/mints/", "/series/", "/stats/", "/auctions/"]
NEVER_PUBLIC = ["/export/", "/export/coins.csv", "/import/", "/admin/", "/coins/1/edit/", "/backup/"]
PRIVATE_VALUES = ["4321.77", "4,321.77", "Ptolemaios Privatus", "Velv9-7-3", "Zeta-884"]


def _login_url(response) -> str:
    return response.headers.get("Location", "")


@pytest.mark.parametrize("path", BROWSING_PAGES + NEVER_PUBLIC)
def test_anonymous_visitor_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert _login_url(response).startswith(reverse("login") + "?next=") or _login_url(response).startswith(
        reverse("admin:login")
    )


def test_login_page_and_static_files_are_open(client):
    assert client.get(reverse("login")).status_code == 200
    # A static path is not refused by the middleware (whatever the file server then answers).
    response = client.get("/static/css/coinstack.css")
    assert response.status_code != 302


def test_favicon_ico_is_the_sites_icon_for_anyone(client):
    # Browsers ask for it on a document that names no icon (the placeholder image opened alone).
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].startswith("/static/img/favicon") and response["Location"].endswith(".svg")


def test_htmx_request_gets_a_full_page_redirect_not_a_fragment(client):
    response = client.get("/coins/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == reverse("login")


def test_anonymous_post_is_refused_not_redirected(client):
    response = client.post("/coins/", {"q": "x"})
    assert response.status_code == 403


def test_logged_in_user_reaches_pages(client, collector):
    client.force_login(collector)
    response = client.get("/")
    assert response.status_code == 200


def test_password_login_then_logout(client, collector):
    response = client.post(reverse("login"), {"username": "collector", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302


@override_settings(COINSTACK_PUBLIC_BROWSING=True)
def test_public_browsing_opens_home_read_only(client):
    assert client.get("/").status_code == 200
    # HEAD passes the middleware (the view itself may still answer 405 if it only takes GET).
    assert client.head("/").status_code not in (302, 401, 403)
    assert client.post("/").status_code == 403


@override_settings(COINSTACK_PUBLIC_BROWSING=True)
def test_public_browsing_opens_coin_page(client, private_coin):
    assert client.get(private_coin.get_absolute_url()).status_code == 200


@override_settings(COINSTACK_PUBLIC_BROWSING=True)
@pytest.mark.parametrize("path", NEVER_PUBLIC)
def test_public_browsing_keeps_exports_import_and_admin_private(client, path):
    response = client.get(path)
    assert response.status_code == 302
    location = _login_url(response)
    assert location.startswith(reverse("login")) or location.startswith(reverse("admin:login"))


@override_settings(COINSTACK_PUBLIC_BROWSING=True)
def test_public_visitor_never_sees_price_source_storage_or_notes(client, collector, private_coin):
    url = private_coin.get_absolute_url()
    anonymous = client.get(url).content.decode()
    owner = Client()
    owner.force_login(collector)
    logged_in = owner.get(url).content.decode()
    # The owner sees the price (in one of its two spellings), source, storage and notes on the page,
    # so their absence below is hiding, not omission.
    shown_to_owner = {v for v in PRIVATE_VALUES if v in logged_in}
    assert set(PRIVATE_VALUES[2:]) <= shown_to_owner and shown_to_owner & set(PRIVATE_VALUES[:2])
    leaked = [v for v in PRIVATE_VALUES if v in anonymous]
    assert leaked == []


def test_show_private_flag_follows_login(rf, collector):
    from django.contrib.auth.models import AnonymousUser

    from coinstack.context_processors import privacy

    request = rf.get("/")
    request.user = AnonymousUser()
    assert privacy(request)["show_private"] is False
    request.user = collector
    assert privacy(request)["show_private"] is True


def test_admin_refuses_non_staff(client, collector):
    client.force_login(collector)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert _login_url(response).startswith(reverse("admin:login"))


def test_admin_editing_needs_the_change_permission(client, curator, private_coin, django_user_model):
    url = reverse("admin:catalog_coin_change", args=[private_coin.pk])
    staff_without_permission = django_user_model.objects.create_user(
        "intern", password=PASSWORD, is_staff=True
    )
    client.force_login(staff_without_permission)
    assert client.get(url).status_code == 403
    assert client.post(url, {"inventory_number": "HACKED"}).status_code == 403
    client.force_login(curator)
    assert client.get(url).status_code == 200
    private_coin.refresh_from_db()
    assert private_coin.inventory_number == "SEC-1"


def test_csrf_token_is_required_for_writes(collector):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "collector", "password": PASSWORD})
    assert response.status_code == 403
    strict.force_login(collector)
    # Logging out is a write: without the token the session survives.
    assert strict.post(reverse("logout")).status_code == 403
    assert strict.get("/").status_code == 200


def test_csrf_token_from_the_login_page_is_accepted(collector):
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(reverse("login"))
    token = page.context["csrf_token"]
    response = strict.post(
        reverse("login"), {"username": "collector", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


@override_settings(COINSTACK_PUBLIC_BROWSING=True)
@pytest.mark.parametrize(
    "query",
    [
        "storage=Velv9",
        "price_min=4000",
        "price_max=5000&price_min=4000",
        "acquired_from=2020-01-01",
        "q=Ptolemaios",
        "q=Zeta-884",
        "q=Velv9-7-3",
    ],
)
def test_public_visitor_cannot_probe_private_fields_through_filters(client, private_coin, query):
    """Hidden columns must not be searchable either: a filter that answers reveals the value."""
    from datetime import date
    from decimal import Decimal

    from catalog.models import Coin

    private_coin.acquisition_date = date(2024, 5, 1)
    private_coin.save()
    other = Coin.objects.create(
        inventory_number="SEC-2",
        storage_location="Tray1",
        acquisition_price=Decimal("10"),
        acquisition_currency="USD",
        acquisition_date=date(2010, 1, 1),
    )
    baseline = client.get("/coins/").content.decode()
    assert private_coin.get_absolute_url() in baseline
    assert other.get_absolute_url() in baseline
    response = client.get(f"/coins/?{query}")
    if response.status_code == 400:
        return  # refused outright: nothing revealed
    assert response.status_code == 200
    html = response.content.decode()
    shown = {c.inventory_number for c in (private_coin, other) if c.get_absolute_url() in html}
    # Filtering on a private field would show only SEC-1 (the match); ignoring it shows both.
    assert shown != {"SEC-1"}, f"/coins/?{query} lets an anonymous visitor test a private value"


def test_htmx_token_from_body_hx_headers_is_accepted(collector):
    """htmx sends the token from <body hx-headers>; a write with it passes, without it fails."""
    import json
    import re

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(collector)
    page = strict.get("/").content.decode()
    found = re.search(r"<body[^>]*hx-headers='([^']+)'", page)
    assert found, "the page's <body> carries no hx-headers with the CSRF token"
    headers = json.loads(found.group(1))
    assert strict.post(reverse("logout"), headers={"HX-Request": "true"}).status_code == 403
    response = strict.post(reverse("logout"), headers={"HX-Request": "true", **headers})
    assert response.status_code == 302
    assert strict.get("/").status_code == 302  # logged out: the write happened


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/coins/", "javascript:alert(1)"])
def test_login_never_redirects_off_site(client, collector, target):
    response = client.post(reverse("login"), {"username": "collector", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("catalog:home")


@pytest.mark.parametrize(
    ("path", "codenames"),
    [("/import/", ["add_coin", "change_coin"]), ("/export/", ["view_coin"])],
)
def test_import_and_export_need_their_permissions(client, collector, path, codenames):
    from django.contrib.auth.models import Permission

    client.force_login(collector)
    assert client.get(path).status_code == 403
    collector.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    assert client.get(path).status_code == 200


# --- Public mode shows no trace of the owner's purchases (issue 13, item 4) -----------------------

# Values of the owner's purchases: the price, source, URL and date of coin SEC-1's acquisition, the
# lot it was bought in (house, sale, title, hammer, image) and a lot linked to it without a role,
# and custody. No public page may show any of them.
PURCHASE_VALUES = [
    *PRIVATE_VALUES,
    "PRIV-URL-5531",
    "secret-house.example",
    "13 Mar 2017",
    "2017-03-13",
    "Arcanum",
    "PRIVSALE-88",
    "PRIVTITLE-77",
    "3777.41",
    "3,777.41",
    "PRIVIMG",
    "PRIVLINKED-5",
    "Where it was bought",
]
# Public knowledge that must stay visible (so the walk is known to reach the pages that matter):
# an earlier sale of the coin (its provenance) and a comparable lot of the same type.
PUBLIC_VALUES = [
    "EARLIER-1",
    "Publica Auktionen",
    "An earlier sale of it",
    "COMPARABLE-9",
    "Collectio PUBLICA-3",
]
PURCHASE_URL = "https://secret-house.example/lot/PRIV-URL-5531"


@pytest.fixture
def purchases(private_coin):
    """SEC-1 bought at a house nobody else sells at, recorded as its acquisition lot, as a
    provenance event and a dealer event; an earlier sale and a comparable lot that are public; PUB-2,
    a coin of the same type, on whose page the purchase lot would be "comparable"."""
    from datetime import date, datetime
    from decimal import Decimal

    from auctions.models import AuctionHouse, AuctionLot, CoinRole, LotImage, LotReference, LotStatus, Sale
    from catalog.models import Coin, ProvenanceEvent, Reference, Series, SeriesMembership
    from vocab.models import Issuer, Mint

    hadrian = Issuer.objects.create(name="Hadrian", reign_start=117, reign_end=138)
    rome = Mint.objects.create(name="Rome")
    Coin.objects.filter(pk=private_coin.pk).update(
        issuer=hadrian,
        mint=rome,
        metal="silver",
        acquisition_url=PURCHASE_URL,
        acquisition_date=date(2017, 3, 13),
    )
    other = Coin.objects.create(inventory_number="PUB-2", issuer=hadrian, mint=rome, metal="silver")
    for coin in (private_coin, other):
        Reference.objects.create(coin=coin, raw_text="RIC II 118", system="RIC", volume="II", number="118")
    closing = datetime(2017, 3, 1, 12, tzinfo=UTC)
    secret = AuctionHouse.objects.create(name="Arcanum Numismatik", slug="arcanum")
    secret_sale = Sale.objects.create(house=secret, name="Auction PRIVSALE-88", number="PRIVSALE-88")
    public = AuctionHouse.objects.create(name="Publica Auktionen", slug="publica")
    public_sale = Sale.objects.create(house=public, name="Publica 12", number="12")

    def lot(url, title, **fields):
        made = AuctionLot.objects.create(
            url=url, title=title, description=f"{title}. Hadrian denarius, silverwort style.",
            status=LotStatus.SOLD, currency="CHF", closing_date=closing, **fields,
        )  # fmt: skip
        LotReference.objects.create(lot=made, raw_text="RIC II 118", system="RIC", volume="II", number="118")
        return made

    bought = lot(
        PURCHASE_URL, "Hadrian denarius PRIVTITLE-77", house=secret, sale=secret_sale, lot_number="77",
        hammer_price=Decimal("3777.41"), coin=private_coin, coin_role=CoinRole.ACQUISITION,
    )  # fmt: skip
    LotImage.objects.create(lot=bought, url="https://secret-house.example/img/PRIVIMG-1.jpg")
    lot(
        "https://secret-house.example/lot/PRIVLINKED-5", "Hadrian PRIVLINKED-5", coin=private_coin,
        hammer_price=Decimal("3777.41"),
    )  # fmt: skip
    earlier = lot(
        "https://public-house.example/lot/EARLIER-1", "Hadrian denarius EARLIER-1", house=public,
        sale=public_sale, lot_number="7", hammer_price=Decimal("1500"), coin=private_coin,
        coin_role=CoinRole.PROVENANCE,
    )  # fmt: skip
    lot("https://public-house.example/lot/COMPARABLE-9", "Hadrian denarius COMPARABLE-9", house=public)
    ProvenanceEvent.objects.create(
        coin=private_coin, kind="auction", name="Publica Auktionen", sale="Publica 12", lot="7",
        auction_lot=earlier, url=earlier.url, order=1,
    )  # fmt: skip
    ProvenanceEvent.objects.create(
        coin=private_coin, kind="auction", name="Arcanum Numismatik", sale="Auction PRIVSALE-88", lot="77",
        auction_lot=bought, url=PURCHASE_URL, hammer=Decimal("3777.41"), currency="CHF", order=2,
    )  # fmt: skip
    ProvenanceEvent.objects.create(
        coin=private_coin, kind="dealer", name="Dealer Ptolemaios Privatus", url=PURCHASE_URL, order=3
    )
    ProvenanceEvent.objects.create(coin=private_coin, kind="collection", name="Collectio PUBLICA-3", order=0)
    series = Series.objects.create(name="Adoptive emperors", slug="adoptive")
    SeriesMembership.objects.create(series=series, coin=private_coin)
    return {"coin": private_coin, "other": other, "bought": bought, "house": secret, "sale": secret_sale}


def _patterns(resolver=None, prefix: str = "", namespace: str = ""):
    """(route, name) of every URL pattern of the project, however deep it is included."""
    from django.urls import URLResolver, get_resolver

    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            inner = ":".join(p for p in (namespace, entry.namespace) if p)
            yield from _patterns(entry, route, inner)
        else:
            yield route, ":".join(p for p in (namespace, entry.name or "") if p)


def _filled(route: str, name: str, values: dict) -> list[str] | None:
    """The URLs of one pattern with every value its arguments can take (values[name]), or None when
    the walk does not know the pattern's arguments."""
    from django.urls import reverse

    if "<" not in route and "(" not in route:
        return ["/" + route]
    if name not in values:
        return None
    return [reverse(name, args=[value]) for value in values[name]]


def _sample(route: str) -> str:
    """A URL of `route` with made-up arguments, to ask whether anonymous visitors may open it."""
    import re

    path = re.sub(r"<int:\w+>", "1", route)
    path = re.sub(r"<path:\w+>", "x/y.jpg", path)
    path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "x", path)
    return "/" + path


def _links(html: str) -> set[str]:
    """Paths on this site a page links to or loads (href, src, hx-get, form actions)."""
    import html as html_lib
    import re

    found = set()
    for raw in re.findall(r'(?:href|src|hx-get|action)="([^"]*)"', html):
        link = html_lib.unescape(raw).split("#")[0]
        if link.startswith("/") and not link.startswith("//") and not link.startswith("/static/"):
            found.add(link)
    return found


def _probes(data: dict) -> list[dict]:
    """Filters, sorts and searches a visitor could try on any list: every sort (the private ones too),
    the purchase's house and sale ids, searches for words of the purchase lot and of the notes."""
    from catalog.filters import ListOptionsForm

    probes = [{"sort": f"{sign}{key}"} for key in ListOptionsForm.SORTS for sign in ("", "-")]
    probes += [
        {"view": "table"}, {"per_page": "1"}, {"page": "2"}, {"page": "3"},
        {"q": "silverwort"}, {"q": "Hadrian denarius"}, {"q": "insurance rider"}, {"q": "118"},
        {"house": str(data["house"].pk)}, {"sale": str(data["sale"].pk)}, {"linked": "yes"},
        {"linked": "no"}, {"status": "sold"}, {"currency": "CHF"}, {"price_min": "3000"},
        {"price_max": "4000"}, {"reference": "RIC II 118"}, {"issuer": str(data["coin"].issuer_id)},
        {"metal": "silver"}, {"in_series": "adoptive"}, {"storage": "Velv9"},
        {"acquired_from": "2017-01-01"}, {"date_from": "2017-01-01"}, {"has_images": "false"},
    ]  # fmt: skip
    return probes


@override_settings(COINSTACK_PUBLIC_BROWSING=True)
def test_public_pages_show_no_trace_of_the_owners_purchases(client, collector, purchases):
    """Walk every page an anonymous visitor can reach: every URL pattern the access rule opens (with
    every id it can take), every list with every filter, sort and search a visitor might try (whole
    page and HTMX partial), every coin page within each such list, and every link found on the way.
    No page may show a value of the owner's purchases; provenance and comparables stay visible."""
    from urllib.parse import urlencode

    from auctions.models import AuctionLot
    from catalog.models import Coin, Series
    from vocab.models import Issuer, Mint

    owner = Client()
    owner.force_login(collector)
    seen_by_owner = owner.get(purchases["bought"].get_absolute_url()).content.decode()
    seen_by_owner += owner.get(purchases["coin"].get_absolute_url() + "?lots=1").content.decode()
    # Each value is on the owner's pages (the numbers and the date in one of their two spellings), so
    # its absence below is hiding, not omission.
    other_spellings = {"4321.77", "3777.41", "2017-03-13"}
    assert [v for v in PURCHASE_VALUES if v not in seen_by_owner and v not in other_spellings] == []

    values = {
        "catalog:coin_detail": list(Coin.objects.values_list("pk", flat=True)),
        "auctions:lot_detail": list(AuctionLot.objects.values_list("pk", flat=True)),
        "catalog:issuer_detail": list(Issuer.objects.values_list("pk", flat=True)),
        "catalog:mint_detail": list(Mint.objects.values_list("pk", flat=True)),
        # A list's facet counts, asked in a second request after a search (coinstack.listing).
        "catalog:issuer_facets": list(Issuer.objects.values_list("pk", flat=True)),
        # A coin's lots and value, asked in a second request when not cached (catalog.coin_lots).
        "catalog:coin_lots": list(Coin.objects.values_list("pk", flat=True)),
        "catalog:mint_facets": list(Mint.objects.values_list("pk", flat=True)),
        "catalog:series_detail": list(Series.objects.values_list("slug", flat=True)),
        # Stored files: only those a public page links to are visited (found by the walk below).
        "media": [],
    }
    pages, unknown = [], []
    for route, name in _patterns():
        sample = _sample(route)
        first = client.get(sample)
        if first.status_code in (301, 302, 401, 403, 405) and not _is_public_redirect(first):
            continue  # not open to anonymous visitors
        urls = _filled(route, name, values)
        if urls is None:
            unknown.append(f"{route} ({name or 'unnamed'})")
        else:
            pages.extend(urls)
    assert unknown == [], f"public pages the leak test cannot fill in: {unknown}"

    to_visit: list[tuple[str, dict]] = []
    for page in pages:
        to_visit.append((page, {}))
        html = client.get(page).content.decode()
        # A list with filters, or a list's facets endpoint (the same filters, its panel alone): try
        # every probe, whole and as a partial.
        if 'method="get"' in html or page.endswith("/facets/"):
            for probe in _probes(purchases):
                query = f"{page}?{urlencode(probe)}"
                to_visit += [(query, {}), (query, {"HX-Request": "true"})]
    for coin in values["catalog:coin_detail"]:
        for probe in _probes(purchases):
            to_visit.append((f"/coins/{coin}/?{urlencode({'from': urlencode(probe), 'pos': 0})}", {}))

    visited: set[tuple[str, str]] = set()
    leaks, public_text = [], ""
    while to_visit and len(visited) < 5000:
        url, headers = to_visit.pop()
        key = (url, headers.get("HX-Request", ""))
        if key in visited:
            continue
        visited.add(key)
        response = client.get(url, headers=headers)
        assert response.status_code < 500, url
        if response.status_code in (301, 302) or not response.get("Content-Type", "").startswith("text/"):
            continue
        text = response.content.decode()
        public_text += text
        leaks += [(url, value) for value in PURCHASE_VALUES if value in text]
        to_visit += [(link, {}) for link in _links(text) if (link, "") not in visited]
    assert leaks == []
    assert len(visited) > 500, f"the walk reached only {len(visited)} pages"
    assert [v for v in PUBLIC_VALUES if v not in public_text] == [], "public history must stay visible"


def _is_public_redirect(response) -> bool:
    """A redirect that is the page's own answer (a trailing slash), not a refusal sending to login."""
    location = response.headers.get("Location", "")
    return response.status_code in (301, 302) and not (
        location.startswith(reverse("login")) or location.startswith(reverse("admin:login"))
    )


@override_settings(COINSTACK_PUBLIC_BROWSING=True)
def test_public_statistics_do_not_count_the_owners_purchase_as_provenance(client, collector, purchases):
    """PUB-2's only history is the dealer it was bought from: to the owner that is provenance, to a
    public visitor the coin has none (SEC-1 has an earlier sale either way)."""
    from catalog.models import ProvenanceEvent

    other = purchases["other"]
    other.acquisition_url = "https://secret-house.example/lot/PUB-2-BOUGHT"
    other.save()
    ProvenanceEvent.objects.create(coin=other, kind="dealer", name="A dealer", url=other.acquisition_url)
    owner = Client()
    owner.force_login(collector)

    def provenance_count(visitor) -> int:
        items = visitor.get("/stats/").context["completeness"]["items"]
        return next(item["count"] for item in items if item["label"] == "Provenance")

    assert provenance_count(owner) == 2
    assert provenance_count(client) == 1


@override_settings(COINSTACK_PUBLIC_BROWSING=True)
def test_public_lot_counts_leave_the_purchases_out(client, collector, purchases):
    """Four lots: the purchase and a lot linked without a role are the owner's; the earlier sale and
    the comparable are public. Counts say 2 to a visitor (home page and lot list), 4 to the owner."""
    owner = Client()
    owner.force_login(collector)
    for visitor, expected in ((owner, 4), (client, 2)):
        assert visitor.get("/").context["lot_count"] == expected
        assert visitor.get("/auctions/").context["page"].paginator.count == expected
