"""A whole lot description read into fields.

"Augustus. 27 BC-AD 14. AR Denarius (19mm, 3.82 g, 6h). Lugdunum mint. Struck 2 BC-AD 4. CAESAR ...
/ AVGVSTI F ... RIC I 207; RSC 43. Good VF, toned. Ex Peh Family Collection."

Houses order the parts differently (Heritage puts the slab grade early, Roma the measurements after
the references, NumisFitz labels them "Weight:"/"Condition:"), so each field has its own finder over
the sentences instead of one grammar for the whole text:
- measurements: measurements.py over the text (units make them unambiguous);
- metal and denomination: only in the heading, before the obverse, because essays and multi-coin lots
  mention other metals ("together with other ancient coins (2, one in silver)"); or written with the
  weight anywhere ("Argent, 4,55 g", "Or 7,31 g", "AR. g 3,89", "AG (g 3,31)", "17,12 g. Plata");
  else, for the few denominations only ever struck in one metal (denarius, aureus, solidus,
  siliqua), that metal (the real fixtures accept it); an antoninianus stays None (billon or silver);
- dates: the reign is the date right after the issuer ("Augustus (27 BC-AD 14)", "Diocletian. AD
  284-305."); the coin's date is the one labelled "Struck", "Year", "Dated", or marked circa, else any
  other dated phrase, else the reign;
- references: only from sentence parts that begin with a citation (or hold a known system), so
  "Year 2", "Leu 38, lot 23" and prose are never read as citations; in the heading an unknown
  "Name number" ("Siscia, 274", "Probus 276-282 n. Chr.") counts only beside other citations or when
  the name is a known catalogue's (Hendin, Album, Göbl ...);
- grade: a slab label ("NGC Ch AU★ ...", "ANACS VF 35"), a "Condition:" label, or a sentence part that
  is a grade phrase ("Good VF, toned", "otherwise very fine with green-brown patina"), else a grade
  abbreviation in capitals anywhere (eBay titles: "... RIC 766 VF+ 3.9g 22mm").
The obverse and reverse are split on " / ", "//" (German houses), "Rev."/"Rv."/"Rs:"/"R/".
"""

import html
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from numismatics.categories import parse_category
from numismatics.dates import DateParseError, parse_year_range
from numismatics.grades import grade_band
from numismatics.lottext import (
    apply_glyphs,
    glyph_legend,
    is_provenance,
    legend_lines,
    provenance_sentences,
    split_lot_text,
)
from numismatics.measurements import parse_measurements
from numismatics.metals import METAL_WORDS, parse_metal
from numismatics.names import canonical_name, multi_word_spellings, single_word_spellings
from numismatics.references import CF_WORDS, Citation, citation_stop, normalise_citations, parse_references
from numismatics.references import GENERIC_RE as _GENERIC_RE
from numismatics.references import MONTHS as _MONTHS
from numismatics.references import NOT_AUTHORS as _NOT_AUTHORS
from numismatics.references import SYSTEM_RE as _SYSTEM_RE
from numismatics.text import clean


@dataclass(frozen=True)
class LotDescription:
    issuer: str = ""
    reign_start: int | None = None
    reign_end: int | None = None
    metal: str | None = None
    denomination: str = ""
    weight_g: Decimal | None = None
    diameter_mm: Decimal | None = None
    die_axis: int | None = None
    mint: str = ""
    year_start: int | None = None
    year_end: int | None = None
    circa: bool = False
    obverse: str = ""
    reverse: str = ""
    references: list[Citation] = field(default_factory=list)
    cf_references: list[Citation] = field(default_factory=list)
    grade: str = ""
    grade_band: int | None = None
    provenance: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        """The fields a scraper stores and a benchmark compares, as JSON-ready values."""
        return {
            "weight_g": float(self.weight_g) if self.weight_g is not None else None,
            "diameter_mm": float(self.diameter_mm) if self.diameter_mm is not None else None,
            "die_axis": self.die_axis,
            "metal": self.metal,
            "denomination": self.denomination or None,
            "issuer": self.issuer or None,
            "mint": self.mint or None,
            "year_start": self.year_start,
            "year_end": self.year_end,
            # Without the "var" marker: "BMC 1206 var" is graded as "BMC 1206" (the real fixtures'
            # convention); the Citation keeps it in .variant.
            "references": [citation.display(marker=False) for citation in self.references],
            "cf_references": [citation.display(marker=False) for citation in self.cf_references],
            "grade": self.grade or None,
            "obverse": self.obverse or None,
            "reverse": self.reverse or None,
            # Prior sales and collections as written ("Ex Leu 38, lot 23"), newest first as houses
            # print them; numismatics.provenance.parse_provenance reads them into events.
            "provenance": list(self.provenance),
            # The citations the text marks "var." (a variant of that type), as in references.
            "variant": [
                citation.display(marker=False)
                for citation in (*self.references, *self.cf_references)
                if "var" in citation.variant
            ],
        }


