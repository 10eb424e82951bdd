"""Every row of the collection and market tables, field by field, with each stored file's content
hash: what "the same collection" means in the archive tests.

Independent of the archive code: it lists the apps' models itself and reads values as the ORM gives
them (Decimals, aware datetimes, dicts), so an encoding loss in the archive cannot hide here.
`python -m catalog.tests.archive_snapshot OUT` writes it (pickled) for another process, another backend.
"""

import hashlib
import os
import pickle
import sys

APPS = ("vocab", "catalog", "auctions")


def archived_models():
    from django.apps import apps

    return [model for label in APPS for model in apps.get_app_config(label).get_models()]


def _file(storage, name: str):
    if not name:
        return ("", None)
    if not storage.exists(name):
        return (name, "missing")
    with storage.open(name, "rb") as handle:
        return (name, hashlib.sha256(handle.read()).hexdigest())


def snapshot() -> dict:
    from django.core.files.storage import default_storage
    from django.db import models

    result = {}
    for model in archived_models():
        fields = model._meta.concrete_fields
        rows = {}
        for obj in model.objects.order_by("pk"):
            values = {}
            for field in fields:
                value = getattr(obj, field.attname)
                if isinstance(field, models.FileField):
                    value = _file(default_storage, value.name)
                values[field.attname] = value
            rows[obj.pk] = values
        result[model._meta.label] = rows
    return result


def differences(before: dict, after: dict, limit: int = 20) -> list[str]:
    """Readable differences, for assertion messages."""
    found = []
    for label in sorted(set(before) | set(after)):
        old, new = before.get(label, {}), after.get(label, {})
        if old.keys() != new.keys():
            found.append(f"{label}: ids only before {sorted(old.keys() - new.keys())[:5]}, only after "
                         f"{sorted(new.keys() - old.keys())[:5]}")  # fmt: skip
        for pk in sorted(old.keys() & new.keys()):
            for name, value in old[pk].items():
                if new[pk].get(name) != value:
                    found.append(f"{label} {pk} {name}: {value!r} -> {new[pk].get(name)!r}")
        if len(found) >= limit:
            break
    return found[:limit]


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coinstack.settings")
    django.setup()
    with open(sys.argv[1], "wb") as out:
        pickle.dump(snapshot(), out)
