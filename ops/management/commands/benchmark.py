"""manage.py benchmark: time the pages and batch jobs at 1,000 / 10,000 / 100,000 coins.

The work is in ops/benchmark/ (see its __init__); this command parses arguments, runs it,
prints the table and one summary line.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.benchmark import report
from ops.benchmark.runner import SKIPPABLE, Options, run_benchmark


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError as exc:
        raise CommandError(f"--sizes takes comma-separated whole numbers, not {text!r}") from exc
    if not sizes or sizes[0] < 1:
        raise CommandError("--sizes needs at least one size of 1 coin or more")
    return sizes


class Command(BaseCommand):
    help = "Build databases of several sizes and time the pages, import, backup and parsing."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="1000,10000,100000", help="Comma-separated coin counts.")
        parser.add_argument("--lots-per-coin", type=int, default=2, help="Auction lots generated per coin.")
        parser.add_argument("--repeat", type=int, default=30, help="Timed requests per page and size.")
        parser.add_argument("--seed", type=int, default=1, help="Seed for the generator and the random ids.")
        parser.add_argument("--out", type=Path, default=Path("bench/results/latest.json"))
        parser.add_argument(
            "--readme",
            default="bench/README.md",
            help="Where to write the table as Markdown ('' for nowhere).",
        )
        parser.add_argument(
            "--keep-dbs",
            type=Path,
            default=None,
            help="Build the databases in DIR and keep them; an existing one is reused, not rebuilt.",
        )
        parser.add_argument(
            "--skip",
            default="",
            help=f"Comma-separated parts to leave out: {', '.join(SKIPPABLE)} (sqlite: its databases).",
        )
        parser.add_argument(
            "--database-url",
            default=None,
            help="A PostgreSQL URL: also build and measure every size there, in a database per size "
            "(the URL's name + _<size>), dropped afterwards unless --keep-dbs.",
        )
        parser.add_argument(
            "--no-http",
            action="store_true",
            help="Do not time the pages again through gunicorn over loopback.",
        )
        parser.add_argument("--import-rows", type=int, default=10000)
        parser.add_argument("--parse-pages", type=int, default=1000)

    def handle(self, *args, **opts):
        skip = {s.strip() for s in opts["skip"].split(",") if s.strip()}
        unknown = skip - set(SKIPPABLE)
        if unknown:
            raise CommandError(f"--skip knows {', '.join(SKIPPABLE)}; not {', '.join(sorted(unknown))}")
        url = opts["database_url"]
        if url and not url.startswith(("postgres://", "postgresql://")):
            raise CommandError("--database-url takes a PostgreSQL URL (postgres://user@host:port/name)")
        if opts["repeat"] < 1:
            raise CommandError("--repeat must be at least 1")
        options = Options(
            sizes=_sizes(opts["sizes"]),
            lots_per_coin=opts["lots_per_coin"],
            repeat=opts["repeat"],
            seed=opts["seed"],
            out=opts["out"],
            readme=Path(opts["readme"]) if opts["readme"] else None,
            keep_dbs=opts["keep_dbs"],
            skip=skip,
            import_rows=opts["import_rows"],
            parse_pages=opts["parse_pages"],
            http=not opts["no_http"],
            database_url=url,
        )
        results = run_benchmark(options, log=lambda line: self.stderr.write(line))
        rows = results["rows"]
        self.stdout.write(f"Machine: {report.machine_line(results['machine'])}")
        self.stdout.write(report.load_line(results))
        self.stdout.write(report.text_table(rows))
        verdicts = [r["verdict"] for r in rows if r["verdict"] != "-"]
        self.stdout.write(
            f"{verdicts.count('PASS')} PASS, {verdicts.count('MISS')} MISS, "
            f"{len(verdicts) - verdicts.count('PASS') - verdicts.count('MISS')} missing/error; "
            f"results in {options.out}"
        )