# Every one-word spelling of a denomination in the vocabulary (numismatics/data/denominations.json),
# English, German, French, Italian and Spanish forms and plurals included.
DENOMINATIONS = single_word_spellings("denominations")
_DENOMINATION_SET = {word.lower() for word in DENOMINATIONS}
_DENOMINATION_RE = re.compile(r"\b(" + "|".join(DENOMINATIONS) + r")\b", re.IGNORECASE)
_METAL_ABBR_RE = re.compile(
    r"(?<![\w.])(AV|AR|AE|Æ|BI|EL|PB|AU|(?:AE|Æ)(?=\d{1,2}\b))"
    # "AE3", "Æ26" (a size class), "AR-Antoninian" (Lanz), "AR Denarius", "AR (3.2 g)", "AR 3.2 g".
    # ... or a size or a count: "AE 22, 81-96 CE" (Pegasi), "Æ 8 Prutot".
    r"(?=\d{1,2}\b|-[A-Z][a-z]|\s*\(|\s+(?:[A-Za-z\"“]|\d+(?:[.,]\d+)?\s*(?:mm|g|gm|gr)\b)"
    r"|(?:(?<=AE)|(?<=Æ))\s\d{1,2}(?:,|\s[A-Z]))"
    r"(?!\s+(?:\d+/5|[★*]))"
)
# A metal's word in any of the five languages (metals.METAL_WORDS); "Or" only before a capital ("Or,
# 7,31 g" has none: the weight rule below takes it), "Lead" only capitalised.
_METAL_WORDS = "|".join(METAL_WORDS)
_METAL_WORD_RE = re.compile(rf"\b({_METAL_WORDS}|Lead|Or(?=\s[A-Z]))\b")
_METAL_WITH_WEIGHT_RE = re.compile(
    # abbreviations too, as Italian and Spanish catalogues write them: "Ag", "Au", "Mi" (mistura), "Ae"
    rf"(?<![\w.])({_METAL_WORDS}|Or|AR|AV|AE|Æ|Ar|Av|AG|AU|Ag|Au|Ae|BI|Bi|Mi|EL|El|Cu)"
    r"\s*[,;(.]?\s*\(?(?:gr?\.?\s*)?\d+[.,]\d+\s*(?:g|gm|gr)?\b"
    # ... or after it: "17,12 g. Plata." (Tauler & Fau)
    rf"|\d[.,]\d+\s*(?:g|gm|gr)\.?\s*[,.;]?\s*({_METAL_WORDS})\b"
)
# Denominations that were only ever struck in one metal; used only when the text names no metal.
_DENOMINATION_METAL = {
    "denarius": "silver", "denarii": "silver", "denar": "silver", "denier": "silver", "denario": "silver",
    "aureus": "gold", "aurei": "gold", "aureo": "gold", "áureo": "gold", "solidus": "gold",
    "solidi": "gold", "solido": "gold", "siliqua": "silver", "siliquae": "silver",
}  # fmt: skip
_GRADE_WORD_BEFORE = re.compile(r"(?:\bCh|\bChoice|\bNGC|\bNear|\bGood|\bgraded|\bPCGS|\bANACS)\s*$")
# Where the heading ends: the obverse, a separator, or a multi-coin remark.
_HEADING_END_RE = re.compile(
    r"\s/\s(?!\d|(?:AD|CE|A\.D\.)\s?\d)|(?<=[\w.)])//(?=\s?[\w(])|\bRv\.\s|\bAnv\.|\bObv\b\.?:?"
    r"|\bobv\.\s|\bRev\b[.:]|\brev\.\s|\btogether with\b"
    r"|\b(?:Rs|Vs|Av)\s?[.:]|\sR/\s|\sD/\s|\b(?:Obverse|Reverse|Avers|Revers|Anverso|Reverso|Dritto|Rovescio)\s*:"
)
_LOT_PREFIX_RE = re.compile(r"^\d{1,6}\*?\.?\s+(?=[A-Z])")
_PRICE_TAIL_RE = re.compile(
    r"(?:\s*[-–]\s*Realized\b.*|\s*\((?:[$€£]|CHF|USD|EUR|GBP)\s?[\d,.'’ ]+(?:\s*[-–]\s*[\d,.'’ ]+)?\)"
    r"|\s*\$\s?[\d,.]+|\s*(?:Estimate|Est\.)\s*:?\s*[$€£]?\s?[\d,.'’ –-]+(?:\s*[A-Z]{3})?)\s*\.?$"
)
# A full stop ends a sentence unless it closes an initial or an abbreviation ("C. Fabius", "Coh. 84",
# "Rev. ..."). The full stop is matched first so the look-behinds only run at full stops.
# "var." is not one: "RIC 766 var. Good very fine" ends a sentence after the variant marker.
_ABBREVIATIONS = (
    "cf", "Cf", "cfr", "Cfr", "Coh", "Syd", "no", "pl", "p", "pp", "ca", "c", "Rev", "rev", "Obv", "obv", "d",
    "corr", "vol", "v", "Cr", "Craw", "Crawf", "Bab", "Cal", "Ffc", "Cop", "Rec", "Gén", "Nr", "nr", "vgl",
    "Vgl", "comp", "Comp", "Suppl", "suppl",
)  # fmt: skip
_SENTENCE_RE = re.compile(
    r"\.(?<!\b[A-Z]\.)" + "".join(rf"(?<!\b{word}\.)" for word in _ABBREVIATIONS) + r"\s+(?=\S)"
)
_ERA = (
    r"(?<![A-Za-z])(?:B\.?\s?C\.?(?:E\.?)?|A\.?\s?D\.?|C\.?E\.?|[nv]\.\s?Chr\.?|a[vp]\.\s?J\.?\s?-?\s?C\.?|[ad]\.\s?C\."
    r"|(?-i:AC)\.?)"
    r"(?![A-Za-z])"
)
# A year: not part of a decimal ("3.85 g"), a fraction ("5/5") or a unit ("12h", "27mm").
_YEAR = (
    r"(?<!\d[.,])(?<!\d/)(?<!\d)\d{1,4}(?![\d])(?![.,]\d)(?!\s*(?:mm|g|gm|h)\b)"
    r"(?!(?!BC|AD|B\.|A\.|CE)[A-Za-z])"
)
_YEAR_END = _YEAR.replace(r"(?<!\d/)", "")  # "AD 58/9": the end year follows a slash
_SEASON = r"(?:(?:early|late|mid|spring|summer|autumn|fall|winter)\s+)?"
_DATE_RE = re.compile(
    rf"(?P<circa>\b(?:[Cc]irca|[Cc]a\.|(?-i:c)\.)\s*)?(?P<body>{_SEASON}(?:{_ERA}\s*)?{_YEAR}(?:/\d{{1,4}}(?=\s*[-–]))?"
    rf"(?:\s*{_ERA})?"
    rf"(?:\s*(?:[-–/]|to)\s*{_SEASON}(?:{_ERA}\s*)?{_YEAR_END})?(?:\s*{_ERA})?)",
    re.IGNORECASE,
)
# The coin's own date, as each language labels it: "Struck AD 277", "geprägt 125-128", "Prägejahr",
# "frappé en 310", "émis", "coniato nel 112", "emissione", "acuñado en 100", "emisión", "Date :".
_DATE_LABEL_RE = re.compile(
    r"(?:\b(?:struck|minted|issued|dated|geprägt|gepraegt|prägung|prägejahr|ausgegeben|datiert|frapp[ée]e?s?|"
    r"émise?s?|daté[es]?|coniat[oaie]|emess[oaie]|emissione|datat[oaie]|acuñad[oa]s?|emitid[oa]s?|emisión|"
    r"fechad[oa])\b[^.;]*?|\b(?:date|datum|data|fecha)\s*:\s*|\byear\s+\d+\s*,\s*|=\s*)$",
    re.IGNORECASE,
)
_NOT_DATE_BEFORE_RE = re.compile(
    r"(?:\bd\.|\bdied|\bborn|\bb\.|\bcos|\btr\.?\s?p|\bimp|\blot|\bno\.?|[+†])\s*$"
    # "after circa 300", "vor 250", "après 200": a bound, not the date
    r"|\b(?:after|before|not\s+before|not\s+after|nach|vor|après|avant|dopo|prima\s+del|después\s+de|antes\s+de)\s*$"
    # A catalogue number is not a year: "Price 2094", "RIC VII 123", "SNG Cop 281".
    r"|(?-i:\b(?:RIC|RPC|RSC|RRC|Price|Sear|SRCV|BMC\w*|HGC|Crawford|Cohen|Calicó|DOC|MIBE?|SB|SNG\s\w+|"
    r"Hendin|TJC|Göbl|Album|Müller|Svoronos|Woytek|MIR)\s*(?:[IVX]{1,4}(?:\.\d)?\s*)?,?\s*)$",
    re.IGNORECASE,
)
# "Dated RY 11 (AD 126/7)", "Year 5, AD 58/9", "CY 6 = AD 226-227": a regnal or civic year is not a date.
_REGNAL_BEFORE_RE = re.compile(r"\b(?:RY|CY|AH|BE|SE|year|yr\.?|anno|jahr|an)\s*$", re.IGNORECASE)
# "Septimius Severus 193-211." (Gorny, Naumann): a name of a few capitalised words, then the reign.
_NAME_ONLY_BEFORE_RE = re.compile(r"(?:^|\.\s|,\s)(?:(?:[A-Z][a-z][\w'’-]*|[IVX]{1,4})\.?\s){1,5}$")
_MINT_RE = re.compile(
    r"\b([A-Z][\w'-]+(?:\s(?:ad|on|upon|de|del|am|an der)\s[A-Z][\w'-]+|[ -][A-Z][\w'-]+)?)"
    r"(?:\s\([^()]{1,30}\))?\s+[Mm]int\b"  # "BBA (Court) mint", "MY (Meshan) mint"
)
# "Mint: Siscia", "Münzstätte: Rom", "Nom de l'atelier/ville : Rome", "Mint name / Town : Égypte, Memphis".
# Also inside a heading's list: "Denier, atelier de Rome, 125", "Denar, Münzstätte Rom, 125" (the word
# for "mint" in the other languages may stand right before the name; English "Mint State" is a grade).
_MINT_FIELD_RE = re.compile(
    r"(?:^|[.;(,]\s?)"
    r"(?:Mint|Münzstätte|Prägestätte|Prägeort|Atelier|Nom de l'atelier|Zecca|Ceca|Casa de moneda)"
    r"(?:[^:.;]{0,20}:\s*([^.;]+)|\s+(?:de|di|del|of|von|in|at)\s+((?-i:[A-Z])[\w'’-]+)"
    r"|(?<!Mint)(?<!mint)\s+((?-i:[A-Z])[\w'’-]+)(?=\s*[,.;(]|\s+\d))",
    re.IGNORECASE,
)
_NOT_MINTS = {
    "Military", "Uncertain", "Unknown", "Eastern", "Western", "Northern", "Southern", "Imperial", "Moving",
    "Travelling", "Traveling", "Local", "Greek", "Provincial", "Official", "Unofficial", "Main", "Same",
    "Auxiliary", "Branch", "Central", "Mobile", "Campaign", "No", "Without", "Unidentified", "Undetermined",
    # "uncertain" and "unknown" in the other four languages
    "Unbestimmt", "Unbestimmte", "Unsicher", "Unbekannt", "Unbekannte", "Ungewiss", "Incertain", "Incertaine",
    "Inconnu", "Indéterminé", "Incerta", "Incerto", "Sconosciuta", "Indeterminata", "Incierta", "Incierto",
    "Desconocida", "Indeterminada",
}  # fmt: skip
# Every one-word name and alias of a mint in the vocabulary (numismatics/data/mints.json).
MINTS = single_word_spellings("mints")
_MINT_SET = set(MINTS)
_MINT_WORD_RE = re.compile(
    r"(?:^|[.,;]\s|\bof\s)("
    + "|".join(MINTS)
    + r")(?=[,.;]|\s+(?:mint|ca\.|c\.|\(|"
    + "|".join(DENOMINATIONS)
    + r")\b)"
)
_DENOMINATION_AFTER_RE = re.compile(r"\s+(?:" + "|".join(DENOMINATIONS) + r")\b", re.IGNORECASE)
_OF_PLACE_RE = re.compile(
    r"\b(?:" + "|".join(DENOMINATIONS) + r"|\d+\s*mm)\s+of\s+((?-i:[A-Z])[\w'-]+)(?=[,.;\s])", re.IGNORECASE
)
_SLAB_RE = re.compile(r"\b(NGC|PCGS|ANACS|ICG)\b(?:\s+graded)?\s+(?P<rest>[^.;]*)")
_CONDITION_RE = re.compile(
    r"(?:^|[.;]\s|\n)\s*(?:Condition|Grade|Grading|Erhaltung|Conservation|Conservazione|État|Estado|Stato)"
    r"\s*:\s*([^.;\n]+)",
    re.IGNORECASE,
)
_GRADE_CORE = (
    # "f.vz", "q.BB": the abbreviated "fast"/"quasi" is often glued to the grade
    r"(?:(?:good|near(?:ly)?|about|choice|ch\.?|superb|gem|almost|fast|quasi|q\.?|gutes|gut|knapp)\s+|[fq]\.\s?)*"
    r"(?:extremely\s+fine|extra\s+fine|very\s+fine|very\s+good|fine|fleur\s+de\s+coin|fdc|"
    r"vorz[üu]glich|sehr\s+sch[öo]n|sch[öo]n|stempelglanz|pr[äa]gefrisch|tr[èe]s\s+tr[èe]s\s+beau|"
    r"tr[èe]s\s+beau|superbe|splendido|bellissimo|molto\s+bello|"
    r"uncirculated|mint\s+state|poor|fair|good|"
    r"a?(?:EF|XF|VF|VG|AU|MS|F|G)|(?:q\.?)?(?:SPL|BB|MB|FDC)|TTB|TB|SUP|MBC|EBC|S/C|SC|ss|vz|s|St|Unc|BU)"
)
_GRADE_PHRASE_RE = re.compile(
    rf"^(?:otherwise,?\s+|overall\s+|in\s+)?(?P<grade>{_GRADE_CORE}(?:\s?[+-](?!\w))?"
    rf"(?:(?:\s*[/-]\s*|\s+(?:à|a|bis|to)\s+){_GRADE_CORE}(?:\s?[+-](?!\w))?)?)"
    r"(?=\s*$|\s+(?:with|and|but|for|toned|or\b|to\b|\d{1,2}\b|(?-i:Ex)\s)|\s*[(!?])",
    re.IGNORECASE,
)
_GRADE_CASE_SENSITIVE = {"f", "g", "s", "st", "bu", "ms", "au", "ef", "xf", "vf", "vg"}
_PROVENANCE_START_RE = re.compile(
    r"^(?:ex\b|from\s+(?:the|a|an)\b|provenance\b|pedigree\b|purchased\b|acquired\b|formerly\b)",
    re.IGNORECASE,
)


