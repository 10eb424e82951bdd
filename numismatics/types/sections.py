"""How RIC is arranged in OCRE: volume keys for a citation's volume, part and edition, and which
sections hold which person's coins.

OCRE keys a type as ric.<volume>.<section>.<number>. The volume key carries the edition: "1(2)" is
RIC I second edition (1984), "2_1(2)" RIC II part 1 second edition (2007, Vespasian to Domitian),
"2" RIC II first edition (1926, Nerva, Trajan, Hadrian). OCRE has no first edition of RIC I, none of
RIC II for the Flavians, and (in this 2019 table) not RIC II.3 (Hadrian, 2019), whose numbers differ
from RIC II 1926's: a citation of RIC II.3 must never be read as RIC II.

In RIC I-V and X a section is a reign (ric.4.crl: Caracalla); numbers restart in each, so "RIC IV
254" needs the emperor. Wives, children and deified predecessors are numbered inside the reigning
emperor's section (Julia Domna under Severus and again under Caracalla); the table's `authority`
column names the reigning emperor, so `FAMILY` below lists the others by hand. In RIC VI-IX a
section is a mint (ric.6.lon), numbered per mint. RIC X numbers run through the whole volume.
"""

from __future__ import annotations

from numismatics.references import Citation, roman_to_int

# Volumes whose sections are mints.
MINT_VOLUMES = ("6", "7", "8", "9")
# Volumes numbered through the whole volume: the number alone names the type.
CONTINUOUS_VOLUMES = ("10",)

# People whose coins are numbered in a section whose authority is someone else, by issuer key (the
# nomisma id, or the name in lower case with "_" for issuers nomisma has no id for). The reigning
# emperor needs no entry: the table's authority column gives him.
FAMILY: dict[tuple[str, str], tuple[str, ...]] = {
    ("1(2)", "aug"): ("agrippa",),
    ("1(2)", "tib"): ("livia", "drusus"),
    ("1(2)", "gai"): ("agrippina_i", "germanicus", "agrippa"),
    ("1(2)", "cl"): ("antonia", "nero_claudius_drusus", "germanicus", "agrippina_ii", "nero", "agrippina_i"),
    ("1(2)", "ner"): ("agrippina_ii",),
    ("2_1(2)", "ves"): ("titus", "domitian"),
    ("2_1(2)", "tit"): ("domitian", "julia_titi", "augustus", "agrippa"),
    ("2_1(2)", "dom"): ("domitia", "julia_titi"),
    ("2", "ner"): ("augustus",),
    ("2", "tr"): ("plotina", "marciana", "matidia"),
    ("2", "hdn"): ("sabina", "aelius"),
    ("3", "ant"): ("faustina_i", "marcus_aurelius", "faustina_ii", "aelius"),
    ("3", "m_aur"): ("lucius_verus", "faustina_ii", "lucilla", "commodus"),
    ("3", "com"): ("crispina",),
    ("4", "dj"): ("manlia_scantilla", "didia_clara"),
    ("4", "ss"): ("julia_domna",),
    ("4", "crl"): ("julia_domna", "plautilla"),
    ("4", "mcs"): ("diadumenian",),
    ("4", "el"): ("julia_paula", "aquilia_severa", "annia_faustina", "julia_soaemias", "julia_maesa"),
    ("4", "sa"): ("orbiana", "julia_mamaea", "julia_maesa"),
    ("4", "pa"): ("paulina",),
    ("4", "mxs"): ("maximus_caesar",),
    ("4", "gor_iii"): ("tranquillina",),
    ("4", "gor_iii_caes"): ("gordian_iii",),
    ("4", "ph_i"): ("otacilia_severa", "philip_ii"),
    ("4", "tr_d"): ("herennia_etruscilla", "herennius_etruscus", "hostilian"),
    ("4", "tr_g"): ("hostilian", "volusian"),
    ("4", "aem"): ("cornelia_supera",),
    ("5", "gall(1)"): ("gallienus",),
    ("5", "sala(1)"): ("salonina",),
    ("5", "sala(2)"): ("salonina",),
    ("5", "gall_sala(1)"): ("gallienus", "salonina"),
    ("5", "gall_sala(2)"): ("salonina",),
    ("5", "gall_sals"): ("gallienus", "saloninus"),
    ("5", "sals"): ("saloninus",),
    ("5", "val_ii"): ("valerian_ii",),
    ("5", "val_i-gall"): ("gallienus",),
    ("5", "marin"): ("mariniana",),
    ("5", "qjg"): ("quietus",),
    ("5", "seva"): ("severina",),
    ("5", "aur_seva"): ("severina",),
    ("5", "aur"): ("severina", "vabalathus"),
    ("5", "car"): ("magnia_urbica",),
    ("5", "cg"): ("quintillus",),
    ("5", "tet_i"): ("tetricus_ii",),
    ("5", "dio"): ("maximian", "constantius_chlorus", "galerius"),
    ("5", "cara-dio-max_her"): ("diocletian", "maximian"),
    ("5", "dom_g"): ("domitianus_ii",),
    ("5", "jul_i"): ("sabinus_julianus",),
    ("10", "arc_e"): ("aelia_eudoxia",),
    ("10", "theo_ii_e"): ("aelia_eudocia", "aelia_pulcheria", "licinia_eudoxia", "galla_placidia"),
    ("10", "hon_w"): ("galla_placidia", "constantius_iii"),
    ("10", "valt_iii_w"): ("galla_placidia", "licinia_eudoxia", "justa_grata_honoria"),
    ("10", "leo_i_e"): ("verina",),
    ("10", "zeno(2)_e"): ("verina",),
}
# Deified predecessors honoured in a successor's section ("DIVVS AVGVSTVS PATER" under Tiberius): a
# type is theirs only when its legend says DIVVS/DIVA as well as their name.
DIVI: dict[tuple[str, str], tuple[str, ...]] = {
    ("1(2)", "tib"): ("augustus",),
    ("1(2)", "gai"): ("augustus",),
    ("1(2)", "cl"): ("augustus",),
    ("2_1(2)", "tit"): ("vespasian",),
    ("2_1(2)", "dom"): ("titus", "vespasian"),
    ("2", "tr"): ("nerva",),
    ("2", "hdn"): ("trajan", "plotina", "matidia"),
    ("3", "ant"): ("hadrian",),
    ("3", "m_aur"): ("antoninus_pius", "faustina_i"),
    ("3", "com"): ("marcus_aurelius",),
    ("4", "ss"): ("pertinax",),
    ("4", "crl"): ("septimius_severus",),
}


