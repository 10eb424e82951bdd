"""A whole lot description read into fields.

"Augustus. 27 BC-AD 14. AR Denarius (19mm, 3.82 g, 6h). Lugdunum mint. Struck 2 BC-AD 4. CAESAR ...
/ AVGVSTI F ... RIC I 207; RSC 43. Good VF, toned. Ex Peh Family Collection."

Houses order the parts differently (Heritage puts the slab grade early, Roma the measurements after
the references, NumisFitz labels them "Weight:"/"Condition:"), so each field has its own finder over
the sentences instead of one grammar for the whole text:
- measurements: measurements.py over the text (units make them unambiguous);
- metal and denomination: only in the heading, before the obverse, because essays and multi-coin lots
  mention other metals ("together with other ancient coins (2, one in silver)");
- dates: the reign is the date right after the issuer ("Augustus (27 BC-AD 14)", "Diocletian. AD
  284-305."); the coin's date is the one labelled "Struck", "Year", "Dated", or marked circa, else any
  other dated phrase, else the reign;
- references: only from sentence parts that begin with a citation (or hold a known system), so
  "Year 2", "Leu 38, lot 23" and prose are never read as citations;
- grade: a slab label ("NGC Ch AU★ ...", "ANACS VF 35"), a "Condition:" label, or a sentence part that
  is a grade phrase ("Good VF, toned", "otherwise very fine with green-brown patina").
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from catalog.parsing.categories import parse_category
from catalog.parsing.dates import DateParseError, parse_year_range
from catalog.parsing.grades import grade_band
from catalog.parsing.measurements import parse_measurements
from catalog.parsing.metals import parse_metal
from catalog.parsing.references import GENERIC_RE as _GENERIC_RE
from catalog.parsing.references import NOT_AUTHORS as _NOT_AUTHORS
from catalog.parsing.references import SYSTEM_RE as _SYSTEM_RE
from catalog.parsing.references import Citation, parse_references
from catalog.parsing.text import clean


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
            "references": [citation.display() for citation in self.references],
            "cf_references": [citation.display() for citation in self.cf_references],
            "grade": self.grade or None,
            "obverse": self.obverse or None,
            "reverse": self.reverse or None,
        }


DENOMINATIONS = (
    "Denarius", "Denarii", "Antoninianus", "Antoniniani", "Aureus", "Aurei", "Solidus", "Solidi",
    "Sestertius", "Sestertii", "Dupondius", "Dupondii", "As", "Asses", "Semis", "Quadrans", "Quinarius",
    "Quinarii", "Follis", "Folles", "Nummus", "Nummi", "Siliqua", "Siliquae", "Miliarense", "Tremissis",
    "Semissis", "Centenionalis", "Maiorina", "Medallion", "Medallions", "Cistophorus", "Cistophoric",
    "Victoriatus", "Quadrigatus", "Didrachm", "Tetradrachm", "Tridrachm", "Octadrachm", "Decadrachm",
    "Dekadrachm", "Hemidrachm", "Drachm", "Drachma", "Drachms", "Obol", "Diobol", "Triobol", "Tetrobol",
    "Trihemiobol", "Hemiobol", "Tetartemorion", "Stater", "Staters", "Hemistater", "Trite", "Hekte",
    "Litra", "Hemilitron", "Shekel", "Prutah", "Prutot", "Daric", "Siglos", "Tetrachalkon", "Dichalkon",
    "Chalkous", "Hemiassarion", "Assarion", "Diassarion", "Tetrassarion", "Dinar", "Dirham", "Fals",
    "Histamenon", "Tetarteron", "Hyperpyron", "Trachy", "Miliaresion", "Hexagram", "Uncia", "Triens",
    "Sextans", "Quincunx", "Dextans", "Denier", "Unit", "Fraction", "Tessera", "Denar", "Antoninian",
    "Sesterz", "Drachme", "Tetradrachme", "Didrachme", "Hemidrachme", "Statér", "Antoninien", "Sesterce",
    "Statère", "Tétradrachme", "Didrachme", "Obole", "Denario", "Antoniniano", "Sesterzio", "Dupondio",
    "Asse", "Aureo", "Solido", "Tetradramma", "Didramma", "Dramma", "Statere", "Obolo", "Follaro", "Dracma",
    "Tetradracma",
)  # fmt: skip
_DENOMINATION_SET = {word.lower() for word in DENOMINATIONS}
_DENOMINATION_RE = re.compile(r"\b(" + "|".join(DENOMINATIONS) + r")\b", re.IGNORECASE)
_METAL_ABBR_RE = re.compile(
    r"(?<![\w.])(AV|AR|AE|Æ|BI|EL|PB|AU|(?:AE|Æ)(?=[1-4]\b))"
    r"(?=[1-4]\b|\s*\(|\s+(?:[A-Za-z]|\d+(?:[.,]\d+)?\s*(?:mm|g|gm|gr)\b))"
    r"(?!\s+(?:\d+/5|[★*]))"
)
_METAL_WORD_RE = re.compile(
    r"\b(Gold|Silver|Bronze|Billon|Electrum|Orichalcum|Potin|Copper|Lead|Brass|gold|silver|bronze|billon|"
    r"electrum|Silber|Argent|Or(?=\s[A-Z])|Oro|Argento|Bronzo)\b"
)
_METAL_WITH_WEIGHT_RE = re.compile(
    r"\b(Gold|Silver|Bronze|Billon|Electrum|Copper|Silber|Argent|Or|Oro|Argento|Bronzo|Kupfer|Cuivre|AR|AV|AE|Æ)"
    r"\s*[,;(]?\s*(?:g\s*)?\d+[.,]\d+\s*(?:g|gm|gr)?\b"
)
_GRADE_WORD_BEFORE = re.compile(r"(?:\bCh|\bChoice|\bNGC|\bNear|\bGood|\bgraded|\bPCGS|\bANACS)\s*$")
# Where the heading ends: the obverse, a separator, or a multi-coin remark.
_HEADING_END_RE = re.compile(
    r"\s/\s|\bObv\b\.?:?|\bobv\.\s|\bRev\b[.:]|\brev\.\s|\btogether with\b"
    r"|\b(?:Rs|Vs|Av)\s?[.:]|\sR/\s|\sD/\s"
)
_LOT_PREFIX_RE = re.compile(r"^\d{1,6}\*?\.?\s+(?=[A-Z])")
_PRICE_TAIL_RE = re.compile(
    r"(?:\s*[-–]\s*Realized\b.*|\s*\((?:[$€£]|CHF|USD|EUR|GBP)\s?[\d,.'’ ]+(?:\s*[-–]\s*[\d,.'’ ]+)?\)"
    r"|\s*\$\s?[\d,.]+|\s*(?:Estimate|Est\.)\s*:?\s*[$€£]?\s?[\d,.'’ ]+(?:\s*[A-Z]{3})?)\s*\.?$"
)
# A full stop ends a sentence unless it closes an initial or an abbreviation ("C. Fabius", "Coh. 84",
# "Rev. ..."). The full stop is matched first so the look-behinds only run at full stops.
_ABBREVIATIONS = (
    "cf", "Cf", "Coh", "Syd", "no", "pl", "p", "pp", "ca", "c", "var", "Rev", "rev", "Obv", "obv", "d",
    "corr", "vol", "v",
)  # fmt: skip
_SENTENCE_RE = re.compile(
    r"\.(?<!\b[A-Z]\.)" + "".join(rf"(?<!\b{word}\.)" for word in _ABBREVIATIONS) + r"\s+(?=\S)"
)
_ERA = (
    r"(?:B\.?\s?C\.?(?:E\.?)?|A\.?\s?D\.?|C\.?E\.?|[nv]\.\s?Chr\.?|a[vp]\.\s?J\.?\s?-?\s?C\.?|[ad]\.\s?C\.)"
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
_DATE_LABEL_RE = re.compile(
    r"(?:\b(?:struck|minted|issued|dated)\b[^.;]*?|\byear\s+\d+\s*,\s*|=\s*)$", re.IGNORECASE
)
_NOT_DATE_BEFORE_RE = re.compile(
    r"(?:\bd\.|\bdied|\bborn|\bb\.|\bcos|\btr\.?\s?p|\bimp|\blot|\bno\.?)\s*$", re.IGNORECASE
)
# "Dated RY 11 (AD 126/7)", "Year 5, AD 58/9", "CY 6 = AD 226-227": a regnal or civic year is not a date.
_REGNAL_BEFORE_RE = re.compile(r"\b(?:RY|CY|year|yr\.?|anno|jahr|an)\s*$", re.IGNORECASE)
_MINT_RE = re.compile(
    r"\b([A-Z][\w'-]+(?:\s(?:ad|on|upon|de|del|am|an der)\s[A-Z][\w'-]+|[ -][A-Z][\w'-]+)?)\s+[Mm]int\b"
)
_NOT_MINTS = {
    "Military", "Uncertain", "Unknown", "Eastern", "Western", "Northern", "Southern", "Imperial", "Moving",
    "Travelling", "Traveling", "Local", "Greek", "Provincial", "Official", "Unofficial", "Main", "Same",
    "Auxiliary", "Branch", "Central", "Mobile", "Campaign",
}  # fmt: skip
MINTS = (
    "Rome", "Roma", "Rom", "Lugdunum", "Lyon", "Alexandria", "Antioch", "Antiochia", "Siscia", "Ticinum",
    "Treveri", "Trier", "Arelate", "Arles", "Aquileia", "Cyzicus", "Nicomedia", "Heraclea", "Thessalonica",
    "Constantinople", "Londinium", "London", "Sirmium", "Serdica", "Mediolanum", "Milan", "Ravenna",
    "Carthage", "Caesarea", "Emesa", "Laodicea", "Viminacium", "Tarraco", "Cologne", "Colonia", "Babylon",
    "Athens", "Corinth", "Syracuse", "Amphipolis", "Pella", "Tarsus", "Tyre", "Sidon", "Ephesus",
    "Pergamum", "Smyrna", "Samosata", "Nisibis", "Kyzikos", "Alexandreia", "Amisos", "Sinope", "Byzantium",
    "Perinthus", "Nicaea", "Mylasa", "Side", "Aspendos", "Rhodes", "Massalia", "Emporion",
)  # fmt: skip
_MINT_SET = set(MINTS)
_MINT_WORD_RE = re.compile(
    r"(?:^|[.,;]\s|\bof\s)("
    + "|".join(MINTS)
    + r")(?=[,.;]|\s+(?:mint|ca\.|c\.|\(|"
    + "|".join(DENOMINATIONS)
    + r")\b)"
)
_OF_PLACE_RE = re.compile(
    r"\b(?:" + "|".join(DENOMINATIONS) + r"|\d+\s*mm)\s+of\s+([A-Z][\w'-]+)(?=[,.;\s])", re.IGNORECASE
)
_SLAB_RE = re.compile(r"\b(NGC|PCGS|ANACS|ICG)\b(?:\s+graded)?\s+(?P<rest>[^.;]*)")
_CONDITION_RE = re.compile(
    r"\b(?:Condition|Grade|Erhaltung|Conservation|Conservazione)\s*:\s*([^.;\n]+)", re.IGNORECASE
)
_GRADE_CORE = (
    r"(?:(?:good|near(?:ly)?|about|choice|ch\.?|superb|gem|almost|fast|quasi|q\.?|f\.|gutes|gut|knapp)\s+)*"
    r"(?:extremely\s+fi\s?ne|extra\s+fine|very\s+fine|very\s+good|fine|fleur\s+de\s+coin|fdc|"
    r"vorz[üu]glich|sehr\s+sch[öo]n|sch[öo]n|stempelglanz|pr[äa]gefrisch|tr[èe]s\s+tr[èe]s\s+beau|"
    r"tr[èe]s\s+beau|superbe|splendido|bellissimo|molto\s+bello|"
    r"uncirculated|mint\s+state|poor|fair|good|"
    r"a?(?:EF|XF|VF|VG|AU|MS|F|G)|q?(?:SPL|BB|MB|FDC)|TTB|TB|SUP|ss|vz|s|St|Unc|BU)"
)
_GRADE_PHRASE_RE = re.compile(
    rf"^(?:otherwise,?\s+|overall\s+|in\s+)?(?P<grade>{_GRADE_CORE}(?:\s?[+-](?!\w))?"
    rf"(?:\s*[/-]\s*{_GRADE_CORE}(?:\s?[+-](?!\w))?)?)"
    r"(?=\s*$|\s+(?:with|and|but|for|toned|or\b|to\b|\d{1,2}\b)|\s*[(!?])",
    re.IGNORECASE,
)
_GRADE_CASE_SENSITIVE = {"f", "g", "s", "st", "bu", "ms", "au", "ef", "xf", "vf", "vg"}
_PROVENANCE_START_RE = re.compile(
    r"^(?:ex\b|from\s+(?:the|a|an)\b|provenance\b|pedigree\b|purchased\b|acquired\b|formerly\b)",
    re.IGNORECASE,
)


_WORD_AFTER_RE = re.compile(r"\s+([A-Za-z]+)")
_BRONZE_BEFORE_RE = re.compile(r"(?:Æ|AE|Bronze|Copper)\s+$")
_ERA_RE = re.compile(_ERA, re.IGNORECASE)
_BARE_BEFORE_RE = re.compile(r"(?:[^\W\d_]\s*,|\()\s*$")
_BARE_AFTER_RE = re.compile(r"\s*(?:[,)]|\.(?:\s|$))")
_TWO_DIGITS_RE = re.compile(r"\d{2,}")
_SENTENCE_START_RE = re.compile(r"\.\s$")
_SENTENCE_END_RE = re.compile(r"\s*(?:\.|$)")
_GRADE_PART_SPLIT_RE = re.compile(r"[,;:]\s*")
_REF_PART_SPLIT_RE = re.compile(r";|\s=\s")
_CF_START_RE = re.compile(r"^cf\.?\s*", re.IGNORECASE)


def _sentences(text: str) -> tuple[tuple[int, str], ...]:
    """(start offset, sentence) pairs; parse_description splits once and hands them to each finder."""
    out = []
    start = 0
    for match in _SENTENCE_RE.finditer(text):
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
    if metal is None and tail:
        # French and German catalogues put the metal with the weight at the end: "Argent, 4,55 g".
        late = _METAL_WITH_WEIGHT_RE.search(tail)
        if late:
            metal = parse_metal(late.group(1))
    denomination = ""
    if metal_end is not None:
        after = _WORD_AFTER_RE.match(heading, metal_end)
        if after and after.group(1).lower() in _DENOMINATION_SET:
            denomination = after.group(1)
    if not denomination:
        for match in _DENOMINATION_RE.finditer(heading):
            word_text = match.group(1)
            if word_text[0].isupper() or (metal_end is not None and match.start() - metal_end <= 2):
                if word_text.lower() == "as" and word_text != "As":
                    continue
                if word_text.lower() == "as" and not _BRONZE_BEFORE_RE.search(
                    heading[max(0, match.start() - 12) : match.start()]
                ):
                    continue
                denomination = word_text
                break
    return metal, denomination[:1].upper() + denomination[1:].lower() if denomination else ""


_ISSUER_PREFIX_RE = re.compile(r"^(?:Ancients|Antike|Antiquité|Lot)\s*:\s*", re.IGNORECASE)


def _issuer(sentences) -> str:
    """The ruler or city: the first sentence that is not a series heading ("ROMAN EMPIRE", "Byzantine")."""
    first = sentences[0][1]
    for _, sentence in sentences[:2]:
        words = sentence.split()
        if len(words) <= 3 and "," not in sentence and parse_category(sentence) is not None:
            continue
        first = sentence
        break
    first = _ISSUER_PREFIX_RE.sub("", first)
    name = re.split(
        r"\s*\(|\s*,\s*(?:d\.|c\.|ca\.)|,?\s+\d|\s+(?:AV|AR|AE|Æ|BI|EL)\b|\.?,?\s+(?:AD|BC)\b", first
    )[0].strip(" ,.")
    if name.isupper():
        name = name.title()
    return name


_NAME_COMMA_RE = re.compile(r"([^\d()]+),\s*$")


def _dates(text: str, sentences, heading_end: int, first_end: int) -> tuple[tuple | None, tuple | None]:
    """(reign, coin date) as (start, end, circa) triples."""
    # Years without an era are trusted only near the start: "Traianus, 98-117. Aureus, 112/114, Rom."
    third = sentences[min(2, len(sentences) - 1)]
    second_end = third[0] + len(third[1])
    candidates = []
    seen_bc = False
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
        candidates.append((match.start(), found, labelled, circa, in_parens, whole_sentence))
    reign = None
    coin = None
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
        if coin is None:
            coin = value
    return reign, coin or reign


def _mint(text: str, heading_end: int) -> str:
    heading = text[:heading_end]
    for match in _MINT_RE.finditer(heading):
        words = match.group(1).split()
        if words[0] not in _NOT_MINTS:
            return match.group(1)
        return ""  # "Military mint moving with Antony", "Northern Greece mint": a named non-city
    match = _MINT_WORD_RE.search(heading)
    if match:
        return match.group(1)
    match = _OF_PLACE_RE.search(heading)
    if match and match.group(1) not in {"Ten", "Two", "Three", "Four", "Five", "Six"}:
        return match.group(1)
    return ""


def _slab_grade(text: str) -> str:
    match = _SLAB_RE.search(text)
    if not match:
        return ""
    rest = match.group("rest")
    # Stop at the first remark after a comma ("ANACS VF 35, tooled"); keep scores and "Fine Style".
    parts = [part.strip() for part in rest.split(",")]
    kept = [parts[0]]
    for part in parts[1:]:
        if re.fullmatch(r"\d/5|Fine Style|[★*]", part, re.IGNORECASE):
            kept.append(part)
        else:
            break
    if grade_band(kept[0]) is None:
        return ""
    # The label as written, from the service name to the last kept part.
    end = match.start("rest") + len(", ".join(parts[: len(kept)]))
    written = text[match.start() : end]
    return (
        written.strip(" ,")
        if ", ".join(parts[: len(kept)]) in rest
        else f"{match.group(1)} {', '.join(kept)}"
    )


def _grade_from_parts(sentences) -> str:
    for _, sentence in sentences:
        for part in _GRADE_PART_SPLIT_RE.split(sentence):
            part = part.strip(" .")
            match = _GRADE_PHRASE_RE.match(part)
            if not match:
                continue
            grade = match.group("grade").strip()
            core = re.sub(r"[^A-Za-z]", "", grade.split()[-1] if grade.split() else "")
            lower_case_abbreviation = core.lower() in _GRADE_CASE_SENSITIVE and core != core.upper()
            if lower_case_abbreviation and len(core) <= 2 and core.lower() not in {"ss", "vz", "st"}:
                continue  # "g", "s" in prose are not grades; abbreviations are written in capitals
            if core in {"S", "St"} and len(part) > len(grade):
                continue
            return grade
    return ""


_CITATION_TAIL_RE = re.compile(
    r"^\s*(?:[IVXL]{1,5}[a-z]{0,3}(?:\s*[./]\s*(?:\d|[IVX]{1,3}))?[²³]?\s*,?\s*)?"
    r"(?:(?:von\s|v\.\s?)?[A-Z][\w.]*\s*,?\s*){0,3}"
    r"(?:#|n°|no\.|Online\s)?\s*(?:\d|[-–—]\s*(?:[.;,)]|$))"
)


def _starts_citation(text: str, match: re.Match) -> bool:
    """Is the known system at match followed by its number ("RIC I 207"), not prose ("Antonia right")?"""
    return bool(_CITATION_TAIL_RE.match(text[match.end() :]))


_REIGN_LIKE_RE = re.compile(r"^[^\W\d_][^,\d]*,\s*\d{2,4}\s*[-–]\s*\d{2,4}\s*(?:\.|$)")


def _reference_parts(sentences) -> list[str]:
    """Sentence parts that are citations: they begin with one, or hold a known system's citation."""
    parts: list[str] = []
    for offset, sentence in sentences:
        if _PROVENANCE_START_RE.match(sentence.strip()):
            continue
        for part in _REF_PART_SPLIT_RE.split(sentence):
            stripped = part.strip(" ([").strip()
            body = _CF_START_RE.sub("", stripped)
            known = next((m for m in _SYSTEM_RE.finditer(body) if _starts_citation(body, m)), None)
            if known is not None:
                prefix = (
                    "cf. "
                    if body is not stripped
                    or re.search(r"\bcf\b\.?\s*$", body[: known.start()], re.IGNORECASE)
                    else ""
                )
                parts.append(prefix + body[known.start() :])
                continue
            generic = _GENERIC_RE.match(body) if offset > 0 else None
            if generic:
                words = re.split(r"[\s,.-]+", generic.group("name"))
                if any(word in _NOT_AUTHORS for word in words) or words[0].lower() in _DENOMINATION_SET:
                    continue
                if _REIGN_LIKE_RE.match(body):
                    continue  # "Traianus, 98-117": a ruler and his reign, not a catalogue
                parts.append(("cf. " if body is not stripped else "") + body)
    return parts


