"""The dossier laid out as a PDF with ReportLab: a cover with the totals, then one page (or more)
per coin, printable in black and white on A4.

Every text from the database is escaped before it reaches ReportLab's paragraph markup, and long
free texts are cut (a note of 100,000 characters must not make a hundred pages). DejaVu Sans (Debian's
fonts-dejavu) is used when the system has it, so Greek legends and ★ print; else ReportLab's own Vera.
"""

import io
from decimal import Decimal
from html import escape
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from catalog.templatetags.coin_tags import money

from .content import Dossier

MAX_TEXT = 2000
MAX_EVIDENCE_ROWS = 30
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _fonts() -> tuple[str, str]:
    if "CoinStackSans" in pdfmetrics.getRegisteredFontNames():
        return "CoinStackSans", "CoinStackSans-Bold"
    regular, bold = _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        import reportlab

        shipped = Path(reportlab.__file__).parent / "fonts"
        regular, bold = shipped / "Vera.ttf", shipped / "VeraBd.ttf"
    pdfmetrics.registerFont(TTFont("CoinStackSans", str(regular)))
    pdfmetrics.registerFont(TTFont("CoinStackSans-Bold", str(bold)))
    return "CoinStackSans", "CoinStackSans-Bold"


def _styles() -> dict:
    regular, bold = _fonts()
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontName=bold, fontSize=20, leading=24),
        "h1": ParagraphStyle("h1", parent=base["Heading1"], fontName=bold, fontSize=14, leading=17),
        "h2": ParagraphStyle(
            "h2",
            parent=base["Heading2"],
            fontName=bold,
            fontSize=10.5,
            leading=13,
            spaceBefore=6,
            spaceAfter=2,
        ),
        "body": ParagraphStyle("body", parent=base["BodyText"], fontName=regular, fontSize=9, leading=11.5),
        "small": ParagraphStyle("small", parent=base["BodyText"], fontName=regular, fontSize=7, leading=8.5),
        "bold": bold,
        "regular": regular,
    }


def _text(value, limit: int = MAX_TEXT) -> str:
    text = "" if value is None else str(value)
    if len(text) > limit:
        text = text[:limit] + " [...]"
    return escape(text).replace("\n", "<br/>")


def _cell(value, style: ParagraphStyle, width_mm: float):
    """A table cell: the plain string when it fits on one line (drawn as it is, which costs a tenth
    of a Paragraph: a 500-coin dossier has tens of thousands of cells), else a wrapping Paragraph."""
    text = "" if value is None else str(value)
    if "\n" not in text and len(text) * style.fontSize * 0.6 <= width_mm * mm:
        return text
    return Paragraph(_text(text), style)


def _plain_style(styles: dict, size: float, header_rows: int = 0, bold_column: bool = False) -> list:
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), styles["regular"]),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * 1.25),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
    ]
    if header_rows:
        commands.append(("FONTNAME", (0, 0), (-1, header_rows - 1), styles["bold"]))
    if bold_column:
        commands.append(("FONTNAME", (0, 0), (0, -1), styles["bold"]))
    return commands


PAIR_VALUE_MM = 140


def _pairs(rows: list[tuple[str, object]], styles: dict, value_mm: float = PAIR_VALUE_MM) -> Table:
    data = [
        [str(label), _cell(value if value not in (None, "") else "—", styles["body"], value_mm)]
        for label, value in rows
    ]
    table = Table(data, colWidths=[35 * mm, None], hAlign="LEFT")
    table.setStyle(TableStyle(_plain_style(styles, styles["body"].fontSize, bold_column=True)))
    return table


def _photo(coin):
    """The primary image from the media storage (its thumbnail when there is one), or None: a
    remote address is named in the text, never fetched while the PDF is made."""
    images = getattr(coin, "primary_images", [])
    if not images:
        return None
    image = images[0]
    for field in (image.thumbnail, image.image):
        if field and field.name:
            try:
                path = field.path
            except (NotImplementedError, ValueError):
                continue
            if Path(path).exists():
                try:
                    photo = Image(path)
                except OSError:
                    return None
                ratio = (photo.imageWidth or 1) / (photo.imageHeight or 1)
                photo.drawWidth, photo.drawHeight = (
                    (45 * mm, 45 * mm / ratio) if ratio >= 1 else (45 * mm * ratio, 45 * mm)
                )
                return photo
    return None


