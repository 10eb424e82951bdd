"""Several images at once in the admin's coin form: one multiple-file input (files may be dropped on
it), what each picture shows chosen per file, the primary image chosen with one radio among the
coin's images and the new ones, and the files kept in the order they were chosen.

Every file passes coinstack's upload checks (validate_image_upload) before anything is written; a
bad one is named by its place and name, and the coin's other edits are not saved either (the admin
saves a change in one transaction, and a form error stops it before it starts).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from coinstack.security import validate_image_upload

from .choices import ImageKind
from .models import Coin, CoinImage

MAX_IMAGES_PER_UPLOAD = 24
PRIMARY_FIELD = "image_primary"  # "existing-<pk>" or "new-<index>"
KIND_FIELD = "new_image_kind"  # one per new file, in the files' order


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True
    template_name = "admin/catalog/coin/image_upload_widget.html"

    def __init__(self, attrs=None):
        super().__init__({"multiple": True, "accept": "image/*", **(attrs or {})})
        self.existing: list[CoinImage] = []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            existing=self.existing,
            kinds=ImageKind.choices,
            primary_field=PRIMARY_FIELD,
            kind_field=KIND_FIELD,
            limit=MAX_IMAGES_PER_UPLOAD,
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates, not the form renderer's (which reads Django's own only).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308


class MultipleImageField(forms.FileField):
    """The files of the multiple input, each checked like any image that enters CoinStack."""

    widget = MultipleImageInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_IMAGES_PER_UPLOAD:
            raise ValidationError(
                f"{len(files)} files were chosen; add at most {MAX_IMAGES_PER_UPLOAD} images at a time."
            )
        problems = []
        for number, upload in enumerate(files, start=1):
            try:
                super().clean(upload)
                validate_image_upload(upload)
            except ValidationError as error:
                name = str(getattr(upload, "name", ""))[:80]
                problems.append(f"Image {number} ({name}): {' '.join(error.messages)}")
            else:
                upload.seek(0)
        if problems:
            raise ValidationError(problems)
        return files


@dataclass
class ImagePlan:
    """What the form asked for: the new files with their kinds, and which image is to be primary."""

    new: list[tuple] = field(default_factory=list)  # (file, kind)
    primary_existing: int | None = None
    primary_new: int | None = None


def read_plan(data, files: list, coin: Coin | None) -> tuple[ImagePlan, list[str]]:
    """The plan from the submitted form (kinds and the primary radio), and what is wrong with it."""
    problems: list[str] = []
    kinds = data.getlist(KIND_FIELD)[: len(files)]
    kinds += [ImageKind.OTHER] * (len(files) - len(kinds))
    plan = ImagePlan()
    for number, (upload, kind) in enumerate(zip(files, kinds, strict=True), start=1):
        if kind not in ImageKind.values:
            problems.append(f'Image {number}: "{kind[:30]}" is not a kind of picture we know.')
        plan.new.append((upload, kind))
    choice = (data.get(PRIMARY_FIELD) or "")[:40]
    where, _, number = choice.partition("-")
    if choice and not number.isdigit():
        problems.append("The primary image choice was not understood; choose it again.")
    elif where == "new":
        index = int(number)
        if index >= len(files):
            problems.append("The image chosen as primary was not among the files added; choose it again.")
        plan.primary_new = index
    elif where == "existing":
        pk = int(number)
        if coin is None or coin.pk is None or not CoinImage.objects.filter(coin=coin, pk=pk).exists():
            problems.append("The image chosen as primary is not one of this coin's; choose it again.")
        plan.primary_existing = pk
    return plan, problems


def apply_plan(coin: Coin, plan: ImagePlan) -> int:
    """Add the new images after the coin's others, in order, and set the primary one. A coin that
    had no primary image gets its first new one when none was chosen. Returns images added."""
    last = coin.images.aggregate(last=Max("position"))["last"]
    start = 0 if last is None else last + 1
    added = []
    for offset, (upload, kind) in enumerate(plan.new):
        image = CoinImage(coin=coin, image=upload, kind=kind, position=start + offset)
        image.save()
        added.append(image)
    if plan.primary_new is not None and plan.primary_new < len(added):
        added[plan.primary_new].make_primary()
    elif plan.primary_existing is not None:
        CoinImage.objects.get(coin=coin, pk=plan.primary_existing).make_primary()
    elif added and not coin.images.filter(is_primary=True).exists():
        added[0].make_primary()
    return len(added)
