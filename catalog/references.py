"""One way to store a parsed citation, shared by the importer, the scrapers and the generator.

`volume` keeps the main volume only ("IV" of "RIC IV.2 254c"): comparable lots are found by
(system, volume, number), and houses cite the same type with and without the part. The full,
normalised citation is kept in `citation_text` for display and export, and the text as written
in `raw_text`.
"""

from catalog.parsing.references import Citation


def reference_fields(citation: Citation, *, is_cf: bool | None = None) -> dict:
    """Model field values for catalog.Reference or auctions.LotReference (without coin/lot/position)."""
    return {
        "system": citation.system[:40],
        "volume": citation.volume[:40],
        "number": citation.number[:40],
        "variant": citation.variant[:20],
        "raw_text": (citation.raw or citation.display())[:300],
        "citation_text": citation.display()[:200],
        "is_cf": citation.is_cf if is_cf is None else (is_cf or citation.is_cf),
    }
