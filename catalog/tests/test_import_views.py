"""The upload page: staff only; a preview writes nothing; confirming imports; files checked, kept private."""

import json

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path

from catalog.import_views import SESSION_KEY
from catalog.importing import import_file
from catalog.models import Coin
from catalog.tests.factories import make_coin
from catalog.tests.test_import_files import augustus, write_xlsx
from coinstack import urls as project_urls

# The project's URLs (base.html links to its pages), plus ours until the lead includes them.
urlpatterns = list(project_urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "importing" for p in urlpatterns):
    urlpatterns.insert(0, path("", include("catalog.import_urls")))
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def private_upload_dir(settings, tmp_path):
    settings.COINSTACK_IMPORT_TMP_DIR = tmp_path / "uploads"
    return settings.COINSTACK_IMPORT_TMP_DIR


@pytest.fixture
def importer_client(client):
    user = User.objects.create_user("curator", password="x")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_coin", "change_coin", "view_coin"])
    )
    client.force_login(user)
    return client


def xlsx_upload(tmp_path, rows, name="mine.xlsx"):
    data = write_xlsx(tmp_path / "upload.xlsx", rows).read_bytes()
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_anonymous_and_unprivileged_users_are_kept_out(client, tmp_path):
    assert client.get("/import/").status_code == 302  # to the login page
    assert client.get("/export/").status_code == 302
    client.force_login(User.objects.create_user("visitor", password="x"))
    assert client.get("/import/").status_code == 403
    response = client.post("/import/", {"file": xlsx_upload(tmp_path, [augustus()])})
    assert response.status_code == 403
    assert client.get("/export/").status_code == 403
    assert Coin.objects.count() == 0


def test_preview_then_confirm(importer_client, tmp_path, private_upload_dir):
    page = importer_client.get("/import/")
    assert page.status_code == 200 and b'enctype="multipart/form-data"' in page.content
    upload = xlsx_upload(tmp_path, [augustus(), augustus(8, minted="sometime")], name="../../etc/passwd.xlsx")
    preview = importer_client.post("/import/", {"file": upload, "currency": "eur"})
    assert preview.status_code == 200
    assert Coin.objects.count() == 0  # a preview writes nothing
    text = preview.content.decode()
    assert "2 coins to create" in text and "sometime" in text and "Minted" in text
    token = preview.context["token"]
    stored = list(private_upload_dir.iterdir())
    assert [p.name for p in stored] == [f"{token}.upload"]  # generated name, never the client's

    done = importer_client.post("/import/", {"token": token, "currency": "EUR", "sheet": ""})
    assert done.status_code == 200 and done.context["done"]
    assert Coin.objects.count() == 2 and Coin.objects.get(inventory_number="7").acquisition_currency == "EUR"
    assert list(private_upload_dir.iterdir()) == []  # removed after the import
    # The token is spent: confirming again is refused, and nothing is imported twice.
    assert importer_client.post("/import/", {"token": token, "currency": "EUR"}).status_code == 400


def test_a_token_from_another_session_is_refused(importer_client, client, tmp_path):
    preview = importer_client.post("/import/", {"file": xlsx_upload(tmp_path, [augustus()])})
    token = preview.context["token"]
    other = User.objects.create_user("other", password="x")
    other.user_permissions.add(*Permission.objects.filter(codename__in=["add_coin", "change_coin"]))
    client.force_login(other)
    assert SESSION_KEY not in client.session
    assert client.post("/import/", {"token": token, "currency": "USD"}).status_code == 400
    assert Coin.objects.count() == 0


def test_files_that_are_not_spreadsheets_or_too_large_are_refused(
    importer_client, settings, private_upload_dir
):
    png = SimpleUploadedFile("coins.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    response = importer_client.post("/import/", {"file": png})
    assert response.status_code == 400 and b"not a spreadsheet" in response.content
    settings.COINSTACK_IMPORT_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.csv", b"Ruler,Minted\n" + b"Augustus,27 BC\n" * 200)
    response = importer_client.post("/import/", {"file": big})
    assert response.status_code == 400 and b"larger than" in response.content
    unusable = SimpleUploadedFile("x.csv", b"colour,shape\nred,round\n")
    response = importer_client.post("/import/", {"file": unusable})
    assert response.status_code == 400 and b"No column we recognise" in response.content
    assert not private_upload_dir.exists() or list(private_upload_dir.iterdir()) == []
    assert Coin.objects.count() == 0


def test_export_download(importer_client):
    make_coin(inventory_number="7", notes="=1+1")
    response = importer_client.get("/export/?format=json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)[0]["notes"] == "=1+1"
    csv_response = importer_client.get("/export/?format=csv")
    assert "'=1+1" in csv_response.content.decode("utf-8-sig")
    assert importer_client.get("/export/?format=exe").status_code == 400


def test_export_applies_the_coin_list_filters(importer_client):
    make_coin(inventory_number="1", metal="gold")
    make_coin(inventory_number="2", metal="silver")
    response = importer_client.get("/export/?format=json&metal=gold")
    assert [c["inventory_number"] for c in json.loads(response.content)] == ["1"]
    everything = importer_client.get("/export/?format=json")
    assert len(json.loads(everything.content)) == 2


def test_preview_says_what_was_matched_by_content_and_what_is_left_alone(importer_client, tmp_path):
    from catalog.tests.factories import make_image

    rows = [augustus(None, temp_loc="SlabBox1", link=None), augustus(None, temp_loc="SlabBox2", link=None)]
    first = importer_client.post("/import/", {"file": xlsx_upload(tmp_path, rows)})
    importer_client.post("/import/", {"token": first.context["token"], "currency": "USD"})
    assert Coin.objects.count() == 2
    make_image(Coin.objects.get(storage_location="SlabBox1"), is_primary=True)
    again = importer_client.post("/import/", {"file": xlsx_upload(tmp_path, rows)})
    text = again.content.decode()
    assert "2 rows without inventory number matched by content" in text
    assert "Left alone (entered or linked in CoinStack): 1 image" in text


def test_the_upload_page_takes_what_a_request_can_finish(importer_client, tmp_path, settings):
    settings.COINSTACK_IMPORT_UPLOAD_MAX_ROWS = 3
    assert b"at most 10 MB and 3 rows" in importer_client.get("/import/").content
    rows = [augustus(n) for n in range(1, 6)]
    response = importer_client.post("/import/", {"file": xlsx_upload(tmp_path, rows)})
    assert response.status_code == 400 and b"the limit is 3 rows" in response.content
    assert Coin.objects.count() == 0
    # The command is not bound by the page's limit.
    assert import_file(write_xlsx(tmp_path / "all.xlsx", rows)).created == 5
