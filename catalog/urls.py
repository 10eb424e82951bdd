from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("coins/<int:pk>/", views.coin_detail, name="coin_detail"),
    path("series/<slug:slug>/", views.series_detail, name="series_detail"),
]
