"""Image helpers: small thumbnails for lists, so a page of 48 coins never ships 48 full-size photos."""

import io
import uuid

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

THUMBNAIL_SIZE = (320, 320)


def make_thumbnail(source, size: tuple[int, int] = THUMBNAIL_SIZE) -> ContentFile:
    """A JPEG thumbnail of an image file (path, file object or FieldFile), orientation applied."""
    with Image.open(source) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(size)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
