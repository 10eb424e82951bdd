"""The staff page "Add an auction lot": paste or upload a lot page, see what was read, correct, store."""

from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from auctions.models import AuctionLot
from catalog.tests.factories import make_coin

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).resolve().parents[2] / "numismatics" / "tests" / "data" / "page-text"
ADD = reverse("auctions:add_lot")
URL = "https://www.hdrauch.com/auktion/121/los/412"


def rauch_page() -> str:
    return (PAGES / "rauch-style-lot.txt").read_text(encoding="utf-8")


def mhtml(html: str, url: str) -> bytes:
    """A page as a browser saves it "as a single file": a multipart/related archive, quoted-printable."""
    archive = EmailMessage()
    archive["Subject"] = "saved page"
    archive["Snapshot-Content-Location"] = url
    archive.set_content(html, subtype="html", cte="quoted-printable")
    archive.make_related()
    archive.add_related(b"\x89PNG fake image", maintype="image", subtype="png", cid="<img1>")
    return archive.as_bytes()


def read(client, **data):
    return client.post(ADD, {"step": "read", **data})


def save_data(preview, **changes) -> dict:
    """The preview form's values, as the browser would send them back, with the user's changes."""
    form = preview.context["lot_form"]
    data = {"step": "save"}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def test_only_staff_who_may_add_lots_see_the_page(client):
    assert client.get(ADD).status_code == 302  # to the login page
    User.objects.create_user("reader", password="pw")
    client.login(username="reader", password="pw")
    assert client.get(ADD).status_code == 403


def test_staff_see_the_page_in_the_navigation(admin_client):
    page = admin_client.get(reverse("auctions:lot_list")).content.decode()
    assert ADD in page and "Add an auction lot" in page
    form = admin_client.get(ADD).content.decode()
    assert reverse("admin:auctions_auctionlot_scrape") in form  # "fetch it for me" is the admin's


def test_pasted_text_is_previewed_with_found_and_missing_fields_and_nothing_is_stored(admin_client):
    response = read(admin_client, url=URL, text=rauch_page())
    assert response.status_code == 200
    marks = {mark["name"]: mark for mark in response.context["marks"]}
    assert marks["house_name"]["value"] == "H. D. Rauch" and marks["house_name"]["found"]
    assert (marks["lot_number"]["value"], marks["sale_name"]["value"]) == ("412", "Auktion 121")
    assert (marks["estimate_low"]["value"], marks["hammer_price"]["value"]) == (Decimal(400), Decimal(520))
    assert marks["buyers_premium_pct"]["value"] == Decimal(20)
    assert marks["premium_note"]["value"] == "zzgl. Aufgeld 20 %"
    assert not marks["estimate_high"]["found"]  # "Schätzung: 400 EUR" is one value, not a range
    assert marks["description"]["value"].startswith("Hadrianus, 117-138. Denar, Rom")
    html = response.content.decode()
    assert 'data-field="estimate_high"' in html and "missing" in html
    assert response.context["described"]["references"] == ["RIC 174", "BMC 367"]
    assert AuctionLot.objects.count() == 0


def test_confirming_stores_the_corrected_lot_and_links_the_coin(admin_client):
    coin = make_coin(inventory_number="R-17")
    preview = read(admin_client, url=URL, text=rauch_page(), coin="R-17", role="acquisition")
    response = admin_client.post(ADD, save_data(preview, lot_number="412a", estimate_high="450"))
    assert response.status_code == 200 and response.context["result"].outcome == "created"
    lot = AuctionLot.objects.get()
    assert (lot.url, lot.lot_number, lot.estimate_low, lot.estimate_high) == (
        URL,
        "412a",
        Decimal(400),
        Decimal(450),
    )
    assert (lot.coin, lot.coin_role, lot.status, lot.currency) == (coin, "acquisition", "sold", "EUR")
    assert (lot.house.name, lot.sale.name, lot.weight_g, lot.metal) == (
        "H. D. Rauch",
        "Auktion 121",
        Decimal("3.350"),
        "silver",
    )
    assert "Exemplar der Sammlung" in lot.description  # the provenance line is kept with the lot


def test_the_same_url_again_updates_the_lot_instead_of_adding_one(admin_client):
    first = read(admin_client, url=URL, text=rauch_page())
    admin_client.post(ADD, save_data(first))
    again = read(admin_client, url=URL, text=rauch_page())
    assert again.context["existing"] is not None  # the preview says it will update
    response = admin_client.post(ADD, save_data(again, hammer_price="540"))
    assert response.context["result"].outcome == "updated"
    assert AuctionLot.objects.count() == 1 and AuctionLot.objects.get().hammer_price == Decimal(540)


