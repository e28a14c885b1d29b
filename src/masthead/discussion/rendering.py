"""Comments as HTML: the thread under an article, or one comment for the page's script.

The thread is the one part of a page that grows with its readers. Through
Django's template engine a 500-comment thread took about 150 ms, nearly all of
it per-node overhead of the recursive include; the same markup in one compiled
Jinja2 template (discussion/_comments.jinja) takes a few milliseconds. The
template walks the thread as one flat list (``reading_order``) and builds links
with ``%``: a macro or function call per comment cost a fifth of the render.
"""

from functools import cache

import jinja2
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe

from masthead.discussion.querysets import CommenterRole
from masthead.discussion.thread import Node, shown_comment
from masthead.identity import commenter

_PK = 987654321  # stands for the comment's id in URLs reversed once per render


@cache
def _template() -> jinja2.Template:
    dirs = [str(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(dirs), autoescape=True, auto_reload=settings.DEBUG
    )
    return environment.get_template("discussion/_comments.jinja")


# The badge of a commenter the site knows: its text and what it means.
ROLE_BADGES = {
    CommenterRole.AUTHOR: ("Author", "Wrote this article"),
    CommenterRole.STAFF: ("Staff", "Works for this publication"),
}


def provider_label(provider_id: str, names: dict | None) -> str:
    """The badge text for a logged-in comment: the provider's name, or Member."""
    if not provider_id or provider_id == commenter.LOCAL:
        return "Member"
    return (names or {}).get(provider_id) or provider_id.replace("_", " ").title()


def _url_pattern(name: str) -> str:
    """The URL of a comment's page as a ``%d`` pattern, reversed once per render."""
    return reverse(name, args=[_PK]).replace("%", "%%").replace(str(_PK), "%d")


def _stamper():
    """A comment's time in the site's zone, as ISO and as "May 4, 2026 at 09:15"."""
    zone = timezone.get_current_timezone()
    months = {number: str(name) for number, name in MONTHS.items()}

    def stamp(value):
        local = value.astimezone(zone)
        day = f"{months[local.month]} {local.day}, {local.year}"
        return local.isoformat(), f"{day} at {local.hour:02}:{local.minute:02}"

    return stamp


def reading_order(nodes) -> list[tuple]:
    """The thread as the page reads it: (comment, has replies, reply lists closed
    after it, ends a top-level comment), one tuple a comment."""
    order = []

    def walk(level_nodes, top: bool) -> None:
        for node in level_nodes:
            order.append([node.comment, bool(node.replies), 0, top and not node.replies])
            if node.replies:
                walk(node.replies, False)
                # The last comment under this one closes its list of replies, and its own.
                order[-1][2] += 1
                order[-1][3] |= top

    walk(nodes, True)
    return [tuple(entry) for entry in order]


def render_comments(
    nodes, *, open: bool, own=(), csrf_token: str = "", provider_names=None
) -> SafeString:
    """``nodes`` are thread nodes (``comment`` and ``replies``)."""
    html = _template().render(
        comments=reading_order(nodes),
        open=open,
        own=own,
        csrf_token=csrf_token,
        provider_label=lambda provider: provider_label(provider, provider_names),
        role_badges=ROLE_BADGES,
        stamp=_stamper(),
        like_url=_url_pattern("discussion:like-comment"),
        edit_url=_url_pattern("discussion:edit-comment"),
        delete_url=_url_pattern("discussion:delete-comment"),
    )
    return mark_safe(html)


def render_comment(comment, *, request, own=(), open=True) -> SafeString:
    """One comment on its own, as the page's script inserts it."""
    return render_comments(
        [Node(shown_comment(comment))],
        open=open,
        own=own,
        provider_names=commenter.provider_names(request),
    )
