"""Security middleware and helpers: private by default, strict browser policy, careful with uploads.

Three ideas live here, each small:
- `PrivateByDefaultMiddleware`: every page needs a logged-in user, except the login page, static
  files and (with COINSTACK_PUBLIC_BROWSING on) read-only GETs of the browsing pages.
- `SecurityHeadersMiddleware`: a Content-Security-Policy without 'unsafe-inline', plus headers
  Django's SecurityMiddleware does not send.
- Validators for what users hand us: images (opened with Pillow, never trusted by name), and file
  paths for spreadsheets and backups (only inside the folders they belong to).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import resolve_url
from django.urls import reverse

# --- Access ---------------------------------------------------------------------------------------

# The browsing pages anonymous visitors may read when COINSTACK_PUBLIC_BROWSING is on. An allow-list
# of exact shapes, so a new page (an edit form, an export, the importer) is private until someone
# decides otherwise. The lead can extend it with the COINSTACK_PUBLIC_PATHS setting.
DEFAULT_PUBLIC_PATHS: tuple[str, ...] = (
    r"^/$",
    r"^/coins/$",
    r"^/coins/\d+/$",
    r"^/issuers/$",
    r"^/issuers/[-\w]+/$",
    r"^/mints/$",
    r"^/mints/[-\w]+/$",
    r"^/series/$",
    r"^/series/[-\w]+/$",
    r"^/stats/$",
    r"^/auctions/$",
    r"^/auctions/\d+/$",
)

# The parts a page asks for in a second request are exactly as public as the page: a list's facets
# endpoint (`/coins/facets/`, `/issuers/3/facets/`: its facet counts, coinstack.listing) and a coin's
# lots endpoint (`/coins/5/lots/`: its lots and value, catalog.coin_lots) are open when the page's path
# (the same path without the ending) is, whatever the allow-list, so a visitor who may read the page
# is never sent to the login page for a part of it.
PART_SUFFIXES = ("facets/", "lots/")

# Never public, whatever the allow-list says: they reveal or change the whole collection.
NEVER_PUBLIC_PREFIXES: tuple[str, ...] = ("/export", "/import", "/admin/", "/backup")

SAFE_METHODS = frozenset({"GET", "HEAD"})


def _compiled(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    return [re.compile(p) for p in patterns]


class PrivateByDefaultMiddleware:
    """Send anonymous visitors to the login page unless the path is explicitly open to them.

    Goes after AuthenticationMiddleware. Permission to *edit* stays with the views
    (`permission_required`); this middleware only decides who may look at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.public_paths = _compiled(getattr(settings, "COINSTACK_PUBLIC_PATHS", DEFAULT_PUBLIC_PATHS))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated or self.is_always_open(request.path_info):
            return self.get_response(request)
        if self.is_public_read(request):
            return self.get_response(request)
        return self.refuse(request)

    @staticmethod
    def is_always_open(path: str) -> bool:
        """Paths a visitor needs before logging in. The admin's own login checks `is_staff` itself."""
        open_paths = {reverse("login"), reverse("logout"), reverse("admin:login")}
        if path in open_paths:
            return True
        static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        return path.startswith(static_prefix) or path == "/favicon.ico"

    def is_public_read(self, request: HttpRequest) -> bool:
        if not settings.COINSTACK_PUBLIC_BROWSING or request.method not in SAFE_METHODS:
            return False
        path = request.path_info
        if any(path.startswith(prefix) for prefix in NEVER_PUBLIC_PREFIXES):
            return False
        # Coin and lot images are shown on the public pages, so their files are public too.
        media_prefix = "/" + settings.MEDIA_URL.lstrip("/")
        if path.startswith(media_prefix):
            return True
        for suffix in PART_SUFFIXES:
            if path.endswith("/" + suffix):
                path = path.removesuffix(suffix)
                break
        return any(p.match(path) for p in self.public_paths)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            # A form posted by someone not logged in: redirecting would lose the POST silently.
            return HttpResponseForbidden("Log in to make changes.", content_type="text/plain; charset=utf-8")
        # The header, not request.htmx: django-htmx's middleware runs after this one.
        if request.headers.get("HX-Request") == "true":
            # A fragment request would swap the login page into the middle of a page; ask htmx to
            # load the login page in full instead.
            response = HttpResponse(status=401)
            response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
            return response
        return redirect_to_login(request.get_full_path())


# --- Browser policy -------------------------------------------------------------------------------

