"""`manage.py link_types`: resolve every stored RIC and Crawford citation against the type table again.

Run it after `load_types` on a database whose references were written before (or with an older
table): coins' references and lots' references get their type links; a curator's attribution is
kept as it is. Prints how many were linked and every citation that names no type.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from auctions.models import AuctionLot
from catalog.attribution import link_references
from catalog.models import Coin
from numismatics.description import parse_description
from vocab.types import TypeLinker, context_for_lot


class Command(BaseCommand):
    help = "Link every coin and lot reference to its OCRE/CRRO type (after load_types)."

    def add_arguments(self, parser):
        parser.add_argument("--coins-only", action="store_true", help="leave the auction lots alone")

    def handle(self, *args, **options):
        linker = TypeLinker()
        linked = problems = 0
        coins = Coin.objects.filter(references__system__in=["RIC", "Crawford"]).distinct()
        coins = coins.select_related("issuer", "mint", "denomination").prefetch_related("references")
        for coin in coins.iterator(chunk_size=500):
            with transaction.atomic():
                for outcome in link_references(coin, linker=linker):
                    linked += outcome.linked
                    if outcome.problem:
                        problems += 1
                        self.stdout.write(f"coin {coin}: {outcome.problem}")
        if not options["coins_only"]:
            lots = AuctionLot.objects.filter(references__system__in=["RIC", "Crawford"]).distinct()
            for lot in lots.prefetch_related("references").iterator(chunk_size=500):
                context = context_for_lot(parse_description(lot.description), lot.description)
                with transaction.atomic():
                    for reference in lot.references.all():
                        before = reference.type_id
                        outcome = linker.resolve_reference(reference, context)
                        if reference.type_id != before:
                            reference.save(update_fields=["type"])
                        linked += outcome.linked
                        if outcome.problem:
                            problems += 1
                            self.stdout.write(f"lot {lot.pk}: {outcome.problem}")
        self.stdout.write(
            f"{linked} reference(s) linked to their type; {problems} named no type or were unclear."
        )
