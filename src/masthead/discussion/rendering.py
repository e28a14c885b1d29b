"""Comments as HTML: the thread under an article, or one comment for the page's script.

The thread is the one part of a page that grows with its readers. Through
Django's template engine a 500-comment thread took about 150 ms, nearly all of
it per-node overhead of the recursive include; the same markup in one compiled
Jinja2 template (discussion/_comments.jinja) takes a few milliseconds.
"""

from functools import cache

import jinja2
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe

from masthead.discussion.querysets import CommenterRole
from masthead.discussion.thread import shown_comment
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


def _url_maker(name: str):
    pattern = reverse(name, args=[_PK])
    return lambda pk: pattern.replace(str(_PK), str(pk))


def _dates():
    """Formatters for a comment's time, in the site's zone: ISO and "May 4, 2026 at 09:15"."""
    zone = timezone.get_current_timezone()
    months = {number: str(name) for number, name in MONTHS.items()}

    def when(value):
        local = value.astimezone(zone)
        return f"{months[local.month]} {local.day}, {local.year} at {local:%H:%M}"

    return (lambda value: value.astimezone(zone).isoformat()), when


def render_comments(
    nodes, *, open: bool, own=(), csrf_token: str = "", provider_names=None
) -> SafeString:
    """``nodes`` are thread nodes (``comment`` and ``replies``), objects or dicts."""
    iso, when = _dates()
    html = _template().render(
        thread=nodes,
        open=open,
        own=own,
        csrf_token=csrf_token,
        provider_label=lambda provider: provider_label(provider, provider_names),
        role_badges=ROLE_BADGES,
        iso=iso,
        when=when,
        like_url=_url_maker("discussion:like-comment"),
        edit_url=_url_maker("discussion:edit-comment"),
        delete_url=_url_maker("discussion:delete-comment"),
    )
    return mark_safe(html)


def render_comment(comment, *, request, own=(), open=True) -> SafeString:
    """One comment on its own, as the page's script inserts it."""
    return render_comments(
        [{"comment": shown_comment(comment), "replies": []}],
        open=open,
        own=own,
        provider_names=commenter.provider_names(request),
    )