def parse_description(text: str | None) -> LotDescription:
    """Read a lot description; fields the text does not state stay empty."""
    text = clean(text)
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
        labelled = _CONDITION_RE.search(text)
        grade = labelled.group(1).strip() if labelled and grade_band(labelled.group(1)) is not None else ""
    if not grade:
        grade = _grade_from_parts(sentences[1:])

    citations: list[Citation] = []
    for part in _reference_parts(sentences):
        for citation in parse_references(part):
            if citation not in citations:
                citations.append(citation)

    obverse, reverse = _sides(text, heading_end)
    provenance = [s.strip(" .;") for _, s in sentences if _PROVENANCE_START_RE.match(s.strip())]
    return LotDescription(
        issuer=_issuer(sentences),
        reign_start=reign[0] if reign else None,
        reign_end=reign[1] if reign else None,
        metal=metal,
        denomination=denomination,
        weight_g=measurements.weight_g,
        diameter_mm=measurements.diameter_mm,
        die_axis=measurements.die_axis,
        mint=_mint(text, heading_end),
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


_SIDE_SPLIT_RE = re.compile(r"\s/\s|\bRev\b[.:]\s*|\brev\.\s|\bRs\s?[.:]\s*|\sR/\s*")
_OBV_RE = re.compile(r"\bObv\b[.:]\s*|\bobv\.\s|\b(?:Vs|Av)\s?[.:]\s*|\sD/\s*")


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
