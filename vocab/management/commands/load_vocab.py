"""`manage.py load_vocab`: load the curated starting vocabulary (safe to run again)."""

from django.core.management.base import BaseCommand

from vocab.seed import load_vocabulary


class Command(BaseCommand):
    help = "Load the curated issuers, mints and denominations from numismatics/data/ (idempotent)."

    def handle(self, *args, **options):
        result = load_vocabulary(stdout=self.stdout)
        self.stdout.write(
            f"Vocabulary: {result['issuers']} issuers, {result['mints']} mints, "
            f"{result['denominations']} denominations read; {result['created']} created, "
            f"{result['updated']} updated, {result['unchanged']} unchanged; "
            f"{result['aliases_created']} aliases created, {result['aliases_skipped']} skipped."
        )
