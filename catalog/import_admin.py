"""The admin's view of imports: each import with what it did (read-only: the log of how coins came
in), the coins it created or changed, and the column mappings remembered per header row."""

from django.contrib import admin
from django.utils.html import format_html

from .models import ColumnMapping, ImportBatch, ImportedCoin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log is read, never written by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "created_at",
        "source",
        "file_name",
        "created",
        "updated",
        "unchanged",
        "failed",
        "coins",
    )
    list_filter = ("source",)
    search_fields = ("file_name",)
    date_hierarchy = "created_at"

    @admin.display(description="Coins")
    def coins(self, batch):
        return format_html('<a href="/coins/?import_batch={}">created or changed</a>', batch.pk)


@admin.register(ImportedCoin)
class ImportedCoinAdmin(ReadOnlyAdmin):
    list_display = ("batch", "row", "coin", "action")
    list_filter = ("action",)
    list_select_related = ("batch", "coin")
    raw_id_fields = ("batch", "coin")


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ("id", "columns", "updated_at")
    readonly_fields = ("headers_key", "headers", "updated_at")

    @admin.display(description="Columns")
    def columns(self, mapping):
        return ", ".join(str(h) for h in mapping.headers[:8]) + (" …" if len(mapping.headers) > 8 else "")
