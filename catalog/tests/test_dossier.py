"""The dossier PDF: the page (owner only, the coin list's filters) and the command; the PDF's text,
extracted with pypdf, holds each coin's identification and value."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from pypdf import PdfReader

from auctions.models import LotReference
from catalog.models import ManualValue, ProvenanceEvent
from catalog.tests.factories import (
    make_coin,
    make_denomination,
    make_issuer,
    make_lot,
    make_mint,
    make_reference,
    make_sale,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_client(client):
    client.force_login(User.objects.create_user("collector", first_name="Livia", last_name="Drusilla"))
    return client


@pytest.fixture
def coins():
    denarius = make_denomination("Denarius")
    augustus = make_coin(
        inventory_number="A-1",
        issuer=make_issuer("Augustus"),
        denomination=denarius,
        mint=make_mint("Lugdunum"),
        grade="Choice VF",
        grade_band=75,
        storage_location="SlabBox1",
        acquisition_price=Decimal("900"),
        acquisition_currency="USD",
        acquisition_date=dt.date(2021, 3, 1),
        obverse_legend="CAESAR AVGVSTVS",
    )
    make_reference(augustus, "RIC I 207", system="RIC", volume="I", number="207")
    ProvenanceEvent.objects.create(coin=augustus, name="Peh Family Collection", order=0)
    sale = make_sale("Nomos", "30", date=dt.date(2024, 10, 1))
    for n, hammer in enumerate(("1000", "1100", "1200")):
        lot = make_lot(
            url=f"https://example.test/{n}",
            sale=sale,
            house=sale.house,
            hammer_price=Decimal(hammer),
            currency="CHF",
            status="sold",
            grade_band=75,
            grade="Good VF",
            buyers_premium_pct=Decimal("20"),
            lot_number=str(100 + n),
        )
        LotReference.objects.create(lot=lot, raw_text="RIC I 207", system="RIC", volume="I", number="207")
    tiberius = make_coin(inventory_number="A-2", issuer=make_issuer("Tiberius"), category="roman_imperial")
    ManualValue.objects.create(
        coin=tiberius, amount=Decimal("750"), currency="GBP", note="Insurance schedule"
    )
    greek = make_coin(inventory_number="G-1", issuer=make_issuer("Athens"), category="greek", metal="silver")
    return augustus, tiberius, greek


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_coin_list_links_to_the_dossier_of_its_selection(user_client, coins):
    html = user_client.get("/coins/?category=greek").content.decode()
    assert 'href="/coins/dossier/?category=greek"' in html


def test_the_dossier_holds_each_coins_identification_and_value(user_client, coins):
    response = user_client.get("/coins/dossier/?category=roman_imperial")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Collection dossier" in text and "Livia Drusilla" in text
    assert "#A-1 Augustus Denarius" in text and "Lugdunum" in text and "RIC I 207" in text
    assert "Choice VF" in text and "Peh Family Collection" in text and "SlabBox1" in text
    assert "Estimate:" in text and "same type, similar grade" in text
    # CHF 1,320 (1,100 + 20 %) is the median sale; its rate and date are printed with it.
    assert "1,100 CHF" in text and "2024-10-01" in text
    assert "#A-2 Tiberius" in text and "Manual value: 750 GBP" in text and "Insurance schedule" in text
    assert "Athens" not in text  # the filter left the Greek coin out
    assert "Value in GBP" in text and "Value in EUR" in text and "Total value in EUR" in text
    assert "Spent in USD" in text and "900 USD" in text


def test_a_coin_without_comparables_says_so(user_client, coins):
    text = pdf_text(user_client.get("/coins/dossier/?category=greek").content)
    assert "#G-1 Athens" in text and "Not enough sales" in text


def test_only_the_owner_gets_a_dossier(coins, settings):
    settings.COINSTACK_PUBLIC_BROWSING = True
    response = Client().get("/coins/dossier/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_filters_that_select_nothing_get_a_message(user_client, coins):
    response = user_client.get("/coins/dossier/?category=celtic")
    assert response.status_code == 400
    assert "No coin matches these filters" in response.content.decode()


def test_the_command_writes_the_pdf(coins, tmp_path, capsys):
    out = tmp_path / "dossier.pdf"
    call_command("dossier", "category=greek", "--output", str(out), "--owner", "Heirs of L. D.")
    assert "Wrote the dossier of 1 coins" in capsys.readouterr().out
    text = pdf_text(out.read_bytes())
    assert "Heirs of L. D." in text and "#G-1 Athens" in text and "Augustus" not in text
    with pytest.raises(CommandError, match="is not a filter"):
        call_command("dossier", "greek", "--output", str(out))
    with pytest.raises(CommandError, match="No coin matches"):
        call_command("dossier", "category=celtic", "--output", str(out))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("dossier", "--output", str(tmp_path / "missing" / "x.pdf"))


def test_hostile_text_is_printed_as_text(user_client, coins):
    augustus = coins[0]
    augustus.notes = "<b>bold</b> & <font size=90>" + "x" * 50_000
    augustus.save()
    response = user_client.get("/coins/dossier/?category=roman_imperial")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "<b>bold</b> & <font size=90>" in text
    assert "[...]" in text


def test_the_primary_photo_is_printed(user_client, coins, settings, tmp_path):
    import random

    from django.core.files.base import ContentFile

    from catalog.models import CoinImage
    from ops.demo.images import coin_jpeg

    settings.MEDIA_ROOT = str(tmp_path / "media")
    image = CoinImage(coin=coins[2], kind="obverse", is_primary=True)
    image.image.save(
        "obv.jpg", ContentFile(coin_jpeg(random.Random(1), "silver", "AR", reverse=False)), save=False
    )
    image.save()
    reader = PdfReader(io.BytesIO(user_client.get("/coins/dossier/?category=greek").content))
    coin_page = reader.pages[1]
    assert "#G-1 Athens" in coin_page.extract_text()
    assert len(coin_page.images) == 1
