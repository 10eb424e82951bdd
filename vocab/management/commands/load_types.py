"""`manage.py load_types`: load the OCRE and CRRO type tables shipped with CoinStack (safe to run again)."""

from django.core.management.base import BaseCommand

from vocab.typeload import load_types


class Command(BaseCommand):
    help = (
        "Load the OCRE and CRRO coin types (numismatics/data/types/, ODbL 1.0, © American Numismatic "
        "Society) into the database; only new or changed types are written. Run load_vocab first so "
        "types link to the vocabulary's issuers, mints and denominations."
    )

    def handle(self, *args, **options):
        result = load_types()
        self.stdout.write(result.summary())
