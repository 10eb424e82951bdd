"""Controlled vocabularies: who issued a coin, where it was struck, what denomination it is.

Coins point at these terms with PROTECT, so a term in use cannot vanish; curators merge duplicates
in the admin instead. Each term has aliases, and all matching goes through `match_key`, which
ignores case and accents.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from .normalize import match_key


class IssuerKind(models.TextChoices):
    EMPEROR = "emperor", "Emperor"
    EMPRESS = "empress", "Empress"
    CAESAR = "caesar", "Caesar"
    USURPER = "usurper", "Usurper"
    KING = "king", "King"
    QUEEN = "queen", "Queen"
    CITY = "city", "City"
    MAGISTRATE = "magistrate", "Magistrate"
    MONEYER = "moneyer", "Moneyer"
    OTHER = "other", "Other"


class VocabQuerySet(models.QuerySet):
    def resolve(self, name: str):
        """The term whose canonical name or alias matches `name` (ignoring case and accents), or None."""
        key = match_key(name)
        if not key:
            return None
        term = self.filter(match_key=key).first()
        if term is None:
            term = self.filter(aliases__match_key=key).first()
        return term


class VocabTerm(models.Model):
    """What every vocabulary term has: a canonical name, its match key, a nomisma id, review state."""

    name = models.CharField("canonical name", max_length=200)
    # Derived from name on save; an indexed column makes "resolve this spelling" one index lookup.
    match_key = models.CharField(max_length=200, editable=False)
    nomisma_id = models.CharField(
        "nomisma id",
        max_length=100,
        blank=True,
        help_text='The id at nomisma.org, e.g. "augustus" for http://nomisma.org/id/augustus.',
    )
    needs_review = models.BooleanField(
        default=False, help_text="Created by an import because no known term matched; check and merge."
    )
    notes = models.TextField(blank=True)

    objects = VocabQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.match_key = match_key(self.name)
        super().save(*args, **kwargs)

    @property
    def nomisma_uri(self) -> str:
        return f"http://nomisma.org/id/{self.nomisma_id}" if self.nomisma_id else ""

    def clean(self):
        super().clean()
        key = match_key(self.name)
        clash = type(self).objects.filter(match_key=key).exclude(pk=self.pk)
        if key and clash.exists():
            raise ValidationError({"name": f'"{clash.first().name}" already exists (names ignore case).'})


class Issuer(VocabTerm):
    kind = models.CharField(max_length=20, choices=IssuerKind.choices, default=IssuerKind.EMPEROR)
    reign_start = models.IntegerField(null=True, blank=True, help_text="Signed year, BC negative.")
    reign_end = models.IntegerField(null=True, blank=True, help_text="Signed year, BC negative.")
    dynasty = models.CharField(max_length=100, blank=True)

    class Meta(VocabTerm.Meta):
        constraints = [
            # The importer and the admin rely on one issuer per name whatever its case.
            models.UniqueConstraint(Lower("name"), name="issuer_name_unique_ci"),
            # Names that differ only by accents or punctuation are one term; resolving relies on it.
            models.UniqueConstraint(fields=["match_key"], name="issuer_match_key_unique"),
            # Type URIs are built from nomisma ids; two issuers with one id would be one authority.
            models.UniqueConstraint(
                fields=["nomisma_id"], condition=~models.Q(nomisma_id=""), name="issuer_nomisma_unique"
            ),
            # Reign filters and the generator assume a forward range with no year 0.
            models.CheckConstraint(
                condition=models.Q(reign_start__isnull=True)
                | models.Q(reign_end__isnull=True)
                | models.Q(reign_start__lte=models.F("reign_end")),
                name="issuer_reign_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(reign_start=0) & ~models.Q(reign_end=0), name="issuer_reign_no_year_zero"
            ),
        ]
        indexes = [
            # Issuer pages and the coin list's issuer facet sort and look up by canonical name.
            models.Index(fields=["name"], name="issuer_name_idx"),
        ]

    def clean(self):
        super().clean()
        if 0 in (self.reign_start, self.reign_end):
            raise ValidationError("There is no year 0: 1 BC is followed by AD 1.")
        if self.reign_start is not None and self.reign_end is not None and self.reign_start > self.reign_end:
            raise ValidationError({"reign_end": "The reign cannot end before it starts."})


class Mint(VocabTerm):
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    active_start = models.IntegerField(null=True, blank=True, help_text="Signed year, BC negative.")
    active_end = models.IntegerField(null=True, blank=True, help_text="Signed year, BC negative.")

    class Meta(VocabTerm.Meta):
        constraints = [
            # One mint per name whatever its case: the importer's matching depends on it.
            models.UniqueConstraint(Lower("name"), name="mint_name_unique_ci"),
            # Names that differ only by accents or punctuation are one term; resolving relies on it.
            models.UniqueConstraint(fields=["match_key"], name="mint_match_key_unique"),
            models.UniqueConstraint(
                fields=["nomisma_id"], condition=~models.Q(nomisma_id=""), name="mint_nomisma_unique"
            ),
            # Maps place mints by these; out-of-range values are typing errors.
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="mint_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="mint_longitude_range",
            ),
        ]
        indexes = [
            # Mint pages and the mint facet sort and look up by canonical name.
            models.Index(fields=["name"], name="mint_name_idx"),
        ]


class Denomination(VocabTerm):
    class Meta(VocabTerm.Meta):
        constraints = [
            models.UniqueConstraint(Lower("name"), name="denomination_name_unique_ci"),
            # Names that differ only by accents or punctuation are one term; resolving relies on it.
            models.UniqueConstraint(fields=["match_key"], name="denomination_match_key_unique"),
        ]


class Alias(models.Model):
    """Another spelling of a term. Abstract: each vocabulary has its own alias table."""

    name = models.CharField(max_length=200)
    match_key = models.CharField(max_length=200, editable=False)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.match_key = match_key(self.name)
        super().save(*args, **kwargs)


def _alias_meta(target: str) -> type:
    class Meta(Alias.Meta):
        constraints = [
            # An alias names one term only, else "resolve" would be ambiguous (unique per target, and
            # the match key unique across the table).
            models.UniqueConstraint(fields=["match_key"], name=f"{target}_alias_key_unique"),
        ]
        indexes = [
            # Every import row resolves its names through this lookup.
            models.Index(fields=["match_key", "target"], name=f"{target}_alias_lookup_idx"),
        ]
        verbose_name_plural = f"{target} aliases"

    return Meta


class IssuerAlias(Alias):
    target = models.ForeignKey(Issuer, on_delete=models.CASCADE, related_name="aliases")
    Meta = _alias_meta("issuer")


class MintAlias(Alias):
    target = models.ForeignKey(Mint, on_delete=models.CASCADE, related_name="aliases")
    Meta = _alias_meta("mint")


class DenominationAlias(Alias):
    target = models.ForeignKey(Denomination, on_delete=models.CASCADE, related_name="aliases")
    Meta = _alias_meta("denomination")
