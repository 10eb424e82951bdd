"""Catalogue citations: "RIC I 207; RSC 43", "Crawford 335/1c. Sydenham 611. Caecilia 46a.".

The text is cut into segments (";", "=", sentence stops, brackets that hold citations, " - "), and
each segment is scanned for citations: first the systems we know (RIC, RPC, Crawford, Sear ...) with
their volume/part/edition/mint structure, then "Author[, Title] [volume] number" forms we do not know,
which become Citation(system="") keeping the raw text. "cf." marks every citation after it in its
segment. Sale citations ("Leu 38, lot 23"), page-only citations ("Head, Boeotia p. 90") and article
citations ("... in Kokalos 7 (1961), 166") are not type references and are dropped.

Houses write the same citation many ways; normalise_citations() first rewrites them into one:
"RIC V-2 766", "RIC V/2", "RIC V pt. 2,", "RIC V.II", "RIC-V-II", "RIC 5.2" -> "RIC V.2 766";
"RIC.86", "(RIC. 207)", "Crawford-401/1", "DT.85" -> a space; "RPC IV.3 temp. 6590" -> "RPC IV.3 6590";
"RIC II (2007) 740", "RIC II p. 350, 81" -> "RIC II 740", "RIC II 81"; "RIC VII (Antioch) 86" ->
"RIC VII Antioch 86"; "RIC 86/RSC 121" -> two citations. "cf." also stands for "vgl.", "comp.",
"compare", "like" and "similar to".
"""

import functools
import re
from dataclasses import dataclass

from numismatics.names import single_word_spellings
from numismatics.text import clean


@dataclass(frozen=True)
class Citation:
    system: str
    volume: str
    number: str
    variant: str
    raw: str
    is_cf: bool
    part: str = ""
    edition: str = ""
    mint: str = ""  # RIC VI-X are arranged by mint: "RIC VI Cyzicus 36"

    def display(self, marker: bool = True) -> str:
        """The citation the way collectors print it: "RIC IV.2 254c", "Crawford 335/1c".

        marker=False leaves out the "var" (variant) marker: "BMC 1206 var" -> "BMC 1206", the form the
        graded lot descriptions expect (they accept "var" only as an alternative)."""
        if not self.system:
            return _VAR_MARKER_RE.sub("", self.raw) if not marker else self.raw
        volume = self.volume
        if volume and self.part:
            volume += f".{self.part}"
        if volume and self.edition:
            volume += _SUPERSCRIPTS.get(self.edition, f"({self.edition})")
        number = self.number
        letters = self.variant.replace("var", "").strip()
        if letters:
            number += f" {letters}" if len(letters) > 2 else letters
        if marker and "var" in self.variant:
            number += " var"
        words = [self.system, volume, self.mint, number]
        return " ".join(word for word in words if word)


