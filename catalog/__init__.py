"""The collection: coins with their images, references, provenance and series; browsing them (the
listing engine shared by the coin list and the issuer and mint pages, filters, search, statistics),
curating them in the admin, importing and exporting spreadsheets.

May import: coinstack, numismatics, vocab, and auctions' models (a coin's linked and comparable
lots). Never ops.
"""