_WORD_AFTER_RE = re.compile(r"\s+([A-Za-z]+)")
_ARTICLE_BEFORE_RE = re.compile(
    r"\b(?:a|an|the|of|like|copying|imitating|un|une|ein|eine|einen|un|uno|una)\s+$", re.I
)
_METAL_COMPOUND_RE = re.compile(
    r"\b(Gold|Silber|Bronze|Kupfer|Elektron|Billon)(" + "|".join(w.lower() for w in DENOMINATIONS) + r")\b",
    re.IGNORECASE,
)
# Denominations named by a fraction or multiple of another: "Half stater", "Double Sestertius".
_FRACTION_DENOMINATION_RE = re.compile(
    r"\b("
    + "|".join(
        re.escape(spelling)
        for spelling in sorted(multi_word_spellings("denominations"), key=len, reverse=True)
        if re.match(r"(?i)(?:half|double|quarter|third|sixth|twelfth|demi|halb|doppel)\b", spelling)
    )
    + r")\b",
    re.IGNORECASE,
)
_BRONZE_BEFORE_RE = re.compile(r"(?:Æ|AE|Bronze|Copper)\s+$")
_ERA_RE = re.compile(_ERA, re.IGNORECASE)
_BARE_BEFORE_RE = re.compile(r"(?:[^\W\d_]\s*,|\()\s*$")
_BARE_AFTER_RE = re.compile(r"\s*(?:[,;)]|\.(?:\s|$))")
_TWO_DIGITS_RE = re.compile(r"\d{2,}")
_SENTENCE_START_RE = re.compile(r"\.\s$")
_SENTENCE_END_RE = re.compile(r"\s*(?:\.|$)")
_GRADE_PART_SPLIT_RE = re.compile(r"[,;:]\s*|(?<=\))\s+")
# Last resort for titles with no punctuation ("... RIC 766 VF+ 3.9g 22mm!!!", "... Price 2094 XF"): a
# grade abbreviation in capitals standing alone. AU is left out: it is also the gold abbreviation.
_LOOSE_GRADE_RE = re.compile(
    r"(?<![\w/+-])(?:(?:Good|Near|Nice|Choice|Ch|[agn])\s?)?(?:XF|EF|VF|VG|UNC|FDC|AUNC)(?:\s?[+-](?![\w]))?"
    r"(?![\w/])"
)
# "(Ffc. 104) (Cal. 118)": Tauler & Fau; "12h (Cr 197/1; Syd 376)": a bracketed list of citations.
# German grades close a title in lower case: "... 2,45g 18mm ss", "... vz-st".
_GERMAN_GRADE_AT_END_RE = re.compile(
    r"(?<=\s)(?:f\.?\s?)?(?:s|ss|vz|st|stgl)(?:[-/](?:ss|vz|st|stgl))?[+-]?\s*$"
)
_REF_PART_SPLIT_RE = re.compile(r";|\s=\s|\)\s*\(|\s\((?=[A-Z][^()]*\d)")
# "References: C 350", "Ref: Dattari 1180", "Literatur: ...": a field's label before its citations.
_FIELD_LABEL_RE = re.compile(r"^(?:[A-Z][a-zé]{1,15}|[A-Z]{2,10})(?:\s[a-z]{2,12}){0,2}\s?:\s*")
_CF_START_RE = re.compile(rf"^{CF_WORDS}\b\.?\s*", re.IGNORECASE)
_CF_BEFORE_RE = re.compile(rf"\b{CF_WORDS}\b\.?\s*$", re.IGNORECASE)


def _inside_brackets(text: str, at: int) -> bool:
    """Is at inside a bracket that closes soon? "(Ffc. 1189)", "(S. 1052)" are not two sentences."""
    opening = text.rfind("(", 0, at)
    if opening < 0 or text.rfind(")", 0, at) > opening:
        return False
    closing = text.find(")", at)
    return 0 <= closing - at < 40 and text.find("(", at, closing) < 0


def _sentences(text: str) -> tuple[tuple[int, str], ...]:
    """(start offset, sentence) pairs; parse_description splits once and hands them to each finder."""
    out = []
    start = 0
    for match in _SENTENCE_RE.finditer(text):
        if _inside_brackets(text, match.start()) or citation_stop(text, match.start()):
            continue
        out.append((start, text[start : match.start()]))
        start = match.end()
    out.append((start, text[start:]))
    return tuple((offset, sentence) for offset, sentence in out if sentence.strip())


def _last_word(text: str) -> str:
    words = text.split()
    return words[-1] if words else ""


def _heading_end(text: str) -> int:
    match = _HEADING_END_RE.search(text)
    return match.start() if match else len(text)


