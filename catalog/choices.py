"""Closed sets the code depends on. Their values are the codes stored and used in URLs (?metal=silver)."""

from django.db import models


class Category(models.TextChoices):
    GREEK = "greek", "Greek"
    CELTIC = "celtic", "Celtic"
    ROMAN_REPUBLICAN = "roman_republican", "Roman Republican"
    ROMAN_IMPERIAL = "roman_imperial", "Roman Imperial"
    ROMAN_PROVINCIAL = "roman_provincial", "Roman Provincial"
    JUDAEAN = "judaean", "Judaean"
    BYZANTINE = "byzantine", "Byzantine"
    ISLAMIC = "islamic", "Islamic"
    # Coins outside the ancient world (a Numista or OpenNumismat collection often holds both): imported
    # as such, never refused nor forced into an ancient category.
    MODERN = "modern", "Modern and world"
    OTHER = "other", "Other"


class Metal(models.TextChoices):
    GOLD = "gold", "Gold (AV)"
    ELECTRUM = "electrum", "Electrum (EL)"
    SILVER = "silver", "Silver (AR)"
    BILLON = "billon", "Billon (BI)"
    ORICHALCUM = "orichalcum", "Orichalcum"
    BRASS = "brass", "Brass"
    BRONZE = "bronze", "Bronze (AE)"
    COPPER = "copper", "Copper (Cu)"
    POTIN = "potin", "Potin"
    LEAD = "lead", "Lead (PB)"
    OTHER = "other", "Other"


class GradingState(models.TextChoices):
    RAW = "raw", "Raw"
    SLABBED = "slabbed", "Slabbed"
    CAPSULE = "capsule", "In capsule"
    FLIP = "flip", "In flip"


class GradeService(models.TextChoices):
    NGC = "ngc", "NGC"
    PCGS = "pcgs", "PCGS"
    ICG = "icg", "ICG"
    ANACS = "anacs", "ANACS"


class ImageKind(models.TextChoices):
    OBVERSE = "obverse", "Obverse"
    REVERSE = "reverse", "Reverse"
    COMBINED = "combined", "Obverse and reverse"
    SLAB_FRONT = "slab_front", "Slab front"
    SLAB_BACK = "slab_back", "Slab back"
    DETAIL = "detail", "Detail"
    OTHER = "other", "Other"


class ProvenanceKind(models.TextChoices):
    AUCTION = "auction", "Auction"
    DEALER = "dealer", "Dealer"
    COLLECTION = "collection", "Collection"
    PRIVATE_SALE = "private_sale", "Private sale"
    PUBLICATION = "publication", "Publication"
    HOARD = "hoard", "Hoard"
    UNKNOWN = "unknown", "Unknown"


class SlotStatus(models.TextChoices):
    """Derived, never stored: see SeriesSlot.status."""

    EMPTY = "empty", "Empty"
    WANTED = "wanted", "Wanted"
    FILLED = "filled", "Filled"
    UPGRADE = "upgrade", "Marked for upgrade"


class Origin(models.TextChoices):
    """Where a coin's reference or provenance event came from. A re-import rewrites only what its sheet
    wrote ("import"); what was entered or edited in CoinStack ("app") is never touched by a sheet.
    "unknown": recorded before origins were kept; a re-import adopts such a row when the sheet holds
    exactly the same one, and otherwise leaves it alone."""

    IMPORT = "import", "From a spreadsheet"
    APP = "app", "Entered in CoinStack"
    UNKNOWN = "unknown", "Recorded before origins were kept"


class ImportSource(models.TextChoices):
    """The kind of file an import read (each has its own column profile and identity)."""

    SHEET = "sheet", "Spreadsheet"
    NUMISTA = "numista", "Numista export"
    OPENNUMISMAT = "opennumismat", "OpenNumismat collection"


class Disposal(models.TextChoices):
    """How a coin left the collection; blank while it is held."""

    SOLD = "sold", "Sold"
    TRADED = "traded", "Traded"
    GIFTED = "gifted", "Given away"
