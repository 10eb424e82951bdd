"""The project's URLs under /moved/: a URL configuration that changes every address (test_reversing)."""

from django.urls import include, path

urlpatterns = [path("moved/", include("coinstack.urls"))]
