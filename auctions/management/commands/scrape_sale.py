"""manage.py scrape_sale URL: store every lot of a sale listing (prices, status, shortened text)."""

from django.core.management.base import BaseCommand, CommandError

from auctions.scraping.scrape import scrape_sale


class Command(BaseCommand):
    help = "Scrape a sale listing page by page. One line per lot, then a summary; exit 1 if any failed."

    def add_arguments(self, parser):
        parser.add_argument("url", help="The sale listing URL (Biddr, NumisBids, Sixbid JSON).")
        parser.add_argument("--max-pages", type=int, default=1, help="Listing pages to read (default 1).")
        parser.add_argument("--images", action="store_true", help="Also download each lot's images.")

    def handle(self, *args, **options):
        if options["max_pages"] < 1:
            raise CommandError("--max-pages must be at least 1.")
        report = scrape_sale(options["url"], options["max_pages"], download_images=options["images"])
        for outcome in report.outcomes:
            style = self.style.SUCCESS if outcome.ok else self.style.ERROR
            self.stdout.write(style(outcome.line()))
        self.stdout.write(report.summary())
        if report.has_failures:
            raise CommandError(f"{sum(not o.ok for o in report.outcomes)} URL(s) failed.")
