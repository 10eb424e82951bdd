"""manage.py check_indexes: the planner on each hot query; exits non-zero when one scans a big table."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from ops.indexcheck import check


class Command(BaseCommand):
    help = (
        "EXPLAIN the coin and lot lists' hot queries and fail when one scans a whole large table. "
        "On PostgreSQL it runs with enable_seqscan=off, so a Seq Scan means no index can serve the query."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args, **options):
        using = options["database"]
        if connections[using].vendor == "postgresql":
            self.stdout.write(
                "PostgreSQL: EXPLAIN with enable_seqscan = off, so a Seq Scan means no index can serve "
                "the query (on a small database the planner would prefer one anyway).\n"
            )
        else:
            self.stdout.write("SQLite: EXPLAIN QUERY PLAN.\n")
        results = check(using)
        for result in results:
            style = self.style.SUCCESS if result.ok else self.style.ERROR
            self.stdout.write(f"== {result.name}")
            self.stdout.write(f"SQL: {result.sql}")
            self.stdout.write("Plan:")
            for line in result.plan:
                self.stdout.write(f"  {line}")
            self.stdout.write(style(f"Verdict: {'OK' if result.ok else 'FAIL'}: {result.verdict}"))
            self.stdout.write("")
        failed = [r.name for r in results if not r.ok]
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(results)} hot queries lack an index: {'; '.join(failed)}"
            )
        self.stdout.write(
            self.style.SUCCESS(f"All {len(results)} hot queries use an index (or cannot by nature).")
        )
