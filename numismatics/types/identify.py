"""One text in, its types out: the citations it makes, resolved, and the types it suggests.

The shape `manage.py identify_type` prints: {"cited": [...], "suggested": [...]}.
"""

from __future__ import annotations

from numismatics.description import LotDescription, parse_description

from .context import TypeContext, context_from_description
from .resolve import Resolution, is_type_citation, resolve
from .suggest import Suggestion, suggester


def resolutions(
    text: str, context: TypeContext | None = None, described: LotDescription | None = None
) -> list[Resolution]:
    """Every RIC and Crawford citation of a description, resolved with the description as context."""
    described = described or parse_description(text)
    context = context or context_from_description(described, text)
    out = []
    for citations, cf in ((described.references, False), (described.cf_references, True)):
        for citation in citations:
            if is_type_citation(citation):
                if cf and not citation.is_cf:
                    citation = type(citation)(**{**citation.__dict__, "is_cf": True})
                out.append(resolve(citation, context))
    return out


def identify(text: str, *, ignore_references: bool = False, limit: int = 5) -> dict:
    """{"cited": [...], "suggested": [...]} for one description (see manage.py identify_type)."""
    described = parse_description(text)
    context = context_from_description(described, text)
    cited: list[dict] = []
    if not ignore_references:
        for resolution in resolutions(text, context, described):
            cited.append(_cited_json(resolution))
    known = any(item["uri"] and not item["cf"] for item in cited)
    suggested: list[Suggestion] = [] if known else suggester().suggest(context, limit=limit)
    return {"cited": cited, "suggested": [s.as_json() for s in suggested]}


def _cited_json(resolution: Resolution) -> dict:
    item = {"citation": resolution.text, "uri": resolution.uri, "cf": resolution.is_cf}
    if resolution.message:
        item["problem"] = resolution.message
    if resolution.note:
        item["note"] = resolution.note
    if resolution.status == "ambiguous":
        item["candidates"] = [r.uri for r in resolution.candidates[:10]]
    return item
