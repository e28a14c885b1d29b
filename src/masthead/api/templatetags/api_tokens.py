from django import template

from masthead.api.forms import TokenForm
from masthead.api.tokens import may_hold_tokens

register = template.Library()


@register.inclusion_tag("api/_tokens.html", takes_context=True)
def api_tokens(context):
    """The staff member's API tokens on their profile page, with the forms to manage them."""
    request = context["request"]
    user = request.user
    allowed = may_hold_tokens(user)
    return {
        "allowed": allowed,
        "tokens": list(user.api_tokens.all()) if allowed else [],
        "form": TokenForm(),
        "csrf_token": context.get("csrf_token"),
    }
