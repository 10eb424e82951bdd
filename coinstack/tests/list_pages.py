"""Reading a list page's HTML in tests: a facet option's count and the number of results shown
(the coin list, an issuer's or a mint's coins, the lot list, and their facets endpoints)."""

import re


def facet_count(html: str, name: str, value: str) -> int | None:
    """The count the facet panel shows beside the option `value` of facet `name`; None without one."""
    match = re.search(
        rf'name="{name}" value="{re.escape(value)}"[^>]*> <span class="facet-label">[^<]*</span> '
        rf'<span class="count">(\d+)</span>',
        html,
    )
    return int(match.group(1)) if match else None


def results_count(html: str) -> int:
    """The number of results the page says it lists."""
    return int(re.search(r'class="results-count"><strong>(\d+)</strong>', html).group(1))
