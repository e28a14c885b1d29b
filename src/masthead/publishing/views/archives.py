"""Lists of posts: the home page and every archive readers can browse."""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from masthead.publishing import calendar
from masthead.publishing.caching import COMMENTS, reader_page
from masthead.publishing.models import Author, Category, Post, Tag
from masthead.publishing.pagination import paginate


def _listing(request, queryset, template="publishing/archive.html", **context):
    page = paginate(request, queryset, settings.MASTHEAD_POSTS_PER_PAGE)
    return render(request, template, {"page": page, "posts": page.object_list, **context})


@reader_page(COMMENTS)
def home(request):
    if "s" in request.GET:
        # WordPress searches at /?s=; keep those links working.
        return redirect(f"{reverse('publishing:search')}?{request.GET.urlencode()}")
    posts = Post.objects.for_listing().order_by("-sticky", "-published_at", "-id")
    return _listing(request, posts, "publishing/home.html")


@reader_page(COMMENTS)
def category(request, path):
    cat = get_object_or_404(Category, path=path)
    posts = Post.objects.for_listing().in_category(cat)
    return _listing(request, posts, kind="Category", archive=cat, feed=_feed("category", path))


@reader_page(COMMENTS)
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    posts = Post.objects.for_listing().filter(tags=tag)
    return _listing(request, posts, kind="Tag", archive=tag, feed=_feed("tag", slug))


@reader_page(COMMENTS)
def author(request, slug):
    person = get_object_or_404(Author, slug=slug)
    posts = Post.objects.for_listing().filter(bylines__author=person)
    return _listing(request, posts, "publishing/author.html", kind="Author", archive=person)


@reader_page(COMMENTS)
def year(request, year):
    start, end = calendar.year_span(year)
    return _date_listing(request, start, end, _local(start).strftime("%Y"))


@reader_page(COMMENTS)
def month(request, year, month):
    start, end = calendar.month_span(year, month)
    return _date_listing(request, start, end, _local(start).strftime("%B %Y"))


@reader_page(COMMENTS)
def day(request, year, month, day):
    start, end = calendar.day_span(year, month, day)
    start = _local(start)
    return _date_listing(request, start, end, f"{start:%B} {start.day}, {start:%Y}")


def _date_listing(request, start, end, label):
    posts = Post.objects.for_listing().filter(published_at__gte=start, published_at__lt=end)
    return _listing(request, posts, kind="Archive", archive=label)


def _local(moment):
    return moment.astimezone(timezone.get_current_timezone())


def _feed(kind, key):
    return reverse(f"publishing:{kind}-feed", args=[key])
