"""Synthetic collections for demos and load tests: `generate_collection()` builds coins, images,
series, auction houses, sales and lots from our own tables and a seeded random generator, so the
same seed gives the same collection."""

from .generate import GenerationResult, generate_collection

__all__ = ["GenerationResult", "generate_collection"]