DEFAULT_CSP: dict[str, str] = {
    "default-src": "'self'",
    # Lot images may be shown by their URL at the auction house; data: for tiny inline placeholders.
    "img-src": "'self' data: https:",
    "style-src": "'self'",
    "script-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def build_csp(directives: dict[str, str]) -> str:
    """Join directives into a header value, refusing 'unsafe-inline' and 'unsafe-eval' for scripts."""
    script = directives.get("script-src", directives.get("default-src", ""))
    if "'unsafe-inline'" in script or "'unsafe-eval'" in script:
        raise ValueError("script-src must not allow 'unsafe-inline' or 'unsafe-eval'.")
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy and
    Cross-Origin-Opener-Policy; XFrameOptionsMiddleware sends X-Frame-Options. A view that sets its
    own CSP keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = build_csp(getattr(settings, "COINSTACK_CSP", DEFAULT_CSP))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


# --- Uploaded images ------------------------------------------------------------------------------

# What Pillow may open: the formats a collector photographs or scans coins in. Anything else (SVG
# with scripts, PSD, EPS through Ghostscript, PDF) is refused whatever its name says. MPO is the
# JPEG that phones and stereo cameras write (a JPEG with extra pictures appended): a JPEG to us.
ALLOWED_IMAGE_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF", "TIFF"})
# The file name's extension must say what the content is: media is served with the content type
# of its extension, and a PNG stored as "obverse.pdf" would be served as something it is not.
IMAGE_EXTENSIONS: dict[str, frozenset[str]] = {
    "JPEG": frozenset({".jpg", ".jpeg", ".jpe", ".jfif"}),
    "MPO": frozenset({".jpg", ".jpeg", ".jpe", ".jfif"}),
    "PNG": frozenset({".png"}),
    "WEBP": frozenset({".webp"}),
    "GIF": frozenset({".gif"}),
    "TIFF": frozenset({".tif", ".tiff"}),
}
# How a format is named to a person, and the extension a stored copy of it gets.
IMAGE_KIND = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "TIFF": "TIFF"}
IMAGE_SUFFIX = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif", "TIFF": ".tif"}
# A 60-megapixel camera makes ~60M pixels (a 64M-pixel image already takes 256 MB to decode for a
# thumbnail); a decompression bomb claims far more. COINSTACK_MAX_IMAGE_PIXELS overrides it.
MAX_IMAGE_PIXELS = 64_000_000


def _extension_of(file) -> str | None:
    """The lower-case extension of the file's name (".png"), "" when the name has none, None when
    the file has no name at all (bytes held in memory, named by whoever stores them)."""
    name = getattr(file, "name", None)
    if not name:
        return None
    return PurePath(str(name)).suffix.lower()


def validate_image_upload(file) -> str:
    """Refuse anything that is not a real, reasonably sized image whose name says what it is.

    The one check for every image that enters CoinStack, wherever it comes from: coin and lot images
    uploaded in the admin (model field validators), images downloaded by the scraper, images read
    from an archive. The file is opened with Pillow and verified, so a renamed script or a truncated
    file is refused; its real format must be one we accept and, when the file has a name, match the
    name's extension (a PNG named ".pdf" is refused); an image declaring more pixels than the limit
    (a decompression bomb) is refused before it is decoded. Returns Pillow's format name ("PNG") so
    a caller can name a stored copy by what it is. Raises ValidationError with a message a person
    can act on.
    """
    from PIL import Image, UnidentifiedImageError

    limit = settings.COINSTACK_MAX_IMAGE_BYTES
    max_pixels = int(getattr(settings, "COINSTACK_MAX_IMAGE_PIXELS", MAX_IMAGE_PIXELS))
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    if size > limit:
        raise ValidationError(
            f"This image is {size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB.",
            code="image_too_large",
        )
    if size == 0:
        raise ValidationError("This file is empty.", code="image_empty")
    try:
        file.seek(0)
        with warnings.catch_warnings():
            # Pillow warns (and only past twice its own limit raises) about large images; make the
            # warning an error so no image Pillow finds suspicious gets through either.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format = image.format or ""
                if image_format not in ALLOWED_IMAGE_FORMATS:
                    raise ValidationError(
                        f"{image_format or 'This kind of'} files are not accepted; "
                        "upload a JPEG, PNG, WebP, GIF or TIFF.",
                        code="image_format",
                    )
                width, height = image.size
                if width * height > max_pixels:
                    raise ValidationError(
                        f"This image is {width}x{height} pixels ({width * height / 1e6:.0f} megapixels); "
                        f"the limit is {max_pixels / 1e6:.0f} megapixels. "
                        "Save a smaller copy and upload that.",
                        code="image_too_many_pixels",
                    )
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            "This image declares too many pixels to open safely.", code="image_bomb"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError("This file is not an image (or it is damaged).", code="image_invalid") from exc
    finally:
        file.seek(0)
    extension = _extension_of(file)
    if extension is not None and extension not in IMAGE_EXTENSIONS[image_format]:
        said = f"ends in {extension}" if extension else "has no extension"
        raise ValidationError(
            f"This file is a {IMAGE_KIND[image_format]} image but its name {said}; "
            f"rename it to end in {IMAGE_SUFFIX[image_format]} and upload it again.",
            code="image_extension",
        )
    return image_format


