"""Running an installation: backups and verified restores (`backups/`), the backup taken before
`migrate` (its `migrate` command overrides Django's), `check_indexes` (`indexcheck`), the benchmark
(`benchmark/`), and the demo and synthetic collections (`demo/`, `setup_demo`,
`generate_collection`), with the admin's backup-age banner.

May import: coinstack, numismatics and the apps (vocab, catalog, auctions), whose data it backs
up, measures and generates. No app imports ops.
"""
