"""The desk's Following page, for Editors and superusers: follow Fediverse accounts,
read what they publish, like it and reply as the publication. Thin over
federation.following."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from masthead.desk import access
from masthead.desk.menu import menu
from masthead.federation import following as services
from masthead.federation.models import Following, FollowingState, LocalNote, RemoteArticle

TIMELINE_LENGTH = 50


@access.followers_only
@require_http_methods(["GET", "POST"])
def index(request):
    typed = ""
    if request.method == "POST":
        typed = request.POST.get("account", "")
        try:
            found = services.follow(typed)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"Asked to follow {found.actor}; waiting for its server.")
            return redirect("desk:following")
    articles = (
        RemoteArticle.objects.filter(actor__following__state=FollowingState.ACCEPTED)
        .select_related("actor")
        .prefetch_related(Prefetch("replies", LocalNote.objects.order_by("created_at")))
    )
    context = {
        **menu(request, "following"),
        "followings": Following.objects.select_related("actor"),
        "articles": articles[:TIMELINE_LENGTH],
        "typed": typed,
    }
    return render(request, "desk/following.html", context)


@access.followers_only
@require_POST
def unfollow(request, pk):
    found = get_object_or_404(Following.objects.select_related("actor"), pk=pk)
    services.unfollow(found)
    messages.success(request, f"No longer following {found.actor}.")
    return redirect("desk:following")


@access.followers_only
@require_POST
def like(request, pk):
    article = get_object_or_404(RemoteArticle.objects.select_related("actor"), pk=pk)
    liked = services.toggle_like(article)
    messages.success(request, f"{'Liked' if liked else 'Like taken back'}: {_name(article)}.")
    return redirect(f"{_timeline()}#article-{article.pk}")


@access.followers_only
@require_POST
def reply(request, pk):
    article = get_object_or_404(RemoteArticle.objects.select_related("actor"), pk=pk)
    try:
        services.reply(article, request.POST.get("text", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Reply sent to {article.actor}.")
    return redirect(f"{_timeline()}#article-{article.pk}")


@access.followers_only
@require_POST
def edit_reply(request, pk):
    note = get_object_or_404(LocalNote, pk=pk)
    try:
        services.edit_reply(note, request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Changed reply sent to {note.mention_handle or 'its author'}.")
    return redirect(f"{_timeline()}#article-{note.article_id}" if note.article_id else _timeline())


@access.followers_only
@require_POST
def delete_reply(request, pk):
    note = get_object_or_404(LocalNote, pk=pk)
    article_id = note.article_id
    services.delete_reply(note)
    messages.success(
        request, f"Reply taken back; {note.mention_handle or 'its author'}'s server is told."
    )
    return redirect(f"{_timeline()}#article-{article_id}" if article_id else _timeline())


def _name(article: RemoteArticle) -> str:
    return article.title or f"the post by {article.actor}"


def _timeline() -> str:
    return reverse("desk:following")
