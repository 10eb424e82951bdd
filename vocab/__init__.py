"""The controlled vocabularies: issuers, mints and denominations with their aliases and nomisma ids,
matching a name as written to its term, merging duplicates, and `load_vocab` (which reads
numismatics/data/, the same names the parsers know).

May import: coinstack and numismatics only; the other apps build on it.
"""
