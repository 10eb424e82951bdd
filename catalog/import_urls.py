"""Import and export pages. The lead includes this once at the root:
path("", include("catalog.import_urls")) -> /import/ (name "importing:upload") and /export/.
"""

from django.urls import path

from . import import_views

app_name = "importing"

urlpatterns = [
    path("import/", import_views.upload, name="upload"),
    path("export/", import_views.export_coins, name="export"),
]
