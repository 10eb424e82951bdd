"""`manage.py dossier [FILTER=VALUE ...] --output FILE.pdf [--owner NAME]`: the dossier PDF of the
coins the coin list would show with those filters (the same names as /coins/?..., e.g.
`category=roman_imperial issuer=12 q=denarius sort=year`), with no limit on their number."""

from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.test import RequestFactory

from catalog.dossier import build_dossier
from catalog.listing import build_listing


class Command(BaseCommand):
    help = "Write the insurance and estate dossier (PDF) of the coins selected by the coin list's filters."

    def add_arguments(self, parser):
        parser.add_argument("filters", nargs="*", help="the coin list's filters as NAME=VALUE")
        parser.add_argument("--output", required=True, help="the PDF file to write")
        parser.add_argument("--owner", default="", help="the owner's name on the cover")
        parser.add_argument(
            "--limit", type=int, default=None, help="at most this many coins (the first ones)"
        )

    def handle(self, *args, **options):
        params = QueryDict(mutable=True)
        for item in options["filters"]:
            name, sep, value = item.partition("=")
            if not sep or not name.strip():
                raise CommandError(
                    f"{item!r} is not a filter: write NAME=VALUE, e.g. category=roman_imperial."
                )
            params.appendlist(name.strip(), value)
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.")
        owner = options["owner"] or "the collection's owner"
        # The listing reads who is asking: the command runs as the owner (private fields included).
        request = RequestFactory().get("/coins/", params)
        request.user = User(username="dossier", is_staff=True)
        listing = build_listing(request)
        for message in listing.input_errors:
            self.stderr.write(message)
        coins = listing.queryset
        if options["limit"] is not None:
            if options["limit"] < 1:
                raise CommandError("--limit must be 1 or more.")
            coins = coins.filter(pk__in=list(coins.values_list("pk", flat=True)[: options["limit"]]))
        count = coins.count()
        if count == 0:
            raise CommandError("No coin matches these filters: no dossier written.")
        pdf = build_dossier(coins, owner=owner, filters=listing.query)
        output.write_bytes(pdf)
        self.stdout.write(f"Wrote the dossier of {count} coins to {output} ({len(pdf) // 1024} KB).")
