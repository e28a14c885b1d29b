from django.conf import settings
from django.shortcuts import render

from masthead.publishing import search as engine
from masthead.publishing.pagination import paginate


def search(request):
    query = request.GET.get("q", request.GET.get("s", "")).strip()[:200]
    context = {"query": query}
    if query:
        page = paginate(request, engine.search_posts(query), settings.MASTHEAD_POSTS_PER_PAGE)
        context.update(page=page, posts=page.object_list)
    return render(request, "publishing/search.html", context)
