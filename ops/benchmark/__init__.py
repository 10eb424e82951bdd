"""CoinStack's benchmark: build databases of several sizes, time the pages and the batch jobs.

`manage.py benchmark` (ops/management/commands/benchmark.py) is the entry point; the pieces are
kept apart so each can be tested alone:

- `machine`: what the numbers were measured on.
- `stats`: percentiles.
- `environment`: the environment variables a child process gets (its own DATABASE_URL, DEBUG off).
- `dbbuild`: a fresh SQLite database per size, built by `migrate` + `generate_collection` in a child.
- `pages`: the page list and the measuring loop (Django's test client, full middleware stack).
- `worker`: the child process that measures the pages of one database and prints JSON.
- `floor`: the same rows as a page, fetched by one raw SQL query through the sqlite3 module.
- `jobs`: importing a spreadsheet, backing up, parsing lot pages.
- `targets`: the goals from the issue and PASS/MISS per row.
- `report`: the table, the JSON file and bench/README.md.
- `runner`: ties them together.
"""
