"""Single articles and pages, public and in staff preview."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from masthead.publishing import calendar, permissions
from masthead.publishing.caching import reader_page
from masthead.publishing.models import Page, Post
from masthead.publishing.querysets import bylines

_ARTICLE = Post.objects.select_related("lead_figure").prefetch_related(
    bylines(), "categories", "tags", "notes"
)


@reader_page()
def post_detail(request, year, month, day, slug):
    start, end = calendar.day_span(year, month, day)
    post = get_object_or_404(
        _ARTICLE.published(), slug=slug, published_at__gte=start, published_at__lt=end
    )
    return render_post(request, post)


def render_post(request, post, *, preview=False, extra=None, status=200):
    """The article page; other apps pass ``extra`` context (a bound form, say)."""
    public = Post.objects.published().only("title", "slug", "published_at")
    context = {
        "post": post,
        "preview": preview,
        # The lead figure tops the article unless the body already places it.
        "show_lead_figure": post.lead_figure_id
        and f"figure:{post.lead_figure_id})" not in post.body,
    }
    if post.published_at:
        context["previous_post"] = (
            public.filter(published_at__lt=post.published_at).order_by("-published_at").first()
        )
        context["next_post"] = (
            public.filter(published_at__gt=post.published_at).order_by("published_at").first()
        )
    context.update(extra or {})
    return render(request, "publishing/post_detail.html", context, status=status)


@reader_page()
def page_detail(request, path):
    page = get_object_or_404(Page.objects.published(), path=path.strip("/"))
    return render_page(request, page)


def render_page(request, page, *, preview=False, extra=None, status=200):
    """A standing page; other apps pass ``extra`` context (a bound form, say)."""
    context = {"page": page, "preview": preview, **(extra or {})}
    return render(request, "publishing/page_detail.html", context, status=status)


@never_cache
def preview_post(request, pk):
    post = get_object_or_404(_ARTICLE, pk=pk)
    if not permissions.can_preview_post(request.user, post):
        raise Http404("No such post.")
    return render_post(request, post, preview=True)


@never_cache
def preview_page(request, pk):
    if not permissions.can_preview_page(request.user):
        raise Http404("No such page.")
    page = get_object_or_404(Page, pk=pk)
    return render_page(request, page, preview=True)
