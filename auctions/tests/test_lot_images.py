"""Lot images pass the same checks as every image (coinstack.security.validate_image_upload), whether
uploaded in the admin or downloaded by the scraper: size, real format matching the name, pixel limit."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from auctions.models import AuctionLot, LotImage
from auctions.scraping.scrape import scrape_url
from auctions.tests.test_scraping_store import FIXTURES, at, web  # noqa: F401  (web is a fixture)
from coinstack.tests.test_uploads import _png_claiming

pytestmark = pytest.mark.django_db


def png(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 170, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def add_image(admin_client, lot, name: str, content: bytes):
    return admin_client.post(
        reverse("admin:auctions_lotimage_add"),
        {
            "lot": lot.pk,
            "url": "https://example.org/pic",
            "position": 0,
            "image": SimpleUploadedFile(name, content),
        },
    )


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("obverse.pdf", png(), "PNG image but its name ends in .pdf"),
        ("huge.png", _png_claiming(9_000, 10_000), "pixels"),
        ("huge.png", _png_claiming(12_000, 12_000), "pixels"),
        ("notes.png", b"%PDF-1.4 not an image", "not an image"),
    ],
    ids=["png-named-pdf", "90-megapixels", "144-megapixels", "not-an-image"],
)
def test_an_admin_upload_that_fails_the_checks_is_refused_and_not_stored(
    admin_client, media, name, content, said
):
    lot = AuctionLot.objects.create(url="https://example.org/lot/1")
    response = add_image(admin_client, lot, name, content)
    assert response.status_code == 200  # the form again
    assert said in response.content.decode()
    assert LotImage.objects.count() == 0 and stored_files(media) == []


def test_an_admin_upload_that_passes_is_stored_by_its_content_hash(admin_client, media):
    lot = AuctionLot.objects.create(url="https://example.org/lot/1")
    response = add_image(admin_client, lot, "obverse.png", png())
    assert response.status_code == 302
    image = LotImage.objects.get()
    assert len(image.sha256) == 64
    assert image.image.name == f"lots/{image.sha256[:2]}/{image.sha256}.png"


def test_a_scraped_image_over_the_pixel_limit_is_kept_as_a_url_only(web, media):  # noqa: F811
    page = (FIXTURES / "generic-jsonld.html").read_text()
    web.expect_request("/img/big.png").respond_with_data(
        _png_claiming(12_000, 12_000), content_type="image/png"
    )
    web.expect_request("/img/small.jpg").respond_with_data(png(), content_type="image/jpeg")
    page = page.replace("/media/nero-obv.jpg", at(web, "shop.example", "/img/big.png")).replace(
        "https://example.org/media/nero-rev.jpg", at(web, "shop.example", "/img/small.jpg")
    )
    web.expect_request("/shop/one").respond_with_data(page, content_type="text/html")

    assert scrape_url(at(web, "shop.example", "/shop/one")).outcome == "created"

    big = LotImage.objects.get(url__endswith="/img/big.png")
    small = LotImage.objects.get(url__endswith="/img/small.jpg")
    assert not big.image
    # A PNG served as ".jpg" is stored under the extension of what it really is.
    assert small.image.name.endswith(".png")
    assert len(stored_files(media)) == 1
