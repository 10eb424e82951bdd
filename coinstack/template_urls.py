"""`{% url %}` for Django templates, with the addresses remembered (coinstack.reversing): a library
in TEMPLATES' `builtins` (settings), so every template's `{% url %}` is this one. The same syntax and
result as Django's tag; with keyword arguments it is Django's tag itself."""

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from coinstack.reversing import cached_reverse

register = template.Library()


class RememberedURLNode(defaulttags.URLNode):
    def render(self, context) -> str:
        if self.kwargs:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        name = self.view_name.resolve(context)
        # The application instance, found as Django's tag finds it (the admin sets current_app).
        request = getattr(context, "request", None)
        try:
            current_app = request.current_app
        except AttributeError:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        try:
            address = cached_reverse(name, *args, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
            address = ""
        if self.asvar:
            context[self.asvar] = address
            return ""
        return conditional_escape(address) if context.autoescape else address


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
