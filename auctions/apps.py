from django.apps import AppConfig


class AuctionsConfig(AppConfig):
    name = "auctions"
    verbose_name = "Auction records"
    default_auto_field = "django.db.models.BigAutoField"