def _metal_and_denomination(heading: str, tail: str = "") -> tuple[str | None, str]:
    metal = None
    metal_end = None
    for match in _METAL_ABBR_RE.finditer(heading):
        if _GRADE_WORD_BEFORE.search(heading[max(0, match.start() - 12) : match.start()]):
            continue  # "Ch AU", "NGC AU": a grade, not gold
        metal, metal_end = parse_metal(match.group(1)), match.end()
        break
    word = _METAL_WORD_RE.search(heading)
    if word and (metal is None or word.start() < (metal_end or 0)):
        metal, metal_end = parse_metal(word.group(1)), word.end()
    if metal is None:
        # French, Italian and Spanish catalogues put the metal with the weight, often at the end:
        # "Argent, 4,55 g", "Or 7,31 g", "AR. g 3,89", "AG (g 3,31)", "17,12 g. Plata".
        late = _METAL_WITH_WEIGHT_RE.search(heading + " " + tail if tail else heading)
        if late:
            metal = parse_metal(late.group(1) or late.group(2))
    denomination = ""
    fraction = _FRACTION_DENOMINATION_RE.search(heading)
    if fraction:
        denomination = fraction.group(1)  # "Half stater", "Double Sestertius": one denomination
    compound = _METAL_COMPOUND_RE.search(heading)
    if compound and not denomination:
        # German compounds: "Goldstater", "Silberdenar", "Bronzemünze" name the metal and the coin.
        metal = metal or parse_metal(compound.group(1))
        if compound.group(2).lower() in _DENOMINATION_SET:
            denomination = compound.group(2)
    if metal_end is not None and not denomination:
        after = _WORD_AFTER_RE.match(heading, metal_end)
        if after and after.group(1).lower() in _DENOMINATION_SET:
            denomination = after.group(1)
    if not denomination:
        for match in _DENOMINATION_RE.finditer(heading):
            word_text = match.group(1)
            if word_text[0].isupper() or (metal_end is not None and match.start() - metal_end <= 2):
                if word_text.lower() == "as" and word_text != "As":
                    continue
                if (
                    word_text.lower() == "as"
                    and not (
                        _BRONZE_BEFORE_RE.search(heading[max(0, match.start() - 12) : match.start()])
                        or heading.startswith(" (", match.end())  # "As (Kupfer, 28 mm, ...)"
                        # an item of a field list: "Néron (54-68), As, Lyon, 66 ap. J.-C."
                        or (
                            heading[max(0, match.start() - 2) : match.start()] == ", "
                            and heading.startswith(",", match.end())
                        )
                        # or a sentence of its own: "Auguste. As. 10,5 g", "Augustus. As, Rome"
                        or (
                            heading[max(0, match.start() - 2) : match.start()] == ". "
                            and heading[match.end() : match.end() + 1] in (".", ",")
                        )
                    )
                ):
                    continue
                denomination = word_text
                break
    if not denomination:
        # eBay and dealers write it lower case anywhere: "Gallienus antoninianus, Rome".
        for match in _DENOMINATION_RE.finditer(heading):
            if match.group(1).lower() in {"as", "unit", "fraction", "medallion", "denier"}:
                continue
            if _ARTICLE_BEFORE_RE.search(heading, max(0, match.start() - 12), match.start()):
                continue  # "Copying a prutah of the First Jewish War": prose about another coin
            denomination = match.group(1)
            break
    if metal is None:
        # "Metal : argent", "Métal : silver" (labelled fields) or ", silver," (a dealer's field list).
        named = _METAL_FIELD_RE.search(heading + " " + tail if tail else heading)
        if named:
            metal = parse_metal(named.group(1) or named.group(2))
    if metal is None and denomination:
        metal = _DENOMINATION_METAL.get(denomination.lower())
    return metal, denomination[:1].upper() + denomination[1:].lower() if denomination else ""


_METAL_NAMES = f"{_METAL_WORDS}|or"
_METAL_FIELD_RE = re.compile(
    rf"\b(?:Metal|Métal|Metall|Metallo|Material|Materiale)\s*:\s*({_METAL_NAMES})\b|(?:^|,\s)({_METAL_NAMES})(?=,|\s*$)",
    re.IGNORECASE,
)
_ISSUER_PREFIX_RE = re.compile(r"^(?:Ancients|Antike|Antiquité|Lot)\s*:\s*", re.IGNORECASE)


_REGION_HEADING_RE = re.compile(
    r"^(?:[A-ZÀ-Ý][A-ZÀ-Ý'’&-]+(?:\s(?:of|OF|the|THE|and|AND|[A-ZÀ-Ý'’&-]+))*"
    # a dynasty's heading in five languages: "Kings of Macedon", "Seleukid Kings", "Könige von
    # Makedonien", "Rois de Macédoine", "Re di Macedonia", "Reyes de Macedonia"
    r"|(?:[A-ZÀ-Ý][\w'’-]+\s)?(?:Kings?|Könige|Rois|Reyes|Re)(?:\s(?:of|von|de|di|du)\s[\w'’ -]+)?)$"
)
# "Hadrian, ...", "Antiochos III the Great, 222-187 BC", "Philipp II. 359-336": a name, its numeral,
# an epithet.
_RULER_START_RE = re.compile(
    r"^[A-ZÀ-Ý][a-zà-ÿ'’-]+(?:\s(?:[IVX]{1,5}\.?|the|der|le|il|el|[A-Z][a-zà-ÿ'’-]+))*(?=,|\s\(|\s\d|$)"
)
_ISSUERS = {word.lower() for word in single_word_spellings("issuers")}


def _issuer(sentences) -> str:
    """The ruler or city: the first sentence that is not a series or region heading ("ROMAN EMPIRE",
    "Byzantine", "ENGLAND.", "SICILY, Syracuse."), with the ruler's numeral ("Elizabeth I"). A ruler
    under a city heading who is not in the vocabulary's issuers is named with the city ("Agathokles of
    Syracuse"), as Greek tyrants and kings of the same name are told apart."""
    first = sentences[0][1]
    city = ""
    for index, (_, sentence) in enumerate(sentences[:3]):
        words = sentence.split()
        if len(words) <= 3 and "," not in sentence and parse_category(sentence) is not None:
            continue
        following = sentences[index + 1][1].strip() if index + 1 < len(sentences) else ""
        ruler = _RULER_START_RE.match(following)
        ruler_next = bool(ruler) and not _DENOMINATION_RE.match(following)
        ruler_next = ruler_next and following.split()[0] not in _NOT_A_PLACE | _NOT_AUTHORS
        civic = _CIVIC_HEADING_RE.match(sentence.strip()) and not _DENOMINATION_RE.search(sentence)
        if index < 2 and ruler_next and (_REGION_HEADING_RE.match(sentence.strip()) or civic):
            if civic:
                city = sentence.split(",")[-1].strip()
            continue
        first = sentence
        break
    first = _ISSUER_PREFIX_RE.sub("", first)
    if _CIVIC_HEADING_RE.match(first.strip()) and not _DENOMINATION_RE.search(first):
        first = first.split(",")[-1].strip()  # "THESSALY, Larissa.": the city strikes the coin
    if first.split(",")[0].strip().lower() in _DENOMINATION_SET:
        return ""  # "Denar, Rom; 3,35 g.", "Sestertius, 119, Rome": the ruler is not named first
    name = re.split(
        r"\s*\(|\s*,\s*(?:d\.|c\.|ca\.)|,?\s+\d|\s+(?:AV|AR|AE|Æ|BI|EL)\b|\.?,?\s+(?:AD|BC|A\.D\.|B\.C\.)",
        first,
    )[0].strip(" ,.")
    if name.isupper():
        name = name.title()
    if city and name and name.split()[0].lower() not in _ISSUERS and not city.isupper():
        name = f"{name} of {city}"
    return name


_NAME_COMMA_RE = re.compile(r"([^\d()]+),\s*$")


