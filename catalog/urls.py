from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("coins/", views.coin_list, name="coin_list"),
    path("coins/<int:pk>/", views.coin_detail, name="coin_detail"),
    path("series/", views.series_list, name="series_list"),
    path("series/<slug:slug>/", views.series_detail, name="series_detail"),
    path("stats/", views.stats, name="stats"),
]
