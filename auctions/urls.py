from django.urls import path

from . import add_lot, views

app_name = "auctions"

urlpatterns = [
    path("", views.lot_list, name="lot_list"),
    path("facets/", views.lot_facets, name="lot_facets"),
    path("<int:pk>/", views.lot_detail, name="lot_detail"),
    path("add/", add_lot.add_lot, name="add_lot"),
]
