"""`manage.py identify_type [--ignore-references] [TEXT ...]`: the OCRE/CRRO types of descriptions.

Each text (an argument, or one per line on standard input) gives one line of JSON:
{"cited": [{"citation": "RIC I 207", "uri": "...", "cf": false}], "suggested": [{"uri": ..., "label":
..., "score": ..., "why": ...}]}. A citation that names no type carries a "problem"; suggestions come
when no citation resolves, or always with --ignore-references, which reads the text as if it cited
nothing.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from numismatics.types.identify import identify

# A description is a paragraph; anything far longer is not one (and is not worth the work).
MAX_TEXT = 20_000


class Command(BaseCommand):
    help = "Print the OCRE/CRRO types a lot description cites and the types it suggests, as JSON lines."

    def add_arguments(self, parser):
        parser.add_argument(
            "texts", nargs="*", metavar="TEXT", help="descriptions; none: one per line on stdin"
        )
        parser.add_argument(
            "--ignore-references", action="store_true", help="suggest as if the text cited nothing"
        )
        parser.add_argument("--limit", type=int, default=5, help="how many types to suggest (1-20)")

    def handle(self, *args, **options):
        limit = options["limit"]
        if not 1 <= limit <= 20:
            raise CommandError("--limit takes 1 to 20.")
        texts = options["texts"] or (line.rstrip("\n") for line in sys.stdin)
        for text in texts:
            if not text.strip():
                continue
            result = identify(text[:MAX_TEXT], ignore_references=options["ignore_references"], limit=limit)
            self.stdout.write(json.dumps(result, ensure_ascii=False))
