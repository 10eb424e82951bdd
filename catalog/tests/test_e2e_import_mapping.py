"""End-to-end: the import page's mapping screen in a real browser (Playwright driving Debian's chromium):
upload a collector's sheet, change one column's field, preview again, import, and follow the result's
link to the coins it created."""

import re

import pytest
from django.contrib.auth.models import Permission, User

from catalog.models import Coin
from catalog.tests.collection_files import write_csv
from catalog.tests.test_e2e_browser import PASSWORD, browser  # noqa: F401 - the browser fixture
from catalog.tests.test_e2e_browser import pytestmark as browser_marks
from catalog.tests.test_import_collections import JOSEPH_HEADER, joseph_row

pytestmark = browser_marks


@pytest.fixture
def curator(transactional_db, settings, tmp_path):
    settings.COINSTACK_IMPORT_TMP_DIR = tmp_path / "uploads"
    user = User.objects.create_user("curator", password=PASSWORD)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_coin", "change_coin", "view_coin"])
    )
    return user


def test_change_one_columns_field_and_import(browser, live_server, curator, tmp_path):  # noqa: F811
    sheet = write_csv(
        tmp_path / "joseph.csv", JOSEPH_HEADER, [joseph_row(officina="1st"), joseph_row(officina="2nd")]
    )
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/?next=/import/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/import/$"))

    page.set_input_files("#id_file", str(sheet))
    page.click("text=Preview the import")
    page.wait_for_selector("table.mapping")
    officina = page.get_by_label("officina", exact=True)
    assert officina.input_value() == "officina"  # guessed: kept in the notes as "officina: ..."
    # The collector keeps the officina as the tray: the column now fills the storage location.
    officina.select_option("storage")
    page.click("button[value=remap]")
    page.wait_for_selector("table.mapping")
    assert page.get_by_label("officina", exact=True).input_value() == "storage"
    assert Coin.objects.count() == 0  # a preview writes nothing

    page.click("button[value=import]")
    page.wait_for_selector("text=Import finished")
    assert sorted(Coin.objects.values_list("storage_location", flat=True)) == ["1st", "2nd"]
    page.click(".import-result-link a")
    page.wait_for_url(re.compile(r"/coins/\?import_batch=\d+$"))
    assert page.locator(".results-count strong").inner_text() == "2"
    assert errors == []