# --- Files named by path --------------------------------------------------------------------------

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".csv", ".tsv"})
BACKUP_SUFFIXES = frozenset({".sqlite3", ".json", ".zip", ".gz"})


def resolve_inside(base_dir: Path, name: str | Path, suffixes: Iterable[str] | None = None) -> Path:
    """The real path of `name` inside `base_dir`, or ValueError saying why not.

    For backups restored from a chosen file and spreadsheets read by path: `..`, absolute paths
    elsewhere and symbolic links out of the folder are refused, as are unexpected file types.
    """
    base = Path(base_dir).resolve()
    candidate = Path(name)
    if "\x00" in str(candidate):
        raise ValueError("A file name cannot contain a NUL character.")
    path = (candidate if candidate.is_absolute() else base / candidate).resolve()
    if not path.is_relative_to(base):
        raise ValueError(f"{name} is outside {base}; only files in that folder can be used.")
    if suffixes is not None:
        allowed = {s.lower() for s in suffixes}
        if path.suffix.lower() not in allowed:
            raise ValueError(
                f"{path.name} is not one of the accepted file types ({', '.join(sorted(allowed))})."
            )
    if not path.is_file():
        raise ValueError(f"{path.name} does not exist in {base}.")
    return path


def check_spreadsheet_file(path: str | Path) -> Path:
    """A spreadsheet given by path on the command line: must exist, be a file, and look like one.

    An .xlsx is a ZIP archive; a CSV is text. Checking the first bytes refuses a renamed binary
    with a clear message instead of a parser traceback.
    """
    p = Path(path)
    if "\x00" in str(p):
        raise ValueError("A file name cannot contain a NUL character.")
    if p.suffix.lower() not in SPREADSHEET_SUFFIXES:
        raise ValueError(f"{p.name}: expected an .xlsx, .xlsm, .csv or .tsv file.")
    if not p.is_file():
        raise ValueError(f"{p} does not exist or is not a file.")
    with p.open("rb") as fh:
        head = fh.read(4096)
    if p.suffix.lower() in {".xlsx", ".xlsm"}:
        if not head.startswith(b"PK\x03\x04"):
            raise ValueError(f"{p.name} is not an Excel workbook (.xlsx files are ZIP archives).")
    elif b"\x00" in head:
        raise ValueError(f"{p.name} is not a text file; save the sheet as CSV (UTF-8) or .xlsx.")
    return p


# --- Serving uploaded media -----------------------------------------------------------------------

# Stored names are generated (catalog.models.coin_image_path, auctions.models.lot_image_path), so the
# extension is ours, and the content type follows from it: never from the upload's own claim.
MEDIA_CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Serve an uploaded image from MEDIA_ROOT, in production too (whitenoise serves only static files).

    Wire it as `path("media/<path:path>", serve_media)`; PrivateByDefaultMiddleware then keeps the
    files as private as the pages that show them. Only image types are served, with their own
    content type, `nosniff`, and a sandboxing CSP, so a file that slipped through cannot run as a page.
    """
    from django.http import FileResponse, Http404

    if request.method not in SAFE_METHODS:
        return HttpResponseForbidden("Read only.", content_type="text/plain; charset=utf-8")
    suffix = Path(path).suffix.lower()
    content_type = MEDIA_CONTENT_TYPES.get(suffix)
    if content_type is None:
        raise Http404("No such image.")
    try:
        file_path = resolve_inside(Path(settings.MEDIA_ROOT), path, MEDIA_CONTENT_TYPES)
    except ValueError as exc:
        raise Http404("No such image.") from exc
    response = FileResponse(file_path.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response