def _dates(text: str, sentences, heading_end: int, first_end: int) -> tuple[tuple | None, tuple | None]:
    """(reign, coin date) as (start, end, circa) triples."""
    # Years without an era are trusted only near the start: "Traianus, 98-117. Aureus, 112/114, Rom."
    third = sentences[min(4, len(sentences) - 1)]
    second_end = third[0] + len(third[1])
    candidates = []
    seen_bc = False
    sentence_starts = {offset for offset, _ in sentences}
    for match in _DATE_RE.finditer(text[:heading_end]):
        body = match.group("body")
        has_era = _ERA_RE.search(body)
        before = text[max(0, match.start() - 60) : match.start()]
        at_start = match.start() < 60
        if _NOT_DATE_BEFORE_RE.search(before):
            continue
        if not has_era and _REGNAL_BEFORE_RE.search(before):
            continue
        labelled = bool(_DATE_LABEL_RE.search(before))
        circa = bool(match.group("circa"))
        # A year without an era only in the first three sentences, as an item of its own:
        # "Hadrianus, 117-138.", "Sestertius, 119, Rome", "TRAJAN (98-117)" (not "HGC 2, 641").
        bare_ok = (
            match.start() < second_end
            and bool(
                _BARE_BEFORE_RE.search(before)
                or (at_start and not before.strip())
                or _last_word(before).lower() in _DENOMINATION_SET  # NAC: "Aureus 134-138, AV 7.31 g"
                or match.start() in sentence_starts  # a sentence of its own: "Rom. 241-243."
                or _NAME_ONLY_BEFORE_RE.search(before)
            )
            and bool(_BARE_AFTER_RE.match(text, match.end()))
        )
        if not (has_era or circa or labelled or bare_ok):
            continue
        if not has_era and not _TWO_DIGITS_RE.search(body):
            continue
        written = match.group(0)
        if not has_era and seen_bc:
            written += " BC"  # "Agathokles, 317-289 BC. ... circa 310-305": the era written once holds
        try:
            found = parse_year_range(written)
        except DateParseError:
            if has_era:
                continue
            try:  # "circa 405-400" with no era: a falling range only makes sense BC
                found = parse_year_range(written + " BC")
            except DateParseError:
                continue
        if found is None or found.qualifier:
            continue
        seen_bc = seen_bc or found.start < 0
        in_parens = before.rstrip().endswith("(") and text[match.end() :].lstrip().startswith(")")
        # "317-289 B.C." may have taken the full stop into its era.
        ends_sentence = match.group(0).endswith(".") or bool(_SENTENCE_END_RE.match(text, match.end()))
        whole_sentence = (
            bool(_SENTENCE_START_RE.search(before) or (at_start and not before.strip())) and ends_sentence
        )
        # "Hadrianus, 117-138.": a name, a comma and the date closing the sentence is a reign, unless
        # the name is a mint ("Rome, AD 202-210." is when that mint struck the coin).
        sentence_start = max(text.rfind(". ", 0, match.start()) + 2, 0)
        named = _NAME_COMMA_RE.match(text, sentence_start, match.start())
        if named and match.start() < second_end and ends_sentence:
            whole_sentence = whole_sentence or named.group(1).strip() not in _MINT_SET
        if ends_sentence and match.start() < second_end and _NAME_ONLY_BEFORE_RE.search(before):
            # "Lysimachos 305-281 BC.", "Septimius Severus 193-211.": a ruler and his reign
            whole_sentence = whole_sentence or before.split()[-1].strip(".") not in _MINT_SET
        candidates.append((match.start(), found, labelled, circa, in_parens, whole_sentence))
    reign = None
    coin = None
    circa_coin = None
    for start, found, labelled, circa, in_parens, whole_sentence in candidates:
        value = (found.start, found.end, found.circa)
        # The reign follows the issuer: in brackets ("Augustus (27 BC-AD 14)"), or as a sentence of its
        # own in the heading ("Diocletian. AD 284-305.").
        first_plain = reign is None and coin is None and not labelled and not circa
        if first_plain and (in_parens or whole_sentence or start <= first_end + 3):
            reign = value
            continue
        if labelled:
            coin = value
            break
        if circa and circa_coin is None:
            circa_coin = value
        if coin is None:
            coin = value
    # "Alexander III, 336-323 B.C. ... Amphipolis Mint, ca. 332-326 B.C.": a circa date is the coin's
    # rather than an unlabelled span that was not recognised as the reign.
    if circa_coin is not None and coin is not None and not coin[2]:
        coin = circa_coin
    if coin is None:
        coin = _hijri_date(text[:heading_end])
    return reign, coin or reign


# A coin dated in the Hijri calendar only ("Dated AH 984.", "Dinar, 177 AH,"): its AD years. The Hijri
# year is about 0.97 of a solar year and AH 1 began in AD 622, so an AH year spans two AD years.
_HIJRI_DATED_RE = re.compile(
    r"\b(?:dated|struck|datiert|geprägt|daté|frappé|datato|coniato|fechado|acuñado)\s+(?:AH|A\.H\.)\s?(\d{1,4})"
    r"(?![\d/–-])(?!\s*[-–/]\s*\d)(?!\s*\(\s*(?:AD|CE|A\.D\.)?\s*\d)"
    r"|(?:^|[,;]\s|\.\s)(?<![-–/]\s)(\d{1,4})\s?(?:AH|A\.H\.)(?=[,.;]|\s*$)",
    re.IGNORECASE,
)


def _hijri_date(heading: str) -> tuple[int, int, bool] | None:
    match = _HIJRI_DATED_RE.search(heading)
    if not match:
        return None
    year = int(match.group(1) or match.group(2))
    start = year * 0.970229 + 621.5643
    return int(start), int(start + 0.970229), False


# "SICILY, Kephaloidion.", "Southern Apulia, Tarentum.": a region and a city heading a Greek lot name
# the issuing city, which catalogues do not call the mint.
_CIVIC_HEADING_RE = re.compile(
    r"^(?:[A-Z][\w'’-]*\s?){1,3},\s*[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?(?:\s?\(\?\))?$"
)
_PLACE_SENTENCE_RE = re.compile(
    r"^[A-Z][a-zà-ÿ'’-]{2,}(?:\s(?:on\sthe|on|ad|am|an\sder|de|del|sur|upon)\s[A-Z][a-zà-ÿ'’-]{2,}"
    r"|\s[A-Z][a-zà-ÿ'’-]{2,})?$"
)


_KNOWN_MINT_WORD_RE = re.compile(r"(?<![\w-])(" + "|".join(MINTS) + r")(?![\w-])")
# "struck at Rome", "geprägt in Trier", "frappé à Lyon", "coniato a Roma", "acuñado en Roma".
_STRUCK_AT_RE = re.compile(
    r"\b(?:struck|minted|geprägt|frapp[ée]e?|coniat[oa]|acuñad[oa])\s+(?:at|in|à|a|en)\s+((?-i:[A-Z])[\w'’-]+)",
    re.IGNORECASE,
)


def _mint(text: str, heading_end: int, sentences=()) -> str:
    struck = _STRUCK_AT_RE.search(text[:heading_end])
    if struck and struck.group(1) not in _NOT_A_PLACE:
        return struck.group(1)
    field = _MINT_FIELD_RE.search(text)
    if field:
        # The city comes last when a region is written first ("Égypte, Memphis").
        place = (field.group(1) or field.group(2) or field.group(3)).split(",")[-1].strip()
        if place and place[0].isupper() and len(place.split()) <= 3:
            return "" if place.split()[0] in _NOT_MINTS else place
    heading = text[:heading_end]
    # Blank out civic headings so their city is not read as the mint: "SICILY, Kephaloidion." and
    # "CILICIA. Tarsos." (a region in capitals, then the city alone).
    for index, (offset, sentence) in enumerate(sentences[:2]):
        civic = _CIVIC_HEADING_RE.match(sentence.strip())
        if index == 1 and _REGION_HEADING_RE.match(sentences[0][1].strip()):
            civic = civic or _PLACE_SENTENCE_RE.match(sentence.strip())
        if civic and offset < heading_end and not _DENOMINATION_RE.search(sentence):
            heading = heading[:offset] + " " * len(sentence) + heading[offset + len(sentence) :]
    found = _mint_in(heading)
    if found:
        return found
    # "Reino Visigodo. Recesvinto. Triente. Cordoba.": a sentence that is only a place name, right
    # after the sentence naming the denomination; or, further on in the heading, a place of several
    # words ("Seleucia on the Tigris.") or one the vocabulary knows.
    for index, (offset, sentence) in enumerate(sentences[:-1]):
        if offset >= heading_end:
            break
        if _DENOMINATION_RE.search(sentence):
            for step, (later_offset, later) in enumerate(sentences[index + 1 : index + 4]):
                following = later.strip()
                words = following.split()
                if later_offset >= heading_end or not words:
                    break
                if (
                    _PLACE_SENTENCE_RE.match(following)
                    and words[0] not in _NOT_A_PLACE
                    and following.lower() not in _DENOMINATION_SET
                    and grade_band(following) is None
                    and (step == 0 or len(words) > 2 or following in _MINT_SET)
                ):
                    return following
            break
    if len(sentences) == 1:
        # An eBay title has no punctuation: "... FEL TEMP REPARATIO Reitersturz Siscia 2,45g 18mm ss".
        listed = _KNOWN_MINT_WORD_RE.search(heading)
        if listed:
            return listed.group(1)
    return ""