def _cover(dossier: Dossier, styles: dict) -> list:
    story = [
        Paragraph("Collection dossier", styles["title"]),
        Paragraph(f"Owner: {_text(dossier.owner)}", styles["body"]),
        Paragraph(f"Made on {dossier.made_on:%d %B %Y} by CoinStack", styles["body"]),
    ]
    if dossier.filters:
        story.append(Paragraph(f"Selection: {_text(dossier.filters, 500)}", styles["body"]))
    story.append(Spacer(1, 6 * mm))
    counts = dossier.counts
    rows = [
        ("Coins", len(dossier.coins)),
        ("Valued from comparable sales", counts.get("estimate", 0)),
        ("Manual values", counts.get("manual", 0)),
        ("Not enough sales", counts.get("none", 0)),
    ]
    for code, amount in dossier.value_per_currency.items():
        rows.append((f"Value in {code}", money(amount, code)))
    rows.append(
        (
            f"Total value in {dossier.currency}",
            money(dossier.value_in_owner_currency, dossier.currency)
            + (
                f" (at the ECB rate of {dossier.made_on:%d %b %Y})"
                if len(dossier.value_per_currency) > 1
                else ""
            ),
        )
    )
    for code, amount in dossier.not_converted.items():
        rows.append((f"Not convertible ({code})", money(amount, code)))
    for code, amount in dossier.spent_per_currency.items():
        rows.append((f"Spent in {code}", money(amount, "" if code == "?" else code)))
    spent = dossier.spent
    if spent:
        rows.append(
            (
                f"Spent, in {spent['currency']}",
                money(spent["amount"], spent["currency"]) + " (at each purchase date's rate)",
            )
        )
    story.append(_pairs(rows, styles))
    story.append(Spacer(1, 6 * mm))
    story.append(
        Paragraph(
            "Values are estimates from comparable auction sales (hammer plus buyer's premium, converted at "
            "the European Central Bank's reference rate of each sale's date; recency-weighted median and "
            "range) "
            "unless a manual value is given. The evidence for each is listed with the coin.",
            styles["small"],
        )
    )
    return story


def _coin_story(coin, styles: dict) -> list:
    title = " ".join(
        p
        for p in (
            f"#{coin.inventory_number}" if coin.inventory_number else "",
            str(coin.issuer or "Unattributed"),
            str(coin.denomination or ""),
            coin.date_display,
        )
        if p
    )
    story = [Paragraph(_text(title, 300), styles["h1"])]
    references = list(coin.references.all())
    types = [r.type for r in references if r.type_id and not r.is_cf]
    identification = [
        ("Category", coin.get_category_display()),
        ("Issuer", coin.issuer.name if coin.issuer_id else ""),
        ("Denomination", coin.denomination.name if coin.denomination_id else ""),
        ("Date", coin.date_display),
        ("Mint", coin.mint.name if coin.mint_id else ""),
        ("Type", "; ".join(f"{t.label} ({t.uri})" for t in types)),
        ("References", "; ".join(r.citation for r in references)),
        ("Obverse", " ".join(p for p in (coin.obverse_legend, coin.obverse_description) if p)),
        ("Reverse", " ".join(p for p in (coin.reverse_legend, coin.reverse_description) if p)),
    ]
    photo = _photo(coin)
    ident = _pairs(
        identification, styles, value_mm=PAIR_VALUE_MM - 50 if photo is not None else PAIR_VALUE_MM
    )
    if photo is not None:
        block = Table([[photo, ident]], colWidths=[50 * mm, None])
        block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(block)
    else:
        story.append(ident)
        images = getattr(coin, "primary_images", [])
        if images and images[0].source_url:
            story.append(Paragraph(f"Photo: {_text(images[0].source_url, 300)}", styles["small"]))
    story.append(Paragraph("Physical", styles["h2"]))
    story.append(
        _pairs(
            [
                ("Weight", f"{coin.weight_g.normalize():f} g" if coin.weight_g is not None else ""),
                ("Diameter", f"{coin.diameter_mm.normalize():f} mm" if coin.diameter_mm is not None else ""),
                ("Die axis", f"{coin.die_axis}h" if coin.die_axis else ""),
                ("Metal", coin.get_metal_display()),
            ],
            styles,
        )
    )
    story.append(Paragraph("Grade", styles["h2"]))
    holder = coin.get_grading_state_display()
    if coin.grade_service:
        holder += f", {coin.get_grade_service_display()}"
    if coin.certificate_number:
        holder += f", certificate {coin.certificate_number}"
    story.append(_pairs([("Grade", coin.grade), ("Holder", holder)], styles))
    story.append(Paragraph("Provenance", styles["h2"]))
    events = list(coin.provenance.all())
    if events:
        lines = []
        for event in events:
            when = event.date.isoformat() if event.date else event.date_text or "undated"
            what = ", ".join(
                p
                for p in (event.name or event.raw_text, event.sale, f"lot {event.lot}" if event.lot else "")
                if p
            )
            price = f" ({money(event.hammer, event.currency)})" if event.hammer is not None else ""
            lines.append(f"{_text(when, 100)}: {_text(what, 500)}{_text(price, 100)}")
        story.append(Paragraph("<br/>".join(lines), styles["body"]))
    else:
        story.append(Paragraph("No earlier history recorded.", styles["body"]))
    story.append(Paragraph("Acquisition and storage", styles["h2"]))
    story.append(
        _pairs(
            [
                ("Acquired", coin.acquisition_date.isoformat() if coin.acquisition_date else ""),
                ("Source", coin.acquisition_source or coin.acquisition_url),
                ("Price", money(coin.acquisition_price, coin.acquisition_currency)),
                ("Storage", coin.storage_location),
                ("Notes", coin.notes),
            ],
            styles,
        )
    )
    story.append(Paragraph("Value", styles["h2"]))
    story.extend(_value_story(coin.valuation, styles))
    return story


