"""Coin types for the apps: a stored citation resolved against the type table and linked to its
`CoinType`, and types suggested for what a coin or a lot says.

The one entry point the importer, the scraping store and the admin share is `resolve_reference()`
(or a `TypeLinker` when many references are resolved in one run: it looks each URI up once). It
takes any object with the citation fields of catalog's Citation (a coin's Reference, a lot's
LotReference) and what is known of the coin, as vocabulary terms or as text; it sets the object's
`type` (and `type_uri` where the model has one) and says what it did. Nothing is saved here.

vocab imports no other app, so coins and lots come in as plain values, never as models.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from numismatics.description import LotDescription
from numismatics.references import Citation, parse_references, type_uri
from numismatics.types.context import MATERIALS, TypeContext, context_from_description, lookup
from numismatics.types.legends import legend_runs
from numismatics.types.resolve import NOT_A_TYPE, RESOLVED, Resolution, is_type_citation, resolve
from numismatics.types.sections import issuer_key
from numismatics.types.spellings import find_issuer, find_mints
from numismatics.types.suggest import Suggestion, suggester

from .models import CoinType


@dataclass
class Linked:
    """What resolving one stored citation did."""

    resolution: Resolution | None
    coin_type: CoinType | None = None
    problem: str = ""  # "RIC II 9999: no such type in OCRE", for the importer's and the admin's report

    @property
    def linked(self) -> bool:
        return self.coin_type is not None


def _term_key(term, vocabulary: str) -> str:
    """A vocabulary term (model instance) or a name as written -> the key the type table uses."""
    if term is None or term == "":
        return ""
    if hasattr(term, "nomisma_id"):
        if vocabulary == "issuers":
            return issuer_key(term.nomisma_id, term.name)
        return term.nomisma_id or lookup(vocabulary, term.name)
    text = str(term)
    found = lookup(vocabulary, text)
    if not found and vocabulary == "issuers":
        found = find_issuer(text)
    if not found and vocabulary == "mints":
        mints = find_mints(text)
        found = mints[0] if len(mints) == 1 else ""
    return found


def context_for(
    *,
    issuer=None,
    mint=None,
    denomination=None,
    metal: str = "",
    year_start: int | None = None,
    year_end: int | None = None,
    obverse_legend: str = "",
    reverse_legend: str = "",
) -> TypeContext:
    """What is known of a coin, from vocabulary terms (Issuer, Mint, Denomination) or names as text."""
    issuer_name = getattr(issuer, "name", issuer) or ""
    return TypeContext(
        issuer=_term_key(issuer, "issuers"),
        issuer_name=str(issuer_name),
        mint=_term_key(mint, "mints"),
        denomination=_term_key(denomination, "denominations"),
        material=MATERIALS.get(metal or "", ""),
        year_start=year_start,
        year_end=year_end,
        obverse_legend=" ".join(legend_runs(obverse_legend)) or obverse_legend,
        reverse_legend=" ".join(legend_runs(reverse_legend)) or reverse_legend,
    )


def context_for_lot(described: LotDescription, text: str) -> TypeContext:
    """What a lot's description says (parse_description's reading of it)."""
    return context_from_description(described, text)


def citation_of(reference) -> Citation | None:
    """The structured citation of a stored reference (its normalised text, else as written)."""
    for text in (reference.citation_text, reference.raw_text):
        for citation in parse_references(text or ""):
            if citation.system == (reference.system or citation.system):
                return Citation(**{**citation.__dict__, "is_cf": bool(reference.is_cf)})
    return None


@dataclass
class TypeLinker:
    """Resolves and links the references of one run (an import, a scrape), caching URI lookups."""

    _types: dict[str, CoinType | None] = field(default_factory=dict)
    _loaded: bool | None = None

    def coin_type(self, uri: str) -> CoinType | None:
        if uri not in self._types:
            self._types[uri] = CoinType.objects.filter(uri=uri).first()
        return self._types[uri]

    def types_loaded(self) -> bool:
        """Whether load_types has filled the table at all (before it, no citation links a row)."""
        if self._loaded is None:
            self._loaded = CoinType.objects.exists()
        return self._loaded

    def prefetch(self, uris) -> None:
        wanted = [uri for uri in uris if uri and uri not in self._types]
        found = {t.uri: t for t in CoinType.objects.filter(uri__in=wanted)}
        for uri in wanted:
            self._types[uri] = found.get(uri)

    def resolve_reference(self, reference, context: TypeContext | None = None, **coin) -> Linked:
        """Resolve one stored citation and set `reference.type` (and `reference.type_uri` where the
        model has it); `coin` takes context_for()'s keywords when no context is given."""
        context = context or context_for(**coin)
        citation = citation_of(reference)
        has_uri = hasattr(reference, "type_uri")
        if citation is None or not is_type_citation(citation):
            reference.type = None
            if has_uri:
                # RPC and other catalogues have no table here; RPC Online's URIs are plain numbers.
                uri = type_uri(citation) if citation is not None and citation.system == "RPC" else None
                reference.type_uri = (uri or "")[:300]
            return Linked(None)
        resolution = resolve(citation, context)
        coin_type = self.coin_type(resolution.uri) if resolution.uri else None
        reference.type = coin_type
        if has_uri:
            reference.type_uri = (resolution.uri or "")[:300]
        problem = ""
        if resolution.status != RESOLVED and resolution.status != NOT_A_TYPE:
            problem = resolution.message
        elif resolution.uri and coin_type is None and self.types_loaded():
            # The shipped table has it and the database not: a table newer than the last load_types.
            problem = f"{resolution.text}: {resolution.uri} is not loaded yet (run manage.py load_types)"
        return Linked(resolution, coin_type, problem)


def resolve_reference(reference, *, issuer=None, mint=None, **coin) -> Linked:
    """Resolve one stored citation against the type table and link it (see TypeLinker)."""
    return TypeLinker().resolve_reference(reference, issuer=issuer, mint=mint, **coin)


def suggest_types(context: TypeContext, limit: int = 5) -> list[tuple[Suggestion, CoinType | None]]:
    """The best types for a coin without a resolvable citation, each with its CoinType row."""
    suggestions = suggester().suggest(context, limit=limit)
    rows = {t.uri: t for t in CoinType.objects.filter(uri__in=[s.uri for s in suggestions])}
    return [(s, rows.get(s.uri)) for s in suggestions]
