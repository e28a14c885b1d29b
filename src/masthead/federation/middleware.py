"""An article's address asked for as ActivityStreams JSON answers with the Article, so
a Mastodon search for the link finds it. Pages also say they vary by Accept."""

from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from masthead.federation.negotiation import wants_activity


class ArticleNegotiation:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and wants_activity(request.headers.get("Accept")):
            answer = self._article(request)
            if answer is not None:
                return answer
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ["Accept"])
        return response

    def _article(self, request):
        from masthead.federation import documents, inbox, views

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.view_name == "federation:actor":
            return None
        if match.view_name == "publishing:home":
            return views.actor(request)
        if match.view_name != "publishing:post":
            return None
        post = inbox.post_for(documents.absolute(request.path))
        return views.article(request, post) if post is not None else None