def _value_story(valuation, styles: dict) -> list:
    story = []
    currency = valuation.currency
    if valuation.manual is not None:
        manual = valuation.manual
        line = f"Manual value: <b>{_text(money(manual.amount, manual.currency))}</b>"
        if manual.valued_on:
            line += f" of {manual.valued_on.isoformat()}"
        story.append(Paragraph(line, styles["body"]))
        if manual.note:
            story.append(Paragraph(_text(manual.note), styles["body"]))
    if valuation.estimate is None:
        if valuation.manual is None:
            story.append(
                Paragraph("<b>Not enough sales</b> to value this coin from comparables.", styles["body"])
            )
        return story
    estimate = valuation.estimate
    story.append(
        Paragraph(
            f"Estimate: <b>{_text(money(estimate.median, currency))}</b> "
            f"(range {_text(money(estimate.low, currency))} – {_text(money(estimate.high, currency))}), "
            f"recency-weighted median of {len(valuation.comparables)} sales, "
            f"{valuation.first_sale.isoformat()} to {valuation.last_sale.isoformat()}; "
            f"rule: {_text(valuation.rule)}.",
            styles["body"],
        )
    )
    header = ["Sale", "Date", "Hammer", "Premium", "Rate", f"In {currency}", "Grade", "Counted"]
    widths = [35, 19, 18, 18, 30, 18, 16, 22]
    rows = [header]
    for item in valuation.comparables[:MAX_EVIDENCE_ROWS]:
        lot, price = item.lot, item.price
        sale = ", ".join(
            p
            for p in (
                lot.house.name if lot.house_id else "",
                (lot.sale.name or lot.sale.number) if lot.sale_id else "",
                f"lot {lot.lot_number}" if lot.lot_number else "",
            )
            if p
        )
        rate = (
            "—"
            if price.rate.is_identity
            else f"{price.rate.rate.normalize():f} of {price.rate.on.isoformat()}"
        )
        if price.rate.note:
            rate += f" ({price.rate.note})"
        cells = [
            sale,
            price.sale_date.isoformat(),
            money(price.hammer, price.currency),
            f"{price.premium.percent.normalize():f} % ({price.premium.rule})",
            rate,
            money(price.amount, currency),
            lot.grade,
            (f"x {item.factor} = " if item.factor != Decimal(1) else "") + money(item.adjusted, currency),
        ]
        rows.append(
            [_cell(cell[:300], styles["small"], width - 2) for cell, width in zip(cells, widths, strict=True)]
        )
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                *_plain_style(styles, styles["small"].fontSize, header_rows=1),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
            ]
        )
    )
    story.append(table)
    return story


def render(dossier: Dossier) -> bytes:
    styles = _styles()
    out = io.BytesIO()

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(styles["regular"], 7)
        canvas.drawString(
            15 * mm, 10 * mm, f"CoinStack dossier of {dossier.made_on.isoformat()} · {dossier.owner}"[:150]
        )
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, f"page {doc.page}")
        canvas.restoreState()

    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title="Collection dossier",
        author=dossier.owner[:200],
    )
    story = _cover(dossier, styles)
    for coin in dossier.coins:
        story.append(PageBreak())
        story.extend(_coin_story(coin, styles))
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
