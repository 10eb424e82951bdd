"""Coin types: the OCRE and CRRO type tables, resolving a catalogue citation to the one type it
denotes, and suggesting types from what a description says.

Plain Python like the rest of `numismatics` (no Django): `table` reads the derived tables shipped in
numismatics/data/types/ (ODbL 1.0, see SOURCES.md there) into memory once per process; `citations`
knows how RIC and Crawford are numbered (volumes, editions, sections by emperor or by mint,
subtypes); `resolve` turns a parsed citation into a type or a reason why not; `legends` normalises and
compares legends; `context` reads what a description or a coin says into nomisma ids; `suggest`
ranks types for a coin without a resolvable citation; `identify` puts them together for one text.
The vocab app stores the same tables as `vocab.CoinType` and links references to them.
"""
