from django.urls import path

from . import dossier_views, labels, views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("coins/", views.coin_list, name="coin_list"),
    path("coins/facets/", views.coin_facets, name="coin_facets"),
    path("coins/labels/", labels.coin_labels, name="coin_labels"),
    path("coins/<int:pk>/", views.coin_detail, name="coin_detail"),
    path("coins/<int:pk>/lots/", views.coin_lots, name="coin_lots"),
    path("coins/dossier/", dossier_views.dossier, name="dossier"),
    path("issuers/", views.issuer_list, name="issuer_list"),
    path("issuers/<int:pk>/", views.issuer_detail, name="issuer_detail"),
    path("issuers/<int:pk>/facets/", views.issuer_facets, name="issuer_facets"),
    path("mints/", views.mint_list, name="mint_list"),
    path("mints/<int:pk>/", views.mint_detail, name="mint_detail"),
    path("mints/<int:pk>/facets/", views.mint_facets, name="mint_facets"),
    path("series/", views.series_list, name="series_list"),
    path("series/<slug:slug>/", views.series_detail, name="series_detail"),
    path("stats/", views.stats, name="stats"),
]
