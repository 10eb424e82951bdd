"""The upload page (preview, then import on confirmation) and the export download.

Upload flow: POST a file -> it is checked (size, real xlsx/csv or OpenNumismat content), stored under a
generated name in a private temp folder (the client's file name is never used on disk), and imported in
a dry run whose report is the preview. The preview shows each column, the field it fills and sample
values; the user may change a column's field or ignore it and preview again ("remap"). Confirming
POSTs the token of that stored file (bound to the session, so nobody else can confirm it) with the
mapping; the import runs for real, the mapping is remembered for files with the same headers, and
the file is then deleted. The result links to the coins the import created or changed.
"""

from __future__ import annotations

import re
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_safe

from .exporting import CONTENT_TYPES, FORMATS, export
from .filters import CoinFilter
from .importing import UnusableFile, import_file
from .importing.limits import Limits
from .importing.mappings import CHOICES
from .importing.opennumismat import is_opennumismat
from .importing.reading import sniff_kind
from .models import Coin

SESSION_KEY = "coinstack_import_files"
NAMES_KEY = "coinstack_import_names"  # token -> the file's name as uploaded (shown in the import record)
TOKEN_RE = re.compile(r"[0-9a-f]{32}")
STALE_SECONDS = 24 * 3600


def max_upload_bytes() -> int:
    return int(getattr(settings, "COINSTACK_IMPORT_MAX_BYTES", 10 * 1024 * 1024))


def upload_dir() -> Path:
    """A private folder for files between preview and confirmation (mode 0700)."""
    default = Path(tempfile.gettempdir()) / "coinstack-imports"
    path = Path(getattr(settings, "COINSTACK_IMPORT_TMP_DIR", default))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _clear_stale(folder: Path) -> None:
    """Uploads previewed but never confirmed are removed after a day."""
    cutoff = time.time() - STALE_SECONDS
    for item in folder.glob("*.upload"):
        try:
            if item.stat().st_mtime < cutoff:
                item.unlink()
        except OSError:
            continue


def _stored_path(token: str) -> Path:
    return upload_dir() / f"{token}.upload"


