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


class CoinTypeQuerySet(models.QuerySet):
    def main(self):
        """Types as the catalogues number them, without OCRE's finer subdivisions ("2A: Subtype iii")."""
        return self.filter(is_subtype=False)

    def in_catalogue_order(self):
        return self.order_by("corpus", "volume_key", "section", "sort_number", "uri")


class CoinType(models.Model):
    """One type of Roman Imperial Coinage (OCRE) or of Crawford's Roman Republican Coinage (CRRO).

    Loaded from the tables shipped in numismatics/data/types/ (ODbL 1.0, © American Numismatic
    Society) by `manage.py load_types`, which keeps each row's id: references and series slots point
    here with PROTECT, and load_types never deletes a type. Denomination, material, authority, mint
    and region are nomisma ids as the table gives them; `issuer`, `mint` and `denomination` link the
    vocabulary's terms with the same nomisma id, where there is one.
    """

    class Corpus(models.TextChoices):
        OCRE = "ocre", "OCRE (Roman Imperial Coinage)"
        CRRO = "crro", "CRRO (Roman Republican Coinage)"

    uri = models.URLField("URI", max_length=200)
    corpus = models.CharField(max_length=4, choices=Corpus.choices)
    label = models.CharField(max_length=200)
    # The number the type has in its catalogue, as collectors cite it: "RIC", volume "I²", section
    # "Augustus" (RIC VI-IX: the mint, "Londinium"), number "207"; "RRC", "", "", "335/1c".
    catalogue = models.CharField(max_length=10)
    volume = models.CharField(max_length=20, blank=True, help_text='As printed: "I²", "II.1²", "VI".')
    volume_key = models.CharField(max_length=20, blank=True, editable=False, help_text='OCRE\'s: "1(2)".')
    section = models.CharField(max_length=100, blank=True, help_text="The emperor (RIC I-V, X) or mint.")
    number = models.CharField(max_length=40)
    sort_number = models.CharField(max_length=60, editable=False)  # the number, its digits zero-padded
    is_subtype = models.BooleanField(default=False, help_text="One of OCRE's subdivisions of a number.")
    denomination_nomisma = models.CharField("denomination (nomisma)", max_length=60, blank=True)
    material = models.CharField("material (nomisma)", max_length=20, blank=True)
    authority_nomisma = models.CharField("authority (nomisma)", max_length=60, blank=True)
    mint_nomisma = models.CharField("mint (nomisma)", max_length=60, blank=True)
    region_nomisma = models.CharField("region (nomisma)", max_length=60, blank=True)
    issuer = models.ForeignKey(
        Issuer, on_delete=models.SET_NULL, null=True, blank=True, related_name="coin_types", db_index=False
    )
    mint = models.ForeignKey(
        Mint, on_delete=models.SET_NULL, null=True, blank=True, related_name="coin_types", db_index=False
    )
    denomination = models.ForeignKey(
        Denomination,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coin_types",
        db_index=False,
    )
    obverse_legend = models.CharField(max_length=300, blank=True)
    reverse_legend = models.CharField(max_length=300, blank=True)
    year_start = models.IntegerField(null=True, blank=True, help_text="Signed year, BC negative (CRRO).")
    year_end = models.IntegerField(null=True, blank=True, help_text="Signed year, BC negative (CRRO).")

    objects = CoinTypeQuerySet.as_manager()

    class Meta:
        ordering = ["corpus", "volume_key", "section", "sort_number", "uri"]
        constraints = [
            # load_types upserts and resolution links by URI: one row per type.
            models.UniqueConstraint(fields=["uri"], name="cointype_uri_unique"),
            models.CheckConstraint(
                condition=models.Q(corpus__in=["ocre", "crro"]), name="cointype_corpus_known"
            ),
            # Series and the coin page show CRRO's dates as ranges; they must run forward, without year 0.
            models.CheckConstraint(
                condition=models.Q(year_start__isnull=True)
                | models.Q(year_end__isnull=True)
                | models.Q(year_start__lte=models.F("year_end")),
                name="cointype_years_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(year_start=0) & ~models.Q(year_end=0), name="cointype_no_year_zero"
            ),
        ]
        indexes = [
            # "Every Rome-mint denarius type of Trajan": the admin's filters and series from types.
            models.Index(
                fields=["authority_nomisma", "mint_nomisma", "denomination_nomisma"], name="cointype_kind_idx"
            ),
            models.Index(fields=["issuer", "mint", "denomination"], name="cointype_vocab_idx"),
            # The admin's list in catalogue order.
            models.Index(
                fields=["corpus", "volume_key", "section", "sort_number"], name="cointype_order_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        """ "RIC I² 207", "RIC VI Londinium 100", "Crawford 335/1c"."""
        if self.corpus == self.Corpus.CRRO:
            return f"Crawford {self.number}"
        words = ["RIC", self.volume]
        if self.volume in {"VI", "VII", "VIII", "IX"}:
            words.append(self.section)
        words.append(self.number)
        return " ".join(word for word in words if word)

    @property
    def catalogue_name(self) -> str:
        return "OCRE" if self.corpus == self.Corpus.OCRE else "CRRO"

    def clean(self):
        super().clean()
        if 0 in (self.year_start, self.year_end):
            raise ValidationError("There is no year 0: 1 BC is followed by AD 1.")
        if self.year_start is not None and self.year_end is not None and self.year_start > self.year_end:
            raise ValidationError({"year_end": "The date range cannot end before it starts."})