def _mint_in(heading: str) -> str:
    for match in _MINT_RE.finditer(heading):
        words = match.group(1).split()
        if words[0] not in _NOT_MINTS:
            return match.group(1)
        return ""  # "Military mint moving with Antony", "Northern Greece mint": a named non-city
    match = _MINT_WORD_RE.search(heading)
    if match:
        return match.group(1)
    match = _OF_PLACE_RE.search(heading)
    # "Tetradrachm of Alexandria, Egypt" names a place; "Medallion of Ten Aurei", "Stater of Two
    # Drachms" name a value: the word after "of" is a place only when no denomination follows it.
    if match and not _DENOMINATION_AFTER_RE.match(heading, match.end(1)):
        return match.group(1)
    # "Solidus, Thessalonique, 324.", "(Bronze, 15 mm, 2.06 g, 12 h), Jerusalem, year 16": the place
    # named right after the denomination or its measurements.
    for match in _AFTER_DENOMINATION_RE.finditer(heading):
        place = match.group(1)
        if place.split()[0] not in _NOT_A_PLACE and place.lower() not in _DENOMINATION_SET:
            return place
    return ""


_NOT_A_PLACE = {
    *_NOT_MINTS, *METAL_WORDS, "Or", "Year", "Struck", "Circa", "Dated", "Rare", "Very", "Extremely", "Good",
    "Fine", "Near", "Choice", "Jahr", "Anno", "Lifetime", "Posthumous", "Time", "Under", "Issue", "Series",
}  # fmt: skip
_AFTER_DENOMINATION_RE = re.compile(
    # "Denarius, Lugdunum", "Sesterzio - Roma - D/ ..." (Artemide's dashes)
    r"\b(?:" + "|".join(DENOMINATIONS) + r")(?:\s*\([^()]*\))?\s*(?:,|\s[-–])\s*"
    r"([A-Z][a-zà-ÿ'-]{2,}(?:\s(?:on\sthe|on|ad|am|an\sder)\s[A-Z][\w-]+)?)\s*"
    # ... then a stop, or the date: "Aureus, Roma 253-254,", "Denarius, Lugdunum 2 BC-4 AD,"
    r"(?=[,;.]|\s[-–](?:\s|$)|\s(?:mint|ca\.|c\.|circa)\b|\s\d{1,4}(?:\s|[-–/,;.]))"
)


def _slab_grade(text: str) -> str:
    match = _SLAB_RE.search(text)
    if not match:
        return ""
    rest = match.group("rest")
    # Stop at the first remark after a comma ("ANACS VF 35, tooled"); keep scores and "Fine Style".
    parts = [part.strip() for part in rest.split(",")]
    kept = [parts[0]]
    for part in parts[1:]:
        if re.fullmatch(
            r"(?:Strike:?\s*)?\d/5(?:\s*(?:Surface:?\s*)?\d/5)?|Surface:?\s*\d/5|Fine Style|[★*]", part, re.I
        ):
            kept.append(part)
        else:
            break
    if grade_band(kept[0]) is None:
        # "In NGC encapsulation 6030426-005, graded MS, Strike: 4/5, Surface: 4/5": the grade after
        # "graded", the scores after it; written the way slab labels are ("NGC MS 4/5 4/5").
        graded = re.search(r"\bgraded\s+([^,.;]+)", rest)
        if not graded or grade_band(graded.group(1)) is None:
            return ""
        scores = re.findall(r"\b([1-5]/5)\b", rest[graded.end() :])[:2]
        return " ".join([match.group(1), graded.group(1).strip(), *scores])
    # The label as written, from the service name to the last kept part.
    end = match.start("rest") + len(", ".join(parts[: len(kept)]))
    written = text[match.start() : end]
    return (
        written.strip(" ,")
        if ", ".join(parts[: len(kept)]) in rest
        else f"{match.group(1)} {', '.join(kept)}"
    )


def _acceptable_grade(grade: str, part: str, sentences) -> bool:
    core = re.sub(r"[^A-Za-z]", "", grade.split()[-1] if grade.split() else "")
    lower_case_abbreviation = core.lower() in _GRADE_CASE_SENSITIVE and core != core.upper()
    if lower_case_abbreviation and len(core) <= 2 and core.lower() not in {"ss", "vz", "st"}:
        return False  # "g", "s" in prose are not grades; abbreviations are written in capitals
    if core in {"S", "St"} and len(part) > len(grade):
        return False
    # "in exergue, ST" is a mint mark; Italian "AG. g 3,92" is silver
    return not (grade in {"ST", "S"} or (grade == "AG" and _AG_METAL_RE.search(sentences_text(sentences))))


def _grade_from_parts(sentences) -> str:
    for index, (_, sentence) in enumerate(sentences):
        # The first sentence opens with the issuer ("Good ...", "Fair ..." would be names there), but
        # British and eBay descriptions are one long sentence whose last part is the grade.
        for part in _GRADE_PART_SPLIT_RE.split(sentence)[1 if index == 0 else 0 :]:
            part = part.strip(" .")
            match = _GRADE_PHRASE_RE.match(part)
            if match and _acceptable_grade(match.group("grade").strip(), part, sentences):
                return match.group("grade").strip()
    return ""


_GRADE_WITH_QUALIFIERS = (
    rf"{_GRADE_CORE}(?:\s?[+-](?!\w))?(?:(?:\s*[/-]\s*|\s+(?:à|a|bis|to)\s+){_GRADE_CORE}(?:\s?[+-](?!\w))?)?"
)
# A grade closing a sentence after prose or the measurements: "Virtually as struck and almost Fdc",
# "AE. gr. 24.31 SPL/BB+", "..., but nearly very fine".
_TRAILING_GRADE_RE = re.compile(
    rf"(?:\band\s+|\botherwise,?\s+|\bbut\s+|\bstill\s+|(?<=\d)\s+|\bund\s+|\bet\s+|\be\s+|\by\s+|\s[-–]\s)"
    rf"(?P<grade>{_GRADE_WITH_QUALIFIERS})\s*[.!]?$",
    re.IGNORECASE,
)


def _trailing_grade(sentences) -> str:
    for _, sentence in reversed(sentences[1:] or sentences):
        match = _TRAILING_GRADE_RE.search(sentence.strip())
        if match and _acceptable_grade(match.group("grade").strip(), match.group(0), sentences):
            grade = match.group("grade").strip()
            if grade_band(grade) is not None:
                return grade
    return ""


def sentences_text(sentences) -> str:
    return " ".join(sentence for _, sentence in sentences)


_AG_METAL_RE = re.compile(r"\bAG\b[.,]?\s*\(?g\.?\s?\d")


_CITATION_TAIL_RE = re.compile(
    r"^\s*(?:[IVXL]{1,5}[a-z]{0,3}(?:\s*[./]\s*(?:\d|[IVX]{1,3}))?[²³]?\s*,?\s*(?:\(\d{4}\)\s*)?)?"
    r"(?:(?:von\s|v\.\s?)?[A-Z][\w.]*\s*,?\s*){0,3}"
    r"(?:#|n°|no\.|Online\s|-(?=\d))?\s*(?:\d|[-–—]\s*(?:[.;,)]|$))"
)


