"""Login throttling, on top of django-axes.

django-axes records failed logins in the database (so the count holds across gunicorn workers and
restarts) and refuses a username+IP pair after AXES_FAILURE_LIMIT failures for AXES_COOLOFF_TIME.
This module adapts it to CoinStack: the refusal is the login page itself with a clear message, and
code that authenticates without a request (the test client's `login()`, the shell) is not throttled,
because there is no visitor to throttle.
"""

from __future__ import annotations

import math

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.template.response import TemplateResponse


class ThrottledLoginBackend(AxesStandaloneBackend):
    """Axes' lockout check, skipped when `authenticate()` is called without a request.

    Every login through the web (the login page, the admin's login) passes the request, so every
    attempt an attacker can make is counted. Axes itself raises on a missing request, which would
    break `Client.login()` in every test of the project.
    """

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_message() -> str:
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return (
        f"Too many failed logins for this account from your address. "
        f"Wait {minutes} minutes and try again, or ask an administrator to unlock it."
    )


# The refusal page. It lives here, not in templates/registration/, so it shows the message whatever
# the login template chooses to display of the form's errors.
_LOCKOUT_PAGE = """{% extends "base.html" %}
{% block title %}Too many failed logins{% endblock %}
{% block content %}<section class="login">
  <h1>Too many failed logins</h1>
  <p class="form-errors" role="alert">{{ message }}</p>
  <p><a href="{% url 'login' %}">Back to the login page</a></p>
</section>{% endblock %}"""


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """Status 429 with a clear message: a page for people, the admin's own login form for the admin."""
    message = lockout_message()
    if request.path.startswith("/admin/"):
        username = (credentials or {}).get("username") or request.POST.get("username", "")
        form = AuthenticationForm(request, initial={"username": username})
        form.cleaned_data = {}  # an unbound form has none, and add_error() expects it
        form.add_error(None, message)
        context = {"form": form, "title": "Log in", "site_header": "CoinStack administration"}
        response = TemplateResponse(request, "admin/login.html", context, status=429).render()
    else:
        page = engines["django"].from_string(_LOCKOUT_PAGE)
        response = HttpResponse(page.render({"message": message}, request), status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