def test_a_lot_linked_to_another_coin_is_moved_only_when_asked(admin_client):
    first_coin, other = make_coin(inventory_number="A-1"), make_coin(inventory_number="B-2")
    preview = read(admin_client, url=URL, text=rauch_page(), coin="A-1", role="acquisition")
    admin_client.post(ADD, save_data(preview))
    preview = read(admin_client, url=URL, text=rauch_page(), coin=f"#{other.pk}", role="comparable")
    refused = admin_client.post(ADD, save_data(preview))
    assert refused.status_code == 400
    assert "already linked to coin" in refused.content.decode()
    assert AuctionLot.objects.get().coin == first_coin
    moved = admin_client.post(ADD, save_data(preview, move_link="on"))
    assert moved.status_code == 200
    assert (AuctionLot.objects.get().coin, AuctionLot.objects.get().coin_role) == (other, "comparable")


@pytest.mark.parametrize("suffix", [".html", ".htm", ".txt", ".mhtml"])
def test_a_saved_page_is_read_from_each_kind_of_file(admin_client, suffix):
    text = rauch_page()
    html = "<html><body>" + "".join(f"<p>{line}</p>" for line in text.split("\n")) + "</body></html>"
    content = {
        ".html": html.encode(),
        ".htm": html.encode("cp1252", "replace").replace(b"<html>", b'<html><meta charset="windows-1252">'),
        ".txt": text.encode(),
        ".mhtml": mhtml(html, URL),
    }[suffix]
    upload = SimpleUploadedFile(f"lot{suffix}", content)
    response = admin_client.post(ADD, {"step": "read", "url": URL, "page": upload})
    assert response.status_code == 200, response.content.decode()[:2000]
    marks = {mark["name"]: mark["value"] for mark in response.context["marks"]}
    assert (marks["lot_number"], marks["hammer_price"], marks["currency"]) == ("412", Decimal(520), "EUR")
    assert marks["description"].startswith("Hadrianus, 117-138.")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"url": URL}, "Paste the page"),
        ({"url": URL, "text": "x", "page": "file"}, "not both"),
        ({"url": URL, "page": "pdf"}, "is not a saved page"),
        ({"url": "ftp://example.com/x", "text": "Lot 1"}, "only http and https"),
        ({"url": URL, "text": "Welcome to our shop. Opening hours 9-17."}, "no lot description"),
        ({"url": "https://www.numisbids.com/n.php?p=sale&sid=10900", "text": "x"}, "sale listing"),
        ({"url": URL, "text": "x", "coin": "NO-SUCH"}, "No coin has"),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(admin_client, data, message):
    if data.get("page") == "file":
        data["page"] = SimpleUploadedFile("lot.txt", rauch_page().encode())
    elif data.get("page") == "pdf":
        data["page"] = SimpleUploadedFile("lot.pdf", b"%PDF-1.4")
    response = read(admin_client, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert AuctionLot.objects.count() == 0


def test_pages_larger_than_the_limit_are_refused(admin_client, settings):
    settings.COINSTACK_LOT_PAGE_MAX_BYTES = 1000
    upload = SimpleUploadedFile("lot.txt", rauch_page().encode() * 3)
    response = read(admin_client, url=URL, page=upload)
    assert response.status_code == 400 and "larger than" in response.content.decode()


def test_a_correction_that_breaks_a_rule_is_refused_in_words(admin_client):
    preview = read(admin_client, url=URL, text=rauch_page())
    response = admin_client.post(ADD, save_data(preview, estimate_low="900", estimate_high="100"))
    assert response.status_code == 400
    assert "upper end is below its lower end" in response.content.decode()
    response = admin_client.post(ADD, save_data(preview, status="unsold"))
    assert "An unsold lot has no hammer price" in response.content.decode()
    assert AuctionLot.objects.count() == 0


def test_staff_with_the_permissions_but_not_superuser_can_add(client):
    user = User.objects.create_user("curator", password="pw", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_auctionlot", "change_auctionlot"])
    )
    client.login(username="curator", password="pw")
    preview = read(client, url=URL, text=rauch_page())
    assert client.post(ADD, save_data(preview)).status_code == 200
    assert AuctionLot.objects.count() == 1


def test_real_saved_pages_are_read_from_the_web_page(admin_client, shared):
    """Real page text (CNG archive, Künker) pasted and uploaded as .txt give their hand-checked fields."""
    base = shared / "fixtures"
    cases = [
        ("lot-page-text-2/cng__CoinID-182397.txt", "https://cngcoins.com/Coin.aspx?CoinID=182397"),
        ("lot-page-text-2/kuenker__archiv-stueck-316699.txt", "https://kuenker.de/de/archiv/stueck/316699"),
    ]
    for name, url in cases:
        text = (base / name).read_text(encoding="utf-8")
        pasted = read(admin_client, url=url, text=text)
        uploaded = admin_client.post(
            ADD, {"step": "read", "url": url, "page": SimpleUploadedFile("page.txt", text.encode())}
        )
        for response in (pasted, uploaded):
            assert response.status_code == 200, name
            marks = {mark["name"]: mark["value"] for mark in response.context["marks"]}
            assert marks["hammer_price"] in (Decimal(300), Decimal(1400)), name
            assert marks["lot_number"] in ("1032", "7792"), name
