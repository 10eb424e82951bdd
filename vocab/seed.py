"""Load CoinStack's curated starting vocabulary (numismatics/data/*.json) into the vocabulary tables.

The JSON files are written by hand for this project: issuers from Julius Caesar to Anastasius plus
the Greek kings and cities collectors meet most, the main mints, and the common denominations. The
description parser reads the same names (numismatics.names), so there is one list of each.
Loading is idempotent: terms are matched on their match key (case, accents and punctuation
ignored), so a second run creates nothing. An existing term is never overwritten, only its blank
fields are filled: curators edit these tables in the admin and a re-run must not undo their work.
Everything happens in one transaction, so a bad row leaves the tables as they were.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from django.db import models, transaction

from numismatics.names import read_vocabulary

from .models import Denomination, DenominationAlias, Issuer, IssuerAlias, Mint, MintAlias
from .normalize import match_key

# file name -> (term model, alias model, the fields the file fills besides name and nomisma id)
VOCABULARIES: dict[str, tuple[type[models.Model], type[models.Model], tuple[str, ...]]] = {
    "issuers": (Issuer, IssuerAlias, ("kind", "reign_start", "reign_end", "dynasty")),
    "mints": (Mint, MintAlias, ("latitude", "longitude", "active_start", "active_end")),
    # The denomination files also carry metal, weight and diameter ranges; the model has no columns
    # for them (they are the synthetic-collection generator's data), so they are not loaded.
    "denominations": (Denomination, DenominationAlias, ()),
}


def _is_blank(value: Any) -> bool:
    return value is None or value == ""


def _load_one(
    rows: list[dict[str, Any]],
    model: type[models.Model],
    alias_model: type[models.Model],
    fields: tuple[str, ...],
    counts: Counter,
    stdout: TextIO | None,
) -> None:
    terms = {term.match_key: term for term in model.objects.all()}
    alias_targets = dict(alias_model.objects.values_list("match_key", "target_id"))
    by_id = {term.pk: term for term in terms.values()}
    label = model._meta.verbose_name

    pending_aliases: list[tuple[models.Model, list[str]]] = []
    for row in rows:
        key = match_key(row["name"])
        values = {field: row.get(field) for field in fields}
        values["nomisma_id"] = row.get("nomisma", "")
        term = terms.get(key)
        if term is None and key in alias_targets:
            # A curator already filed this name as another spelling of a term: that term is it.
            term = by_id.get(alias_targets[key])
        if term is None:
            term = model(name=row["name"], **values)
            term.save()
            terms[term.match_key] = term
            by_id[term.pk] = term
            counts["created"] += 1
        else:
            blanks = [f for f, v in values.items() if _is_blank(getattr(term, f)) and not _is_blank(v)]
            for field in blanks:
                setattr(term, field, values[field])
            if blanks:
                term.save(update_fields=blanks)
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        pending_aliases.append((term, row.get("aliases", [])))

    new_aliases = []
    for term, aliases in pending_aliases:
        for alias in aliases:
            name = " ".join(alias.split())
            key = match_key(name)
            if not key or key == term.match_key:
                continue  # "Æ3" for AE3: the name itself already matches
            owner = alias_targets.get(key)
            if owner == term.pk:
                counts["aliases_unchanged"] += 1
                continue
            if owner is not None or (key in terms and terms[key].pk != term.pk):
                # An alias that names two terms would make resolving ambiguous; keep the first.
                counts["aliases_skipped"] += 1
                if stdout is not None:
                    stdout.write(f"Skipped {label} alias {name!r} for {term.name}: it names another term.\n")
                continue
            alias_targets[key] = term.pk
            new_aliases.append(alias_model(name=name, match_key=key, target=term))
    # bulk_create skips Alias.save(), which is why name and match_key are normalised above.
    alias_model.objects.bulk_create(new_aliases)
    counts["aliases_created"] += len(new_aliases)


def load_vocabulary(stdout: TextIO | None = None, data_dir: Path | None = None) -> dict[str, int]:
    """Upsert issuers, mints and denominations with their aliases; return what happened.

    The result has created / updated / unchanged term counts, aliases_created / aliases_unchanged /
    aliases_skipped, and the number of rows read per vocabulary ("issuers", "mints", "denominations").
    """
    counts: Counter = Counter()
    with transaction.atomic():
        for name, (model, alias_model, fields) in VOCABULARIES.items():
            rows = read_vocabulary(name, data_dir)
            counts[name] = len(rows)
            _load_one(rows, model, alias_model, fields, counts, stdout)
    keys = (
        "issuers",
        "mints",
        "denominations",
        "created",
        "updated",
        "unchanged",
        "aliases_created",
        "aliases_unchanged",
        "aliases_skipped",
    )
    return {key: counts[key] for key in keys}
