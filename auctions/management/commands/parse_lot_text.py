"""manage.py parse_lot_text [TEXT ...]: one JSON line per lot description.

Reads the arguments, or standard input line by line when there are none, so a scraper's dump can be
piped through it: `cat lots.txt | manage.py parse_lot_text > parsed.jsonl`. The parsing itself is the
pure function numismatics.description.parse_description.
"""

import json
import sys

from django.core.management.base import BaseCommand

from numismatics.description import parse_description


class Command(BaseCommand):
    help = "Parse lot descriptions (arguments, or one per line of standard input) into JSON lines."
    # call_command(..., stdin=StringIO(...)) in tests and in code that already holds the text.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("texts", nargs="*", help="lot description texts; read stdin when none")

    def handle(self, *args, **options):
        texts = options["texts"] or (line.rstrip("\n") for line in (options.get("stdin") or sys.stdin))
        for text in texts:
            if not text.strip():
                continue
            self.stdout.write(json.dumps(parse_description(text).as_json(), ensure_ascii=False))
