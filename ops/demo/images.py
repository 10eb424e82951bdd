"""Small coin-like pictures drawn with Pillow: a toned disc, a beaded rim, a legend ring and a motif.

They are a few KB each, so a demo collection looks like a collection without shipping photographs.
"""

from __future__ import annotations

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

SIZE = 160
METAL_COLOURS = {
    "gold": (212, 175, 55),
    "electrum": (200, 180, 110),
    "silver": (192, 192, 196),
    "billon": (160, 150, 140),
    "orichalcum": (181, 150, 80),
    "bronze": (140, 100, 60),
    "copper": (150, 90, 60),
    "lead": (120, 120, 125),
    "potin": (130, 120, 100),
}


def coin_jpeg(rng: random.Random, metal: str, initials: str, reverse: bool) -> bytes:
    """A JPEG of one face: the obverse shows the issuer's initials, the reverse a star-like device."""
    base = METAL_COLOURS.get(metal, (150, 130, 100))
    tone = tuple(max(0, min(255, c + rng.randint(-25, 25))) for c in base)
    img = Image.new("RGB", (SIZE, SIZE), (28, 28, 30))
    draw = ImageDraw.Draw(img)
    wobble = rng.randint(-4, 4)
    box = (8 + wobble, 8, SIZE - 8, SIZE - 8 - wobble)  # flans are never perfectly round
    draw.ellipse(box, fill=tone)
    dark = tuple(int(c * 0.6) for c in tone)
    light = tuple(min(255, int(c * 1.25)) for c in tone)
    centre = SIZE / 2
    for i in range(48):  # beaded border
        angle = 2 * math.pi * i / 48
        x, y = centre + 62 * math.cos(angle), centre + 62 * math.sin(angle)
        draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=dark)
    for i in range(18):  # legend ring: blocks standing in for letters
        angle = 2 * math.pi * (i / 24) + 0.6
        x, y = centre + 52 * math.cos(angle), centre + 52 * math.sin(angle)
        draw.rectangle((x - 2, y - 3, x + 2, y + 3), fill=dark)
    if reverse:
        points = rng.randint(5, 8)
        for i in range(points):
            angle = 2 * math.pi * i / points
            draw.line(
                (centre, centre, centre + 32 * math.cos(angle), centre + 32 * math.sin(angle)),
                fill=dark,
                width=4,
            )
        draw.ellipse((centre - 8, centre - 8, centre + 8, centre + 8), fill=light)
    else:
        # A bust right: shoulders, neck, head, a wreath of dots, and the issuer's initials behind.
        draw.pieslice((centre - 40, centre + 8, centre + 34, centre + 70), 180, 360, fill=light, outline=dark)
        draw.rectangle((centre - 10, centre - 4, centre + 8, centre + 22), fill=light)
        draw.ellipse((centre - 24, centre - 40, centre + 22, centre + 8), fill=light, outline=dark, width=2)
        draw.polygon(
            [(centre + 20, centre - 18), (centre + 30, centre - 8), (centre + 20, centre - 4)], fill=light
        )
        for i in range(7):
            draw.ellipse(
                (
                    centre - 22 + 6 * i,
                    centre - 42 + abs(3 - i),
                    centre - 17 + 6 * i,
                    centre - 37 + abs(3 - i),
                ),
                fill=dark,
            )
        draw.text((centre - 44, centre - 6), initials[:3], fill=dark)
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=70, optimize=True)
    return out.getvalue()
