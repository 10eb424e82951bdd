"""Auction records: houses, sales, lots; scraping them (`scraping/`: the one polite fetch(), a
parser per house, the store), their list and pages, and the `parse_lot_text` command.

May import: coinstack, numismatics, vocab, and from catalog only its models (a lot linked to a
coin, the shared citation fields). Never ops.
"""