def _starts_citation(text: str, match: re.Match) -> bool:
    """Is the known system at match followed by its number ("RIC I 207"), not prose ("Antonia right")?"""
    return bool(_CITATION_TAIL_RE.match(text[match.end() :]))


_REIGN_LIKE_RE = re.compile(r"^[^\W\d_][^,\d]*,\s*\d{2,4}\s*[-–]\s*\d{2,4}\s*(?:\.|$)")


_YEAR_RANGE_NUMBER_RE = re.compile(r"(\d{2,4})\s*[-–]\s*(\d{2,4})")


def _looks_like_reign(number: str) -> bool:
    """ "241-243", "276-282": a span of years; "Milne 61-64" is trusted only outside the heading."""
    match = _YEAR_RANGE_NUMBER_RE.fullmatch(number)
    return bool(match) and 0 < int(match.group(2)) - int(match.group(1)) < 100


# Authors and catalogues not among references.SYSTEM_RE whose name alone marks a citation.
_AUTHORS = {
    "Hendin", "TJC", "AJC", "Meshorer", "Album", "ABC", "Van", "Mack", "Klein", "Woytek", "Göbl", "Depeyrot",
    "Emmett", "Milne", "Dattari", "Svoronos", "Müller", "Thompson", "Kroll", "Schulte", "Bendall", "Hunter",
    "Paris", "Biaggi", "Mazzini", "Spink", "Mitchiner", "Newell", "Houghton", "SC", "ESM", "Jameson",
    "Gulbenkian", "Sommer", "Ferrando", "FFC", "Ffc", "Cayón", "Vlasto", "Balog", "Walker", "Dewing", "Weber",
    "McClean", "Pozzi", "Traité", "Boston", "Tudeer", "Boehringer", "Jenkins", "Calciati", "Lindgren",
    "Kurth", "BN", "Ratto", "Tolstoi", "Wroth", "MIB", "MIBE", "SB", "CRI", "DT", "LT", "Varbanov",
    "Jurukova", "Moushmov", "Pick", "Klat", "Nicolet", "Kraay", "Le", "Noe", "Bahrfeldt", "Alföldi",
    "Dressel", "Bastien", "Lyon", "Cohen", "Banti", "Giard", "Hill", "Lorber", "Mørkholm", "Mildenberg",
}  # fmt: skip


_REMARK_RE = re.compile(r"\s*\([^()\d]*\)(?=\s*\d)")
_AUTHOR_RE = re.compile(
    r"\b(?:"
    + "|".join(sorted(_AUTHORS - {"Van", "Le", "Lyon", "Paris", "Hill", "Boston", "Spink"}))
    + r")\s(?!(?:18|19|20)\d\d\b)\d"
)


_TITLE_ARTICLE_RE = re.compile(r",\s(?:Die|Der|Das|Le|La|Les|Il|Lo|El|The)\s")


def _reference_parts(sentences, heading_end: int = 0) -> list[str]:
    """Sentence parts that are citations: they begin with one, or hold a known system's citation."""
    parts: list[str] = []
    for offset, sentence in sentences:
        if is_provenance(sentence) or _PROVENANCE_START_RE.match(sentence.strip()):
            continue
        known_here = False
        found: list[tuple[str, str]] = []  # (part, author of an unknown system or "") in this sentence
        # "Cf. Casabonne D1 = Traité II, 2, 526": citations equated with "=" share the "cf.".
        sentence = ";".join(
            re.sub(r"\s=\s", " = cf. ", piece) if _CF_START_RE.match(piece.strip(" (")) else piece
            for piece in sentence.split(";")
        )
        for index, part in enumerate(_REF_PART_SPLIT_RE.split(sentence)):
            stripped = _FIELD_LABEL_RE.sub("", part.strip(" ([").strip())
            body = _CF_START_RE.sub("", stripped)
            known = next((m for m in _SYSTEM_RE.finditer(body) if _starts_citation(body, m)), None)
            if known is not None:
                prefix = "cf. " if body is not stripped or _CF_BEFORE_RE.search(body[: known.start()]) else ""
                found.append((prefix + body[known.start() :], ""))
                known_here = True
                continue
            # "Dattari (Savio) 7567": a bracketed remark without a number between name and number.
            # Not at the very start ("Probus 276-282"), but "(ABC 1654; S 435; VA 730-1)" in a one-
            # sentence British description is a list whose later items are citations.
            listed = offset > 0 or index > 0
            generic = _GENERIC_RE.match(_REMARK_RE.sub("", body)) if listed else None
            bracketed = part.lstrip().startswith("(") and part.rstrip(" .").endswith(")")
            if generic is None and offset == 0:
                # eBay titles are one sentence: "... prutah 103-76 BC Hendin 1150 anchor / star".
                author = _AUTHOR_RE.search(body)
                if author:
                    body = stripped = body[author.start() :]
                    generic = _GENERIC_RE.match(body)
            if generic:
                # Every word of author and title, but an article opening a title ("Kampmann, Die Münzen
                # 33.12": "Die" is also the English word for a coin's die).
                words = re.split(r"[\s,.-]+", _TITLE_ARTICLE_RE.sub(", ", generic.group("name")))
                is_author = words[0] in _MONTHS and re.fullmatch(r"\d{3}[a-z]?", generic.group("num"))
                if not is_author and any(word in _NOT_AUTHORS for word in words):
                    continue  # "Year 2", "Lot 23", "April 2011"; but "May 381" is May's Ainos
                if words[0].lower() in _DENOMINATION_SET:
                    continue
                if _REIGN_LIKE_RE.match(body):
                    continue  # "Traianus, 98-117": a ruler and his reign, not a catalogue
                if offset < heading_end and _looks_like_reign(generic.group("num")):
                    continue  # "Probus 276-282 n. Chr.", "Gordien III, Rome, 241-243." in the heading
                # "(Co. 1128)": a name and a number alone in brackets is a citation, not a date.
                found.append(
                    (("cf. " if body is not stripped else "") + body, "listed" if bracketed else words[0])
                )
        if not found:
            found.extend((item, "listed") for item in _listed_citations(sentence))
        # In the heading (ruler, denomination, mint, date) "Siscia, 274" looks like "Mack 123": there an
        # unknown "Name number" counts only among other citations or when the name is a catalogue's.
        alone_in_heading = offset < heading_end and not known_here and len(found) < 2
        parts.extend(
            part
            for part, author in found
            if not alone_in_heading or author in _AUTHORS or author == "listed" or _not_a_year(part)
        )
    return parts


# "Triton XVI, lot 214", "Leu 38, lot 23", "UBS 49, 2000, 463", "Roma XXI (24 March 2021), lot 700",
# "Auktion Leu 17, Zürich 1977, Nr. 463": a house, a sale, (a place or a date,) and a lot.
_SALE_CITATION_RE = re.compile(
    r"(?:^|(?<=[;=(]\s)|(?<=[;=(]))\s*(?P<sale>[A-Z][\w&.'’ -]{1,40}?\s(?:[IVXLC]{1,6}|\d{1,4}[A-Za-z]?)"
    r"(?:\s*\([^()]{3,40}\))?(?:,\s*[A-Z][\w-]+)?(?:,?\s*\d{4})?"
    r"(?:,\s*(?:lots?|nr\.?|no\.?|n°)\s*\d+[a-z]?|,\s*\d{4},\s*\d+))",
    re.IGNORECASE,
)


def _sale_citations(sentences) -> list[str]:
    """Sale catalogues cited among the references: earlier sales of the coin, kept as provenance."""
    out = []
    for _, sentence in sentences:
        if is_provenance(sentence):
            continue
        for item in re.split(r"\s=\s|;\s*", sentence):
            match = _SALE_CITATION_RE.match(item.strip())
            if match and not _SYSTEM_RE.match(match.group("sale")):
                out.append(match.group("sale").strip())
    return out


