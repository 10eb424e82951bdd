from django.urls import path

app_name = "vocab"

urlpatterns: list = []
