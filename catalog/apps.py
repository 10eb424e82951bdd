from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Collection"
    default_auto_field = "django.db.models.BigAutoField"

    def warm(self) -> None:
        """What a server process keeps for the value and statistics pages, read before it serves
        (coinstack.warmup): the ECB's rate history, and the collection's spending converted per
        year (the first /stats/ of a process otherwise converts every purchase day)."""
        from catalog.valuation.collection import spent_converted
        from catalog.valuation.rates import supported

        supported("EUR")  # reads the history once per process
        spent_converted()