_SUPERSCRIPTS = {"2": "²", "3": "³", "4": "⁴"}
_VAR_MARKER_RE = re.compile(r"\s+var\.?$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def roman_to_int(text: str) -> int | None:
    """ "IV" -> 4; None when the text is not a Roman numeral."""
    text = text.upper()
    if not text or any(ch not in _ROMAN for ch in text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN[ch]
        total += -value if i + 1 < len(text) and _ROMAN[text[i + 1]] > value else value
    return total


# Known systems: regex (matched case-sensitively unless marked) -> canonical name.
_SYSTEMS = [
    (r"RIC", "RIC"),
    (r"RPC", "RPC"),
    (r"RRC|Crawford|Craw\.|Cr\.", "Crawford"),
    (r"RSC", "RSC"),
    (r"Cohen|Coh\.|Coh(?=\s\d)|C\.|C(?=\s\d)", "Cohen"),
    (r"Sydenham|Syd\.", "Sydenham"),
    (r"BMCRE|BMC\s?RE", "BMCRE"),
    (r"BMCRR|BMC\s?RR", "BMCRR"),
    (r"BMC", "BMC"),
    (r"SRCV|SEAR|Sear|SR(?=\s*\d)|S\.(?=\s*\d)|S(?=\s\d)", "Sear"),
    (r"GIC", "GIC"),
    (r"SG(?=\s*\d)", "SG"),
    (r"SNG", "SNG"),
    (r"MIR", "MIR"),
    (r"Prieur", "Prieur"),
    (r"DOC", "DOC"),
    (r"HGC", "HGC"),
    (r"Price", "Price"),
    (r"Calicó|Calico|Cal\.(?=\s?\d)", "Calicó"),
    (r"Babelon|Bab\.", "Babelon"),
]
# Roman moneyers' families cited after Babelon ("Caecilia 46a").
_GENTES = (
    "Aburia", "Acilia", "Aelia", "Aemilia", "Afrania", "Allia", "Annia", "Antestia", "Antia", "Antonia",
    "Appuleia", "Aquillia", "Arria", "Atia", "Atilia", "Aufidia", "Aurelia", "Axsia", "Baebia", "Caecilia",
    "Caesia", "Calidia", "Calpurnia", "Carisia", "Cassia", "Cipia", "Claudia", "Cloulia", "Coelia",
    "Considia", "Coponia", "Cordia", "Cornelia", "Cornuficia", "Cosconia", "Crepereia", "Crepusia",
    "Critonia", "Cupiennia", "Curiatia", "Curtia", "Didia", "Domitia", "Durmia", "Egnatia", "Egnatuleia",
    "Eppia", "Fabia", "Fannia", "Farsuleia", "Flaminia", "Flavia", "Fonteia", "Fufia", "Fulvia", "Furia",
    "Gellia", "Hosidia", "Hostilia", "Itia", "Julia", "Junia", "Licinia", "Livineia", "Lollia", "Lucilia",
    "Lucretia", "Lutatia", "Maenia", "Maiania", "Mamilia", "Manlia", "Marcia", "Maria", "Matiena", "Memmia",
    "Mescinia", "Minucia", "Mussidia", "Naevia", "Nonia", "Norbana", "Numitoria", "Ogulnia", "Opimia",
    "Oppia", "Papia", "Papiria", "Pedania", "Petillia", "Petronia", "Pinaria", "Plaetoria", "Plancia",
    "Plautia", "Plotia", "Poblicia", "Pompeia", "Pomponia", "Porcia", "Postumia", "Procilia", "Quinctia",
    "Renia", "Roscia", "Rubria", "Rustia", "Rutilia", "Salvia", "Sanquinia", "Satriena", "Saufeia",
    "Scribonia", "Sempronia", "Sentia", "Sepullia", "Sergia", "Servilia", "Sicinia", "Spurilia", "Statia",
    "Sulpicia", "Terentia", "Thoria", "Titia", "Tituria", "Trebania", "Tullia", "Valeria", "Vargunteia",
    "Ventidia", "Vettia", "Vibia", "Vinicia", "Volteia",
)  # fmt: skip
_SYSTEM_RE = re.compile(
    r"(?<![\w.-])(?P<sys>" + "|".join(f"(?:{p})" for p, _ in _SYSTEMS) + "|" + "|".join(_GENTES) + r")"
    r"(?![^\W\d_])"
)
_CANONICAL = [(re.compile(rf"^(?P<sys>{p})"), name) for p, name in _SYSTEMS]

# "207", "254c", "335/1c", "602-4/30", "17b.1" (RIC IX sub-issues); never an ordinal ("3rd") or a decimal.
_NUMBER = (
    r"(?!\d+(?:st|nd|rd|th|mm|gm|gr|g|h)\b)\d+(?:[A-Za-z]{1,2}(?:\.\d+)?)?(?:[/-]\d+[A-Za-z]{0,2})*"
    # a subtype after a point or a space: "Klat 583.b", "Sear 617 A", "Crawf. 426/4 a"
    r"(?:\.[a-z](?=\.?(?:[\s;,)]|$))|\s[A-Za-z](?=\s*(?:[;,.)]|$)))?"
    r"(?![\w/])(?![.,]\d)(?!-\d)"
)
_NOT_LISTED = r"[-–—](?=\s*(?:[.,;)]|$))"
_VOLUME = r"(?P<vol>[IVXL]{1,5})(?P<lpart>i{1,3}|iv|v)?(?![A-Za-z])"
_PART = r"(?:\s*(?:[./]|,?\s*(?i:part)\s+)(?P<part>\d|[IVX]{1,3}|i{1,3})(?![A-Za-z\d]))"
_EDITION = r"(?P<ed>[²³⁴]|\s*\(\s*[234](?:nd|rd|th)?\s*(?:ed\.?|edition)?\s*\))"
_NAME_WORD = r"(?:[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)"
_TAIL_TEMPLATE = (
    r"^\s*(?:(?:@VOLUME@)" + _PART + "?" + _EDITION + r"?\s*,?\s*)?"
    rf"(?:(?P<word>{_NAME_WORD})\s*,?\s*)?"
    r"(?i:[#]|n°|no\.?|nr\.?|Online(?:\s+unassigned)?)?\s*,?\s*"
    rf"(?P<num>{_NUMBER}|{_NOT_LISTED})(?:\s*(?P<var>(?i:var\.?|v\.))(?![A-Za-z]))?"
)
# Most systems number their volumes in Roman numerals; HGC, MIR and DOC in Arabic ("HGC 2, 641").
_TAIL_RE = re.compile(_TAIL_TEMPLATE.replace("@VOLUME@", _VOLUME + r"(?P<avol>)"))
_ARABIC_TAIL_RE = re.compile(
    _TAIL_TEMPLATE.replace("@VOLUME@", r"(?P<vol>)(?P<lpart>)(?P<avol>\d{1,2}(?:\.\d)?)(?=(?:\s*,\s*|\s+)\d)")
)
_ARABIC_VOLUMES = {"HGC", "MIR", "DOC"}
_SNG_TAIL_RE = re.compile(
    rf"^\s*(?P<coll>(?:von\s|v\.\s?)?[A-Z][\w.]*(?:\s(?:von\s|v\.\s?)?[A-Z][\w.]*)*?)\s*,?\s*"
    rf"(?:(?P<vol>[IVX]{{1,4}}|\d{{1,2}})\s*,\s*|(?P<vol2>[IVX]{{1,4}}|\d{{1,2}}(?=\s+\d))\s+)?"
    rf"(?P<num>{_NUMBER}|{_NOT_LISTED})"
)
# ... never a metal and a size class ("Constans AE4", "AR3").
_LETTERED_NUMBER = (
    r"(?!(?:AE|AR|AV|AU|EL|BI|PB)\d)(?-i:[A-Z]{1,2})\d{1,4}(?:[./]\d{1,3})*[a-z]?(?![\w/])(?![.,]\d)"
)
# "Author[, Title] [volume] number" for works we do not know by name.
_GENERIC_RE = re.compile(
    r"(?<![\w.,&])(?P<name>[A-Z][^\W\d_]*(?:&[A-Z][^\W\d_]*)?\.?"
    r"(?:\s(?:de\sla|de|du|la|le|von|van|der)\s[A-Z][^\W\d_]+)?"  # "De la Tour 4927", "Van Arsdell"
    # A second word ("HN Italy"), then a work's title after a comma ("Hill, UCR", "Kampmann, Die Münzen").
    r"(?:[ -](?![IVXL]+\b)[A-Z][^\W\d_]+\.?)?"
    r"(?:,\s(?![IVXL]+\b)[A-Z][^\W\d_]+(?:\s(?![IVXL]+\b)[A-Z][^\W\d_]+)?)?)"
    # A volume in Roman numerals, with its part ("Traité II, 2, 526"), or a series letter.
    r"(?:\s(?P<vol>[IVX]{1,4}(?:,\s\d{1,2}(?=,\s\d))?|[A-Z](?=\s\d+\.\d)))?,?\s"
    r"(?P<num>\d+\.\d+(?:(?!g\b|mm\b|h\b)[a-z])?(?:\.\d+)?(?![\w.])|"
    + _NUMBER
    + r"|"
    + _NOT_LISTED
    # A number with a series letter glued before it: "Johnston A14.6", "TJC S1", "Mildenberg P12".
    + r"|"
    + _LETTERED_NUMBER
    + r")"
    # Not a sale: "Leu 38, lot 23", "Künker 312, 2018, 1123" (sale, year, lot).
    r"(?!\s*(?:,\s*)?lot\b)(?!\s*,\s*(?:1[89]|20)\d\d\s*,\s*(?:(?i:lots?|nr\.?|no\.?|n°)\s*)?\d)"
    r"(?!\s*(?:BC|AD|BCE|CE|mm|g|gm|gr|h)\b)"
    # Nor a date in German, French, Italian or Spanish: "2 v. Chr.", "2 av. J.-C.", "82 a.C.", "AH 84".
    r"(?!\s*(?:[nv]|av|ap|[ad])\.\s?(?:Chr|J|C)\b|\s*[nv]\.\s?[-–])"
    r"(?:\s+(?P<var>(?i:var))\.?(?![A-Za-z]))?"  # "Strack 150 var.": a variant of that type
)
# Capitalised words that start prose or sale/lot/date phrases, never a catalogue.
_NOT_AUTHORS = {
    "Year", "Years", "Lot", "Lots", "Auction", "Sale", "Auktion", "Vente", "Asta", "Subasta", "Mint", "Part",
    "Struck", "Circa", "Dated", "Vol", "Volume",
    "No", "Nr", "Issue", "Series", "Group", "Phase", "Officina", "Emission", "Type", "Class", "Obv", "Rev",
    "Weight", "Diameter", "Estimate", "Realized", "Page", "Plate", "Pl", "Fig", "AD", "BC", "CY", "RY",
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Collection", "Catalogue", "Catalog", "Die", "Dies", "Note", "Same",
    "Cf", "Cfr", "Ex", "From", "Inv", "Rated", "Est", "Estim", "Start", "Lotto", "Lote", "Los", "Scarce",
    "Rare", "Ref", "Refs", "Reference", "References", "Orichalcum", "Potin", "Lead", "Brass", "AE", "AR",
    "AV", "BI", "EL",
    "Late", "Early", "Mid", "Century", "NGC", "PCGS", "ANACS", "ICG", "Graded", "Choice", "Ch",
    "Grade", "Condition", "Sold", "Hammer", "Price", "Starting", "Closing", "Date", "Day", "Session",
    "Gold", "Silver", "Bronze", "Billon", "Electrum", "Copper", "Silber", "Argent", "Argento", "Or", "Oro",
    "Bronzo", "Kupfer", "Gewicht", "Poids", "Peso", "Diam", "Axis", "Minted", "AH", "Stempelstellung",
    "Durchmesser", "Diamètre", "Axe", "Anv", "Rs", "Vs", "Rv", "Obverse", "Reverse", "Jahr", "Anno",
    "VF", "EF", "XF", "VG", "AU", "MS", "FDC", "UNC", "Fine", "Good", "Near", "TTB", "SUP", "BB", "SPL",
}  # fmt: skip
# "cf." and its kin: German "vgl.", "comp."/"compare", eBay's "like", "similar to".
CF_WORDS = r"(?:cfr|cf|vgl|comp|compare|like|similar\s+to|voir|siehe)"
_MONTHS = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
}  # fmt: skip
_CF_RE = re.compile(rf"(?<![A-Za-z]){CF_WORDS}\b\.?", re.IGNORECASE)
_PARENS_RE = re.compile(r"\(([^()]*)\)")
_QUOTED_RE = re.compile(r"[“\"«][^”\"»]*[”\"»]")
_NOTE_RE = re.compile(r"(?:^|\s)n?otes?\s*:.*$", re.IGNORECASE)
_RCV_RE = re.compile(
    r"Roman Coins (?:&|and) Their Values.*?(?:Sear|Volume)[^#]*#\s*(\d+)|by David R\. Sear\.?\s*#\s*(\d+)",
    re.IGNORECASE,
)
# Sentence stops: a full stop and a space, unless the word before is an abbreviation or an initial.
_SENTENCE_RE = re.compile(
    r"\.(?<!\b[A-Z]\.)"
    + "".join(
        rf"(?<!\b{word}\.)"
        for word in (
            "cf",
            "Cf",
            "cfr",
            "Cfr",
            "Coh",
            "Syd",
            "no",
            "pl",
            "p",
            "pp",
            "Cr",
            "Craw",
            "Crawf",
            "Bab",
            "vol",
            "Vol",
            "ca",
            "v",
            "Cal",
            "Cop",
            "Ffc",
            "Gén",
            "Rec",
            "Nr",
            "nr",
            "vgl",
            "Vgl",
            "comp",
            "Comp",
            "Suppl",
            "suppl",
        )
    )
    + r"\s+(?=\S)"
)


# For description.py, which must tell a citation from prose before handing a sentence part over.
SYSTEM_RE = _SYSTEM_RE
GENERIC_RE = _GENERIC_RE
NOT_AUTHORS = _NOT_AUTHORS
MONTHS = _MONTHS


def _canonical(token: str) -> str:
    for pattern, name in _CANONICAL:
        # The patterns may look ahead for the number ("C 161"), so try them on the token plus one.
        match = pattern.match(token + " 1")
        if match and match.end("sys") == len(token):
            return name
    return token  # a gens name


def _part_number(text: str | None) -> str:
    if not text:
        return ""
    if text.isdigit():
        return text
    value = roman_to_int(text)
    return str(value) if value else ""


def _split_number(token: str) -> tuple[str, str]:
    """ "254c" -> ("254", "c"); "335/1c" -> ("335/1", "c"); "27-4a" -> ("27-4", "a")."""
    if token in ("-", "–", "—"):
        return "-", ""
    match = re.match(r"^(.*\d)([A-Za-z]*)$", token)
    return (match.group(1), match.group(2)) if match else (token, "")


# Systems whose name is glued to the number by a full stop or a hyphen: "RIC.86" (CGB), "(RIC. 207)"
# (Tauler & Fau), "Crawford-401/1", "RIC-52" (Stack's), "DT.85 - LT.7777".
_GLUED_RE = re.compile(
    r"\b(RIC|RPC|RSC|RRC|BMCRE|BMCRR|BMC|SNG|DOC|MIR|MIBE?|HGC|SRCV|SB|Price|Crawford|Sydenham|"
    r"Calicó|Cohen|Sear|Hendin|TJC|ABC|Woytek|Göbl)(?:\.\s?|\s?-\s?)(?=\d|[IVX]{1,4}\b)"
    r"|\b((?![IVXL]+\b)(?!(?:BC|AD|BCE|CE|AH|CY|RY|TR|COS|IMP)\b)[A-Z]{2,4})\.(?=\d)"
    r"|\b([A-Z][a-zà-ÿ]{3,})-(?=\d+(?:/\d+)?[a-z]?(?:[;,.)\s]|$))"
)
# Tauler & Fau bracket each citation: "(FAB. 765) (ACIP. 2117)"; outside brackets "AVG. 3" may be a
# legend's last word and a weight, so only bracketed abbreviations lose their full stop.
_BRACKETED_ABBREVIATION_RE = re.compile(r"\((?!(?:[IVXL]+|BC|AD)\.)([A-Z]{2,5})\.\s(?=\d)")
# A volume's part written with a hyphen, a slash or "pt.": "RIC V-2 766", "RIC V/2 810", "RIC V pt. 2,
# 101", "RIC V Part II 101" -> "RIC V.2 766". Only when a number follows, so "RIC III-12" (volume III,
# number 12) keeps its meaning.
_VOLUME_PART_RE = re.compile(
    r"\b(RIC|RPC|RSC|BMCRE|SRCV)\s+([IVX]{1,4})\s*(?:[-/]|,?\s*(?i:pt|part)\.?)\s*([1-3]|I{1,3})\b\s*,?\s*(?=\d)"
)
# Arabic volume and part: "RIC 5.2 766" -> "RIC V.2 766".
_ARABIC_VOLUME_PART_RE = re.compile(r"\b(RIC|RPC)\s+([1-9]|10)\.([1-3])\s+(?=\d)")
_ARABIC_TO_ROMAN = {
    1: "I",
    2: "II",
    3: "III",
    4: "IV",
    5: "V",
    6: "VI",
    7: "VII",
    8: "VIII",
    9: "IX",
    10: "X",
}
# "RPC IV.3 temp. 6590", "RPC VII.2 temp 1045": the temporary number is the number.
_TEMP_RE = re.compile(r"\b(RPC\s+[IVX]{1,4}(?:\.\d)?)\s+temp\.?\s+(?=\d)", re.IGNORECASE)
# "Babelon (Aemilia) 20": the family in brackets is the volume.
# "SNG Fitz. 123", "SNG Cop. 456": the collection's abbreviation point is not a sentence end.
_SNG_ABBREVIATED_RE = re.compile(r"\b(SNG\s+[A-Z][a-zäöü]{1,8})\.(?=\s?\d)")
# "RIC II (2007) 740", "RIC I (2nd ed.) 207": the edition's year or name in brackets after the volume.
_EDITION_BRACKET_RE = re.compile(r"\b(RIC\s+[IVX]{1,4}(?:\.\d)?)\s*\((?:\d{4}|2nd\s+ed\.?)\)\s*(?=\d)")
# "RIC VII (Antioch) 86": the mint in brackets, as RIC VI-X arrange by mint.
_BRACKETED_FAMILY_RE = re.compile(r"\b(Babelon|Bab\.|RIC\s+[IVX]{1,4})\s*\(([A-Z][a-z]+)\)\s*(?=\d)")
# "RIC II p. 350, 81": the page goes, the number stays.
_PAGE_THEN_NUMBER_RE = re.compile(r"\b(RIC\s+[IVX]{1,4}(?:[./-]\d)?),?\s+p\.\s*\d+,\s*(?=\d)")
# "RIC 2 128": an Arabic volume before the number; "RIC2 128": no volume at all.
_ARABIC_VOLUME_RE = re.compile(r"\bRIC(?:\s+([1-9]|10)\s+|2\s+)(?=\d)")
# "RIC 86/RSC 121", "Sear 1234/Cohen 56": a slash between two citations.
_SLASH_BETWEEN_RE = re.compile(r"(?<=\d)\s*/\s*(?=[A-Z][A-Za-z]*\.?\s?\d)")


def _part_digit(text: str) -> str:
    return text if text.isdigit() else str(len(text))


# An abbreviation glued to its number: "MIB7b", "SB1156" (not a size class "AE23", nor "RY21", "AH84").
_GLUED_NUMBER_RE = re.compile(
    r"\b(?!(?:AE|AR|AV|AU|BI|EL|PB|RY|CY|AH|BC|AD|CE|SE|TR|COS|IMP|NGC|MS|AU|XF|EF|VF|HID)\d)([A-Z]{2,5})(?=\d{1,5}[a-z]?\b)(?!\d{1,5}[a-z]?\s+\d)"
)


def normalise_citations(text: str) -> str:
    """Rewrite the citation notations of many houses into the one the patterns read ("RIC V.2 766")."""
    if not text:
        return ""
    text = _GLUED_NUMBER_RE.sub(r"\1 ", text)
    text = text.replace("BMC/RE", "BMCRE").replace("BMC/RR", "BMCRR")  # CGB
    text = _GLUED_RE.sub(lambda m: f"{m.group(1) or m.group(2) or m.group(3)} ", text)
    text = _BRACKETED_ABBREVIATION_RE.sub(r"(\1 ", text)
    text = _PAGE_THEN_NUMBER_RE.sub(r"\1 ", text)
    text = _ARABIC_VOLUME_RE.sub(
        lambda m: f"RIC {_ARABIC_TO_ROMAN[int(m.group(1))]} " if m.group(1) else "RIC ", text
    )
    text = _VOLUME_PART_RE.sub(lambda m: f"{m.group(1)} {m.group(2)}.{_part_digit(m.group(3))} ", text)
    text = _ARABIC_VOLUME_PART_RE.sub(
        lambda m: f"{m.group(1)} {_ARABIC_TO_ROMAN[int(m.group(2))]}.{m.group(3)} ", text
    )
    text = _TEMP_RE.sub(r"\1 ", text)
    text = _SNG_ABBREVIATED_RE.sub(r"\1", text)
    text = _EDITION_BRACKET_RE.sub(r"\1 ", text)
    text = _SLASH_BETWEEN_RE.sub("; ", text)
    return _BRACKETED_FAMILY_RE.sub(r"\1 \2 ", text)


def _prepare(text: str, normalised: bool = False) -> str:
    text = clean(text) if normalised else normalise_citations(clean(text))
    text = _NOTE_RE.sub("", text)
    text = _RCV_RE.sub(lambda m: f"Sear {m.group(1) or m.group(2)}", text)
    text = _QUOTED_RE.sub(" ", text)
    # "Bmcre-900", "RIC III-12", "RIC II.3-1514", "Depeyrot-108/1": the dash only joins name and number.
    text = re.sub(r"(?<=[A-Za-z.])-(?=\d)|(?<=[IVX]\.\d)-(?=\d)", " ", text)
    text = re.sub(r"\b(Bmcre|Bmcrr|Bmc|Rsc|Ric|Rpc|Rrc)\b", lambda m: m.group(1).upper(), text)
    text = re.sub(r"\b(Sear)(\d)\b", r"\1", text)  # "Sear5 11344": the edition, not the number
    text = text.replace("#", " ")
    text = re.sub(r"(?<=\d)\s+/\s+(?=\d)", "/", text)  # "Crawford 335 / 1c"
    # The variant marker however written after the number: "174 (var.)", "174 variant", "174 Variante".
    text = _VARIANT_WORD_RE.sub(r"\1 var.", text)
    # Brackets without a number are remarks ("(Trajan Decius)", "(this coin)"); years are editions.
    text = _PARENS_RE.sub(lambda m: " " if not re.search(r"\d", m.group(1)) else f"({m.group(1)})", text)
    text = re.sub(r"\(\s*\d{4}\s*\)", " ", text)
    return re.sub(r"\s+", " ", text)


_VARIANT_WORD_RE = re.compile(r"(\d[a-z]{0,2})\s*\(?\s*(?i:var(?:iante?|\.)?)\s*\)?(?![A-Za-z])")


# A full stop that closes a catalogue's abbreviation before its number ("Crawf. 426/4 a", "CNV.
# 375.36", "CNG. I, 1262", "S.1156"): a short capitalised word, then a number or a volume and a number.
_ABBREVIATED_WORD_RE = re.compile(r"(?:^|(?<=[\s(\[;,]))([A-Z][a-zà-ÿ]{0,5}|[A-Z]{1,6})$")
# ... but "AVGG. 22mm, 4.15g" is a legend and the measurements.
_NUMBER_AHEAD_RE = re.compile(
    r"\.\s*(?:[IVX]{1,4},?\s+)?\d+(?:[.,]\d+)?(?!\s*(?:mm|g|gm|gr|grams?|h)\b)(?![.,]?\d)"
)


@functools.cache
def _not_abbreviations() -> frozenset[str]:
    """Short words that end sentences before numbers: mints ("Rom. 241-243") and denominations."""
    return frozenset(single_word_spellings("mints")) | frozenset(single_word_spellings("denominations"))


def citation_stop(text: str, dot: int) -> bool:
    """Is the full stop at `dot` the end of a catalogue's abbreviation followed by its number?"""
    word = _ABBREVIATED_WORD_RE.search(text, max(0, dot - 8), dot)
    return bool(
        word
        and roman_to_int(word.group(1)) is None  # "Alexander III. 336-323 BC": a ruler's numeral
        and word.group(1) not in _not_abbreviations()
        and word.group(1) not in _NOT_AUTHORS
        and _NUMBER_AHEAD_RE.match(text, dot)
    )


def split_sentences(text: str, pattern: re.Pattern) -> list[str]:
    """text split at the sentence stops `pattern` finds, except those closing an abbreviation."""
    out = []
    start = 0
    for match in pattern.finditer(text):
        if citation_stop(text, match.start()):
            continue
        out.append(text[start : match.start()])
        start = match.end()
    out.append(text[start:])
    return out


def _segments(text: str) -> list[str]:
    pieces = re.split(r"[;=()\[\]]|\s[-–—]\s|\sand\s(?=[A-Z])", text)
    out = []
    for piece in pieces:
        out.extend(part for part in split_sentences(piece, _SENTENCE_RE) if part.strip())
    return out


def _parse_known(segment: str, match: re.Match, is_cf: bool) -> tuple[list[Citation], int]:
    """Citations for the known system at match; returns them and where scanning resumes."""
    system = _canonical(match.group("sys"))
    rest_at = match.end()
    rest = segment[rest_at:]
    if re.match(r"^\s*,\s*[A-Z][a-z]{3,}\s+\d", rest) and system in {"Sydenham", "Cohen", "Sear", "Price"}:
        return [], rest_at  # "Sydenham, Caesarea 43-7": another book by the same author
    if system == "SNG":
        tail = _SNG_TAIL_RE.match(rest)
        if not tail:
            return [], rest_at
        volume = tail.group("coll").rstrip(".") + (
            f" {tail.group('vol') or tail.group('vol2')}" if (tail.group("vol") or tail.group("vol2")) else ""
        )
        number, variant = _split_number(tail.group("num"))
        raw = clean(segment[match.start() : rest_at + tail.end()])
        return [Citation("SNG", volume, number, variant, raw, is_cf)], rest_at + tail.end()
    tail = (_ARABIC_TAIL_RE if system in _ARABIC_VOLUMES else _TAIL_RE).match(rest)
    if not tail and system in _ARABIC_VOLUMES:
        tail = _TAIL_RE.match(rest)
    if not tail:
        if system in {"RIC", "RPC"}:
            bare = re.match(rf"^\s*{_VOLUME}{_PART}?", rest)
            if bare:  # "RIC X (Arcadius)": a volume but no number yet
                part = _part_number(bare.group("part") or bare.group("lpart"))
                raw = clean(segment[match.start() : rest_at + bare.end()])
                return [
                    Citation(system, bare.group("vol").upper(), "", "", raw, is_cf, part)
                ], rest_at + bare.end()
        return [], rest_at
    volume = (tail.group("vol") or tail.group("avol") or "").upper() if system not in {"Sear"} else ""
    part = _part_number(tail.group("part") or tail.group("lpart"))
    edition = ""
    if tail.group("ed"):
        edition = {"²": "2", "³": "3", "⁴": "4"}.get(tail.group("ed"), re.sub(r"\D", "", tail.group("ed")))
    word = tail.group("word") or ""
    mint = ""
    if system == "RIC" and word and (roman_to_int(volume) or 0) >= 6:
        mint = word
    elif system in {"BMC", "BMCRR", "RSC", "Babelon"} and word and not volume:
        # BMC Greek volumes are named by region ("BMC Ionia 45"), BMCRR by mint ("BMCRR Gaul 27"),
        # RSC I and Babelon by family ("RSC Thoria 1", "Babelon Vibia 1").
        volume = word
    number, variant = _split_number(tail.group("num"))
    if tail.group("var"):
        variant = (variant + " var").strip()
    raw = clean(segment[match.start() : rest_at + tail.end()])
    first = Citation(system, volume, number, variant, raw, is_cf, part, edition, mint)
    citations = [first]
    end = rest_at + tail.end()
    # "RIC X-910 and 929", "RPC I 1234, 1235": more numbers in the same volume.
    while more := re.match(
        rf"^\s*(?:,|and|&)\s*(?P<num>{_NUMBER})(?=\s*(?:[;,.)]|and\b|&|$))", segment[end:]
    ):
        number, variant = _split_number(more.group("num"))
        citations.append(
            Citation(
                system, volume, number, variant, f"{system} {more.group('num')}", is_cf, part, edition, mint
            )
        )
        end += more.end()
    return citations, end


def _generic(segment: str, start: int, stop: int, is_cf: bool) -> list[Citation]:
    out = []
    chunk = segment[start:stop]
    for match in _GENERIC_RE.finditer(chunk):
        name = match.group("name")
        first_word = re.split(r"[\s,.-]", name)[0]
        if first_word in _MONTHS and re.fullmatch(r"\d{3}[a-z]?", match.group("num")):
            pass  # "May 381": J.M.F. May's Ainos, not a date (no day or year has three digits)
        elif first_word in _NOT_AUTHORS or re.search(r"\bin\s*$", chunk[: match.start()]):
            continue
        if re.search(r"\b(?:p|pp|pl|page|fig)\.?\s*$", chunk[: match.start()]):
            continue
        raw = match.group(0)  # as written: "CNG. I, 1262", "Campana, Kephaloidion 1"
        variant = "var" if match.group("var") else ""
        out.append(
            Citation("", "", "", variant, clean(raw), is_cf or bool(_CF_RE.search(chunk[: match.start()])))
        )
    return out


def parse_references(text: str | None, normalised: bool = False) -> list[Citation]:
    """Every citation in the text, in order, without duplicates.

    normalised=True: the caller has already run normalise_citations() over the text (parse_description
    does, once for the whole description, instead of once per sentence part)."""
    prepared = _prepare(text or "", normalised)
    citations: list[Citation] = []
    for segment in _segments(prepared):
        is_cf = False
        position = 0
        for match in _SYSTEM_RE.finditer(segment):
            if match.start() < position:
                continue
            before = segment[position : match.start()]
            if _CF_RE.search(before):
                is_cf = True
            found, end = _parse_known(segment, match, is_cf)
            if not found:
                continue
            citations.extend(_generic(segment, position, match.start(), is_cf))
            citations.extend(found)
            position = end
        if _CF_RE.search(segment[position:]) and not citations:
            is_cf = True
        citations.extend(_generic(segment, position, len(segment), is_cf))
    unique: list[Citation] = []
    seen = set()
    for citation in citations:
        key = (citation.display(), citation.is_cf)
        if key not in seen:
            seen.add(key)
            unique.append(citation)
    return unique


# OCRE's authority abbreviations, keyed by nomisma id. Only the ones seen in OCRE's own identifiers
# are listed (ric.1(2).aug, ric.2_1(2).ves, ric.3.m_aur, ric.4.ss, ric.4.crl, ric.4.sa ...): a guessed
# abbreviation would give a URI that looks right and points nowhere. OCRE writes Septimius Severus
# "ss", not "s_sev". Left out until checked: Gordian III, Philip I, Gallienus (split into joint and sole
# reigns), and Trajan/Hadrian (RIC II ids sometimes carry a denomination suffix, "ric.2.tr.347_denarius").
_OCRE_AUTHORITIES = {
    "augustus": ("1", "aug"),
    "tiberius": ("1", "tib"),
    "nero": ("1", "ner"),
    "vespasian": ("2.1", "ves"),
    "titus": ("2.1", "tit"),
    "domitian": ("2.1", "dom"),
    "antoninus_pius": ("3", "ant"),
    "marcus_aurelius": ("3", "m_aur"),
    "commodus": ("3", "com"),
    "septimius_severus": ("4", "ss"),
    "caracalla": ("4", "crl"),
    "elagabalus": ("4", "el"),
    "severus_alexander": ("4", "sa"),
    "trajan_decius": ("4", "tr_d"),
}
# OCRE's volume keys: RIC I and II.1 are cited in their second editions.
_OCRE_VOLUMES = {"1": "1(2)", "2.1": "2_1(2)", "3": "3", "4": "4"}


def _volume_key(citation: Citation) -> str:
    number = roman_to_int(citation.volume) if citation.volume else None
    if number is None:
        return ""
    if number == 2 and citation.part == "1":
        return "2.1"
    if number == 2 and citation.part:
        return ""  # RIC II.3 (Hadrian, 2019) has its own keys in OCRE; not checked here
    return str(number)


def type_uri(citation: Citation, authority_hint: str | None = None) -> str | None:
    """The online type catalogue URI of a citation (CRRO, RPC Online, OCRE), or None when unsure."""
    if citation.is_cf or not citation.number or citation.number == "-":
        return None
    if citation.system == "Crawford":
        if not re.fullmatch(r"\d+/\d+", citation.number):
            return None  # CRRO types are always issue/type; "Crawford 335" alone is not one
        return f"http://numismatics.org/crro/id/rrc-{citation.number.replace('/', '.')}{citation.variant}"
    if citation.system == "RPC":
        volume = roman_to_int(citation.volume) if citation.volume else None
        if not volume or not citation.number.isdigit():
            return None
        return f"https://rpc.ashmus.ox.ac.uk/coins/{volume}/{citation.number}"
    if citation.system == "RIC" and authority_hint:
        known = _OCRE_AUTHORITIES.get(authority_hint.strip().lower())
        if not known or not citation.number.isdigit():
            return None
        volume, abbreviation = known
        written = _volume_key(citation)
        if written and written != volume:
            return None  # the citation's volume contradicts the authority: do not guess which is wrong
        return f"http://numismatics.org/ocre/id/ric.{_OCRE_VOLUMES[volume]}.{abbreviation}.{citation.number}{citation.variant}"
    return None
