"""`manage.py remove_demo`: remove the demo data the generator made (ops.demo.remove), and only it."""

from django.core.management.base import BaseCommand

from ops.demo.remove import demo_counts, remove_demo_data


class Command(BaseCommand):
    help = "Remove the demo coins, lots, sales and series made by setup_demo / generate_collection."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be removed; remove nothing."
        )

    def handle(self, *args, dry_run: bool, **options):
        if dry_run:
            found = demo_counts()
            self.stdout.write(
                f"Would remove {found.coins} demo coins, {found.lots} demo lots "
                f"and {found.series} demo series."
            )
            return
        self.stdout.write(remove_demo_data().summary())
