"""Photos a collection program's file holds for its coins, stored as the new coins' images.

Each photo is measured before it is fetched (one bigger than COINSTACK_MAX_IMAGE_BYTES is never read)
and passes coinstack.security.validate_image_upload, the check every image that enters CoinStack
passes (real image content, an accepted format, no decompression bomb). Only coins the import
created get photos: a re-import leaves a coin's images, curated in the app since, alone. The first
stored photo (the obverse when there is one) is the coin's primary image.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from catalog.models import CoinImage
from coinstack.security import validate_image_upload

from .problems import WARNING, Problem

FORMAT_EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "TIFF": "tif"}


def attach_photos(coin_id: int, row: int, photos: list, reader, dry_run: bool) -> tuple[int, list[Problem]]:
    """Store `photos` (catalog.importing.opennumismat.Photo) of one new coin; returns how many were
    stored (or would be, in a dry run: checked by size only) and the problems, one per refused photo."""
    limit = int(settings.COINSTACK_MAX_IMAGE_BYTES)
    problems: list[Problem] = []
    stored = 0
    for photo in photos:
        if photo.size > limit:
            message = f"is {photo.size:,} bytes, more than the {limit:,} an image may have; not imported."
            problems.append(Problem(row, photo.column, f"photo {photo.photo_id}", message, WARNING))
            continue
        if dry_run:
            stored += 1
            continue
        data = reader.photo(photo, limit)
        content = ContentFile(data or b"")  # no name: the format is judged by content alone
        try:
            image_format = validate_image_upload(content)
        except ValidationError as exc:
            message = f"is not an image we accept ({' '.join(exc.messages)}); not imported."
            problems.append(Problem(row, photo.column, f"photo {photo.photo_id}", message, WARNING))
            continue
        content.seek(0)
        image = CoinImage(coin_id=coin_id, kind=photo.kind, is_primary=stored == 0, position=stored)
        image.image.save(f"{photo.column}.{FORMAT_EXTENSIONS.get(image_format, 'img')}", content, save=False)
        image.save()
        stored += 1
    return stored, problems
