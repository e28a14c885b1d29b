"""The Fediverse's reactions to an article, for its page."""

from django import template
from django.db.models import Count

from masthead.federation.models import ReactionKind

register = template.Library()


@register.inclusion_tag("federation/_reactions.html")
def fediverse_reactions(post):
    counts = dict(
        post.fediverse_reactions.values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return {
        "likes": counts.get(ReactionKind.LIKE, 0),
        "boosts": counts.get(ReactionKind.ANNOUNCE, 0),
    }
