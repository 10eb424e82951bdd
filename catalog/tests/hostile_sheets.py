"""Write the hostile and oversized spreadsheets the import limits were measured with.

    python -m catalog.tests.hostile_sheets OUTDIR

huge_string.xlsx (1 MB holding a 1 GB shared string), huge_sheet.xlsx (7 MB unpacking to 2 GB of sheet
XML), laughs.xlsx (XML entity expansion), big_cell.csv (a 1 MB cell), max_cells.xlsx (10 MB: 66,600
rows x 30 columns, 2,000,000 cells, 900 names the vocabulary lacks) and upload_max.xlsx (4,999 rows, the
upload page's limit). Then, for each: `/usr/bin/time -v python manage.py import_collection FILE --dry-run`.
"""

import random
import sys
import zipfile
from pathlib import Path

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _frame(z: zipfile.ZipFile, shared: bool = True) -> None:
    strings = (
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>' if shared else ""
    )
    z.writestr(
        "[Content_Types].xml",
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/>{strings}</Types>',
    )
    z.writestr(
        "_rels/.rels",
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Target="xl/workbook.xml" '
        f'Type="{REL}/officeDocument"/></Relationships>',
    )
    z.writestr(
        "xl/workbook.xml",
        f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Coins" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
    )
    rel = f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>' if shared else ""
    z.writestr(
        "xl/_rels/workbook.xml.rels",
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" '
        f'Target="worksheets/sheet1.xml"/>{rel}</Relationships>',
    )


def huge_string(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        _frame(z)
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s">'
            '<v>1</v></c></row><row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>2</v></c></row>'
            "</sheetData></worksheet>",
        )
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as h:
            h.write(f'<sst xmlns="{MAIN}"><si><t>Ruler</t></si><si><t>Notes</t></si><si><t>'.encode())
            chunk = b"A" * (1 << 20)
            for _ in range(1024):
                h.write(chunk)
            h.write(b"</t></si></sst>")


def huge_sheet(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        _frame(z, shared=False)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as h:
            h.write(
                f'<worksheet xmlns="{MAIN}"><sheetData><row><c t="inlineStr"><is><t>Ruler</t></is></c>'
                '<c t="inlineStr"><is><t>Weight</t></is></c></row>'.encode()
            )
            row = b'<row><c t="inlineStr"><is><t>Augustus</t></is></c><c><v>3.82</v></c></row>' * 10000
            written = 0
            while written < 2 * 1024**3:
                h.write(row)
                written += len(row)
            h.write(b"</sheetData></worksheet>")


def laughs(path: Path) -> None:
    entities = "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        _frame(z)
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s">'
            '<v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c></row></sheetData></worksheet>',
        )
        z.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">{entities}]><sst xmlns="{MAIN}">'
            "<si><t>Ruler</t></si><si><t>Notes</t></si><si><t>&lol9;</t></si></sst>",
        )


def many_cells(path: Path, rows: int) -> None:
    """rows x 30 columns of shared strings: 300 names per vocabulary column, 2,000 texts elsewhere."""
    rng = random.Random(1)
    headers = ["Ruler", "Coin type", "Mint", "Minted", "Weight", "Diameter", "Composition", "Condition",
               "Reference", "Temp loc", *(f"Extra {i}" for i in range(20))]  # fmt: skip
    words = [f"word{i} " * rng.randint(1, 6) for i in range(2000)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        _frame(z)
        texts = "".join(f"<si><t>{s}</t></si>" for s in [*headers, *words])
        z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{texts}</sst>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as h:
            head = "".join(f'<c r="{get_column_letter(i + 1)}1" t="s"><v>{i}</v></c>' for i in range(30))
            h.write(f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{head}</row>'.encode())
            for r in range(2, rows + 2):
                cells = []
                for c in range(30):
                    ref = f"{get_column_letter(c + 1)}{r}"
                    if c == 4:
                        cells.append(f'<c r="{ref}"><v>{3 + rng.random():.2f}</v></c>')
                    else:
                        pick = rng.randrange(300) if c < 3 else rng.randrange(2000)
                        cells.append(f'<c r="{ref}" t="s"><v>{30 + pick}</v></c>')
                h.write(f'<row r="{r}">{"".join(cells)}</row>'.encode())
            h.write(b"</sheetData></worksheet>")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    huge_string(out / "huge_string.xlsx")
    huge_sheet(out / "huge_sheet.xlsx")
    laughs(out / "laughs.xlsx")
    (out / "big_cell.csv").write_text("Ruler,Notes\nAugustus," + "x" * (1 << 20) + "\n")
    many_cells(out / "max_cells.xlsx", 66_600)
    many_cells(out / "upload_max.xlsx", 4_999)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
