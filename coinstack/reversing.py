"""Django's `reverse()`, remembered: the addresses a page writes once per row (a card's coin, a lot
row's lot, a value's evidence) and once per page (the navigation).

`reverse()` matches the name against the URL patterns on every call. Lists write one address per row:
under the load test reversing was 3.3 % of the server's CPU. The URL patterns do not change while a
process serves, so an address whose arguments are whole numbers is written from a template made once
per name, number of arguments and script prefix (the address of distinctive marker numbers, split
at them); one whose arguments are strings is remembered whole; one with any other argument (a model
instance, a lazy string) is reversed every time, as its address follows a str() that may change.
The remembered ones are forgotten when the URL configuration changes (`setting_changed`, as the
tests' overrides send it).

Django templates' `{% url %}` uses it too: coinstack.template_urls replaces the built-in tag
(TEMPLATES' `builtins`), so the navigation's dozen addresses on every page are not matched again.
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse

# Whole numbers no address of ours holds: reversed in place of the arguments, then split at.
_MARKERS = tuple(str(9_007_199_254_740_881 + n) for n in range(4))


@lru_cache(maxsize=256)
def _template(prefix: str, name: str, count: int, current_app: str | None) -> tuple[str, ...] | None:
    """The address of `name` for `count` whole-number arguments, split where they go; None when
    the pattern's converters write a number other than as its digits (it is reversed each time)."""
    address = reverse(name, args=[int(m) for m in _MARKERS[:count]], current_app=current_app)
    parts = []
    for marker in _MARKERS[:count]:
        before, found, address = address.partition(marker)
        if not found or marker in address:
            return None
        parts.append(before)
    parts.append(address)
    return tuple(parts)


@lru_cache(maxsize=4096)
def _reversed(prefix: str, name: str, args: tuple, current_app: str | None) -> str:
    return reverse(name, args=args, current_app=current_app)


def cached_reverse(name: str, *args, current_app: str | None = None) -> str:
    """`reverse(name, args=args)`, the same address, without matching the patterns again."""
    prefix = get_script_prefix()  # reverse() starts every address with it
    if 0 < len(args) <= len(_MARKERS) and all(type(a) is int and a >= 0 for a in args):
        parts = _template(prefix, name, len(args), current_app)
        if parts is not None:
            pieces = [parts[0]]
            for arg, part in zip(args, parts[1:], strict=True):
                pieces += (str(arg), part)
            return "".join(pieces)
    if all(type(a) in (str, int) for a in args):
        return _reversed(prefix, name, args, current_app)
    # Anything else (a model instance, a lazy string, a list) is reversed as it is: its address
    # follows its str(), which a remembered key would not see change.
    return reverse(name, args=args, current_app=current_app)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _template.cache_clear()
        _reversed.cache_clear()