def _listed_citations(sentence: str) -> list[str]:
    """Citations among a dealer's comma-separated fields: "..., silver, 20mm, 7.05g, Vlasto 595,
    corrosion, VF": an item that is a name and a catalogue number and nothing else."""
    out = []
    items = sentence.split(", ")
    for index, item in enumerate(items):
        item = item.strip(" .;")
        following = items[index + 1] if index + 1 < len(items) else ""
        if re.match(r"(?:lots?|nr\.?|no\.?|n°)\s*\d|\d{4}\b", following, re.IGNORECASE):
            continue  # "VAuctions 329, lot 147", "UBS 49, 2000, 463": a sale, not a catalogue
        match = _GENERIC_RE.fullmatch(item)
        if not match or _looks_like_reign(match.group("num")):
            continue
        words = re.split(r"[\s,.-]+", match.group("name"))
        if any(
            word in _NOT_AUTHORS or word in _MINT_SET or word.lower() in _DENOMINATION_SET for word in words
        ):
            continue
        if len(match.group("num")) >= 2 or _not_a_year(item):
            out.append(item)
    return out


_CATALOGUE_NUMBER_RE = re.compile(r"\d+(?:\.\d+|/\d+|[a-z]\b|\.[a-z])")


def _not_a_year(part: str) -> bool:
    """ "CNV. 375.36", "Vlasto 418/9", "Klat 583.b": a number no year is written as."""
    return bool(_CATALOGUE_NUMBER_RE.search(part))


_LINE_BREAK_RE = re.compile(r"(?<![.;,:!?(/-])[ \t]*(?:\r?\n)+\s*(?=[A-Z0-9ÆØ(])")
_REPUBLICAN_SYSTEMS = {"Crawford", "Sydenham", "BMCRR", "Babelon"}


# "Grade: aVF/VF Attribution: Dattari 5766": a field label inside a line starts a new part; and
# "Ref:Dattari" gets its space.
_INLINE_LABEL_RE = re.compile(
    r"(?<=[^\s.;,/])(?:,\s*|\s+)(?!(?:Strike|Surface)\b)"
    r"(?=(?:[A-ZÀ-Ý][a-zà-ÿ]{2,15}|[A-Z]{3,10})(?:\s[a-zà-ÿ']{2,12}){0,2}\s?:\s?(?:[^\W_]|\())"
)
_GLUED_LABEL_RE = re.compile(r"\b((?:[A-Z][a-z]{1,15}|[A-Z]{2,10})):(?=[A-Z(])")
# Ligatures lost in PDF text: "extremely fi ne", "very fi ne", "fl an" (lower case only: never a legend).
_LIGATURE_RE = re.compile(r"\b(f[fil]|ff[il])\s(?=[a-z]{2,}\b)")


# Untrusted text is bounded before it is read: no lot's text comes near this.
MAX_CHARS = 50_000


def parse_description(text: str | None) -> LotDescription:
    """Read a lot description; fields the text does not state stay empty.

    The text may be a whole lot as a page gives it: its description is read for the fields, its
    provenance lines become `provenance`, and commentary after it is left out (lottext.py). Only the
    first MAX_CHARS characters are read."""
    text = text[:MAX_CHARS] if text else text
    if text and "\n" in text:
        parts = split_lot_text(text)
        if parts.provenance or parts.commentary:
            legend = " ".join(legend_lines(parts.commentary))  # a glyph legend kept after the lot text
            found = _parse_description(f"{parts.description}\n{legend}" if legend else parts.description)
            extra = [line for line in parts.provenance if line not in found.provenance]
            return replace(found, provenance=[*found.provenance, *extra])
    return _parse_description(text)


def _parse_description(text: str | None) -> LotDescription:
    if text and ("&" in text or "\n" in text):
        # Scraped pages: HTML entities ("K&amp;G 32.583") and one field per line ("Weight: 3.2g\nRIC
        # 123\nVF"): a line break before a capital ends a sentence when no punctuation does.
        text = _LINE_BREAK_RE.sub(". ", html.unescape(text))
    text = clean(text)
    legend = glyph_legend(text)
    if legend:
        text = apply_glyphs(text, legend)
    if ":" in text:
        text = _INLINE_LABEL_RE.sub(". ", _GLUED_LABEL_RE.sub(r"\1: ", text))
    text = _LIGATURE_RE.sub(r"\1", text)
    text = normalise_citations(text)
    text = _LOT_PREFIX_RE.sub("", text)
    text = _PRICE_TAIL_RE.sub("", text).strip()
    if not text:
        return LotDescription()
    heading_end = _heading_end(text)
    heading = text[:heading_end]
    sentences = _sentences(text)
    first_offset, first = sentences[0]
    first_end = first_offset + len(first)

    measurements = parse_measurements(text)
    metal, denomination = _metal_and_denomination(heading, text[heading_end:])
    reign, coin = _dates(text, sentences, heading_end, first_end)

    grade = _slab_grade(text)
    if not grade:
        # "Condition: Very fine", "Grade: aVF/VF": a field whose value is a grade (not "Comments on the
        # state of preservation: a fine portrait ...").
        labelled = _CONDITION_RE.search(text)
        value = labelled.group(1).strip() if labelled else ""
        grade = value if value and _GRADE_PHRASE_RE.match(value) and grade_band(value) is not None else ""
    if not grade:
        grade = _grade_from_parts(sentences)
    if not grade:
        grade = _trailing_grade(sentences)
    if not grade:
        loose = _LOOSE_GRADE_RE.search(text) or _GERMAN_GRADE_AT_END_RE.search(text)
        grade = loose.group(0).strip() if loose else ""

    citations: list[Citation] = []
    for part in _reference_parts(sentences, heading_end):
        for citation in parse_references(part, normalised=True):
            if citation not in citations:
                citations.append(citation)
    # NAC and Genevensis date Republican coins without an era ("Denarius 44, AR 3.88 g"); a
    # Crawford, Sydenham or Babelon type is always BC.
    republican = any(c.system in _REPUBLICAN_SYSTEMS for c in citations)
    if coin and coin[0] == coin[1] > 0 and republican and not _ERA_RE.search(text):
        coin = (-coin[0], -coin[1], coin[2])

    obverse, reverse = _sides(text, heading_end)
    provenance = [sentence.strip(" .;") for sentence in provenance_sentences(text)]
    provenance += [sale for sale in _sale_citations(sentences) if not any(sale in p for p in provenance)]
    return LotDescription(
        issuer=_issuer(sentences),
        reign_start=reign[0] if reign else None,
        reign_end=reign[1] if reign else None,
        metal=metal,
        denomination=canonical_name("denominations", denomination),
        weight_g=measurements.weight_g,
        diameter_mm=measurements.diameter_mm,
        die_axis=measurements.die_axis,
        mint=canonical_name("mints", _mint(text, heading_end, sentences)),
        year_start=coin[0] if coin else None,
        year_end=coin[1] if coin else None,
        circa=coin[2] if coin else False,
        obverse=obverse,
        reverse=reverse,
        references=[c for c in citations if not c.is_cf],
        cf_references=[c for c in citations if c.is_cf],
        grade=grade,
        grade_band=grade_band(grade) if grade else None,
        provenance=provenance,
    )


_SIDE_SPLIT_RE = re.compile(
    r"\s/\s(?!\d|(?:AD|CE|A\.D\.)\s?\d)|(?<=[\w.)])//(?=\s?[\w(])|\bRv\.\s|\bRev\b[.:]\s*|\brev\.\s|\bRs\s?[.:]\s*|\sR/\s*"
)
_OBV_RE = re.compile(r"\bObv\b[.:]\s*|\bAnv\.:?\s*|\bobv\.\s|\b(?:Vs|Av)\s?[.:]\s*|\sD/\s*")


def _sides(text: str, heading_end: int) -> tuple[str, str]:
    split = _SIDE_SPLIT_RE.search(text)
    if not split:
        return "", ""
    obv = _OBV_RE.search(text, 0, split.start())
    if obv:
        start = obv.end()
    else:
        start = 0
        for offset, sentence in _sentences(text[: split.start()]):
            if offset + len(sentence) < split.start():
                start = offset + len(sentence) + 1
        start = max(start, 0)
    obverse = text[start : split.start()].strip(" .,;")
    rest = text[split.end() :]
    stop = len(rest)
    sentences = _sentences(rest)
    if len(sentences) > 1:
        stop = sentences[1][0]
    first_ref = next((m.start() for m in _SYSTEM_RE.finditer(rest) if _starts_citation(rest, m)), None)
    if first_ref is not None:
        stop = min(stop, first_ref)
    reverse = rest[:stop].strip(" .,;(")
    return obverse, reverse
