from django.urls import path

from . import views

app_name = "vocab"

urlpatterns = [
    path("issuers/", views.issuer_list, name="issuer_list"),
    path("issuers/<int:pk>/", views.issuer_detail, name="issuer_detail"),
    path("mints/", views.mint_list, name="mint_list"),
    path("mints/<int:pk>/", views.mint_detail, name="mint_detail"),
]
