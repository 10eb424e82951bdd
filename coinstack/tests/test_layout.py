"""The packages depend on each other one way only: ops -> apps -> numismatics, every app -> coinstack.

Read from the source (the import statements of every module), so a new import in the wrong
direction fails here before it ties two packages together.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("numismatics", "coinstack", "vocab", "catalog", "auctions", "ops")


def imports_of(package: str, *, with_tests: bool = False) -> list[tuple[str, str]]:
    """(module path, imported module) for every import in the package's code (migrations included)."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT)
        if not with_tests and "tests" in relative.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.extend((str(relative), alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.append((str(relative), node.module))
                found.extend((str(relative), f"{node.module}.{alias.name}") for alias in node.names)
    return found


def top(module: str) -> str:
    return module.split(".")[0]


def test_every_package_is_found():
    for package in PACKAGES:
        assert imports_of(package), package


def test_numismatics_is_plain_python():
    """No Django and no app, tests included: the parsers run (and are tested) without a database."""
    wrong = [
        (path, module)
        for path, module in imports_of("numismatics", with_tests=True)
        if top(module) in {"django", "django_filters", "django_htmx", *PACKAGES} - {"numismatics"}
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("package", "may_not_import"),
    [
        ("coinstack", {"vocab", "catalog", "auctions", "ops"}),
        ("vocab", {"catalog", "auctions", "ops"}),
        ("catalog", {"ops"}),
        ("auctions", {"ops"}),
    ],
)
def test_dependencies_point_one_way(package, may_not_import):
    wrong = [(path, module) for path, module in imports_of(package) if top(module) in may_not_import]
    assert wrong == []


def test_auctions_takes_only_models_from_the_collection():
    wrong = [
        (path, module)
        for path, module in imports_of("auctions")
        if top(module) == "catalog" and not module.startswith("catalog.models")
    ]
    assert wrong == []


def test_no_module_outside_catalog_imports_its_views():
    wrong = [
        (path, module)
        for package in PACKAGES
        if package != "catalog"
        for path, module in imports_of(package, with_tests=True)
        if module.startswith("catalog.views")
    ]
    assert wrong == []


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_says_what_it_is_for_and_what_it_may_import(package):
    docstring = ast.get_docstring(ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8")))
    assert docstring and "import" in docstring, f"{package}/__init__.py needs its docstring"
