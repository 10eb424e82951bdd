"""Backups that authenticate themselves: the manifest is signed with a key of this installation.

The key is an HMAC-SHA256 key derived from SECRET_KEY (Django's salted_hmac, with a salt of our
own), not a key file kept beside the backups: whoever can rewrite a backup folder could read a key
stored there and sign the forgery, while SECRET_KEY lives in the app's environment, not in the
backups. The manifest holds the SHA-256 of the database file and of every media file, so the one
signature covers the data as well as the manifest.

Consequences, also in the README: a backup made by another installation (another SECRET_KEY) is
refused unless the restore is told --allow-foreign; when SECRET_KEY changes, older backups count as
foreign, except under a key kept in Django's SECRET_KEY_FALLBACKS. Backups of format 1 (made before
signing) carry no signature and are refused the same way.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

if TYPE_CHECKING:
    from .manifest import Manifest

_SIGNATURE_SALT = "coinstack.ops.backups.manifest"
_KEY_ID_SALT = "coinstack.ops.backups.key-id"


def _secrets() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def key_id(secret: str | None = None) -> str:
    """A short public name for a key: equal ids mean the same key, and it reveals nothing of it."""
    secret = settings.SECRET_KEY if secret is None else secret
    return salted_hmac(_KEY_ID_SALT, "", secret=secret, algorithm="sha256").hexdigest()[:16]


def _signature(manifest: "Manifest", secret: str) -> str:
    return salted_hmac(
        _SIGNATURE_SALT, manifest.signed_content(), secret=secret, algorithm="sha256"
    ).hexdigest()


def sign(manifest: "Manifest") -> None:
    manifest.signed_by = key_id()
    manifest.signature = _signature(manifest, settings.SECRET_KEY)


def signed_here(manifest: "Manifest") -> bool:
    return any(
        constant_time_compare(_signature(manifest, secret), manifest.signature) for secret in _secrets()
    )


def signature_problem(manifest: "Manifest") -> str | None:
    """Why this installation cannot vouch for the backup, or None when its signature is ours."""
    if not manifest.signature:
        return "it is not signed (it was made before CoinStack signed its backups)"
    if signed_here(manifest):
        return None
    if manifest.signed_by in {key_id(secret) for secret in _secrets()}:
        return "its manifest or data was changed after it was made (the signature does not match)"
    return (
        "it was made by another installation, or before SECRET_KEY changed "
        "(it is not signed with this installation's key)"
    )


def is_tampered_own(manifest: "Manifest") -> bool:
    """Signed by a key id of ours, yet the signature fails: altered, never a backup from elsewhere.

    --allow-foreign does not cover this case: a foreign backup cannot carry our key id by accident.
    """
    return (
        bool(manifest.signature)
        and not signed_here(manifest)
        and manifest.signed_by in {key_id(secret) for secret in _secrets()}
    )
