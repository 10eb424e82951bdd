"""Numismatics as plain Python: reading what collectors and auction houses write into structured data.

Pure functions from text to values, with no Django and no database: dates and reigns (`dates`,
`years`), metals, grades, categories, legends, measurements, money, prices on one footing (`pricing`:
the buyer's premium rules and the arithmetic of a converted price), catalogue citations and type
URIs (`references`), provenance lines, whole lot descriptions (`description`, cut into description,
provenance and commentary by `lottext`), lot pages given as text (`lotpage`, with `calendar_dates`
and the auction houses of `houses`), the names of issuers, mints and denominations (`names`, read
from `data/*.json`, which `vocab`'s `load_vocab` loads into the database too), and coin types
(`types`: the OCRE/CRRO tables of `data/types/`, citations resolved against them, types suggested
from descriptions).

May import: the standard library and itself only (coinstack/tests/test_layout.py checks it). The
apps import from here; nothing here imports them.
"""
