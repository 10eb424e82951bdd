"""Which spreadsheet column means which coin field, decided by its header.

Headers are compared after folding (case, accents, non-breaking spaces, punctuation, "_" and units
ignored), so "Diameter ", "DIAMETER (mm)" and "diameter_mm" are one column. Each field has the
synonyms collectors use; the headers of our own export are synonyms too, so an exported file imports
back. A column nobody recognises is not dropped: its values go to the coin's notes as "Header: value".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from numismatics.text import fold

from .reading import Sheet, UnusableFile

# field key -> header spellings (already in folded form: lower case, single spaces, no punctuation), learnt
# from real sheets in English, German, French, Italian and Spanish.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "inventory": ("inventory number", "inventory", "inventory no", "inv", "inv no", "no", "number", "nr",
                  "inventar", "inventarnummer", "inventaire", "inventario", "numero inventario"),
    "storage": ("temp loc", "storage", "storage location", "location", "loc", "tray", "lagerort",
                "aufbewahrung", "emplacement", "rangement", "posizione", "ubicacion"),
    "category": ("category", "series category", "kategorie", "categorie", "categoria"),
    "denomination": ("coin type", "denomination", "denom", "nominal", "nominale", "denominazione",
                     "denominacion", "valeur", "nominal value"),
    "issuer": ("ruler issuer", "ruler", "issuer", "authority", "emperor", "empress", "kaiser",
               "herrscher", "munzherr", "empereur", "souverain", "emetteur", "imperatore", "autorita",
               "emperador", "autoridad", "emisor", "king", "monarch"),
    "portrait": ("laureate", "portrait", "portrait subject", "bust", "bildnis", "portrait de", "ritratto",
                 "retrato"),
    "reign": ("ruled", "reign", "reigned", "regierungszeit", "regne", "regno", "reinado"),
    "struck": ("minted", "struck", "date struck", "dated", "date", "datierung", "pragezeit", "datum",
               "datation", "datazione", "fecha", "year", "jahr", "annee", "anno", "ano"),
    "year_start": ("year start", "year l", "year low", "year from", "from year", "year min", "start year",
                   "date from", "jahr von", "von jahr", "jahr ab", "annee de", "annee debut", "anno da",
                   "anno inizio", "ano desde", "ano inicio", "desde"),
    "year_end": ("year end", "year h", "year high", "year to", "to year", "year max", "end year", "date to",
                 "jahr bis", "bis jahr", "annee a", "annee fin", "anno a", "anno fine", "ano hasta",
                 "ano fin", "hasta"),
    "is_circa": ("is circa", "circa"),
    "date_text": ("date text",),
    "diameter": ("diameter", "diameter mm", "diam", "size", "size mm", "durchmesser", "diametre",
                 "diametro", "module"),
    "weight": ("weight", "weight g", "wt", "gewicht", "poids", "peso"),
    "die_axis": ("die axis", "axis", "die axis h", "die orientation", "stempelstellung", "axe", "asse",
                 "eje", "orientation"),
    "mint": ("mint", "mint city", "munzstatte", "pragestatte", "atelier", "zecca", "ceca", "casa de moneda"),
    "script": ("script", "alphabet"),
    "obverse": ("obverse", "obv", "vorderseite", "avers", "droit", "dritto", "anverso"),
    "reverse": ("reverse", "rev", "ruckseite", "revers", "rovescio", "reverso"),
    "obverse_legend": ("obverse legend", "obv legend", "obverse inscription", "legend obverse",
                       "legende vorderseite", "vs legende", "legende avers", "legenda dritto",
                       "leyenda anverso"),
    "obverse_description": ("obverse description", "obverse desc", "obv desc", "obv description",
                            "description obverse", "beschreibung vorderseite", "vs beschreibung",
                            "description avers", "descrizione dritto", "descripcion anverso"),
    "reverse_legend": ("reverse legend", "rev legend", "reverse inscription", "legend reverse",
                       "legende ruckseite", "rs legende", "legende revers", "legenda rovescio",
                       "leyenda reverso"),
    "reverse_description": ("reverse description", "reverse desc", "rev desc", "rev description",
                            "description reverse", "beschreibung ruckseite", "rs beschreibung",
                            "description revers", "descrizione rovescio", "descripcion reverso"),
    "exergue": ("exergue", "exergo", "esergo", "abschnitt", "exergue mark"),
    "references": ("reference", "references", "refs", "ref", "catalogue reference", "catalog reference",
                   "referenz", "referenzen", "literatur", "zitat", "reference catalogue", "riferimento",
                   "riferimenti", "bibliografia", "referencia", "referencias", "catalogue", "catalog"),
    "grade": ("condition", "grade", "erhaltung", "etat", "conservation", "conservazione", "conservacion",
              "estado"),
    "metal": ("composition", "metal", "material", "metall", "metallo", "alloy", "legierung"),
    "ngc_grade": ("ngc grade", "ngc"),
    "grade_comment": ("ngc comment", "grade comment", "ngc remarks"),
    "fine_style": ("fine style",),
    "grading_state": ("grading state", "holder"),
    "grade_service": ("grade service", "grading service", "service"),
    "certificate_number": ("certificate number", "certificate", "cert", "cert no", "ngc cert"),
    "ngc_strike": ("ngc strike", "strike"),
    "ngc_surface": ("ngc surface", "surface"),
    "provenance": ("pedigree", "provenance", "provenienz", "herkunft", "provenienza", "procedencia"),
    "source": ("source", "acquisition source", "bought from", "dealer", "seller", "vendor", "handler",
               "verkaufer", "bezugsquelle", "vendeur", "venditore", "vendedor"),
    "price": ("amount paid", "price", "acquisition price", "paid", "cost", "purchase price", "preis",
              "kaufpreis", "prix", "prix d achat", "prezzo", "precio"),
    "currency": ("currency", "acquisition currency", "wahrung", "devise", "valuta", "moneda"),
    "acquisition_date": ("acquisition date", "date acquired", "purchase date", "purchased", "bought on",
                         "kaufdatum", "erworben", "date d achat", "data acquisto", "fecha de compra"),
    "url": ("link", "url", "acquisition url", "lot url"),
    "notes": ("comment", "comments", "notes", "note", "remarks", "bemerkung", "bemerkungen", "anmerkung",
              "notizen", "remarque", "remarques", "nota", "notas", "observaciones", "public comment",
              "private comment"),
    "auction_lots": ("auction lots", "linked lots", "linked auction lots", "lots"),
    # Recognised columns no coin field holds: kept in the notes under their own name (see NOTE_FIELDS).
    "officina": ("officina", "offizin", "officine"),
    "emission": ("emission", "issue", "emissione", "emision", "ausgabe"),
    "type_class": ("class", "type", "klasse", "typ", "classe", "tipo", "clase"),
    "mintmark": ("mintmark", "mint mark", "munzzeichen", "marque d atelier", "segno di zecca"),
    "thickness": ("thickness", "thickness mm", "dicke", "starke", "epaisseur", "spessore", "espesor",
                  "grosor"),
    "country": ("country", "land", "pays", "paese", "pais"),
    "shape": ("shape", "form", "forme", "forma"),
    "edge": ("edge", "rand", "tranche", "bordo", "canto"),
    "series": ("series", "serie", "sub collection", "sub collection 001", "sub collection 002", "folder",
               "collection", "sammlung", "collezione", "coleccion"),
    "tags": ("tags", "tag", "schlagworte", "etiquettes", "etichette", "etiquetas"),
    "bought_at": ("place of purchase", "payplace", "kaufort", "lieu d achat", "luogo di acquisto"),
    "title": ("title", "titel", "titre", "titolo", "titulo", "name", "coin name"),
    "face_value": ("face value", "nennwert", "valeur faciale", "valore nominale", "valor facial"),
    "monetary_system": ("monetary system", "wahrungssystem", "systeme monetaire"),
    "year_range": ("year range", "years", "period of issue"),
    "period": ("period", "epoch", "epoche", "periode", "periodo", "era"),
    "gregorian_year": ("gregorian year", "gregorianisches jahr", "annee gregorienne", "anno gregoriano",
                       "ano gregoriano"),
    "more_references": ("n number with link", "n number", "numista number", "numista id", "numista",
                        "km number", "more references", "other references"),
    "quantity": ("quantity", "qty", "anzahl", "menge", "quantite", "quantita", "cantidad"),
    # A status word (owned, sold, wish...) or, in a column named "sold", yes/no: see statuses.py.
    "status": ("status", "state", "etat de possession", "statut", "stato", "besitzstatus", "estatus",
               "estado de posesion", "sold", "verkauft", "vendu", "vendue", "venduto", "vendido"),
    "disposal_date": ("sale date", "date sold", "sold on", "date of sale", "verkaufsdatum", "verkauft am",
                      "date de vente", "vendu le", "data di vendita", "venduto il", "fecha de venta",
                      "vendido el"),
    "disposal_price": ("sale price", "sold for", "selling price", "verkaufspreis", "erlos", "prix de vente",
                       "vendu pour", "prezzo di vendita", "precio de venta", "vendido por"),
    "disposed_to": ("buyer", "sold to", "kaufer", "verkauft an", "acheteur", "vendu a", "acquirente",
                    "compratore", "venduto a", "comprador", "vendido a"),
    "subject": ("subject", "subjectshort", "motiv", "sujet", "soggetto", "tema"),
    "issue_date": ("issue date", "issuedate", "ausgabedatum", "date d emission", "data di emissione"),
    "fineness": ("fineness", "feingehalt", "titre du metal", "titolo metallo", "ley"),
    "sale": ("sale", "verkauf", "vente", "vendita", "venta", "place of sale", "saleplace", "verkaufsort",
             "lieu de vente", "luogo di vendita", "lugar de venta"),
    "source_id": ("opennumismat id", "source id", "record id", "uid", "uuid", "id"),
}  # fmt: skip
# Fields that have no column of their own on a coin: a recognised value goes to the notes as
# "Officina: 2nd" (so the mapping screen can say what the column is, and nothing is lost).
NOTE_FIELDS = {
    "officina": "Officina",
    "emission": "Emission",
    "type_class": "Class/type",
    "mintmark": "Mintmark",
    "thickness": "Thickness (mm)",
    "country": "Country",
    "shape": "Shape",
    "edge": "Edge",
    "series": "Collection folder",
    "script": "Script",
    "title": "Title",
    "face_value": "Face value",
    "monetary_system": "Monetary system",
    "year_range": "Years of issue",
    "period": "Period",
    "quantity": "Quantity",
    "status": "Status",
    "subject": "Subject",
    "issue_date": "Issue date",
    "fineness": "Fineness",
    "sale": "Sale",
    "tags": "Tags",
    "bought_at": "Place of purchase",
}
# What the mapping screen shows for each field; "notes" keeps the column in the notes under its header,
# IGNORE drops it.
FIELD_LABELS: dict[str, str] = {
    "inventory": "Inventory number", "storage": "Storage location", "category": "Category",
    "denomination": "Denomination", "issuer": "Issuer / ruler", "portrait": "Portrait subject",
    "reign": "Reign", "struck": "Date struck", "year_start": "Year from", "year_end": "Year to",
    "is_circa": "Circa (yes/no)", "date_text": "Date as written", "diameter": "Diameter (mm)",
    "weight": "Weight (g)", "die_axis": "Die axis", "mint": "Mint", "obverse": "Obverse (legend and type)",
    "reverse": "Reverse (legend and type)", "obverse_legend": "Obverse legend",
    "obverse_description": "Obverse description", "reverse_legend": "Reverse legend",
    "reverse_description": "Reverse description", "exergue": "Exergue", "references": "References",
    "grade": "Grade", "metal": "Metal", "ngc_grade": "NGC grade", "grade_comment": "Grade comment",
    "fine_style": "Fine style", "grading_state": "Grading state", "grade_service": "Grading service",
    "certificate_number": "Certificate number", "ngc_strike": "NGC strike", "ngc_surface": "NGC surface",
    "provenance": "Provenance", "source": "Acquisition source", "price": "Price paid",
    "currency": "Currency of the price", "acquisition_date": "Acquisition date", "url": "Acquisition URL",
    "notes": "Notes", "auction_lots": "Auction lots", "gregorian_year": "Gregorian year",
    "more_references": "More references (KM#, N#)", "disposal_date": "Date sold",
    "disposal_price": "Price sold for", "disposed_to": "Sold to (buyer)",
    "source_id": "The file's own id of the coin",
    **NOTE_FIELDS,
}  # fmt: skip
IGNORE = "ignore"
KEEP = "keep"  # the column's values go to the notes as "Header: value"
_LOOKUP = {spelling: key for key, spellings in SYNONYMS.items() for spelling in spellings}
# Columns that describe a coin (the inventory number and a storage place alone make no coin).
DESCRIPTIVE = frozenset(SYNONYMS) - {"inventory", "storage"}
_TRAILING_NUMBER = re.compile(r"\s+\d{1,3}$")

_UNITS = re.compile(r"\((?:mm|g|gr|grams?|usd|eur|chf|gbp|\$|€|£)\)")
_NON_WORD = re.compile(r"[^\w]+")


def normalise_header(header: object) -> str:
    """ "Diameter\\xa0(mm) " -> "diameter"; "Reference(s)" -> "references"; "year_start" -> "year start"."""
    text = fold(str(header or ""))
    text = text.replace("(s)", "s")
    text = _UNITS.sub(" ", text)
    text = text.replace("_", " ")
    return _NON_WORD.sub(" ", text).strip()


def guess_field(header: object) -> str | None:
    """The field a header names, or None. "sub_collection__002" is looked up as "sub collection" too."""
    name = normalise_header(header)
    return _LOOKUP.get(name) or _LOOKUP.get(_TRAILING_NUMBER.sub("", name))


@dataclass
class ColumnMap:
    """field key -> column index, the columns nobody recognised (index -> label, kept in notes) and the
    columns the user chose to ignore."""

    fields: dict[str, int]
    unknown: dict[int, str] = field(default_factory=dict)
    ignored: set[int] = field(default_factory=set)

    def has(self, key: str) -> bool:
        return key in self.fields

    def choice_of(self, index: int) -> str:
        """What column `index` does: a field key, KEEP (in the notes under its header) or IGNORE."""
        if index in self.ignored:
            return IGNORE
        for key, position in self.fields.items():
            if position == index:
                return key
        return KEEP


def map_columns(sheet: Sheet, chosen: dict[str, str] | None = None) -> ColumnMap:
    """Map each header to a field. The first column with an empty header is the inventory number (the
    collector's sheet leaves that header blank). `chosen` (column label -> field key, KEEP or IGNORE:
    the user's mapping) wins over the guess. UnusableFile when no column describes a coin."""
    chosen = chosen or {}
    fields: dict[str, int] = {}
    unknown: dict[int, str] = {}
    ignored: set[int] = set()
    for index, header in enumerate(sheet.headers):
        label = sheet.column_label(index)
        key = chosen.get(label) if label in chosen else guess_field(header)
        if key is None and label not in chosen and index == 0 and not str(header or "").strip():
            key = "inventory"
        if key == IGNORE:
            ignored.add(index)
            continue
        if key is None or key == KEEP or key in fields or key not in FIELD_LABELS:
            # Unknown, or a second column for a field already mapped: kept in notes, never lost.
            if any(values[index] not in (None, "") for _, values in sheet.rows):
                unknown[index] = label
            continue
        fields[key] = index
    currency = fields.get("currency")
    own_money = "price" not in fields or sheet.source == "numista"
    if currency is not None and own_money and sheet.column_label(currency) not in chosen:
        # A "Currency" column beside no price, or in a Numista export, names the coin's own money
        # ("Canadian dollar (1858-date)"), never what was paid.
        fields.pop("currency")
        if "monetary_system" in fields:
            unknown[currency] = sheet.column_label(currency)
        else:
            fields["monetary_system"] = currency
    # A user's mapping may keep every column in the notes; a guess that recognises nothing is refused.
    if not (DESCRIPTIVE - NOTE_FIELDS.keys()) & fields.keys() and not (chosen and unknown):
        raise UnusableFile(
            "No column we recognise: the header row should name columns such as Ruler, Denomination, "
            "Minted, Weight, Reference."
        )
    return ColumnMap(fields, unknown, ignored)
