"""The issuers and mints indexes, grouped the way collectors look for them: issuers by dynasty (or,
without one, by what they were: cities, magistrates...), in order of reign; mints by region.

Pure functions over terms already fetched (each with `coin_count`): the pages' queries stay fixed
whatever the number of terms.
"""

from dataclasses import dataclass, field

from vocab.models import IssuerKind

# Issuers without a dynasty are grouped by their kind, named in the plural.
KIND_GROUPS = {
    IssuerKind.EMPEROR: "Emperors",
    IssuerKind.EMPRESS: "Empresses",
    IssuerKind.CAESAR: "Caesars",
    IssuerKind.USURPER: "Usurpers",
    IssuerKind.KING: "Kings",
    IssuerKind.QUEEN: "Queens",
    IssuerKind.CITY: "Cities",
    IssuerKind.MAGISTRATE: "Magistrates",
    IssuerKind.MONEYER: "Moneyers",
}
NO_REGION = "Region not recorded"


@dataclass
class TermGroup:
    name: str
    terms: list = field(default_factory=list)

    @property
    def coin_count(self) -> int:
        return sum(term.coin_count for term in self.terms)


def _year(value: int | None) -> float:
    return float("inf") if value is None else value  # undated last


def group_issuers(issuers) -> list[TermGroup]:
    """By dynasty (or kind), groups in order of their first reign, issuers in order of reign."""
    groups: dict[str, TermGroup] = {}
    for issuer in issuers:
        name = issuer.dynasty or KIND_GROUPS.get(issuer.kind, "Other issuers")
        groups.setdefault(name, TermGroup(name)).terms.append(issuer)
    for group in groups.values():
        group.terms.sort(key=lambda term: (_year(term.reign_start), _year(term.reign_end), term.name))
    return sorted(groups.values(), key=lambda group: (_year(group.terms[0].reign_start), group.name))


def region_name(nomisma_id: str) -> str:
    """nomisma's region id as a heading: "asia_minor" -> "Asia Minor"."""
    return nomisma_id.replace("_", " ").replace("-", " ").title()


def group_mints(mints, regions: dict[int, str]) -> list[TermGroup]:
    """By region (`regions`: mint id -> nomisma region id), regions by name, the unknown last;
    mints by name."""
    groups: dict[str, TermGroup] = {}
    for mint in mints:
        region = regions.get(mint.pk)
        name = region_name(region) if region else NO_REGION
        groups.setdefault(name, TermGroup(name)).terms.append(mint)
    for group in groups.values():
        group.terms.sort(key=lambda term: term.name)
    return sorted(groups.values(), key=lambda group: (group.name == NO_REGION, group.name))
