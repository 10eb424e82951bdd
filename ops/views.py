"""Staff pages of ops: removing the demo data from the site (the same as manage.py remove_demo)."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ops.demo.remove import demo_counts, remove_demo_data


@staff_member_required
@require_http_methods(["GET", "POST"])
def remove_demo(request: HttpRequest) -> HttpResponse:
    """GET: what would go, and a confirm button. POST (CSRF-checked): remove it, back to the home page."""
    if not request.user.has_perm("catalog.delete_coin"):
        raise PermissionDenied
    if request.method == "POST":
        messages.success(request, remove_demo_data().summary())
        return redirect("catalog:home")
    return render(request, "ops/remove_demo.html", {"found": demo_counts()})
