from django.urls import path

from . import views

app_name = "auctions"

urlpatterns = [
    path("", views.lot_list, name="lot_list"),
    path("<int:pk>/", views.lot_detail, name="lot_detail"),
]
