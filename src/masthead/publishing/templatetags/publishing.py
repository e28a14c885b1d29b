"""Template helpers for the default theme."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from masthead.lib.urls import absolute
from masthead.publishing import images

register = template.Library()


register.filter("absolute", absolute)


@register.simple_tag
def figure_img(figure, sizes="(min-width: 50rem) 48rem, 100vw", loading="lazy"):
    """An <img> for a figure with its responsive renditions."""
    if figure is None:
        return ""
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}" '
        'loading="{}" decoding="async">',
        figure.image.url,
        images.srcset(figure),
        sizes,
        figure.alt_text,
        figure.width,
        figure.height,
        loading,
    )


@register.simple_tag
def byline(post) -> str:
    """'By A', 'By A and B', 'By A, B and C' with each name linking to its archive."""
    people = [
        format_html('<a href="{}" rel="author">{}</a>', a.get_absolute_url(), a.display_name)
        for a in post.ordered_authors()
    ]
    if not people:
        return ""
    names = people[0] if len(people) == 1 else ", ".join(people[:-1]) + " and " + people[-1]
    # Each part was escaped by format_html above.
    return format_html("By {}", mark_safe(names))
