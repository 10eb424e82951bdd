"""`manage.py generate_collection`: a synthetic collection and auction market for demos and load tests."""

import sys

from django.core.management.base import BaseCommand, CommandError

from ops.demo import generate_collection

DEMO = {"coins": 120, "lots": 240}


class Command(BaseCommand):
    help = (
        "Add synthetic coins (with images, references, provenance, series) and auction lots. "
        "The same --seed on the same starting database gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--coins", type=int, help="How many coins to add.")
        parser.add_argument("--lots", type=int, help="How many auction lots to add (some linked to coins).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--no-images", action="store_true", help="Skip the generated coin pictures.")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="A small, pretty set: 120 coins with images, 240 lots, 3 series.",
        )

    def handle(self, *args, coins, lots, seed, no_images, demo, **options):
        if demo:
            coins = DEMO["coins"] if coins is None else coins
            lots = DEMO["lots"] if lots is None else lots
        if coins is None or lots is None:
            raise CommandError("Give --coins and --lots, or --demo.")
        if coins < 0 or lots < 0:
            raise CommandError("--coins and --lots cannot be negative.")
        on_terminal = self.stdout.isatty() if hasattr(self.stdout, "isatty") else sys.stdout.isatty()

        def progress(stage: str, done: int, total: int) -> None:
            if on_terminal and total:
                self.stdout.write(f"\r{stage}: {done}/{total} ({100 * done // total}%)", ending="")
                self.stdout.flush()

        result = generate_collection(
            coins=coins, lots=lots, seed=seed, images=not no_images, demo=demo, progress=progress
        )
        if on_terminal:
            self.stdout.write("")
        self.stdout.write(result.summary())
