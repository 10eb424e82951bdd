"""URL map. The browsing pages live in the apps; the admin is for staff."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("auctions/", include("auctions.urls")),
    path("", include("catalog.import_urls")),  # /import/ and /export/
    path("", include("vocab.urls")),
    path("", include("catalog.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