def _currency(request: HttpRequest) -> str | None:
    code = (request.POST.get("currency") or "USD").strip().upper()
    return code if re.fullmatch(r"[A-Z]{3}", code) else None


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    context.setdefault("max_mb", max_upload_bytes() // (1024 * 1024))
    context.setdefault("max_rows", f"{Limits.for_upload().rows:,}")
    context.setdefault("currency", "USD")
    return render(request, template, context, status=status)


# Not one request-wide transaction: the importer commits in short batches (a preview rolls each
# back), so a big file never holds SQLite's single write lock for the whole import.
@transaction.non_atomic_requests
@login_required
@permission_required(["catalog.add_coin", "catalog.change_coin"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, "catalog/import_upload.html", {})
    if request.POST.get("token"):
        if request.POST.get("action") == "remap":
            return _remap(request)
        return _confirm(request)
    return _preview(request)


MAX_COLUMNS = 200  # the mapping form names at most this many columns (the sheet limit)


def _posted_mapping(request: HttpRequest) -> dict[str, str] | None:
    """The mapping the preview's form sent: column header -> field key, "keep" or "ignore" (checked
    against the file by the importer); None when the form sent none."""
    mapping = {}
    for index in range(MAX_COLUMNS):
        label = request.POST.get(f"column_label_{index}")
        choice = request.POST.get(f"column_{index}")
        if label is None or choice is None:
            break
        mapping[label[:300]] = choice[:40]
    return mapping or None


def _preview(request: HttpRequest) -> HttpResponse:
    upload_file = request.FILES.get("file")
    currency = _currency(request)
    sheet = (request.POST.get("sheet") or "").strip()[:100] or None
    error = None
    if upload_file is None:
        error = "Choose a spreadsheet file (.xlsx or .csv) to import."
    elif upload_file.size > max_upload_bytes():
        error = f"The file is larger than {max_upload_bytes() // (1024 * 1024)} MB."
    elif currency is None:
        error = "The currency must be a three-letter code such as USD, EUR or CHF."
    if error is None:
        try:
            head = upload_file.read(16)
            if not is_opennumismat(head):
                sniff_kind(head)
            upload_file.seek(0)
        except UnusableFile as exc:
            error = str(exc)
    if error:
        return _page(request, "catalog/import_upload.html", {"error": error}, status=400)
    folder = upload_dir()
    _clear_stale(folder)
    token = uuid.uuid4().hex
    path = _stored_path(token)
    with path.open("wb") as handle:
        for chunk in upload_file.chunks():
            handle.write(chunk)
    path.chmod(0o600)
    report = None
    try:
        report = import_file(path, dry_run=True, sheet=sheet, currency=currency, limits=Limits.for_upload())
    except UnusableFile as exc:
        return _page(request, "catalog/import_upload.html", {"error": f"Nothing can be imported: {exc}"}, 400)
    finally:
        # A preview that failed, whatever the reason, leaves no file behind; a good one waits for
        # its confirmation (or the stale-file sweep).
        if report is None:
            path.unlink(missing_ok=True)
    tokens = request.session.get(SESSION_KEY, [])
    request.session[SESSION_KEY] = [*tokens[-9:], token]
    names = request.session.get(NAMES_KEY, {})
    request.session[NAMES_KEY] = {
        **{k: v for k, v in names.items() if k in tokens[-9:]},
        token: upload_file.name[:255],
    }
    return _preview_page(request, report, token, currency, sheet)


def _preview_page(request, report, token: str, currency: str, sheet: str | None, status: int = 200):
    context = {
        "report": report,
        "token": token,
        "currency": currency,
        "sheet": sheet or "",
        "choices": CHOICES,
    }
    return _page(request, "catalog/import_preview.html", context, status=status)


def _stored_upload(request: HttpRequest) -> tuple[str, Path] | None:
    """The token of a previewed upload of this session and its stored file, or None."""
    token = request.POST.get("token", "")
    if not TOKEN_RE.fullmatch(token) or token not in request.session.get(SESSION_KEY, []):
        return None
    path = _stored_path(token)
    return (token, path) if path.is_file() else None


def _remap(request: HttpRequest) -> HttpResponse:
    """The preview again, with the columns mapped as the user chose."""
    stored = _stored_upload(request)
    currency = _currency(request)
    sheet = (request.POST.get("sheet") or "").strip()[:100] or None
    if stored is None or currency is None:
        return HttpResponseBadRequest("This import is unknown or has expired; upload the file again.")
    token, path = stored
    try:
        report = import_file(
            path, dry_run=True, sheet=sheet, currency=currency, limits=Limits.for_upload(),
            mapping=_posted_mapping(request),
        )  # fmt: skip
    except UnusableFile as exc:
        context = {"error": f"This mapping cannot be used: {exc}"}
        return _page(request, "catalog/import_upload.html", context, 400)
    return _preview_page(request, report, token, currency, sheet)


def _confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    currency = _currency(request)
    sheet = (request.POST.get("sheet") or "").strip()[:100] or None
    if not TOKEN_RE.fullmatch(token) or token not in request.session.get(SESSION_KEY, []) or currency is None:
        return HttpResponseBadRequest("This import is unknown or has expired; upload the file again.")
    path = _stored_path(token)
    if not path.is_file():
        return HttpResponseBadRequest("This import is unknown or has expired; upload the file again.")
    mapping = _posted_mapping(request)
    file_name = request.session.get(NAMES_KEY, {}).get(token, "")
    try:
        report = import_file(
            path, dry_run=False, sheet=sheet, currency=currency, limits=Limits.for_upload(),
            mapping=mapping, remember_mapping=mapping is not None, file_name=file_name,
        )  # fmt: skip
    except UnusableFile as exc:
        return _page(request, "catalog/import_upload.html", {"error": f"Nothing can be imported: {exc}"}, 400)
    finally:
        path.unlink(missing_ok=True)
        request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]
    return _page(request, "catalog/import_preview.html", {"report": report, "done": True})


def _filtered_coins(request: HttpRequest):
    """The coins the coin list shows for these GET parameters (the browse page's CoinFilter), or None
    when the filters are not valid (the list would show an error, not everything)."""
    params = request.GET.copy()
    params.pop("format", None)
    # Whoever may export sees private fields anyway, so filters on them apply too.
    filterset = CoinFilter(params, queryset=Coin.objects.all(), request=request, private=True)
    return filterset.qs if filterset.is_valid() else None


@login_required
@permission_required("catalog.view_coin", raise_exception=True)
@require_safe
def export_coins(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        return HttpResponseBadRequest("Unknown format: use csv, xlsx or json.")
    coins = _filtered_coins(request)
    if coins is None:
        return HttpResponseBadRequest("The filters are not valid; correct them on the coin list first.")
    data = export(coins, fmt)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    stamp = time.strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="coinstack-{stamp}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
