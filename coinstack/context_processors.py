"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest

from coinstack.privacy import can_see_private


def privacy(request: HttpRequest) -> dict:
    """`show_private`: whether this visitor may see prices paid, sources, storage and notes.

    Templates test this one flag instead of repeating the rule (coinstack.privacy).
    """
    return {
        "show_private": can_see_private(request),
        "public_browsing": settings.COINSTACK_PUBLIC_BROWSING,
    }
