"""manage.py scrape URL [URL ...]: store auction lots by URL, or from a page saved in a browser."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from auctions.models import CoinRole
from auctions.scraping.scrape import ScrapeReport, scrape_saved_page, scrape_url
from catalog.models import Coin

# A page saved from the browser: its HTML, its text, a single-file archive, or Sixbid's JSON.
SAVED_PAGE_SUFFIXES = (".html", ".htm", ".txt", ".mhtml", ".mht", ".json")


class Command(BaseCommand):
    help = "Scrape auction lot pages (one line per URL, then a summary). Exit status 1 if any URL failed."

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="*", help="Lot page URLs.")
        parser.add_argument("--file", type=Path, help="A text file of URLs, one per line (# comments).")
        parser.add_argument("--coin", type=int, help="Link the lots to this coin (its id).")
        parser.add_argument("--role", choices=CoinRole.values, help="How the lots relate to --coin.")
        parser.add_argument(
            "--relink",
            action="store_true",
            help="Move a lot already linked to another coin to --coin (without it such a lot is refused).",
        )
        parser.add_argument("--refresh", action="store_true", help="Re-read closed lots already stored.")
        parser.add_argument("--no-images", action="store_true", help="Do not download the lots' images.")
        parser.add_argument(
            "--from-file",
            type=Path,
            dest="from_file",
            help="A page saved in a browser (.html, .htm, .txt, .mhtml, or Sixbid .json); needs --url.",
        )
        parser.add_argument("--url", help="The address the saved page came from (with --from-file).")

    def handle(self, *args, **options):
        coin = self._coin(options["coin"])
        if options["role"] and coin is None:
            raise CommandError("--role needs --coin.")
        if options["relink"] and coin is None:
            raise CommandError("--relink needs --coin.")
        common = {
            "coin": coin,
            "role": options["role"],
            "download_images": not options["no_images"],
            "relink": options["relink"],
        }
        report = ScrapeReport()
        if options["from_file"]:
            if not options["url"]:
                raise CommandError("--from-file needs --url, the address the page was saved from.")
            path = options["from_file"]
            if path.suffix.lower() not in SAVED_PAGE_SUFFIXES:
                raise CommandError(
                    f"{path}: not a saved page; give the page as .html, .htm, .txt (its text, as a browser "
                    "saves or copies it), .mhtml (a single-file archive) or .json (Sixbid's lot data)."
                )
            outcome = scrape_saved_page(path, options["url"], **common)
            if not outcome.ok:
                outcome.message = f"{outcome.message} (file {path})"
            report.add(outcome)
        else:
            urls = list(options["urls"]) + self._read_urls(options["file"])
            if not urls:
                raise CommandError(
                    "Give at least one URL, --file urls.txt, or --from-file PAGE.html --url URL."
                )
            for url in urls:
                outcome = scrape_url(url, refresh=options["refresh"], **common)
                report.add(outcome)
                self._line(outcome)
        if options["from_file"]:
            self._line(report.outcomes[0])
        self.stdout.write(report.summary())
        if report.has_failures:
            raise CommandError(f"{len(report.outcomes) - sum(o.ok for o in report.outcomes)} URL(s) failed.")

    def _line(self, outcome) -> None:
        style = self.style.SUCCESS if outcome.ok else self.style.ERROR
        self.stdout.write(style(outcome.line()))

    @staticmethod
    def _coin(coin_id):
        if coin_id is None:
            return None
        coin = Coin.objects.filter(pk=coin_id).first()
        if coin is None:
            raise CommandError(f"No coin with id {coin_id}.")
        return coin

    @staticmethod
    def _read_urls(path: Path | None) -> list[str]:
        if path is None:
            return []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
