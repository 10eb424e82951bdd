from django.apps import AppConfig


class VocabConfig(AppConfig):
    name = "vocab"
    verbose_name = "Vocabularies"
    default_auto_field = "django.db.models.BigAutoField"
