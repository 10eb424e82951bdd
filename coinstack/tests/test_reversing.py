"""coinstack.reversing and the `{% url %}` built on it: the same addresses as Django's reverse()."""

import pytest
from django.template import Context, Engine, RequestContext, Template
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from coinstack.reversing import cached_reverse


@pytest.fixture(autouse=True)
def _prefix():
    yield
    set_script_prefix("/")


@pytest.mark.parametrize("prefix", ["/", "/collection/"])
def test_addresses_are_django_s(prefix):
    set_script_prefix(prefix)
    for pk in (0, 1, 7, 42, 10**6, 2**63 - 1):
        assert cached_reverse("catalog:coin_detail", pk) == reverse("catalog:coin_detail", args=[pk])
        assert cached_reverse("auctions:lot_detail", pk) == reverse("auctions:lot_detail", args=[pk])
    assert cached_reverse("catalog:coin_list") == reverse("catalog:coin_list")
    slug = "denarii-of-trajan"
    assert cached_reverse("catalog:series_detail", slug) == reverse("catalog:series_detail", args=[slug])
    assert cached_reverse("catalog:series_detail", 12) == reverse("catalog:series_detail", args=[12])
    assert cached_reverse("catalog:coin_detail", 5) == f"{prefix}coins/5/"


def test_what_reverse_refuses_is_refused():
    for args in ((-1,), ("x",), (1, 2), (True,), ()):
        with pytest.raises(NoReverseMatch):
            reverse("catalog:coin_detail", args=list(args))
        with pytest.raises(NoReverseMatch):
            cached_reverse("catalog:coin_detail", *args)
    with pytest.raises(NoReverseMatch):
        cached_reverse("catalog:no_such_page")


def test_a_changed_url_configuration_is_followed():
    before = cached_reverse("catalog:coin_detail", 3)
    with override_settings(ROOT_URLCONF="coinstack.tests.urls_moved"):
        assert cached_reverse("catalog:coin_detail", 3) == "/moved/coins/3/"
        assert cached_reverse("catalog:coin_list") == "/moved/coins/"
    assert cached_reverse("catalog:coin_detail", 3) == before == "/coins/3/"


@pytest.mark.parametrize(
    "text",
    [
        "{% url 'catalog:coin_detail' pk %}",
        "{% url 'catalog:coin_list' %}?q=a",
        "{% url 'catalog:series_detail' slug %}",
        "{% url 'catalog:coin_detail' pk=pk %}",
        "{% url 'catalog:coin_detail' pk as where %}[{{ where }}]",
        "{% url 'catalog:no_such_page' as where %}[{{ where }}]",
        "{% url name pk %}",
        "{% url 'admin:index' %}",
        "{% url 'media' file %}",
        "{% autoescape off %}{% url 'media' file %}{% endautoescape %}",
    ],
)
def test_the_url_tag_writes_what_django_s_writes(text, rf: RequestFactory):
    values = {"pk": 12, "slug": "denarii", "file": "coins/a&b <c>.jpg", "name": "auctions:lot_detail"}
    request = rf.get("/")
    request.current_app = "admin"
    for context in (Context(values), RequestContext(request, values)):
        ours = Template(text).render(context)
        # Django's own tag: an engine without the project's builtin.
        theirs = Engine().from_string(text).render(context)
        assert ours == theirs


def test_an_address_that_does_not_exist_is_an_error_in_a_page():
    with pytest.raises(NoReverseMatch):
        Template("{% url 'catalog:no_such_page' %}").render(Context())


def test_the_project_s_templates_use_the_remembering_tag():
    from coinstack.template_urls import RememberedURLNode

    nodes = Template("{% url 'catalog:coin_list' %}").nodelist
    assert isinstance(nodes[0], RememberedURLNode)


def test_an_argument_whose_text_may_change_is_reversed_every_time():
    class Named:
        def __init__(self, text):
            self.text = text

        def __str__(self):
            return self.text

        def __hash__(self):
            return 1

        def __eq__(self, other):
            return True

    named = Named("first-series")
    assert cached_reverse("catalog:series_detail", named) == "/series/first-series/"
    named.text = "renamed-series"
    assert cached_reverse("catalog:series_detail", named) == "/series/renamed-series/"
    assert cached_reverse("catalog:series_detail", Named("other")) == "/series/other/"
