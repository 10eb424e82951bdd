"""Typed scraping errors. Each message is a plain sentence naming the URL, fit to print to a user."""

from __future__ import annotations

SAVE_PAGE_ADVICE = (
    "Open the page in your browser, save it (File > Save Page As, 'HTML only'), then run: "
    "manage.py scrape --from-file PAGE.html --url {url}"
)


class FetchError(Exception):
    """Base class: anything that stopped a page from being fetched."""

    def __init__(self, url: str, message: str) -> None:
        self.url = url
        super().__init__(message)


class Blocked(FetchError):
    """The site refused us (401, 403, a bot wall such as a Cloudflare challenge)."""

    def __init__(self, url: str, reason: str) -> None:
        advice = SAVE_PAGE_ADVICE.format(url=url)
        super().__init__(url, f"{url}: blocked by the site ({reason}). {advice}")


class NotFound(FetchError):
    """404 or 410: the lot was removed or the URL is wrong."""


class FetchTimeout(FetchError):
    """The server did not answer (connect or read) within the configured timeout."""


class TooLarge(FetchError):
    """The response was bigger than the size limit; we stopped reading."""


class RefusedAddress(FetchError):
    """The host resolves to a loopback, private, link-local, reserved or multicast address."""


class DisallowedByRobots(FetchError):
    """The site's robots.txt asks robots not to fetch this URL."""


class BadScheme(FetchError):
    """Only http and https URLs are fetched."""


class LinkedToAnotherCoin(Exception):
    """The lot is already linked to another coin: it is moved only when the user says so (--relink)."""

    def __init__(self, url: str, message: str) -> None:
        self.url = url
        super().__init__(message)