# In RIC VI-IX the authority column names one emperor of the college that struck a coin (Maximian for
# the western mints' Diocletian, Constantine for his sons as Caesars): an issuer's coins may stand
# under any authority of their college, and Caesars' and empresses' under their emperor's.
_COLLEGES = (
    ("diocletian", "maximian", "constantius_chlorus", "galerius", "severus_ii", "maximinus_daia",
     "maxentius", "licinius", "constantine_i", "domitius_alexander"),
    ("constantine_i", "licinius", "constantine_ii", "constans", "constantius_ii"),
    ("constantine_ii", "constans", "constantius_ii", "magnentius", "julian_the_apostate", "jovianus"),
    ("valentinian_i", "valens", "gratian", "valentinian_ii", "theodosius_i", "magnus_maximus", "eugenius",
     "procopius"),
)  # fmt: skip
_UNDER = {
    "crispus": ("constantine_i",), "delmatius": ("constantine_i",), "hanniballianus": ("constantine_i",),
    "helena": ("constantine_i", "constantius_ii"), "fausta": ("constantine_i",),
    "theodora": ("constantine_i",),
    "licinius_ii": ("licinius",), "valerius_valens": ("licinius",), "martinian": ("licinius",),
    "galeria_valeria": ("galerius",), "romulus": ("maxentius",), "decentius": ("magnentius",),
    "constantius_gallus": ("constantius_ii",), "vetranio": ("constantius_ii",),
    "nepotian": ("constantius_ii", "magnentius"), "flavius_victor": ("magnus_maximus",),
    "arcadius": ("theodosius_i", "valens"), "honorius": ("theodosius_i",),
    "aelia_flaccilla": ("theodosius_i",),
}  # fmt: skip


def _late_authorities() -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for college in _COLLEGES:
        for member in college:
            out.setdefault(member, set()).update(m for m in college if m != member)
    for issuer, authorities in _UNDER.items():
        out.setdefault(issuer, set()).update(authorities)
    return {issuer: tuple(sorted(authorities)) for issuer, authorities in out.items()}


LATE_AUTHORITIES: dict[str, tuple[str, ...]] = _late_authorities()


def issuer_key(nomisma_id: str | None, name: str | None = None) -> str:
    """The key FAMILY uses: the nomisma id, or for issuers without one the name as a slug."""
    if nomisma_id:
        return nomisma_id
    words = "".join(ch if ch.isalnum() else " " for ch in (name or "").casefold()).split()
    return "_".join(words)


def volume_keys(citation: Citation) -> tuple[list[str], str]:
    """OCRE volume keys a RIC citation may denote, and a reason when it denotes none in the table.

    No volume written ("RIC 295", NAC's and Künker's habit): every volume, left to the issuer.
    """
    if not citation.volume:
        return ["1(2)", "2_1(2)", "2", "3", "4", "5", "6", "7", "8", "9", "10"], ""
    number = roman_to_int(citation.volume)
    if number is None or not 1 <= number <= 10:
        return [], f"RIC has no volume {citation.volume}"
    if number == 1:
        return ["1(2)"], ""  # OCRE follows RIC I² (1984); "RIC I" in today's catalogues means it too
    if number == 2:
        if citation.part == "3" or citation.edition == "3":
            return [], (
                "RIC II part 3 (Hadrian, 2019) is not in the OCRE table shipped with CoinStack, and its "
                "numbers are not those of RIC II (1926)"
            )
        if citation.part == "2":
            return [], "OCRE has no RIC II part 2"
        if citation.part == "1" or citation.edition == "2":
            return ["2_1(2)"], ""
        # Plain "RIC II": the 1926 volume for Nerva to Hadrian, or (loosely written) II.1² for the
        # Flavians, whose 1926 numbers OCRE does not have.
        return ["2", "2_1(2)"], ""
    return [str(number)], ""
