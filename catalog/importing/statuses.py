"""What a collection's status word says about the coin: held, sold, or not (yet, or no longer) held.

OpenNumismat gives every coin one of its statuses (stored as the key, whatever title the collection
shows for it): owned, duplicate, replacement, sale, sold, wish, ordered, bidding, missing, pass, demo.
Hand-kept sheets and Numista exports write the same idea in their own words and languages, in a column
named status/state, or in a column named "sold"/"verkauft"/"vendu" holding yes/no or a date. The rule:

- HELD: owned, duplicate, replacement, and "sale" (offered for sale, still in the tray). Imported as a
  held coin.
- SOLD: sold, verkauft, vendu, venduto, vendido (and a yes or a date in a "sold" column). Imported as
  disposed (disposal "sold", with the sale's date, price and buyer when the file gives them).
- NOT_HELD: wish, ordered, bidding, missing, pass, demo (and their translations). The coin is not the
  owner's, or no longer in hand for a reason other than a sale. It is imported with a warning naming the
  row, the status kept in the notes: leaving it out would lose what the owner recorded (a coin on order
  or lost often has photos, price and provenance), while the warning makes sure it is never silently
  counted as held; the owner deletes it or marks it once the import is done.
- Anything else: read as held, with a warning (the status kept in the notes).

Pure: no Django import.
"""

from __future__ import annotations

from numismatics.text import fold

HELD, SOLD, NOT_HELD, UNKNOWN = "held", "sold", "not held", "unknown"

# Folded words (lower case, no accents) in English, German, French, Italian and Spanish.
_WORDS: dict[str, tuple[str, ...]] = {
    HELD: ("owned", "own", "held", "in collection", "in hand", "duplicate", "double", "replacement",
           "sale", "for sale", "on sale", "offered", "besitz", "im besitz", "vorhanden", "dublette",
           "doppelt", "zu verkaufen", "possede", "possedee", "en collection", "doublon", "a vendre",
           "en vente", "posseduto", "posseduta", "in collezione", "doppione", "in vendita",
           "poseido", "poseida", "en coleccion", "duplicado", "repetido", "en venta", "a la venta"),
    SOLD: ("sold", "verkauft", "vendu", "vendue", "venduto", "venduta", "vendido", "vendida"),
    NOT_HELD: ("wish", "wanted", "wishlist", "wish list", "ordered", "on order", "bidding", "bid", "missing",
               "lost", "stolen", "pass", "passed", "demo", "wunsch", "wunschliste", "gesucht", "bestellt",
               "geboten", "fehlt", "verloren", "gestohlen", "souhait", "recherche", "commande",
               "enchere", "manquant", "perdu", "vole", "desiderata", "desiderio", "cercato", "ordinato",
               "in asta", "mancante", "perso", "rubato", "deseado", "buscado", "pedido", "encargado",
               "pujando", "falta", "perdido", "robado"),
}  # fmt: skip
_LOOKUP = {word: status for status, words in _WORDS.items() for word in words}
# A column whose header is a "sold" word holds yes/no (or the date of the sale), not a status word.
SOLD_HEADERS = frozenset(_WORDS[SOLD])
_YES = {"yes", "y", "x", "1", "true", "ja", "oui", "si", "✓"}
_NO = {"no", "n", "0", "false", "nein", "non"}


def classify(text: str) -> str:
    """HELD, SOLD, NOT_HELD or UNKNOWN for a status cell ("" is held: nothing says otherwise)."""
    word = " ".join(fold(text).replace("-", " ").replace("_", " ").split()).strip(" .!")
    if not word:
        return HELD
    return _LOOKUP.get(word, UNKNOWN)


def classify_sold_column(text: str) -> str:
    """A "sold" column's cell: yes -> SOLD, no or empty -> HELD, a status word as classify() reads it,
    anything else (a date, a note) -> SOLD: the column is filled in only for coins that were sold."""
    word = fold(text).strip(" .!")
    if not word or word in _NO:
        return HELD
    if word in _YES:
        return SOLD
    status = classify(text)
    return SOLD if status == UNKNOWN else status
