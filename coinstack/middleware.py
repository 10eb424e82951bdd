"""Request-level transactions for the requests that write.

Django's ATOMIC_REQUESTS wraps every view, reads included. On SQLite with
transaction_mode="IMMEDIATE" that would make every page view take the database's single write lock,
so browsing would queue behind imports and scrapes. Here only unsafe methods (POST, PUT, PATCH,
DELETE) run inside one transaction: a write either commits before the response or rolls back
completely when the view raises. Reads run in autocommit and never block writers (WAL).
"""

from django.db import transaction

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class AtomicWritesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS or getattr(view_func, "_non_atomic_requests", None):
            return None  # let Django call the view as usual
        with transaction.atomic():
            response = view_func(request, *view_args, **view_kwargs)
            # Template responses render lazily; render inside the transaction so a rendering error
            # rolls the write back too.
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response = response.render()
            return response
