"""Uploads are images only (by content, not by name), bounded in size and pixels; paths stay inside."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from coinstack.security import check_spreadsheet_file, resolve_inside, validate_image_upload


def _image_bytes(fmt: str, size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 150, 90)).save(buffer, fmt)
    return buffer.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A real 1x1 PNG whose header is rewritten to claim another size (how bombs look on arrival)."""
    data = bytearray(_image_bytes("PNG", (1, 1)))
    # IHDR starts at byte 8: length(4) type(4) width(4) height(4) ...; its CRC follows the 13 data bytes.
    struct.pack_into(">II", data, 16, width, height)
    crc = zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF
    struct.pack_into(">I", data, 29, crc)
    return bytes(data)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF", "TIFF"])
def test_real_images_pass(fmt):
    upload = SimpleUploadedFile(f"obverse.{fmt.lower()}", _image_bytes(fmt))
    validate_image_upload(upload)
    assert upload.tell() == 0  # rewound for whoever saves it next


@pytest.mark.parametrize("name", ["obverse.pdf", "scan.txt", "coin.jpg", "coin"])
def test_an_image_whose_name_says_another_type_is_refused(name):
    """A PNG named .pdf would be stored and served as what its name says: the name must match."""
    with pytest.raises(ValidationError) as caught:
        validate_image_upload(SimpleUploadedFile(name, _image_bytes("PNG")))
    assert "PNG image" in str(caught.value) and ".png" in str(caught.value)


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "a.JPEG"), ("JPEG", "a.jfif"), ("TIFF", "scan.tiff")])
def test_every_usual_extension_of_a_format_is_accepted(fmt, name):
    assert validate_image_upload(SimpleUploadedFile(name, _image_bytes(fmt))) == fmt


def test_an_image_held_in_memory_without_a_name_is_checked_by_content_alone():
    from django.core.files.base import ContentFile

    assert validate_image_upload(ContentFile(_image_bytes("WEBP"))) == "WEBP"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("coin.jpg", b"#!/bin/sh\nrm -rf /\n"),
        ("coin.png", b"<?php system($_GET['c']); ?>"),
        ("coin.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("coin.jpg", b"<html><script>alert(document.cookie)</script></html>"),
    ],
)
def test_non_images_are_refused_whatever_their_name(name, content):
    with pytest.raises(ValidationError) as caught:
        validate_image_upload(SimpleUploadedFile(name, content))
    assert "not an image" in str(caught.value)


def test_truncated_image_is_refused():
    data = _image_bytes("PNG", (300, 300))
    with pytest.raises(ValidationError):
        validate_image_upload(SimpleUploadedFile("half.png", data[: len(data) // 2]))


def test_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        validate_image_upload(SimpleUploadedFile("nothing.jpg", b""))


def test_size_limit_comes_from_settings():
    data = _image_bytes("PNG", (200, 200))
    with (
        override_settings(COINSTACK_MAX_IMAGE_BYTES=len(data) - 1),
        pytest.raises(ValidationError, match="limit"),
    ):
        validate_image_upload(SimpleUploadedFile("big.png", data))
    with override_settings(COINSTACK_MAX_IMAGE_BYTES=len(data)):
        validate_image_upload(SimpleUploadedFile("big.png", data))


@pytest.mark.parametrize(
    "dims",
    [(9_000, 10_000), (12_000, 12_000), (50_000, 50_000)],
    ids=["90-megapixels", "144-megapixels", "pillow-bomb"],
)
def test_decompression_bombs_are_refused_before_decoding(dims):
    with pytest.raises(ValidationError):
        validate_image_upload(SimpleUploadedFile("bomb.png", _png_claiming(*dims)))


def test_the_forged_header_helper_makes_valid_files_at_normal_sizes():
    # Otherwise the bomb test would pass for the wrong reason (a broken file, not a big one).
    validate_image_upload(SimpleUploadedFile("same.png", _png_claiming(1, 1)))
    with (
        pytest.warns(Image.DecompressionBombWarning),
        Image.open(io.BytesIO(_png_claiming(11_000, 10_000))) as forged,
    ):
        assert forged.size == (11_000, 10_000)


def test_resolve_inside_keeps_to_its_folder(tmp_path):
    backups = tmp_path / "backups"
    backups.mkdir()
    good = backups / "2026-01-01.sqlite3"
    good.write_bytes(b"SQLite format 3\x00")
    (tmp_path / "secret.sqlite3").write_bytes(b"x")
    (backups / "escape.sqlite3").symlink_to(tmp_path / "secret.sqlite3")
    assert resolve_inside(backups, "2026-01-01.sqlite3", {".sqlite3"}) == good.resolve()
    assert resolve_inside(backups, good, {".sqlite3"}) == good.resolve()
    for hostile in ["../secret.sqlite3", str(tmp_path / "secret.sqlite3"), "escape.sqlite3", "/etc/passwd"]:
        with pytest.raises(ValueError, match="outside"):
            resolve_inside(backups, hostile, {".sqlite3"})
    with pytest.raises(ValueError, match="accepted file types"):
        resolve_inside(backups, "2026-01-01.sqlite3", {".json"})
    with pytest.raises(ValueError, match="does not exist"):
        resolve_inside(backups, "missing.sqlite3", {".sqlite3"})
    with pytest.raises(ValueError, match="NUL"):
        resolve_inside(backups, "a\x00.sqlite3")


def test_spreadsheet_paths_are_checked_by_content(tmp_path):
    from openpyxl import Workbook

    workbook = tmp_path / "collection.xlsx"
    Workbook().save(workbook)
    assert check_spreadsheet_file(workbook) == workbook
    csv = tmp_path / "collection.csv"
    csv.write_text("inventory,ruler\n1,Augustus\n", encoding="utf-8")
    assert check_spreadsheet_file(csv) == csv
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook")
    with pytest.raises(ValueError, match="not an Excel workbook"):
        check_spreadsheet_file(fake)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x7fELF\x00\x00\x00")
    with pytest.raises(ValueError, match="not a text file"):
        check_spreadsheet_file(binary)
    with pytest.raises(ValueError, match=r"expected an \.xlsx"):
        check_spreadsheet_file(tmp_path / "notes.docx")
    with pytest.raises(ValueError, match="does not exist"):
        check_spreadsheet_file(tmp_path / "missing.xlsx")


def test_media_is_served_as_an_image_with_its_own_content_type(rf, tmp_path, settings):
    from django.http import Http404

    from coinstack.security import serve_media

    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "coins" / "ab").mkdir(parents=True)
    (settings.MEDIA_ROOT / "coins" / "ab" / "f00d.png").write_bytes(_image_bytes("PNG"))
    (settings.MEDIA_ROOT / "coins" / "ab" / "page.html").write_text("<script>alert(1)</script>")
    (tmp_path / "outside.png").write_bytes(_image_bytes("PNG"))

    response = serve_media(rf.get("/media/coins/ab/f00d.png"), "coins/ab/f00d.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == _image_bytes("PNG")
    for hostile in ["coins/ab/page.html", "../outside.png", "coins/ab/missing.png", "/etc/passwd"]:
        with pytest.raises(Http404):
            serve_media(rf.get("/media/x"), hostile)
    assert serve_media(rf.post("/media/coins/ab/f00d.png"), "coins/ab/f00d.png").status_code == 403
