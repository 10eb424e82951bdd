"""Hostile and oversized spreadsheets: refused before the work with a message naming the limit, never a
500 or a traceback; control characters and formulas never slip in silently."""

import zipfile
from io import StringIO

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import include, path

from auctions.models import AuctionLot
from catalog.importing import UnusableFile, import_file
from catalog.models import Coin
from catalog.tests.test_import_files import HEADERS, augustus, write_csv, write_xlsx
from coinstack import urls as project_urls
from vocab.models import Denomination, Issuer, Mint

urlpatterns = list(project_urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "importing" for p in urlpatterns):
    urlpatterns.insert(0, path("", include("catalog.import_urls")))
pytestmark = pytest.mark.django_db

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def rewrite(path, name, transform):
    """Replace one member of an xlsx (zip) by transform(old text)."""
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info.filename) for info in source.infolist()}
    members[name] = transform(members[name].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member, data in members.items():
            target.writestr(member, data)
    return path


def excel_like_xlsx(path, rows):
    """A minimal workbook the way Excel writes one: every text in xl/sharedStrings.xml, cells pointing
    at it by index (openpyxl itself writes inline strings)."""
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter

    strings: list[str] = []
    sheet_rows = []
    for r, values in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(values, start=1):
            ref = f"{get_column_letter(c)}{r}"
            if value is None:
                continue
            if isinstance(value, int | float):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                strings.append(str(value))
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    members = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Target="xl/workbook.xml" '
            f'Type="{rel}/officeDocument"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Coins" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>'
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
            + "</sst>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def with_doctype(text, entity="&lol3;"):
    """The part's XML with a billion-laughs DTD in front and the entity used in its first text."""
    body = text.split("?>", 1)[1] if text.startswith("<?xml") else text
    return LAUGHS + body.replace("Augustus", entity, 1)


def refused(path, *messages):
    with pytest.raises(UnusableFile) as caught:
        import_file(path)
    for message in messages:
        assert message in str(caught.value)
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_collection", str(path), stdout=StringIO())
    assert Coin.objects.count() == 0
    return str(caught.value)


def test_entity_expansion_in_the_shared_strings_is_refused_with_a_message(tmp_path):
    path = excel_like_xlsx(tmp_path / "c.xlsx", [HEADERS, augustus()])
    assert import_file(path).created == 1  # the helper makes a workbook we read
    Coin.objects.all().delete()
    rewrite(path, "xl/sharedStrings.xml", with_doctype)
    refused(path, "XML entity declarations")


def test_an_external_entity_in_the_workbook_part_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [augustus()])

    def external(text):
        body = text.split("?>", 1)[1] if text.startswith("<?xml") else text
        return '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + body

    rewrite(path, "xl/workbook.xml", external)
    refused(path, "XML entity declarations")


def test_entity_in_the_sheet_itself_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [augustus()])
    rewrite(path, "xl/worksheets/sheet1.xml", lambda t: with_doctype(t, entity="x"))
    refused(path, "XML entity declarations")


def test_a_csv_cell_beyond_the_cell_limit_is_refused_naming_it(tmp_path):
    path = write_csv(tmp_path / "c.csv", [augustus(comment="x" * 1_048_576)])
    message = refused(path, "32,767")
    assert "row 2" in message.lower()
    medium = write_csv(tmp_path / "m.csv", [augustus(comment="y" * 40_000)])  # under csv's own limit
    refused(medium, "40,000 characters", "32,767")


