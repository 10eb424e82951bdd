"""Staff pages of ops, under /demo/."""

from django.urls import path

from . import views

app_name = "ops"

urlpatterns = [
    path("remove/", views.remove_demo, name="remove_demo"),
]
