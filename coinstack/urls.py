"""URL map. The browsing pages live in the apps; the admin is for staff."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from coinstack.security import serve_media


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """/favicon.ico, which browsers ask of any document that names no icon (an image opened on its
    own, a file download): the site's icon, so that request is no 404 in the log and the console.
    The static URL is read when asked, after collectstatic's manifest exists."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("auctions/", include("auctions.urls")),
    path("", include("catalog.import_urls")),  # /import/ and /export/
    path("demo/", include("ops.urls")),  # staff: remove the demo data
    path("", include("catalog.urls")),
    # Coin and lot images, in production too (whitenoise serves static files only); behind the
    # same login rule as the pages that show them.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media, name="media"),
]
