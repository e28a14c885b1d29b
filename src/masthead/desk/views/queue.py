"""The moderation queue: one page, its filters, and the step before emptying spam."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from masthead.desk import access, queue
from masthead.desk.filters import STATUSES, QueueFilters
from masthead.desk.menu import menu
from masthead.desk.responses import with_verbs


@access.moderators_only
@require_GET
def moderation(request):
    filters = QueueFilters.read(request.GET)
    page = Paginator(queue.comments(filters), queue.PER_PAGE).get_page(filters.page)
    shared = menu(request, "moderation")
    counts = shared["counts"]
    # The tabs count what they would list: with a post chosen, that post's comments.
    tab_counts = queue.status_counts(filters.post) if filters.post else counts
    context = {
        **shared,
        "filters": filters,
        "page": page,
        "rows": [with_verbs(comment) for comment in page],
        "tabs": [
            (status, tab_counts[status], filters.query(status=status, page=1))
            for status in STATUSES
        ],
        "post": queue.filtered_post(filters),
        "all_posts": filters.query(post=None, page=1),
        "newer": _page_link(filters, page, page.has_previous(), -1),
        "older": _page_link(filters, page, page.has_next(), +1),
        "can_delete": access.can_delete(request.user),
    }
    return render(request, "desk/moderation/queue.html", context)


def _page_link(filters: QueueFilters, page, exists: bool, step: int) -> str | None:
    # "?" rather than "" when it leads to the default view, so the link is never empty.
    return (filters.query(page=page.number + step) or "?") if exists else None
