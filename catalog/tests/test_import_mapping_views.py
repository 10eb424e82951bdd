"""The upload page's mapping screen: each column, its field and sample values; a changed field is
previewed again and imported; the choice is remembered; the result links to the coins it made."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Coin, CoinImage, ColumnMapping
from catalog.tests.collection_files import png, write_csv, write_opennumismat
from catalog.tests.test_import_collections import JOSEPH_HEADER, joseph_row, on_coin
from catalog.tests.test_import_views import urlpatterns  # noqa: F401 - the project's URLs and ours

pytestmark = [pytest.mark.urls("catalog.tests.test_import_views"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def private_dirs(settings, tmp_path):
    settings.COINSTACK_IMPORT_TMP_DIR = tmp_path / "uploads"
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def curator(client):
    user = User.objects.create_user("curator", password="x")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_coin", "change_coin", "view_coin"])
    )
    client.force_login(user)
    return client


def mapping_form(preview) -> dict:
    """What the preview's form posts as it stands: token, currency, sheet and each column's field."""
    data = {"token": preview.context["token"], "currency": "USD", "sheet": ""}
    for column in preview.context["report"].columns:
        data[f"column_label_{column.index}"] = column.label
        data[f"column_{column.index}"] = column.choice
    return data


def test_change_a_column_preview_again_and_import(curator, tmp_path):
    path = write_csv(tmp_path / "sheet.csv", JOSEPH_HEADER, [joseph_row(), joseph_row(exergue="SMANT")])
    upload = SimpleUploadedFile("joseph.csv", path.read_bytes())
    preview = curator.post("/import/", {"file": upload})
    text = preview.content.decode()
    assert preview.status_code == 200 and 'name="column_12"' in text and "SMANT" in text
    columns = {c.label: c for c in preview.context["report"].columns}
    assert (columns["year_l"].choice, columns["exergue"].choice, columns["stock"].choice) == (
        "year_start", "exergue", "keep")  # fmt: skip
    assert columns["exergue"].samples == ("XXIT", "SMANT")

    form = mapping_form(preview)
    form[f"column_{columns['exergue'].index}"] = "ignore"
    again = curator.post("/import/", {**form, "action": "remap"})
    assert again.status_code == 200 and Coin.objects.count() == 0
    assert {c.label: c.choice for c in again.context["report"].columns}["exergue"] == "ignore"

    done = curator.post("/import/", {**mapping_form(again), "action": "import"})
    assert done.status_code == 200 and done.context["done"]
    assert list(Coin.objects.values_list("exergue", flat=True)) == ["", ""]
    batch = done.context["report"].batch_id
    assert f'href="/coins/?import_batch={batch}"' in done.content.decode()
    listed = curator.get(f"/coins/?import_batch={batch}")
    assert listed.status_code == 200 and listed.context["listing"].page.paginator.count == 2
    # The next file with these headers is mapped as chosen.
    assert ColumnMapping.objects.count() == 1
    upload = SimpleUploadedFile("joseph2.csv", path.read_bytes())
    next_preview = curator.post("/import/", {"file": upload})
    assert next_preview.context["report"].mapping_remembered
    assert "mapped as you chose before" in next_preview.content.decode()


def test_a_mapping_naming_unknown_fields_is_refused_with_nothing_written(curator, tmp_path):
    path = write_csv(tmp_path / "sheet.csv", JOSEPH_HEADER, [joseph_row()])
    preview = curator.post("/import/", {"file": SimpleUploadedFile("s.csv", path.read_bytes())})
    form = mapping_form(preview)
    form["column_0"] = "<script>"
    response = curator.post("/import/", {**form, "action": "import"})
    assert response.status_code == 400 and b"fields we do not know" in response.content
    assert b"<script>" not in response.content and Coin.objects.count() == 0


def test_an_opennumismat_collection_through_the_page(curator, tmp_path):
    path = write_opennumismat(
        tmp_path / "c.db", [on_coin(1, obverseimg=1, reverseimg=2)], {1: png(), 2: png("red")}
    )
    preview = curator.post("/import/", {"file": SimpleUploadedFile("c.db", path.read_bytes())})
    assert preview.status_code == 200 and "2 photos to store" in preview.content.decode()
    assert CoinImage.objects.count() == 0
    done = curator.post("/import/", {**mapping_form(preview), "action": "import"})
    assert done.context["done"] and Coin.objects.count() == 1
    assert list(CoinImage.objects.values_list("is_primary", flat=True).order_by("position")) == [True, False]
