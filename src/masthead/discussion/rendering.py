"""Comments as HTML: the thread under an article, or one comment for the page's script.

The thread is the one part of a page that grows with its readers. Each comment
is a card rendered by one compiled Jinja2 template (discussion/_comment_cards.jinja),
and the thread nests the cards in Python. A card is a pure function of the
comment's shown columns and of the render's context, so a worker keeps the cards
it rendered, keyed by exactly those inputs: when a new comment renews an
article's page, the other 499 cards of the thread are not rendered again. Any
change to what a card shows (an edit, a like, a status, a role) is a new key,
so a kept card is never stale; only memory is spent, and that is bounded.
"""

import secrets
import threading
from collections import OrderedDict
from functools import cache, lru_cache

import jinja2
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

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
    return environment.get_template("discussion/_comment_cards.jinja")


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
    """The URL of a comment's page as a ``%d`` pattern."""
    return _reversed_pattern(name, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=64)
def _reversed_pattern(name: str, prefix: str, urlconf) -> str:
    # Reversing costs more than rendering a card; the answer only changes with these.
    return reverse(name, args=[_PK]).replace("%", "%%").replace(str(_PK), "%d")


@lru_cache(maxsize=16)
def _month_names(language: str | None) -> dict[int, str]:
    return {number: str(name) for number, name in MONTHS.items()}


def _stamper():
    """A comment's time in the site's zone, as ISO and as "May 4, 2026 at 09:15"."""
    zone = timezone.get_current_timezone()
    months = _month_names(get_language())

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


# Splits the template's output into cards: random, so no comment's text holds it.
_SEP = f"\x1e{secrets.token_hex(8)}\x1e"
# Cards kept per worker: about 1.3 kB each, so the cap holds a few MB.
CARDS_KEPT = 4000


class _Cards:
    """The cards this process rendered, least recently used dropped first."""

    def __init__(self, limit: int):
        self.limit = limit
        self._cards: OrderedDict = OrderedDict()
        self._lock = threading.Lock()  # the development server renders in threads

    def get(self, key):
        with self._lock:
            card = self._cards.get(key)
            if card is not None:
                self._cards.move_to_end(key)
            return card

    def put(self, key, card: str) -> None:
        with self._lock:
            self._cards[key] = card
            while len(self._cards) > self.limit:
                self._cards.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._cards.clear()


cards = _Cards(CARDS_KEPT)


def render_comments(
    nodes, *, open: bool, own=(), csrf_token: str = "", provider_names=None
) -> SafeString:
    """``nodes`` are thread nodes (``comment`` and ``replies``)."""
    order = reading_order(nodes)
    zone = timezone.get_current_timezone()
    # Everything besides the comment's own columns that a card shows.
    context = (open, csrf_token, str(zone), tuple(sorted((provider_names or {}).items())))
    # A shown comment's attributes come in one order (thread.SHOWN, then what the thread
    # adds), so their values alone name it: a tenth of the cost of its items.
    keys = [(context, tuple(c.__dict__.values()), c.id in own) for c, *_ in order]
    shown = [cards.get(key) for key in keys]
    missing = [i for i, card in enumerate(shown) if card is None]
    if missing:
        html = _template().render(
            cards=[order[i][0] for i in missing],
            sep=_SEP,
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
        for i, card in zip(missing, html.split(_SEP), strict=False):
            shown[i] = card
            cards.put(keys[i], card)
    parts = []
    for card, (_, nested, closes, last) in zip(shown, order, strict=True):
        parts.append(card)
        if nested:
            parts.append(_OPEN_REPLIES)
        else:
            parts.append(_CLOSE_COMMENT + _CLOSE_REPLIES * closes + ("\n" if last else ""))
    return mark_safe("".join(parts))


# The thread's structure around the cards.
_OPEN_REPLIES = '\n  <ol class="children">\n    '
_CLOSE_COMMENT = "\n</li>"
_CLOSE_REPLIES = "\n  </ol>\n</li>"


def render_comment(comment, *, request, own=(), open=True) -> SafeString:
    """One comment on its own, as the page's script inserts it."""
    return render_comments(
        [Node(shown_comment(comment))],
        open=open,
        own=own,
        provider_names=commenter.provider_names(request),
    )
