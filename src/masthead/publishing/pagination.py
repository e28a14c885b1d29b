"""Page numbers from the query string, forgiving of junk but not of nonsense."""

from django.core.paginator import Page, Paginator
from django.http import Http404


def paginate(request, queryset, per_page: int) -> Page:
    """The requested page; junk (``abc``, ``-1``) means page 1, past the end is a 404."""
    paginator = Paginator(queryset, per_page)
    raw = request.GET.get("page", "1")
    number = max(int(raw), 1) if raw.isascii() and raw.isdigit() else 1
    if number > paginator.num_pages:
        raise Http404("No such page.")
    return paginator.page(number)