def test_sizes_are_checked_from_the_zip_directory_before_openpyxl_reads_anything(
    tmp_path, settings, monkeypatch
):
    path = excel_like_xlsx(
        tmp_path / "c.xlsx", [HEADERS, *(augustus(n, comment="z" * 3000) for n in range(50))]
    )
    settings.COINSTACK_IMPORT_MAX_UNPACKED_BYTES = 20_000

    def must_not_run(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read a workbook beyond the limits")

    monkeypatch.setattr("catalog.importing.reading.load_workbook", must_not_run)
    refused(path, "unpacks to", "the limit is 19.5 KB")
    settings.COINSTACK_IMPORT_MAX_UNPACKED_BYTES = 256 * 1024 * 1024
    settings.COINSTACK_IMPORT_MAX_SHARED_STRINGS_BYTES = 10_000
    refused(path, "shared strings", "the limit is 9.8 KB")


def test_one_huge_shared_string_is_refused_before_openpyxl_loads_the_table(tmp_path, monkeypatch):
    # Compresses to a few KB; openpyxl would hold all of it in memory.
    path = excel_like_xlsx(tmp_path / "c.xlsx", [HEADERS, augustus(comment="A" * 5_000_000)])
    monkeypatch.setattr("catalog.importing.reading.load_workbook", lambda *a, **k: pytest.fail("read"))
    refused(path, "longer than 32,767 characters")


def test_rows_columns_and_cells_of_a_sheet_are_bounded(tmp_path, settings):
    settings.COINSTACK_IMPORT_MAX_ROWS = 5
    many = write_xlsx(tmp_path / "rows.xlsx", [augustus(n) for n in range(1, 10)])
    refused(many, "rows up to row 6", "limit is 5 rows")
    settings.COINSTACK_IMPORT_MAX_ROWS = 100_000
    settings.COINSTACK_IMPORT_MAX_COLUMNS = 20
    refused(write_xlsx(tmp_path / "wide.xlsx", [augustus()]), "column 21", "limit is 20 columns")
    refused(write_csv(tmp_path / "wide.csv", [augustus()]), "columns; the limit is 20")
    settings.COINSTACK_IMPORT_MAX_COLUMNS = 200
    settings.COINSTACK_IMPORT_MAX_CELLS = 50
    rows = [augustus(n) for n in range(1, 4)]
    refused(write_xlsx(tmp_path / "cells.xlsx", rows), "more than 50 filled cells", "reached at row 3")
    refused(write_csv(tmp_path / "cells.csv", rows), "more than 50 filled cells", "reached at row 3")


def test_a_cell_far_below_the_data_does_not_make_empty_rows(tmp_path):
    """A sheet whose <dimension> claims A1:XFD1048576 and a formatted cell at XFD9 imports its rows."""
    path = write_xlsx(tmp_path / "c.xlsx", [augustus()])

    def huge_dimension(text):
        text = text.replace('<dimension ref="A1:AA2"/>', '<dimension ref="A1:XFD1048576"/>')
        return text.replace("</sheetData>", '<row r="9"><c r="XFD9" s="0"/></row></sheetData>')

    rewrite(path, "xl/worksheets/sheet1.xml", huge_dimension)
    report = import_file(path)
    assert (report.rows, report.created) == (1, 1)


def test_nul_and_other_control_characters_are_removed_with_a_warning(tmp_path):
    path = write_csv(tmp_path / "c.csv", [augustus(ruler_issuer="Augus\x00tus", comment="ok\x1b[31m red")])
    report = import_file(path)
    coin = Coin.objects.get()
    assert coin.issuer.name == "Augustus" and coin.notes.startswith("ok[31m red")
    warnings = [str(p) for p in report.warnings if "control characters" in p.message]
    assert any('column "Ruler Issuer"' in w and "NUL" in w for w in warnings), warnings
    assert any('column "Comment"' in w and "ESC" in w for w in warnings), warnings


def test_a_formula_without_a_saved_value_is_reported_per_cell(tmp_path):
    # openpyxl writes "=..." as a formula and saves no value for it, as many programs do.
    path = write_xlsx(tmp_path / "c.xlsx", [augustus(ruler_issuer="=1+1", weight="=3+0.82")])
    report = import_file(path)
    coin = Coin.objects.get()
    assert coin.issuer is None and coin.weight_g is None
    assert not Issuer.objects.exists()
    errors = [str(p) for p in report.errors]
    assert 'row 2, column "Ruler Issuer": "=1+1" is a formula with no saved value' in errors[0], errors
    assert any('column "Weight": "=3+0.82" is a formula with no saved value' in e for e in errors)
    assert all("open and save the file in a spreadsheet program" in e.lower() for e in errors)


def test_a_formula_with_a_saved_value_imports_that_value(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [augustus(ruler_issuer="PLACEHOLDER")])

    def formula_cell(text):
        # The cell holding PLACEHOLDER becomes a formula with its saved result.
        import re

        return re.sub(
            r'<c r="F2" t="inlineStr"><is><t>PLACEHOLDER</t></is></c>',
            '<c r="F2" t="str"><f>PROPER("augustus")</f><v>Augustus</v></c>',
            text,
        )

    rewrite(path, "xl/worksheets/sheet1.xml", formula_cell)
    report = import_file(path)
    assert Coin.objects.get().issuer.name == "Augustus"
    assert report.errors == []


def test_formula_looking_text_never_becomes_a_term_or_a_lot(tmp_path):
    rows = [
        augustus(
            ruler_issuer="=1+1",
            mint="@SUM(A1)",
            coin_type="+Denarius",
            comment='=HYPERLINK("http://127.0.0.1:9/", "click")',
            link='=HYPERLINK("http://127.0.0.1:9/")',
        )
    ]
    report = import_file(write_csv(tmp_path / "c.csv", rows))
    coin = Coin.objects.get()
    assert (coin.issuer, coin.mint, coin.denomination) == (None, None, None)
    assert not Issuer.objects.exists() and not Mint.objects.exists() and not Denomination.objects.exists()
    assert not AuctionLot.objects.exists() and coin.acquisition_url == ""
    # Nothing lost: the text is in the notes, and each cell is reported.
    assert "Ruler Issuer: =1+1" in coin.notes and "127.0.0.1:9" in coin.notes
    columns = {p.column for p in report.errors}
    assert {"Ruler Issuer", "Mint", "Coin type", "Link"} <= columns, [str(p) for p in report.errors]


@pytest.fixture
def staff_client(client, settings, tmp_path):
    settings.COINSTACK_IMPORT_TMP_DIR = tmp_path / "uploads"
    user = User.objects.create_user("curator", password="x")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_coin", "change_coin"]))
    client.force_login(user)
    return client


@pytest.mark.urls(__name__)
def test_hostile_uploads_get_a_400_with_the_reason_and_leave_no_file(staff_client, tmp_path, settings):
    laughs = rewrite(write_xlsx(tmp_path / "l.xlsx", [augustus()]), "xl/workbook.xml", with_doctype)
    big_cell = write_csv(tmp_path / "b.csv", [augustus(comment="x" * 1_048_576)])
    settings.COINSTACK_IMPORT_MAX_BYTES = 5 * 1024 * 1024
    for upload, reason in ((laughs, b"XML entity declarations"), (big_cell, b"32,767")):
        response = staff_client.post(
            "/import/", {"file": SimpleUploadedFile(upload.name, upload.read_bytes())}
        )
        assert response.status_code == 400 and reason in response.content
        assert list(settings.COINSTACK_IMPORT_TMP_DIR.iterdir()) == []  # the failed preview is gone
    assert Coin.objects.count() == 0


def test_a_file_naming_too_many_unknown_terms_is_refused_before_writing(tmp_path, settings):
    settings.COINSTACK_IMPORT_MAX_NEW_TERMS = 5
    rows = [augustus(n, ruler_issuer=f"Emperor {n}", mint="Lugdunum") for n in range(1, 9)]
    message = refused(write_xlsx(tmp_path / "c.xlsx", rows), "more than 5 issuers, mints or denominations")
    assert "By row 5" in message  # four emperors, a mint and a denomination
    assert not Issuer.objects.exists() and not Mint.objects.exists()
    settings.COINSTACK_IMPORT_MAX_NEW_TERMS = 10
    assert import_file(write_xlsx(tmp_path / "d.xlsx", rows)).created == 8
