"""`manage.py snapshot_values [--date YYYY-MM-DD]`: value every coin and keep the day's values.

Run it on a schedule (monthly is enough for /stats/'s history by month). Prints how many coins were
valued from comparables, by a manual value, or have not enough sales.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from catalog.valuation.prices import owner_currency
from catalog.valuation.snapshots import take_snapshot


class Command(BaseCommand):
    help = "Value every coin (comparables or manual value) and keep a dated snapshot of the values."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="the snapshot's day (YYYY-MM-DD, not in the future); default today"
        )

    def handle(self, *args, **options):
        on = timezone.localdate()
        if options["date"]:
            try:
                on = dt.date.fromisoformat(options["date"][:10])
            except ValueError as error:
                raise CommandError(f"--date {options['date']!r} is not a date such as 2026-06-30.") from error
            if on > timezone.localdate():
                raise CommandError(
                    f"--date {on.isoformat()} is in the future: a snapshot records a past day."
                )
        report = take_snapshot(on)
        self.stdout.write(
            f"Snapshot of {report.taken_on.isoformat()} in {owner_currency()}: {report.coins} coins, "
            f"{report.estimated} valued from comparable sales, {report.manual} by a manual value, "
            f"{report.not_enough} with not enough sales."
        )
