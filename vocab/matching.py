"""Turn a name typed in a spreadsheet into a vocabulary term, creating it when nothing matches.

Resolution is exactly `VocabQuerySet.resolve()` (canonical name or alias, ignoring case, accents and
punctuation), so "Septimius Severus " is "Septimius Severus" and "Cyzikos" is "Cyzicus" when that alias
exists. A name that resolves to nothing becomes a new term flagged `needs_review`, so a curator can
merge it later; near spellings ("Fllis" for Follis) are offered as suggestions, never applied: a typo
guess that is wrong would silently file a coin under another denomination.

One `VocabMatcher` serves one import run. It caches every answer by match key, so a 10,000-row file
with fifty distinct emperors costs fifty lookups, not 10,000.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.db import models

from .normalize import match_key

# How close a spelling must be to count as "did you mean"; 0.8 catches one dropped or swapped letter
# in a short word ("Fllis"/"Follis" is 0.91) without pairing distinct rulers ("Galerius"/"Gallienus").
SUGGESTION_CUTOFF = 0.8
MAX_SUGGESTIONS = 3


@dataclass
class Match:
    """The outcome of matching one name."""

    term: models.Model | None
    created: bool = False
    suggestions: list[str] = field(default_factory=list)


class VocabMatcher:
    """Resolve-or-create for one vocabulary model (Issuer, Mint or Denomination), cached for one run."""

    def __init__(self, model: type[models.Model], *, create: bool = True) -> None:
        self.model = model
        self.create = create
        self._by_key: dict[str, Match] = {}
        # Spellings known to the vocabulary (names and aliases) by match key -> canonical name; loaded
        # lazily, only when a name fails to resolve and suggestions are wanted.
        self._known: dict[str, str] | None = None
        self.created_terms: list[models.Model] = []
        self._misses: set[str] = set()  # keys lookup() found nothing for (match() may create them)

    def _known_spellings(self) -> dict[str, str]:
        if self._known is None:
            known = dict(self.model.objects.values_list("match_key", "name"))
            alias_model = self.model.aliases.rel.related_model
            for key, name in alias_model.objects.values_list("match_key", "target__name"):
                known.setdefault(key, name)
            self._known = known
        return self._known

    def suggestions_for(self, name: str) -> list[str]:
        """Canonical names whose name or alias is spelled nearly like `name` (closest first)."""
        key = match_key(name)
        known = self._known_spellings()
        close = difflib.get_close_matches(
            key, [k for k in known if k != key], MAX_SUGGESTIONS, SUGGESTION_CUTOFF
        )
        names: list[str] = []
        for candidate in close:
            if known[candidate] not in names:
                names.append(known[candidate])
        return names

    def match(self, name: str | None) -> Match:
        """The term for `name`; created with needs_review (and suggestions) when nothing matches."""
        display = " ".join((name or "").split())
        key = match_key(display)
        if not key:
            return Match(None)
        cached = self._by_key.get(key)
        if cached is not None:
            # Later rows naming a term this run created are not "created" again, but keep its suggestions.
            return Match(cached.term, created=False, suggestions=cached.suggestions)
        term = self.model.objects.resolve(display)
        result = Match(term)
        if term is None:
            result.suggestions = self.suggestions_for(display)
            if self.create:
                term = self.model(name=display, needs_review=True)
                term.save()
                self.created_terms.append(term)
                result = Match(term, created=True, suggestions=result.suggestions)
                self._known_spellings()[key] = display
        self._by_key[key] = result
        return result

    def lookup(self, name: str | None) -> models.Model | None:
        """The existing term for `name`, or None; never creates (cached like match())."""
        key = match_key(name)
        if not key:
            return None
        cached = self._by_key.get(key)
        if cached is not None:
            return cached.term
        if key not in self._misses:
            term = self.model.objects.resolve(name)
            if term is not None:
                self._by_key[key] = Match(term)
                return term
            self._misses.add(key)
        return None

    def forget(self, term: models.Model) -> None:
        """Drop a term created in a transaction that was rolled back, so it is not handed out again."""
        key = match_key(term.name)
        self._by_key.pop(key, None)
        if self._known is not None:
            self._known.pop(key, None)
        self.created_terms = [t for t in self.created_terms if t is not term]

    def term_by_pk(self, pk: int) -> models.Model | None:
        """The cached term object with this primary key, if this run handed it out."""
        for cached in self._by_key.values():
            if cached.term is not None and cached.term.pk == pk:
                return cached.term
        return None


def resolve_or_create(model: type[models.Model], name: str) -> Match:
    """One-off convenience (admin actions, shell): match a single name without a shared cache."""
    return VocabMatcher(model).match(name)
